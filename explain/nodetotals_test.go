package explain

import (
	"math"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/stretchr/testify/assert"
)

// TestNodeTotalsWidth: values that share a unit and sum to under 2^32
// units take 4 bytes a node; a negative value (a difference profile) or a
// total past 2^32 units takes 8; either way the totals read the same.
func TestNodeTotalsWidth(t *testing.T) {
	// root 0; 1 under root; 2 and 3 under 1.
	nodes := []profile.Node{{}, {Parent: 0}, {Parent: 1}, {Parent: 1}}
	cases := []struct {
		name  string
		vals  []int64 // at nodes 2, 3, 1
		small bool
		unit  int64
	}{
		{"period multiples", []int64{10_000_000, 30_000_000, 20_000_000}, true, 10_000_000},
		{"unit by gcd", []int64{6, 9, 15}, true, 3},
		{"negative", []int64{10, -30, 20}, false, 0},
		{"too many units", []int64{1, math.MaxUint32, 2}, false, 0},
	}
	for _, c := range cases {
		var total int64
		for _, v := range c.vals {
			total += v
		}
		nt := newNodeTotals(len(nodes), c.vals, total)
		assert.Equal(t, c.small, nt.small != nil, c.name)
		assert.Equal(t, c.unit, nt.unit, c.name)
		nt.add(2, c.vals[0])
		nt.add(3, c.vals[1])
		nt.add(1, c.vals[2])
		nt.sumUp(nodes)
		assert.Equal(t, c.vals[0], nt.at(2), c.name)
		assert.Equal(t, c.vals[1], nt.at(3), c.name)
		assert.Equal(t, total, nt.at(1), c.name)
		assert.Equal(t, total, nt.at(0), c.name)
	}
}
