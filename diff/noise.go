package diff

import (
	"math"
	"sort"
)

// Noise says how sampling noise is judged for a comparison.
type Noise string

const (
	// Binomial: each side's shares are proportions of its input samples;
	// deltas get a Newcombe–Wilson interval and a Holm-corrected test.
	Binomial Noise = "binomial"
	// Exact: both sides were counted, not sampled (DHAT): any difference
	// is real for these runs.
	Exact Noise = "exact"
	// Unknown: a side carries no sample counts, so noise cannot be judged.
	Unknown Noise = "unknown"
)

// Alpha is the family-wise error rate of the significance tests.
const Alpha = 0.05

const z95 = 1.959963984540054

// wilson is the 95% Wilson score interval of proportion p over n trials.
func wilson(p, n float64) (lo, hi float64) {
	if math.IsInf(n, 1) {
		return p, p
	}
	z2 := z95 * z95
	den := 1 + z2/n
	c := (p + z2/(2*n)) / den
	h := z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, c-h), math.Min(1, c+h)
}

// newcombe is the 95% interval of p2-p1 by Newcombe's method 10 (hybrid
// Wilson score), which stays sensible for shares near 0 and small n.
func newcombe(p1, n1, p2, n2 float64) (lo, hi float64) {
	l1, u1 := wilson(p1, n1)
	l2, u2 := wilson(p2, n2)
	d := p2 - p1
	lo = d - math.Sqrt((p2-l2)*(p2-l2)+(u1-p1)*(u1-p1))
	hi = d + math.Sqrt((u2-p2)*(u2-p2)+(p1-l1)*(p1-l1))
	return lo, hi
}

// pValue is the two-sided p-value of the pooled two-proportion z test.
func pValue(p1, n1, p2, n2 float64) float64 {
	if p1 == p2 {
		return 1
	}
	var se float64
	switch {
	case math.IsInf(n1, 1) && math.IsInf(n2, 1):
		return 0
	case math.IsInf(n1, 1):
		se = math.Sqrt(p2 * (1 - p2) / n2)
	case math.IsInf(n2, 1):
		se = math.Sqrt(p1 * (1 - p1) / n1)
	default:
		pp := (p1*n1 + p2*n2) / (n1 + n2)
		se = math.Sqrt(pp * (1 - pp) * (1/n1 + 1/n2))
	}
	if se == 0 {
		return 0
	}
	z := math.Abs(p2-p1) / se
	return math.Erfc(z / math.Sqrt2)
}

// holm marks which of the p-values survive Holm's step-down correction at
// Alpha, for a family of m tests (m may exceed len(ps): untested members
// of the family, such as functions with no cost on either side, count).
func holm(ps []float64, m int) []bool {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	out := make([]bool, len(ps))
	for rank, i := range idx {
		if ps[i] > Alpha/float64(m-rank) {
			break
		}
		out[i] = true
	}
	return out
}
