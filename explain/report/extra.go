package report

import (
	"encoding/json"

	"github.com/hotspot-dev/hotspot/explain"
	"reflect"
	"strconv"
	"strings"
)

// The engine adds fields to explain.Report and explain.Finding over time.
// Renderers lay out the fields they know; extraFields lists the others,
// so that a new field shows in every format (as "label: value") the day it
// lands, before it gets a layout of its own.

// knownReport and knownFinding are the JSON names the renderers lay out.
var (
	knownReport = set("schema", "input", "sample_type", "total", "categories", "hotspots", "findings", "warnings",
		"summary", "flat", "hot_path", "crossings", "quality", "measurement_plan", "idle", "active_total", "samples", "headline", "ruled_out")
	knownFinding = set("hint", "category", "share", "severity", "evidence", "fix", "expected_impact", "title",
		"context", "functions", "tradeoffs", "measure", "sketches", "value", "confidence",
		"claimed", "claimed_share", "remove_low", "remove_high", "targets", "cause", "claim", "fix_short", "lines", "risk")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// field is one extra field: its JSON name made readable, and its value as text.
type field struct{ label, text string }

// extraFields returns v's non-empty fields that known does not name, in
// declaration order. v is a struct or a pointer to one.
func extraFields(v any, known map[string]bool) []field {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return nil
	}
	var out []field
	rt := rv.Type()
	for i := range rt.NumField() {
		sf := rt.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fv := rv.Field(i)
		if known[name] || fv.IsZero() {
			continue
		}
		if text := valueText(fv); text != "" {
			out = append(out, field{label: strings.ReplaceAll(name, "_", " "), text: text})
		}
	}
	return out
}

// valueText prints a field's value: strings as they are, lists of strings
// joined, numbers plainly, anything else as compact JSON.
func valueText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return thousands(v.Int())
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', 4, 64)
	case reflect.Slice:
		if v.Len() == 0 {
			return ""
		}
		if v.Type().Elem().Kind() == reflect.String {
			parts := make([]string, v.Len())
			for i := range parts {
				parts[i] = v.Index(i).String()
			}
			return strings.Join(parts, "; ")
		}
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return ""
	}
	return string(b)
}

// claimText says what a finding claims and how much of it the fix removes:
// "claims 90.5% of the active total (4.37 s); the fix removes 50–90% of it".
func claimText(f explain.Finding, value func(int64) string) string {
	if f.ClaimedShare <= 0 {
		return ""
	}
	s := "claims " + formatShare(f.ClaimedShare) + " of the active total"
	if f.Claimed > 0 {
		s += " (" + value(f.Claimed) + ")"
	}
	if f.RemoveHigh > 0 {
		lo, hi := formatShare(f.RemoveLow), formatShare(f.RemoveHigh)
		if lo == hi {
			s += "; the fix removes about " + hi + " of it"
		} else {
			s += "; the fix removes " + strings.TrimSuffix(lo, "%") + "–" + hi + " of it"
		}
	}
	return s
}
