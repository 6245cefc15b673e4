// Package quantity formats the numbers hotspot shows people: shares,
// durations, byte sizes and counts. Every report format and every sentence
// the engine writes goes through it, so prose and tables always agree.
package quantity

import (
	"strconv"
	"strings"
)

// Share prints a fraction in [0,1] as a percentage with one decimal.
// Non-zero shares too small to show say so instead of printing 0.0%.
func Share(f float64) string {
	switch {
	case f != f: // NaN: a caller bug; make it visible rather than hide it.
		return "?%"
	case f > 0 && f < 0.0005:
		return "<0.1%"
	case f < 0 && f > -0.0005:
		return "-<0.1%"
	}
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// NSPerUnit gives the nanoseconds in one unit for the time units profiles use.
func NSPerUnit(unit string) (float64, bool) {
	switch strings.ToLower(unit) {
	case "nanoseconds", "nanosecond", "ns":
		return 1, true
	case "microseconds", "microsecond", "us", "µs":
		return 1e3, true
	case "milliseconds", "millisecond", "ms":
		return 1e6, true
	case "seconds", "second", "s":
		return 1e9, true
	}
	return 0, false
}

// IsBytes says whether unit measures memory in bytes.
func IsBytes(unit string) bool {
	switch strings.ToLower(unit) {
	case "bytes", "byte", "b":
		return true
	}
	return false
}

// Value prints v in unit: times scaled to ns, µs, ms or s; bytes to B, KiB,
// MiB or GiB; anything else as a count with thousands separators (the unit
// then goes in a header, not in every cell).
func Value(v int64, unit string) string {
	if m, ok := NSPerUnit(unit); ok {
		return Duration(float64(v) * m)
	}
	if IsBytes(unit) {
		return Bytes(float64(v))
	}
	return Count(v)
}

// Duration prints nanoseconds with three significant digits: 681 ns,
// 4.20 µs, 12.3 ms, 1.30 s.
func Duration(ns float64) string {
	if ns < 0 {
		return "-" + Duration(-ns)
	}
	switch {
	case ns < 1e3 && ns == float64(int64(ns)):
		return strconv.FormatInt(int64(ns), 10) + " ns"
	case ns < 1e3:
		return digits3(ns) + " ns"
	case ns < 1e6:
		return digits3(ns/1e3) + " µs"
	case ns < 1e9:
		return digits3(ns/1e6) + " ms"
	}
	return digits3(ns/1e9) + " s"
}

// Bytes prints a byte count with binary prefixes and three significant
// digits: 512 B, 1.50 KiB, 10.0 MiB.
func Bytes(b float64) string {
	if b < 0 {
		return "-" + Bytes(-b)
	}
	switch {
	case b < 1<<10:
		return strconv.FormatFloat(b, 'f', 0, 64) + " B"
	case b < 1<<20:
		return digits3(b/(1<<10)) + " KiB"
	case b < 1<<30:
		return digits3(b/(1<<20)) + " MiB"
	}
	return digits3(b/(1<<30)) + " GiB"
}

// DurationRange prints a range of durations, the unit once when both ends
// share it: "20-70 ns", "100 ns - 1.00 µs".
func DurationRange(lo, hi float64) string {
	if lo == hi {
		return Duration(lo)
	}
	a, b := Duration(lo), Duration(hi)
	ia, ib := strings.LastIndexByte(a, ' '), strings.LastIndexByte(b, ' ')
	if a[ia:] == b[ib:] {
		return a[:ia] + "-" + b
	}
	return a + " - " + b
}

// digits3 prints a positive number below 1000 with three significant digits
// at most: 1.23, 12.3, 123. Rounding that reaches the next decade keeps
// three digits (9.996 prints 10.0, not 10.00).
func digits3(f float64) string {
	switch {
	case f < 9.995:
		return strconv.FormatFloat(f, 'f', 2, 64)
	case f < 99.95:
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

// Count prints n with a comma between groups of three digits.
func Count(n int64) string {
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
