package report

import (
	"github.com/hotspot-dev/hotspot/internal/quantity"
)

// The renderers format numbers with package quantity, the one formatter the
// engine's sentences use too, so prose and tables agree.

func formatShare(f float64) string            { return quantity.Share(f) }
func formatValue(v int64, unit string) string { return quantity.Value(v, unit) }
func formatNS(ns float64) string              { return quantity.Duration(ns) }
func thousands(n int64) string                { return quantity.Count(n) }
func formatRatio(f float64) string            { return quantity.Share(f) }
func formatNSRange(lo, hi float64) string     { return quantity.DurationRange(lo, hi) }

func isTimeOrBytes(unit string) bool {
	_, isTime := quantity.NSPerUnit(unit)
	return isTime || quantity.IsBytes(unit)
}

// formatValueUnit is formatValue with the unit spelled out for counts, for
// sentences such as the header's total.
func formatValueUnit(v int64, st sampleUnit) string {
	s := formatValue(v, st.unit)
	if isTimeOrBytes(st.unit) {
		return s
	}
	word := st.unit
	if word == "" || word == "count" {
		word = st.name
	}
	if word == "" {
		return s
	}
	return s + " " + word
}

// sampleUnit is the pair of names formatValueUnit needs.
type sampleUnit struct{ name, unit string }
