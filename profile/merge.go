package profile

import (
	"fmt"
	"strings"
)

// Merge combines profiles with the same value types into one, as pprof
// merges several inputs: frames are interned again, and samples with the
// same stack and labels add up. names label the inputs in messages.
// Profiles whose value types (name, unit and scale, in order) differ are
// refused, since their numbers cannot be added.
func Merge(ps []*Profile, names []string, limits Limits) (*Profile, error) {
	if len(ps) == 0 {
		return nil, fmt.Errorf("merge: no profiles")
	}
	first := ps[0]
	for i, p := range ps[1:] {
		if !sameTypes(first.SampleTypes, p.SampleTypes) {
			return nil, fmt.Errorf("cannot merge %s with %s: their value types differ (%s; %s)", names[i+1], names[0], typeList(p.SampleTypes), typeList(first.SampleTypes))
		}
	}
	b := NewBuilder(strings.Join(names, " + "), first.SampleTypes, limits)
	b.SetDefaultType(first.DefaultType)
	m := b.Meta()
	m.Format, m.Producer, m.Recording = first.Meta.Format, first.Meta.Producer, first.Meta.Recording
	m.PeriodType, m.Period, m.TimeNanos = first.Meta.PeriodType, first.Meta.Period, first.Meta.TimeNanos
	m.Comments = append(m.Comments, first.Meta.Comments...)
	m.Attrs = append(m.Attrs, first.Meta.Attrs...)
	var stack []FrameID
	for k, p := range ps {
		if p.Meta.Format != m.Format {
			m.Format = "mixed"
		}
		if p.Meta.Producer != m.Producer {
			m.Producer = ""
		}
		if p.Meta.Recording != m.Recording {
			m.Recording = ""
		}
		m.DurationNanos += p.Meta.DurationNanos
		m.Skipped += p.Meta.Skipped
		m.Truncated = m.Truncated || p.Meta.Truncated
		for _, w := range p.Meta.Warnings {
			m.Warn(w)
		}
		ids := make([]FrameID, len(p.Frames))
		for i, f := range p.Frames {
			id, err := b.Frame(f)
			if err != nil {
				return nil, fmt.Errorf("merging %s: %w", names[k], err)
			}
			ids[i] = id
		}
		for _, s := range p.Samples {
			stack = stack[:0]
			for n := s.Node; n != RootNode; n = p.Nodes[n].Parent {
				stack = append(stack, ids[p.Nodes[n].Frame])
			}
			for i, j := 0, len(stack)-1; i < j; i, j = i+1, j-1 {
				stack[i], stack[j] = stack[j], stack[i]
			}
			if err := b.Add(stack, *s.Labels, s.Count, s.Values...); err != nil {
				return nil, fmt.Errorf("merging %s: %w", names[k], err)
			}
		}
	}
	return b.Profile(), nil
}

func sameTypes(a, b []ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || a[i].Unit != b[i].Unit || max(a[i].Scale, 1) != max(b[i].Scale, 1) {
			return false
		}
	}
	return true
}

func typeList(ts []ValueType) string {
	var s []string
	for _, t := range ts {
		x := t.Type + "/" + t.Unit
		if t.Scale > 1 {
			x += fmt.Sprintf(" in 1/%d", t.Scale)
		}
		s = append(s, x)
	}
	return strings.Join(s, ", ")
}
