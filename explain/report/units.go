package report

import (
	"fmt"
	"strconv"
	"strings"
)

// formatShare prints a fraction in [0,1] as a percentage with one decimal.
// Non-zero shares too small to show say so instead of printing 0.0%.
func formatShare(f float64) string {
	switch {
	case f != f: // NaN: the engine should not produce it; make it visible.
		return "?%"
	case f > 0 && f < 0.0005:
		return "<0.1%"
	}
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// nsPerUnit gives the nanoseconds in one unit for the time units profiles use.
func nsPerUnit(unit string) (int64, bool) {
	switch strings.ToLower(unit) {
	case "nanoseconds", "nanosecond", "ns":
		return 1, true
	case "microseconds", "microsecond", "us":
		return 1e3, true
	case "milliseconds", "millisecond", "ms":
		return 1e6, true
	case "seconds", "second", "s":
		return 1e9, true
	}
	return 0, false
}

func isTimeOrBytes(unit string) bool {
	_, isTime := nsPerUnit(unit)
	return isTime || isBytes(unit)
}

func isBytes(unit string) bool {
	switch strings.ToLower(unit) {
	case "bytes", "byte", "b":
		return true
	}
	return false
}

// formatValue prints v in the sample type's unit: times scaled to ns, us, ms
// or s; bytes to B, KiB, MiB or GiB; anything else as a count with thousands
// separators (the unit then goes in a header, not in every cell).
func formatValue(v int64, unit string) string {
	if m, ok := nsPerUnit(unit); ok {
		return formatNS(float64(v) * float64(m))
	}
	if isBytes(unit) {
		return formatBytes(v)
	}
	return thousands(v)
}

// formatValueUnit is formatValue with the unit spelled out for counts, for
// sentences such as the header's total.
func formatValueUnit(v int64, st sampleUnit) string {
	s := formatValue(v, st.unit)
	if _, ok := nsPerUnit(st.unit); ok || isBytes(st.unit) {
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

func formatNS(ns float64) string {
	neg := ns < 0
	if neg {
		ns = -ns
	}
	var s string
	switch {
	case ns < 1e3 && ns == float64(int64(ns)):
		s = strconv.FormatInt(int64(ns), 10) + " ns"
	case ns < 1e3:
		s = trimFloat(ns) + " ns"
	case ns < 1e6:
		s = trimFloat(ns/1e3) + " us"
	case ns < 1e9:
		s = trimFloat(ns/1e6) + " ms"
	default:
		s = trimFloat(ns/1e9) + " s"
	}
	if neg {
		return "-" + s
	}
	return s
}

func formatBytes(b int64) string {
	neg := b < 0
	if neg {
		b = -b
	}
	var s string
	switch f := float64(b); {
	case b < 1<<10:
		s = strconv.FormatInt(b, 10) + " B"
	case b < 1<<20:
		s = trimFloat(f/(1<<10)) + " KiB"
	case b < 1<<30:
		s = trimFloat(f/(1<<20)) + " MiB"
	default:
		s = trimFloat(f/(1<<30)) + " GiB"
	}
	if neg {
		return "-" + s
	}
	return s
}

// trimFloat prints three significant digits at most: 1.23, 12.3, 123.
func trimFloat(f float64) string {
	switch {
	case f < 10:
		return strconv.FormatFloat(f, 'f', 2, 64)
	case f < 100:
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

// thousands prints n with a comma between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// formatRatio prints a glue ratio (a fraction) as a percentage.
func formatRatio(f float64) string { return formatShare(f) }

// formatNSRange prints a unit cost's range.
func formatNSRange(lo, hi float64) string {
	if lo == hi {
		return formatNS(lo)
	}
	a, b := formatNS(lo), formatNS(hi)
	ua, ub := a[strings.LastIndexByte(a, ' ')+1:], b[strings.LastIndexByte(b, ' ')+1:]
	if ua == ub {
		return fmt.Sprintf("%s-%s", a[:strings.LastIndexByte(a, ' ')], b)
	}
	return a + " - " + b
}
