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
	periodCounts(p)
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", rd.name, err)
	}
	return p, nil
}

// minPeriod and minPeriodLines decide when a folded file's counts are
// weights: every count a multiple of one unit of at least minPeriod, over
// at least minPeriodLines stacks. Sample counts (py-spy raw, a collapsed
// recording of period-less events) share no such factor; summed sampling
// periods do (stackcollapse-perf, inferno and hotspot convert write each
// stack's summed period: 2,004,008 ns a sample at 499 Hz).
const (
	minPeriod      = 1000
	minPeriodLines = 8
)

// minWeightLines is how many stacks a folded file must have, every one
// counted minPeriod or more, before its counts are read as weights with
// no common unit: sample counts are heavy-tailed, and among this many
// distinct stacks some are seen once or a few times.
const minWeightLines = 64

// weightsWithoutCounts reads a folded file whose every count is large
// (at least minPeriod, over minWeightLines stacks or more) but shares no
// unit as weights (summed cycles or times, as perf's frequency mode
// gives) that say nothing of how many samples they hold: the samples'
// counts become 0, so that no interval claims a precision the file does
// not have. A note says so.
func weightsWithoutCounts(p *profile.Profile, least int64) {
	if len(p.Samples) < minWeightLines || least < minPeriod {
		return
	}
	for i := range p.Samples {
		p.Samples[i].Count = 0
	}
	if len(p.SampleTypes) == 1 && p.SampleTypes[0].Type == "samples" {
		p.SampleTypes[0].Type = "weight"
	}
	p.Meta.Warnings = append(p.Meta.Warnings, fmt.Sprintf("every one of the %d stacks counts %d or more, with no common unit: read as weights (sample type weight: summed periods or times, as perf's frequency mode gives), not sample counts; how many samples they hold is not in the file, so no interval is given", len(p.Samples), least))
}

// periodCounts reads a folded file whose counts are all multiples of one
// large unit as weights of that many samples each: the values stay as
// written (shares and round trips are unchanged), the samples' counts
// become value/unit, so that intervals and "N of M samples" count samples,
// not nanoseconds. A note says so.
func periodCounts(p *profile.Profile) {
	if len(p.Samples) < minPeriodLines {
		return
	}
	var g int64
	least := p.Samples[0].Count
	for i := range p.Samples {
		g = profile.GCD(g, p.Samples[i].Count)
		least = min(least, p.Samples[i].Count)
	}
	if g < minPeriod {
		weightsWithoutCounts(p, least)
		return
	}
	var n int64
	for i := range p.Samples {
		p.Samples[i].Count /= g
		n += p.Samples[i].Count
	}
	if len(p.SampleTypes) == 1 && p.SampleTypes[0].Type == "samples" {
		p.SampleTypes[0].Type = "weight" // the values are not sample counts
	}
	p.Meta.Warnings = append(p.Meta.Warnings, fmt.Sprintf("every count is a multiple of %d: read as weights (sample type weight), %d samples of %d each: a sampling period, as stackcollapse-perf, inferno and hotspot convert write a perf recording; intervals count the samples", g, n, g))
}
