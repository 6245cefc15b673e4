package massif_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/massif"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hdr = "desc: --stacks=yes\ncmd: ./prog\ntime_unit: i\n"

func snap(n, heap, extra, stacks, tree string) string {
	return "#-----------\nsnapshot=" + n + "\n#-----------\ntime=10\nmem_heap_B=" + heap + "\nmem_heap_extra_B=" + extra + "\nmem_stacks_B=" + stacks + "\nheap_tree=" + tree + "\n"
}

const tree = `n2: 100 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n2: 90 0x10: make (a.c:3)
  n0: 60 0x20: main (a.c:9)
  n0: 20 in 3 places, all below massif's threshold (1.00%)
 n0: 10 in 1 place, below massif's threshold (1.00%)
`

func read(t *testing.T, in string) (*profile.Profile, error) {
	t.Helper()
	return massif.Read(strings.NewReader(in), "m.out", profile.ReadOptions{})
}

func TestTree(t *testing.T) {
	in := hdr + snap("0", "0", "0", "0", "empty") + snap("1", "100", "8", "16", "peak") + tree + snap("2", "40", "0", "0", "detailed") + "n1: 40 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n n0: 40 0x10: make (a.c:3)\n"
	p, err := read(t, in)
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	assert.Equal(t, []profile.ValueType{{Type: "peak", Unit: "bytes"}, {Type: "snapshot_2", Unit: "bytes"}}, p.SampleTypes)
	assert.Equal(t, 0, p.DefaultType)
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: 0}))
	// make's 90 bytes: 60 from main, 20 from callers each below the
	// threshold, 10 its own (depth cut); plus extra-heap and stacks.
	assert.Equal(t, "(extra-heap: allocator overhead) 8\n(stacks) 16\nin 1 place, below massif's threshold (1.00%) 10\nin 3 places, all below massif's threshold (1.00%);make 20\nmain;make 60\nmake 10\n", buf.String())
	buf.Reset()
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: 1}))
	assert.Equal(t, "make 40\n", buf.String())
	assert.Equal(t, "1", p.Meta.Attr("peak_snapshot"))
	assert.Equal(t, "124", p.Meta.Attr("max_total_bytes"))
}

func TestErrors(t *testing.T) {
	peak := hdr + snap("1", "100", "0", "0", "peak")
	tests := []struct{ name, in, want string }{
		{"cut in the tree", peak + "n2: 100 (heap allocation functions) x\n n0: 90 0x10: make (a.c:3)\n", "m.out:13: snapshot 1: the heap tree ends early: node at line 12 wants 1 more children"},
		{"cut before the tree line", hdr + "#-----------\nsnapshot=1\n#-----------\ntime=10\nmem_heap_B=1", "m.out:5: snapshot 1 has no heap_tree line: the file is cut or corrupt"},
		{"root disagrees", peak + "n0: 99 (heap allocation functions) x\n", "m.out:12: snapshot 1: the tree's root has 99 bytes, mem_heap_B says 100"},
		{"children exceed", peak + "n1: 100 (heap allocation functions) x\n n0: 101 0x10: make (a.c:3)\n", "m.out:13: snapshot 1: children of the node at line 12 hold 101 bytes, more than its 100"},
		{"bad indent", peak + "n1: 100 (heap allocation functions) x\n   n0: 100 0x10: make (a.c:3)\n", "m.out:13: snapshot 1: tree line at depth 3, want depth 1 (the indent is one space per level)"},
		{"bad number", hdr + "#-----------\nsnapshot=x\n", "m.out:5: snapshot=\"x\" is not a non-negative integer"},
		{"huge count", hdr + snap("1", "99999999999999999999", "0", "0", "empty"), "m.out:8: mem_heap_B=\"99999999999999999999\" is not a non-negative integer"},
		{"bad tree kind", hdr + snap("1", "1", "0", "0", "full"), "m.out:11: snapshot 1: heap_tree=\"full\" (want empty, detailed or peak)"},
		{"bad label", peak + "n1: 100 (heap allocation functions) x\n n0: 100 make\n", "m.out:13: snapshot 1: want a node label '0xADDR: function (file:line)' or a below-threshold aggregate, got \"make\""},
		{"bad tree line", peak + "x1: 100 y\n", "m.out:12: snapshot 1: want a heap tree line '<indent>n<children>: <bytes> <label>', got \"x1: 100 y\""},
		{"two peaks", peak + "n0: 100 (heap allocation functions) x\n" + snap("2", "0", "0", "0", "peak"), "m.out:20: snapshot 2: a second heap_tree=peak (snapshot 1 was the first)"},
		{"no header", "#-----------\nsnapshot=1\n", "m.out:2: snapshot before the header's 'time_unit:' line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(t, tc.in)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestDeepTree(t *testing.T) {
	var b strings.Builder
	b.WriteString(hdr + snap("1", "8", "0", "0", "peak") + "n1: 8 (heap allocation functions) x\n")
	for d := 1; d <= 40; d++ {
		k := "1"
		if d == 40 {
			k = "0"
		}
		b.WriteString(strings.Repeat(" ", d) + "n" + k + ": 8 0x10: f (a.c:1)\n")
	}
	_, err := massif.Read(strings.NewReader(b.String()), "m.out", profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 10}})
	require.ErrorIs(t, err, profile.ErrLimit)
}
