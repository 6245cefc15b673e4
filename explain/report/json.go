package report

import (
	"encoding/json"
	"io"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/hints"
)

// writeJSON encodes v with two-space indentation and a trailing newline. The
// field order is the struct's, which for explain.Report is the contract.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// normalise returns a shallow copy of rep whose slices encode as [] rather
// than null when they are empty. Slices tagged omitempty are left alone: they
// are omitted, never null. rep itself is not modified.
func normalise(rep *explain.Report) *explain.Report {
	r := *rep
	r.Categories = orEmpty(r.Categories)
	r.Hotspots = orEmpty(r.Hotspots)
	r.Findings = orEmpty(r.Findings)
	r.Warnings = orEmpty(r.Warnings)
	r.HotPath = orEmpty(r.HotPath)
	r.Plan = orEmpty(r.Plan)
	r.Quality.CanSee = orEmpty(r.Quality.CanSee)
	r.Quality.CannotSee = orEmpty(r.Quality.CannotSee)
	if r.Schema == "" {
		r.Schema = explain.Schema
	}
	return &r
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// hintSummary is one row of `hotspot hints --format json`.
type hintSummary struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Title    string `json:"title"`
}

// hintListDoc is the JSON of the catalogue list.
type hintListDoc struct {
	Schema string        `json:"schema"`
	Hints  []hintSummary `json:"hints"`
}

func hintList(c *hints.Catalogue) hintListDoc {
	d := hintListDoc{Schema: c.Schema, Hints: []hintSummary{}}
	for _, h := range c.Hints {
		d.Hints = append(d.Hints, hintSummary{ID: h.ID, Category: h.Category, Title: h.Title})
	}
	return d
}

// hintDetailDoc is the JSON of one entry: the hint as the catalogue states it,
// and the unit costs it uses.
type hintDetailDoc struct {
	Schema    string           `json:"schema"`
	Hint      hints.Hint       `json:"hint"`
	UnitCosts []hints.UnitCost `json:"unit_costs"`
}

func hintDetail(h hints.Hint, costs []hints.UnitCost, c *hints.Catalogue) hintDetailDoc {
	schema := "hotspot.hints/v1"
	if c != nil && c.Schema != "" {
		schema = c.Schema
	}
	h.Signals = orEmpty(h.Signals)
	h.Sketches = orEmpty(h.Sketches)
	return hintDetailDoc{Schema: schema, Hint: h, UnitCosts: orEmpty(costs)}
}
