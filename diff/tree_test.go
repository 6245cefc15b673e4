package diff_test

import (
	"testing"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/stretchr/testify/assert"
)

func TestAlign(t *testing.T) {
	b, a := load(t, "planted/python/crunch.perf.txt")[0].Profile, load(t, "diff/crunch-native.perf.txt")[0].Profile
	bv, av := b.DefaultType, a.DefaultType
	tr := diff.Align(b, bv, a, av, diff.NameOptions{})
	root := tr.Nodes[0]
	assert.Equal(t, b.Total(bv), root.BeforeTotal)
	assert.Equal(t, a.Total(av), root.AfterTotal)
	var sb, sa, cSelf int64
	for i, n := range tr.Nodes {
		sb += n.BeforeSelf
		sa += n.AfterSelf
		if n.Key.Name == "pairwise_energy" && n.Key.Place == "libcrunch.so" {
			cSelf += n.AfterSelf
			assert.Zero(t, n.BeforeTotal, "node %d exists only after", i)
		}
		var kids int64
		for _, c := range n.Children {
			assert.Equal(t, int32(i), tr.Nodes[c].Parent)
			kids += tr.Nodes[c].BeforeTotal
		}
		assert.Equal(t, n.BeforeTotal, n.BeforeSelf+kids)
	}
	assert.Equal(t, root.BeforeTotal, sb)
	assert.Equal(t, root.AfterTotal, sa)
	// MANIFEST: 384 of 402 samples have the C pairwise_energy as leaf.
	assert.InDelta(t, 384.0/402, float64(cSelf)/float64(root.AfterTotal), 0.002)
}
