package folded

import (
	"fmt"
	"math"

	"github.com/hotspot-dev/hotspot/profile"
)

// pow10 holds 10^0 .. 10^18, every power of ten an int64 can hold.
var pow10 = func() [maxDecimals + 1]int64 {
	var p [maxDecimals + 1]int64
	p[0] = 1
	for i := 1; i <= maxDecimals; i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// columns keeps decimal counts exact without knowing the final scale in
// advance: the input streams, so the first line with three decimals may
// come after a million lines with one. Counts with d decimals are added,
// as integers, to a value column of their own (column 0 for integers), and
// merge rescales and sums the columns once at the end. Integer-only input,
// the common case, never has more than column 0.
type columns struct {
	col   [maxDecimals + 1]int // value-type index per decimal count; 0 = none yet, except for d = 0
	sum   [maxDecimals + 1]int64
	maxD  int
	total int64 // sum of all counts at scale 10^maxD
	n     int   // columns in use
	vals  []int64
}

func newColumns() *columns { return &columns{n: 1, vals: make([]int64, 1, maxDecimals+1)} }

// add returns the values to hand to Builder.Add for c, creating c's column
// when it is the first count with that many decimals. The error message
// (for a SyntaxError on the line) says when the total stops fitting an
// int64 at the scale the profile needs.
func (cs *columns) add(b *profile.Builder, c count) ([]int64, error) {
	d := c.decimals
	idx := cs.col[d]
	if d > 0 && idx == 0 {
		idx = b.AddType(profile.ValueType{Type: fmt.Sprintf("samples/1e-%d", d), Unit: "count"})
		cs.col[d] = idx
		cs.n++
	}
	s := cs.sum[d] + c.mant
	if s < cs.sum[d] {
		return nil, fmt.Errorf("the sum of the counts overflows a 64-bit integer, want a total of at most %d", int64(math.MaxInt64))
	}
	cs.sum[d] = s
	if d > cs.maxD {
		cs.maxD = d
	}
	t, ok := cs.scaledTotal()
	if !ok {
		return nil, fmt.Errorf("the sum of the counts overflows a 64-bit integer at scale 1e-%d (the most decimals in the input), want fewer decimals or smaller counts", cs.maxD)
	}
	cs.total = t
	for len(cs.vals) <= idx {
		cs.vals = append(cs.vals, 0)
	}
	cs.vals = cs.vals[:idx+1]
	for i := range cs.vals {
		cs.vals[i] = 0
	}
	cs.vals[idx] = c.mant
	return cs.vals, nil
}

// scaledTotal sums the columns at scale 10^maxD, reporting overflow. The
// whole total fitting means every node's and sample's value fits too, since
// values are never negative.
func (cs *columns) scaledTotal() (int64, bool) {
	if cs.n == 1 {
		return cs.sum[0], true
	}
	var t int64
	for d := 0; d <= cs.maxD; d++ {
		if cs.sum[d] == 0 {
			continue
		}
		f := pow10[cs.maxD-d]
		if cs.sum[d] > math.MaxInt64/f {
			return 0, false
		}
		v := cs.sum[d] * f
		if t+v < t {
			return 0, false
		}
		t += v
	}
	return t, true
}

// merge folds the decimal columns of a finished profile into value type 0
// with Scale 10^maxD. Costs live in the samples only, so folding their
// values is all it takes; no tree walk is needed.
func (cs *columns) merge(p *profile.Profile) {
	if cs.n == 1 {
		return
	}
	factor := make([]int64, len(p.SampleTypes))
	for d := 0; d <= maxDecimals; d++ {
		if d == 0 || cs.col[d] != 0 {
			factor[cs.col[d]] = pow10[cs.maxD-d]
		}
	}
	fold := func(v []int64) []int64 {
		var t int64
		for i, x := range v {
			t += x * factor[i]
		}
		v[0] = t
		return v[:1:1]
	}
	for i := range p.Samples {
		p.Samples[i].Values = fold(p.Samples[i].Values)
	}
	p.SampleTypes = p.SampleTypes[:1:1]
	p.SampleTypes[0].Scale = pow10[cs.maxD]
}
