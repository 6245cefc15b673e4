package diff

import (
	"fmt"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Input is one profile file of a side, with the value chosen to compare.
type Input struct {
	Path    string
	Profile *profile.Profile
	Value   int // index into Profile.SampleTypes; -1 for the profile's default
}

func (in Input) valueIndex() int {
	if in.Value < 0 {
		return in.Profile.DefaultType
	}
	return in.Value
}

func (in Input) valueType() profile.ValueType { return in.Profile.SampleTypes[in.valueIndex()] }

// Normalization names how the two sides are put on one scale.
type Normalization string

const (
	Shares   Normalization = "share"    // each side's values as shares of its own total
	Absolute Normalization = "absolute" // raw values, same unit and rate
	Time     Normalization = "time"     // values converted to nanoseconds
)

// quantity says what a value type measures, coarsely, so that only like is
// compared with like: sampled time and time are one quantity (a share of
// CPU samples is a share of CPU time), bytes and blocks are not.
func quantity(t profile.ValueType) string {
	if timeUnit(t.Unit) > 0 {
		return "time"
	}
	typ := strings.ToLower(t.Type)
	unit := strings.ToLower(t.Unit)
	switch {
	case unit == "bytes" || strings.Contains(typ, "space") || strings.Contains(typ, "bytes"):
		return "bytes"
	case strings.Contains(typ, "object") || strings.Contains(typ, "block") || strings.Contains(typ, "alloc"):
		return "allocations"
	case strings.Contains(typ, "contention") || strings.Contains(typ, "delay"):
		return "lock waits"
	case strings.Contains(typ, "sched:") || strings.Contains(typ, "switch"):
		return "context switches"
	case unit == "count" || unit == "samples" || unit == "" || unit == "none":
		return "time" // samples of a clock or cycles event
	}
	return typ + "/" + unit
}

// timeUnit is how many nanoseconds one unit is, 0 for non-time units.
func timeUnit(u string) float64 {
	switch strings.ToLower(u) {
	case "nanoseconds", "ns", "nanosecond":
		return 1
	case "microseconds", "us", "µs":
		return 1e3
	case "milliseconds", "ms":
		return 1e6
	case "seconds", "s":
		return 1e9
	}
	return 0
}

func describe(in Input) string {
	t := in.valueType()
	return fmt.Sprintf("%s (%s, %s)", in.Path, t.Type, t.Unit)
}

// checkSide refuses a side whose files measure different things.
func checkSide(side string, ins []Input) error {
	if len(ins) == 0 {
		return fmt.Errorf("the %s side has no profile", side)
	}
	for _, in := range ins[1:] {
		a, b := ins[0].valueType(), in.valueType()
		if a.Type != b.Type || a.Unit != b.Unit || a.Scale != b.Scale {
			return fmt.Errorf("cannot merge %s with %s on the %s side: different value types", describe(ins[0]), describe(in), side)
		}
	}
	return nil
}

// checkPair refuses two sides that measure different quantities.
func checkPair(before, after Input) error {
	qb, qa := quantity(before.valueType()), quantity(after.valueType())
	if qb != qa {
		return fmt.Errorf("cannot compare %s with %s: one measures %s, the other %s", describe(before), describe(after), qb, qa)
	}
	return nil
}

// chooseNorm picks the normalisation: shares unless absolute is asked for,
// and then raw values, time, or a refusal saying why neither is sound.
func chooseNorm(absolute bool, before, after Input) (Normalization, error) {
	if !absolute {
		return Shares, nil
	}
	tb, ta := before.valueType(), after.valueType()
	ub, ua := timeUnit(tb.Unit), timeUnit(ta.Unit)
	switch {
	case ub > 0 && ua > 0:
		return Time, nil
	case tb.Type == ta.Type && tb.Unit == ta.Unit && tb.Scale == ta.Scale && quantity(tb) != "time":
		// bytes with bytes, blocks with blocks: counted, not sampled.
		return Absolute, nil
	}
	pb, pa := periodNS(before), periodNS(after)
	if pb > 0 && pa > 0 {
		return Time, nil
	}
	unknown := before
	if pb > 0 {
		unknown = after
	}
	return "", fmt.Errorf("--absolute: %s counts samples at an unknown rate, so its raw values cannot be compared with %s; compare shares (the default)", describe(unknown), describe(otherOf(unknown, before, after)))
}

func otherOf(x, a, b Input) Input {
	if x.Path == a.Path {
		return b
	}
	return a
}

// periodNS is the nanoseconds one counted sample stands for, when the
// profile says (pprof's period in a time unit), else 0.
func periodNS(in Input) float64 {
	m := in.Profile.Meta
	if u := timeUnit(m.PeriodType.Unit); u > 0 && m.Period > 0 {
		return float64(m.Period) * u
	}
	return 0
}

// toNS is the factor that turns a side's stored values into nanoseconds.
func toNS(in Input) float64 {
	t := in.valueType()
	scale := 1.0
	if t.Scale > 1 {
		scale = 1 / float64(t.Scale)
	}
	if u := timeUnit(t.Unit); u > 0 {
		return u * scale
	}
	return periodNS(in) * scale
}

// Merge adds the inputs' chosen values into one profile with one value
// type. A single input is returned as it is.
func Merge(ins []Input, limits profile.Limits) (*profile.Profile, int, error) {
	if len(ins) == 1 {
		return ins[0].Profile, ins[0].valueIndex(), nil
	}
	vt := ins[0].valueType()
	b := profile.NewBuilder(ins[0].Path, []profile.ValueType{vt}, limits)
	m := b.Meta()
	*m = ins[0].Profile.Meta
	m.Comments = nil
	m.Warnings = nil
	m.Attrs = nil
	for _, in := range ins {
		p, vi := in.Profile, in.valueIndex()
		ids := make([]profile.FrameID, len(p.Frames))
		for i, f := range p.Frames {
			id, err := b.Frame(f)
			if err != nil {
				return nil, 0, fmt.Errorf("merging %s: %w", in.Path, err)
			}
			ids[i] = id
		}
		var stack []profile.FrameID
		for _, s := range p.Samples {
			if s.Values[vi] == 0 {
				continue
			}
			stack = stack[:0]
			for _, f := range p.Stack(s.Node) {
				stack = append(stack, ids[f])
			}
			if err := b.Add(stack, *s.Labels, s.Count, s.Values[vi]); err != nil {
				return nil, 0, fmt.Errorf("merging %s: %w", in.Path, err)
			}
		}
		for _, w := range in.Profile.Meta.Warnings {
			m.Warn(w)
		}
		m.Skipped += in.Profile.Meta.Skipped
		m.Truncated = m.Truncated || in.Profile.Meta.Truncated
		m.DurationNanos += in.Profile.Meta.DurationNanos
	}
	p := b.Profile()
	if err := p.Validate(); err != nil {
		return nil, 0, fmt.Errorf("merging %s: %w", ins[0].Path, err)
	}
	return p, 0, nil
}
