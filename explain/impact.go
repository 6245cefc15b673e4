package explain

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/quantity"
)

// The engine's sentences format numbers with package quantity, as the
// renderers do, so that prose and tables agree.

func pct(f float64) string      { return quantity.Share(f) }
func thousands(n int64) string  { return quantity.Count(n) }
func fmtNS(ns float64) string   { return quantity.Duration(ns) }
func fmtBytes(b float64) string { return quantity.Bytes(b) }

// nsPerUnit converts the chosen value type to nanoseconds, or 0 when the
// profile does not say how long a sample is.
func (a *analysis) nsPerUnit() float64 {
	t := a.p.SampleTypes[a.vi]
	scale := float64(t.Scale)
	if scale <= 0 {
		scale = 1
	}
	if f := timeUnit(t.Unit); f > 0 {
		return f / scale
	}
	if strings.EqualFold(t.Unit, "count") || t.Unit == "" || strings.EqualFold(t.Unit, "samples") {
		m := &a.p.Meta
		if f := timeUnit(m.PeriodType.Unit); f > 0 && m.Period > 0 {
			return f * float64(m.Period)
		}
		// Another value type in time units gives the ratio.
		for j, u := range a.p.SampleTypes {
			f := timeUnit(u.Unit)
			if j == a.vi || f == 0 {
				continue
			}
			var tv, cv int64
			for _, i := range a.samples {
				tv += a.p.Samples[i].Values[j]
				cv += a.p.Samples[i].Values[a.vi]
			}
			if tv > 0 && cv > 0 {
				us := float64(u.Scale)
				if us <= 0 {
					us = 1
				}
				return f * float64(tv) / us / float64(cv)
			}
		}
	}
	return 0
}

func timeUnit(u string) float64 {
	switch strings.ToLower(u) {
	case "nanoseconds", "ns", "nanosecond":
		return 1
	case "microseconds", "us", "µs", "microsecond":
		return 1e3
	case "milliseconds", "ms", "millisecond":
		return 1e6
	case "seconds", "s", "second":
		return 1e9
	}
	return 0
}

// fmtValue formats a value in the profile's unit: a duration, bytes, or a
// sample count.
func (a *analysis) fmtValue(v int64) string {
	t := a.p.SampleTypes[a.vi]
	if a.recording == RecMemory && (strings.EqualFold(t.Unit, "bytes") || strings.Contains(strings.ToLower(t.Type), "byte") || strings.Contains(t.Type, "space")) {
		return fmtBytes(float64(v))
	}
	if ns := a.nsPerUnit(); ns > 0 && timeUnit(t.Unit) > 0 {
		return fmtNS(float64(v) * ns)
	}
	unit := t.Type
	if t.Type == "weight" {
		// Weights of an unknown unit (a folded file of summed periods):
		// the samples they stand for say more than the raw number.
		if a.count > 0 && a.total > 0 {
			return "≈ " + thousands(int64(math.Round(float64(v)*float64(a.count)/float64(a.total)))) + " samples"
		}
	}
	if a.switchEvents() {
		return thousands(v) + " " + a.countNoun()
	}
	if strings.EqualFold(t.Unit, "count") || t.Unit == "" {
		if unit == "" || unit == "samples" || strings.Contains(unit, "clock") || strings.Contains(unit, "cycles") || strings.Contains(unit, ":") {
			unit = "samples"
		}
	}
	return thousands(v) + " " + unit
}

// impact writes the expected-impact sentence as a prediction of the
// profile after the fix: the claimed cost, the part of it the fix removes
// (a range), what remains, and the speed-up that follows, with the
// arithmetic; with --items, the cost per item against the catalogue's unit
// cost.
//
// A fix that moves the work to another thread (moves) frees the thread it
// ran on and removes no CPU time: the sentence says so instead of
// predicting a speed-up. In a recording of context switches, how much the
// waiting falls is worked out from the claim's share of the time off the
// CPU where the switches were timed (waitShare), not from its share of
// the switches.
func (a *analysis) impact(cat *hints.Catalogue, what string, v int64, lo, hi float64, unit string, items int64, moves bool, waitShare float64) string {
	sh := a.activeShare(v)
	noun := a.activeNoun()
	afterLo, afterHi := 1-sh*hi, 1-sh*lo
	var b strings.Builder
	if moves {
		fmt.Fprintf(&b, "%s: this finding claims %s of the %s (%s of %s), all of it on the event loop's thread; the fix removes %s of it from the loop, to a worker thread or process, so %s remains on the loop, which is busy for %s of what it is now and free for the other tasks that much more. The CPU work is moved, not removed: CPU time stays about the same (CPU-bound Python moved to a thread still takes turns on the GIL; native code that releases it, or a process, runs beside the loop).",
			what, pct(sh), noun, a.fmtValue(v), a.fmtValue(a.active), pctRange(lo, hi), pctRange(sh*(1-hi), sh*(1-lo)), pctRange(afterLo, afterHi))
		return b.String()
	}
	fmt.Fprintf(&b, "%s: this finding claims %s of the %s (%s of %s); the fix removes %s of it, so %s remains and the profile goes from 100%% to %s of its %s",
		what, pct(sh), noun, a.fmtValue(v), a.fmtValue(a.active), pctRange(lo, hi), pctRange(sh*(1-hi), sh*(1-lo)), pctRange(afterLo, afterHi), noun)
	if afterLo > 0 && afterHi < 1 {
		switch a.recording {
		case RecMemory:
			fmt.Fprintf(&b, " (%s less)", xRange(1/afterHi, 1/afterLo))
		case RecOffCPU:
			if waitShare > 0 {
				fmt.Fprintf(&b, " (in time off the CPU, of which the claim holds %s, waiting falls %s; wall time falls only where these waits are on the critical path)", pct(waitShare), xRange(1/(1-waitShare*lo), 1/(1-waitShare*hi)))
				break
			}
			fmt.Fprintf(&b, " (waiting falls %s; wall time falls only where these waits are on the critical path)", xRange(1/afterHi, 1/afterLo))
		default:
			fmt.Fprintf(&b, ": %s faster for the same work", xRange(1/afterHi, 1/afterLo))
		}
	}
	if items > 0 {
		ns := a.nsPerUnit()
		switch {
		case a.recording == RecMemory:
			fmt.Fprintf(&b, "; that is %s per item at %s items", fmtBytes(float64(v)/float64(items)), thousands(items))
		case ns > 0:
			per := float64(v) * ns / float64(items)
			fmt.Fprintf(&b, " (the claimed cost is ≈ %s per item at %s items", fmtNS(per), thousands(items))
			if u, ok := cat.Cost(unit); ok && u.HighNS > 0 {
				fmt.Fprintf(&b, "; %s costs %s–%s, so ≈ %s per item", u.What, fmtNS(u.LowNS), fmtNS(u.HighNS), rangeCount(per/u.HighNS, per/u.LowNS))
			}
			b.WriteString(")")
		}
	}
	b.WriteString(".")
	return b.String()
}

// pctRange formats a range of fractions as percentages, one number when
// both ends print the same.
func pctRange(lo, hi float64) string {
	if lo > hi {
		lo, hi = hi, lo
	}
	a, b := pct(lo), pct(hi)
	if a == b {
		return a
	}
	return strings.TrimSuffix(a, "%") + "–" + b
}

// xRange formats a range of speed-up factors.
func xRange(lo, hi float64) string {
	a, b := strconv.FormatFloat(lo, 'f', 2, 64), strconv.FormatFloat(hi, 'f', 2, 64)
	if a == b {
		return a + "×"
	}
	return a + "–" + b + "×"
}

// rangeCount formats an operation-count range.
func rangeCount(lo, hi float64) string {
	r := func(x float64) string {
		if x >= 10 {
			return thousands(int64(math.Round(x)))
		}
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	if r(lo) == r(hi) {
		return r(lo) + " of them"
	}
	return r(lo) + "–" + r(hi) + " of them"
}

// severity grades a removable share.
func severity(share float64) string {
	switch {
	case share >= 0.20:
		return "high"
	case share >= 0.05:
		return "medium"
	}
	return "low"
}
