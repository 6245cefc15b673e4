package report

import (
	"encoding/json"
	"io"
	"reflect"
	"strings"

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

// normalise returns a copy of rep whose nil slices encode as [] rather than
// null. It walks the struct by reflection so that fields the engine adds later
// get the same treatment; slices tagged omitempty are left alone (they are
// omitted, never null). rep itself is not modified.
func normalise(rep *explain.Report) *explain.Report {
	r := withEmptySlices(reflect.ValueOf(*rep)).Interface().(explain.Report)
	if r.Schema == "" {
		r.Schema = explain.Schema
	}
	return &r
}

// withEmptySlices returns a copy of v in which every nil slice reachable
// through structs and slices is empty, except for omitempty fields.
func withEmptySlices(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.Slice && fv.IsNil() {
				if !strings.Contains(f.Tag.Get("json"), ",omitempty") {
					out.Field(i).Set(reflect.MakeSlice(fv.Type(), 0, 0))
				}
				continue
			}
			out.Field(i).Set(withEmptySlices(fv))
		}
		return out
	case reflect.Slice:
		if v.IsNil() || v.Type().Elem().Kind() != reflect.Struct {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(withEmptySlices(v.Index(i)))
		}
		return out
	}
	return v
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
	d := hintDetailDoc{Schema: schema, Hint: h, UnitCosts: costs}
	return withEmptySlices(reflect.ValueOf(d)).Interface().(hintDetailDoc)
}
