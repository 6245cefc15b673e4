package explain

import (
	"math"

	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"github.com/hotspot-dev/hotspot/profile"
)

// nodeTotals holds, per call-tree node, the active value of the samples
// whose leaf is in its subtree. A million-sample pprof has 14M nodes, so
// the width counts: where every sample value is a multiple of one unit
// (a CPU profile's sampling period, a folded file's counts) and the whole
// profile's total fits 32 bits of units, the totals are kept in units in
// 4 bytes a node, else in 8.
type nodeTotals struct {
	unit  int64
	small []uint32 // totals / unit
	large []int64  // when the totals do not fit small
}

// newNodeTotals sizes the totals for n nodes and sample values vals,
// which sum to total.
func newNodeTotals(n int, vals []int64, total int64) nodeTotals {
	var unit int64
	for _, v := range vals {
		if v < 0 {
			unit = 0 // a difference profile: no common unit, keep 8 bytes
			break
		}
		if v > 0 && (unit == 0 || v%unit != 0) {
			unit = profile.GCD(unit, v)
		}
	}
	if unit > 0 && total/unit <= math.MaxUint32 {
		return nodeTotals{unit: unit, small: bigmem.Written[uint32](n)}
	}
	return nodeTotals{large: bigmem.Written[int64](n)}
}

// at is node n's total.
func (t *nodeTotals) at(n profile.NodeID) int64 {
	if t.small != nil {
		return int64(t.small[n]) * t.unit
	}
	return t.large[n]
}

// add adds a sample's value v to the node it ends at.
func (t *nodeTotals) add(n profile.NodeID, v int64) {
	if t.small != nil {
		t.small[n] += uint32(v / t.unit)
		return
	}
	t.large[n] += v
}

// sumUp adds every node's total to its parent's, children first: nodes
// come after their parents.
func (t *nodeTotals) sumUp(nodes []profile.Node) {
	if t.small != nil {
		for n := len(nodes) - 1; n > 0; n-- {
			t.small[nodes[n].Parent] += t.small[n]
		}
		return
	}
	for n := len(nodes) - 1; n > 0; n-- {
		t.large[nodes[n].Parent] += t.large[n]
	}
}
