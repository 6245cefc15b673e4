// Package hints is hotspot's catalogue of performance-hint patterns: pure
// data, embedded from catalogue.json, with no knowledge of the engine that
// matches profiles against it.
package hints

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
)

//go:embed catalogue.json
var catalogueJSON []byte

// Catalogue is the set of hints and the unit costs they reason with.
type Catalogue struct {
	Schema    string     `json:"schema"` // "hotspot.hints/v1"
	UnitCosts []UnitCost `json:"unit_costs"`
	Hints     []Hint     `json:"hints"`
}

// UnitCost is an order-of-magnitude cost used in impact estimates.
type UnitCost struct {
	ID     string  `json:"id"`     // e.g. "pyo3-crossing"
	What   string  `json:"what"`   // "one Python->Rust call through PyO3 (glue only)"
	LowNS  float64 `json:"low_ns"` // range in nanoseconds
	HighNS float64 `json:"high_ns"`
	Source string  `json:"source"` // where the figure comes from
}

// Hint is one technique of the playbook.
type Hint struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Category string   `json:"category"` // the cost category it addresses (explain's names)
	Signals  []string `json:"signals"`  // what in a profile triggers it, as sentences
	Why      string   `json:"why"`      // why it costs
	Fix      string   `json:"fix"`      // the fix in one or two sentences
	Sketches []Sketch `json:"sketches"` // before/after, Python and/or Rust
	// Impact states the expected-impact formula over a profile's evidence,
	// in words, naming the unit costs it uses.
	Impact    string   `json:"impact"`
	UnitCosts []string `json:"unit_costs,omitempty"` // ids of UnitCost entries used
	Tradeoffs string   `json:"tradeoffs"`
	Measure   string   `json:"measure"`          // what to measure to confirm
	Limits    string   `json:"limits,omitempty"` // what a sampled profile cannot show about it
	Sources   []string `json:"sources,omitempty"`
}

// Sketch is a before/after code sketch in one language.
type Sketch struct {
	Language string `json:"language"`
	Before   string `json:"before"`
	After    string `json:"after"`
}

// Default returns the embedded catalogue.
func Default() (*Catalogue, error) { return Load(bytes.NewReader(catalogueJSON)) }

// Load reads and checks a catalogue.
func Load(r io.Reader) (*Catalogue, error) {
	var c Catalogue
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("hint catalogue: %w", err)
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Lookup returns the hint with the given id.
func (c *Catalogue) Lookup(id string) (Hint, bool) {
	for _, h := range c.Hints {
		if h.ID == id {
			return h, true
		}
	}
	return Hint{}, false
}

// Cost returns the unit cost with the given id.
func (c *Catalogue) Cost(id string) (UnitCost, bool) {
	for _, u := range c.UnitCosts {
		if u.ID == id {
			return u, true
		}
	}
	return UnitCost{}, false
}

// Check verifies that ids are unique and every entry is complete.
func (c *Catalogue) Check() error {
	seen := map[string]bool{}
	for _, u := range c.UnitCosts {
		if u.ID == "" || seen["cost:"+u.ID] {
			return fmt.Errorf("hint catalogue: unit cost id %q empty or repeated", u.ID)
		}
		seen["cost:"+u.ID] = true
		if u.LowNS <= 0 || u.HighNS < u.LowNS || u.Source == "" {
			return fmt.Errorf("hint catalogue: unit cost %q needs 0 < low_ns <= high_ns and a source", u.ID)
		}
	}
	for i, h := range c.Hints {
		if h.ID == "" || seen[h.ID] {
			return fmt.Errorf("hint catalogue: hints[%d]: id %q empty or repeated", i, h.ID)
		}
		seen[h.ID] = true
		for name, v := range map[string]string{"title": h.Title, "category": h.Category, "why": h.Why, "fix": h.Fix, "impact": h.Impact, "tradeoffs": h.Tradeoffs, "measure": h.Measure} {
			if v == "" {
				return fmt.Errorf("hint catalogue: hint %q has no %s", h.ID, name)
			}
		}
		if len(h.Signals) == 0 {
			return fmt.Errorf("hint catalogue: hint %q has no signals", h.ID)
		}
		for _, id := range h.UnitCosts {
			if !seen["cost:"+id] {
				return fmt.Errorf("hint catalogue: hint %q uses unknown unit cost %q", h.ID, id)
			}
		}
	}
	return nil
}
