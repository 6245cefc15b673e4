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
	"slices"
	"strings"
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
	// OwnSketches are sketches explain fills with the program's own names
	// ({caller}, {entry}, {where}); a sketch whose names the profile does
	// not give is left out, and the generic Sketches follow.
	OwnSketches []Sketch `json:"own_sketches,omitempty"`
	// Impact states the expected-impact formula over a profile's evidence,
	// in words, naming the unit costs it uses.
	Impact    string   `json:"impact"`
	UnitCosts []string `json:"unit_costs,omitempty"` // ids of UnitCost entries used
	Tradeoffs string   `json:"tradeoffs"`
	// Risk is how much the fix changes beyond the code it speeds up:
	// "low" (a setting, an upgrade, a local edit), "medium" (restructuring
	// the program's calls, data or threads), "high" (a new dependency whose
	// output differs, a rewrite in another language). explain ranks
	// findings by the cost they could remove per unit of risk (RiskUnits).
	Risk    string   `json:"risk"`
	Measure string   `json:"measure"`          // what to measure to confirm
	Limits  string   `json:"limits,omitempty"` // what a sampled profile cannot show about it
	Sources []string `json:"sources,omitempty"`
	// Variants word the hint for programs in another runtime than the one
	// the main prose is written for (Go's collector is not CPython's, Go's
	// encoding/json is not fixed by orjson). A report about a Go program
	// takes the "go" variant's fields over the main ones; fields a variant
	// leaves empty fall back to the main prose.
	Variants []Variant `json:"variants,omitempty"`
	// Causes word the hint for a cause of its own under it (json's
	// encoder switched to pure Python by its options, beside the codec
	// swap the main prose is about): a finding of that shape takes the
	// cause's title, tradeoffs and measurement over the main ones.
	Causes []Cause `json:"causes,omitempty"`
	// Spec says when explain may raise the hint and how much cost it may
	// claim: the decision rules as data, beside the prose.
	Spec Spec `json:"spec"`
}

// Spec is a hint's decision rule as data. explain's detectors measure the
// features (a share of glue, a set of samples under a serializer); the spec
// says which recordings the hint applies to, the least evidence it needs,
// the order in which findings claim samples (a cause before its symptom:
// allocation inside a slow codec is the codec's), and what part of the
// claimed cost the fix removes.
type Spec struct {
	// Recordings the hint applies to: on-cpu, off-cpu, wall, memory. An
	// off-CPU recording never raises a hint about CPU cost.
	Recordings []string `json:"recordings"`
	// Needs lists capture features the evidence requires: "native-frames"
	// (frames below the Python ones), "python-frames", "threads" (two or
	// more threads), "time" (values convertible to time).
	Needs []string `json:"needs,omitempty"`
	// MinSamples is the absolute floor: fewer samples claimed (counts,
	// not values) and the finding is noise, whatever its share.
	MinSamples int64 `json:"min_samples"`
	// MinShare is the least share of the active total the claimed cost
	// must reach; explain requires the lower end of the 95% interval on
	// the active samples to reach MinLow as well.
	MinShare float64 `json:"min_share"`
	MinLow   float64 `json:"min_low"`
	// ClaimRank orders the claims: lower ranks claim their samples first.
	// Causes rank before the mechanisms they set off.
	ClaimRank int `json:"claim_rank"`
	// Remove is the range of the claimed cost the fix removes, [low, high],
	// from the catalogue's unit costs and sources.
	Remove [2]float64 `json:"remove"`
	// Competes lists hints that explain the same samples another way; the
	// report says which one took them.
	Competes []string `json:"competes,omitempty"`
}

// Recordings returns the recording kinds a spec may name.
func Recordings() []string { return []string{"on-cpu", "off-cpu", "wall", "memory"} }

// Features returns the capture features a spec may need.
func Features() []string { return []string{"native-frames", "python-frames", "threads", "time"} }

// Applies reports whether the hint may be raised on a recording kind.
func (s Spec) Applies(recording string) bool { return slices.Contains(s.Recordings, recording) }

// Variant is runtime-specific wording of a hint.
type Variant struct {
	Runtime   string   `json:"runtime"` // one of Runtimes()
	Title     string   `json:"title,omitempty"`
	Why       string   `json:"why,omitempty"`
	Fix       string   `json:"fix"`
	Sketches  []Sketch `json:"sketches,omitempty"` // in the variant's own language
	Tradeoffs string   `json:"tradeoffs,omitempty"`
	Measure   string   `json:"measure,omitempty"`
}

// Cause is the wording of one cause under a hint. When lists the finding
// shapes it is for (explain's variant names, which pick own sketches too).
type Cause struct {
	When      []string `json:"when"`
	Title     string   `json:"title"`
	Tradeoffs string   `json:"tradeoffs"`
	Risk      string   `json:"risk,omitempty"` // the hint's Risk for this cause, when it differs
	Measure   string   `json:"measure"`
	// NoSketches drops the hint's sketches, which show another case (a
	// JSON sketch for an XML decoder).
	NoSketches bool `json:"no_sketches,omitempty"`
}

// RiskUnits is what a unit of removable cost is divided by to rank a
// finding: a fix that adds a dependency or a second language must save
// twice what a local edit saves to rank above it.
func RiskUnits(risk string) float64 {
	switch risk {
	case "medium":
		return 1.25
	case "high":
		return 2
	}
	return 1
}

// RiskFor is the risk of the fix for finding shape variant: its cause's
// where it has one of its own, else the hint's.
func (h Hint) RiskFor(variant string) string {
	if c, ok := h.CauseFor(variant); ok && c.Risk != "" {
		return c.Risk
	}
	return h.Risk
}

// CauseFor returns the cause worded for the finding shape variant.
func (h Hint) CauseFor(variant string) (Cause, bool) {
	for _, c := range h.Causes {
		if variant != "" && slices.Contains(c.When, variant) {
			return c, true
		}
	}
	return Cause{}, false
}

// Runtimes returns the runtimes a hint variant may be written for.
func Runtimes() []string { return []string{"python", "rust", "go", "c"} }

// For returns the hint as worded for a program in runtime rt: the variant's
// fields over the main ones, its sketches instead of the main sketches.
// Without a variant for rt the hint is returned unchanged.
func (h Hint) For(rt string) Hint {
	for _, v := range h.Variants {
		if v.Runtime != rt {
			continue
		}
		out := h
		if v.Title != "" {
			out.Title = v.Title
		}
		if v.Why != "" {
			out.Why = v.Why
		}
		out.Fix = v.Fix
		if len(v.Sketches) > 0 {
			out.Sketches = v.Sketches
		}
		if v.Tradeoffs != "" {
			out.Tradeoffs = v.Tradeoffs
		}
		if v.Measure != "" {
			out.Measure = v.Measure
		}
		return out
	}
	return h
}

// Sketch is a before/after code sketch in one language.
type Sketch struct {
	// When names the finding variant an own sketch is for ("" for the
	// main one); unused in generic sketches.
	When     string `json:"when,omitempty"`
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

// Categories returns the cost-category names a hint may address, in the
// order explain reports them. It returns a new slice on every call so that
// no caller can change the table.
func Categories() []string {
	return []string{"python", "interpreter", "native", "ffi", "convert", "alloc", "gil", "lock", "io", "serialization", "logging", "gc", "async", "import", "idle"}
}

// SketchLanguages returns the languages a sketch may be written in.
func SketchLanguages() []string { return []string{"python", "rust"} }

// Check verifies that ids are unique and every entry is complete. Fields are
// checked in a fixed order, so the same defect always gives the same message.
func (c *Catalogue) Check() error {
	if c.Schema != "hotspot.hints/v1" {
		return fmt.Errorf("hint catalogue: schema %q, want %q", c.Schema, "hotspot.hints/v1")
	}
	costs := map[string]bool{}
	for _, u := range c.UnitCosts {
		if u.ID == "" || costs[u.ID] {
			return fmt.Errorf("hint catalogue: unit cost id %q empty or repeated", u.ID)
		}
		costs[u.ID] = true
		if u.What == "" {
			return fmt.Errorf("hint catalogue: unit cost %q has no what", u.ID)
		}
		if u.LowNS <= 0 || u.HighNS < u.LowNS || u.Source == "" {
			return fmt.Errorf("hint catalogue: unit cost %q needs 0 < low_ns <= high_ns and a source", u.ID)
		}
	}
	hints := map[string]bool{}
	for i, h := range c.Hints {
		if h.ID == "" || hints[h.ID] {
			return fmt.Errorf("hint catalogue: hints[%d]: id %q empty or repeated", i, h.ID)
		}
		if !isKebab(h.ID) {
			return fmt.Errorf("hint catalogue: hints[%d]: id %q is not lower-case words joined by '-'", i, h.ID)
		}
		hints[h.ID] = true
		if err := h.check(costs); err != nil {
			return fmt.Errorf("hint catalogue: hint %q %w", h.ID, err)
		}
	}
	return nil
}

// check reports the first defect of one hint, in the order of the fields.
func (h *Hint) check(costs map[string]bool) error {
	fields := []struct{ name, value string }{
		{"title", h.Title}, {"category", h.Category}, {"why", h.Why}, {"fix", h.Fix},
		{"impact", h.Impact}, {"tradeoffs", h.Tradeoffs}, {"measure", h.Measure},
	}
	for _, f := range fields {
		if strings.TrimSpace(f.value) == "" {
			return fmt.Errorf("has no %s", f.name)
		}
	}
	if !slices.Contains(Categories(), h.Category) {
		return fmt.Errorf("has unknown category %q", h.Category)
	}
	if len(h.Signals) == 0 {
		return fmt.Errorf("has no signals")
	}
	for i, s := range h.Signals {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("has an empty signals[%d]", i)
		}
	}
	for i, s := range h.Sketches {
		if !slices.Contains(SketchLanguages(), s.Language) {
			return fmt.Errorf("sketches[%d] has unknown language %q", i, s.Language)
		}
		if strings.TrimSpace(s.Before) == "" || strings.TrimSpace(s.After) == "" {
			return fmt.Errorf("sketches[%d] needs both before and after", i)
		}
	}
	for _, id := range h.UnitCosts {
		if !costs[id] {
			return fmt.Errorf("uses unknown unit cost %q", id)
		}
	}
	if len(h.Sources) == 0 {
		return fmt.Errorf("has no sources")
	}
	if err := h.Spec.check(); err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	shapes := map[string]bool{}
	for i, c := range h.Causes {
		if len(c.When) == 0 || strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Tradeoffs) == "" || strings.TrimSpace(c.Measure) == "" {
			return fmt.Errorf("causes[%d] needs when, title, tradeoffs and measure", i)
		}
		for _, w := range c.When {
			if w == "" || shapes[w] {
				return fmt.Errorf("causes[%d] has an empty or repeated shape %q", i, w)
			}
			shapes[w] = true
		}
	}
	seen := map[string]bool{}
	for i, v := range h.Variants {
		if !slices.Contains(Runtimes(), v.Runtime) || seen[v.Runtime] {
			return fmt.Errorf("variants[%d] has unknown or repeated runtime %q", i, v.Runtime)
		}
		seen[v.Runtime] = true
		if strings.TrimSpace(v.Fix) == "" {
			return fmt.Errorf("variants[%d] (%s) has no fix", i, v.Runtime)
		}
		for j, s := range v.Sketches {
			if s.Language != v.Runtime {
				return fmt.Errorf("variants[%d] (%s) sketches[%d] is in %q, not the variant's language", i, v.Runtime, j, s.Language)
			}
			if strings.TrimSpace(s.Before) == "" || strings.TrimSpace(s.After) == "" {
				return fmt.Errorf("variants[%d] (%s) sketches[%d] needs both before and after", i, v.Runtime, j)
			}
		}
	}
	return nil
}

func (s *Spec) check() error {
	if len(s.Recordings) == 0 {
		return fmt.Errorf("names no recordings")
	}
	for _, r := range s.Recordings {
		if !slices.Contains(Recordings(), r) {
			return fmt.Errorf("unknown recording %q", r)
		}
	}
	for _, n := range s.Needs {
		if !slices.Contains(Features(), n) {
			return fmt.Errorf("unknown capture feature %q", n)
		}
	}
	if s.MinSamples < 0 || s.MinShare < 0 || s.MinShare >= 1 || s.MinLow < 0 || s.MinLow > s.MinShare {
		return fmt.Errorf("needs min_samples >= 0 and 0 <= min_low <= min_share < 1")
	}
	if s.Remove[0] < 0 || s.Remove[1] < s.Remove[0] || s.Remove[1] > 1 {
		return fmt.Errorf("remove must be 0 <= low <= high <= 1")
	}
	return nil
}

// isKebab reports whether id is lower-case ASCII words joined by single '-'.
func isKebab(id string) bool {
	for _, w := range strings.Split(id, "-") {
		if w == "" {
			return false
		}
		for _, r := range w {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}
