package folded

import (
	"fmt"

	"github.com/hotspot-dev/hotspot/profile"
)

// finish builds the profile of Read.
func (rd *reader) finish() (*profile.Profile, error) {
	if err := rd.noRecords(); err != nil {
		return nil, err
	}
	rd.setMeta(rd.b.Meta())
	return rd.profile(rd.b, rd.cols)
}

func (rd *reader) finishDiff() (before, after *profile.Profile, err error) {
	if err := rd.noRecords(); err != nil {
		return nil, nil, err
	}
	rd.setMeta(rd.b.Meta())
	m2 := rd.b2.Meta()
	*m2 = *rd.b.Meta()
	m2.Comments = append([]string(nil), m2.Comments...)
	m2.Warnings = append([]string(nil), m2.Warnings...)
	if before, err = rd.profile(rd.b, rd.cols); err != nil {
		return nil, nil, err
	}
	if after, err = rd.profile(rd.b2, rd.cols2); err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// noRecords is the error for an input whose every line was skipped.
func (rd *reader) noRecords() error {
	if rd.records == 0 && rd.firstBad != nil {
		e := *rd.firstBad
		form := "stack count"
		if rd.b2 != nil {
			form = "stack before after"
		}
		e.Msg += fmt.Sprintf(" (no line in the input has the form '%s')", form)
		return &e
	}
	return nil
}

func (rd *reader) setMeta(m *profile.Meta) {
	m.Format = "folded"
	if rd.pyspy {
		m.Producer = "py-spy"
	}
	if rd.heaptrack() {
		m.Producer = "heaptrack_print"
	}
}

// heaptrack says whether every stack line ends its stack with a ';', as
// heaptrack_print -F does: its counts are allocations (the default cost
// type), not samples of time.
func (rd *reader) heaptrack() bool {
	return rd.stacks > 0 && rd.semi == rd.stacks && !rd.pyspy && rd.b2 == nil
}

func (rd *reader) profile(b *profile.Builder, cols *columns) (*profile.Profile, error) {
	p := b.Profile()
	cols.merge(p)
	if rd.heaptrack() {
		p.SampleTypes[0].Type = "allocations"
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", rd.name, err)
	}
	return p, nil
}
