package views

import (
	"cmp"
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// Top is the flat/cumulative table.
type Top struct {
	SampleType profile.ValueType `json:"-"`
	Total      int64             `json:"total"`
	// Rows are sorted by Flat (Cum with ByCum) descending, then by name,
	// file and line; at most N of them.
	Rows []TopRow `json:"rows"`
	// Shown is how many units had a non-zero cost before the cut to N.
	Shown int `json:"functions"`
}

// TopRow is one function (or line) of Top.
type TopRow struct {
	Func
	Flat      int64   `json:"flat"`
	FlatShare float64 `json:"flat_share"`
	Cum       int64   `json:"cum"`
	CumShare  float64 `json:"cum_share"`
	// SumShare is the running sum of FlatShare down the table (pprof's sum%).
	SumShare float64 `json:"sum_share"`
}

// TopOptions add the ordering and the cut to Options.
type TopOptions struct {
	Options
	ByCum bool
	N     int // rows to keep; 0 keeps all
}

// ComputeTop builds the top table. Flat cost goes to the innermost kept
// frame of each stack, cumulative cost to every distinct unit on it (a
// recursive function counts once per stack).
func ComputeTop(p *profile.Profile, opt TopOptions) *Top {
	vi := valueIndex(p, opt.Value)
	t := &Top{}
	if vi >= 0 && vi < len(p.SampleTypes) {
		t.SampleType = p.SampleTypes[vi]
	}
	self := leafValues(p, vi)
	k := newKeyer(p, opt.Options)
	var flat, cum []int64
	var seen []profile.NodeID
	var buf []int32
	for n, v := range self {
		if v == 0 {
			continue
		}
		t.Total += v
		buf = k.stack(profile.NodeID(n), buf)
		if len(buf) == 0 {
			continue
		}
		for len(flat) < len(k.funcs) {
			flat, cum, seen = append(flat, 0), append(cum, 0), append(seen, -1)
		}
		flat[buf[len(buf)-1]] += v
		for _, key := range buf {
			if seen[key] != profile.NodeID(n) {
				seen[key] = profile.NodeID(n)
				cum[key] += v
			}
		}
	}
	for i, fn := range k.funcs[:len(flat)] {
		if flat[i] == 0 && cum[i] == 0 {
			continue
		}
		t.Rows = append(t.Rows, TopRow{Func: fn, Flat: flat[i], Cum: cum[i], FlatShare: share(flat[i], t.Total), CumShare: share(cum[i], t.Total)})
	}
	slices.SortFunc(t.Rows, func(a, b TopRow) int {
		x, y := a.Flat, b.Flat
		if opt.ByCum {
			x, y = a.Cum, b.Cum
		}
		if c := cmp.Compare(y, x); c != 0 {
			return c
		}
		return compareFunc(a.Func, b.Func)
	})
	t.Shown = len(t.Rows)
	if opt.N > 0 && len(t.Rows) > opt.N {
		t.Rows = t.Rows[:opt.N]
	}
	var sum float64
	for i := range t.Rows {
		sum += t.Rows[i].FlatShare
		t.Rows[i].SumShare = sum
	}
	return t
}

func compareFunc(a, b Func) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
}
