package speedscope

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// column says which value type a unit kind goes to.
type column struct {
	kind unitKind
	exp  int32 // for unitNone: the common exponent of all "none" profiles
	idx  int
}

// build turns the aggregated profiles into the model, now that the frame
// table is known.
func (r *reader) build() (*profile.Profile, error) {
	pyspy := strings.HasPrefix(r.exporter, "py-spy@")
	pyinstrument := strings.HasPrefix(r.exporter, "pyinstrument")
	var cols []column
	colOf := func(k unitKind) *column {
		for i := range cols {
			if cols[i].kind == k {
				return &cols[i]
			}
		}
		cols = append(cols, column{kind: k, idx: len(cols)})
		return &cols[len(cols)-1]
	}
	// A profile with no samples adds nothing, so it claims no value type
	// (an empty first profile would otherwise be the default) unless no
	// profile has any.
	anyEntries := false
	for _, p := range r.profiles {
		anyEntries = anyEntries || !p.skip && len(p.entries) > 0
	}
	anySampled := false
	for _, p := range r.profiles {
		if p.skip || anyEntries && len(p.entries) == 0 {
			continue
		}
		c := colOf(p.kind)
		if p.kind == unitNone && p.exp < c.exp {
			c.exp = p.exp
		}
		anySampled = anySampled || p.sampled
	}
	var types []profile.ValueType
	for _, c := range cols {
		switch c.kind {
		case unitTime:
			t := "time"
			if pyspy {
				t = "wall"
			}
			types = append(types, profile.ValueType{Type: t, Unit: "nanoseconds"})
		case unitBytes:
			types = append(types, profile.ValueType{Type: "space", Unit: "bytes"})
		default:
			vt := profile.ValueType{Type: "weight", Unit: "count"}
			if c.exp < 0 {
				vt.Scale = pow10[-c.exp]
			}
			types = append(types, vt)
		}
	}
	samplesCol := -1
	if anySampled || len(types) == 0 {
		samplesCol = len(types)
		types = append(types, profile.ValueType{Type: "samples", Unit: "count"})
	}

	b := profile.NewBuilder(r.file, types, r.lim)
	b.DeferTree()
	nEntries := 0
	for _, p := range r.profiles {
		if !p.skip {
			nEntries += len(p.entries)
		}
	}
	b.ExpectSamples(nEntries)

	ids := make([]profile.FrameID, len(r.frames))
	for i := range ids {
		ids[i] = profile.NoFrame
	}
	var stack []profile.FrameID
	values := make([]int64, len(types))
	var added int64
	for _, p := range r.profiles {
		if p.skip || len(p.entries) == 0 {
			continue
		}
		// Frame indices could not be checked while the profile was read,
		// because "shared" came after it.
		rangeErr := int(p.maxFrame) >= len(r.frames)
		if rangeErr {
			err := r.pathError(fmt.Sprintf("%s.%s[%d]", p.path(), p.maxKind, p.maxAt),
				fmt.Sprintf("frame %d out of range (%d frames)", p.maxFrame, len(r.frames)))
			if err := r.skipRecord(err, "every sample with a frame out of range"); err != nil {
				return nil, err
			}
		}
		c := colOf(p.kind)
		labels := ParseProfileName(p.name)
	entries:
		for _, e := range p.entries {
			raw := r.stacks.stack(e.stack)
			if rangeErr {
				for _, f := range raw {
					if int(f) >= len(r.frames) {
						r.skipped += int(e.count)
						continue entries
					}
				}
			}
			if pyinstrument {
				raw = withoutSynthetic(raw, r.frames)
			}
			stack = stack[:0]
			for _, f := range raw {
				if ids[f] == profile.NoFrame {
					id, err := b.Frame(classify(r.frames[f]))
					if err != nil {
						return nil, err
					}
					ids[f] = id
				}
				stack = append(stack, ids[f])
			}
			clear(values)
			v := e.value
			if c.kind == unitNone && p.exp > c.exp {
				var exact, ok bool
				v, exact, ok = decimal{mant: v, exp: p.exp}.scaled(c.exp)
				if !ok || !exact {
					return nil, r.pathError(p.path(), "weights too large to share a scale with the other profiles")
				}
			}
			values[c.idx] = v
			if p.sampled {
				values[samplesCol] = e.count
			}
			if err := b.Add(stack, labels, e.count, values...); err != nil {
				return nil, err
			}
			added += e.count
		}
	}
	if added == 0 && r.first != nil {
		// Every record was malformed: the input is not a usable profile.
		return nil, r.first
	}
	r.meta(b.Meta(), pyspy, cols)
	return b.Build()
}

// withoutSynthetic drops the frames pyinstrument makes up rather than
// records: a "[self]" leaf holds its parent's own time, a "[root]" root
// only joins the trees. ("[await]" and "[out-of-context]" stay: they say
// where a task waited.)
func withoutSynthetic(raw []int32, frames []rawFrame) []int32 {
	if n := len(raw); n > 1 && frames[raw[n-1]].name == "[self]" {
		raw = raw[:n-1]
	}
	if len(raw) > 1 && frames[raw[0]].name == "[root]" {
		raw = raw[1:]
	}
	return raw
}

// meta fills the profile's metadata.
func (r *reader) meta(m *profile.Meta, pyspy bool, cols []column) {
	m.Format = "speedscope"
	m.Producer = r.exporter
	if r.groupName != "" {
		m.Attrs = append(m.Attrs, profile.Attr{Key: "name", Value: r.groupName})
	}
	if pyspy {
		m.Recording = "wall"
		m.Comments = append(m.Comments, "py-spy samples wall-clock stacks of running threads only, unless it was run with --idle; the file does not record its flags")
	}
	// A sampling period is known when every sampled time profile used one
	// and the same weight (py-spy: 1/rate).
	period := int64(-1)
	for _, p := range r.profiles {
		if p.skip {
			continue
		}
		if p.kind == unitTime {
			m.DurationNanos = max(m.DurationNanos, p.durationNanos)
		}
		if !p.sampled || p.kind != unitTime || len(p.entries) == 0 {
			continue
		}
		switch {
		case !p.uniform:
			period = 0
		case period == -1:
			period = p.uniformWeight
		case period != p.uniformWeight:
			period = 0
		}
	}
	if period > 0 {
		for _, c := range cols {
			if c.kind == unitTime {
				m.PeriodType = profile.ValueType{Type: "wall", Unit: "nanoseconds"}
				if !pyspy {
					m.PeriodType.Type = "time"
				}
				m.Period = period
			}
		}
		if 1_000_000_000%period == 0 {
			m.Attrs = append(m.Attrs, profile.Attr{Key: "rate_hz", Value: strconv.FormatInt(1_000_000_000/period, 10)})
		}
	}
	if r.rounded {
		r.warnings = append(r.warnings, fmt.Sprintf("%s: some weights are finer than the stored unit (1 ns, or 10^-9 of a plain number) and were rounded", r.file))
	}
	for _, w := range r.warnings {
		m.Warn(w)
	}
	m.Skipped += r.skipped
	sortAttrs(m.Attrs)
}

func sortAttrs(a []profile.Attr) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].Key < a[j-1].Key; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
