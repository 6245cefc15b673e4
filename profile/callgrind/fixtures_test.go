package callgrind_test

import (
	"os"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/callgrind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readPath(t *testing.T, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := callgrind.Read(f, path, profile.ReadOptions{})
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	return p
}

func frameID(t *testing.T, p *profile.Profile, name string) profile.FrameID {
	t.Helper()
	for i, f := range p.Frames {
		if f.Name == name {
			return profile.FrameID(i)
		}
	}
	t.Fatalf("no function %q", name)
	return 0
}

// edgeCalls is the calls of caller -> callee, 0 without such an edge.
func edgeCalls(t *testing.T, p *profile.Profile, caller, callee string) int64 {
	t.Helper()
	from := frameID(t, p, caller)
	for _, e := range p.Graph.Callers(frameID(t, p, callee)) {
		if e.Caller == from {
			return e.Calls
		}
	}
	return 0
}

func selfShare(t *testing.T, p *profile.Profile, name string) float64 {
	return float64(p.Graph.Func(frameID(t, p, name)).Self[0]) / float64(p.Total(0))
}

// checkTotal: the derived stacks and the graph's self costs both sum to
// the total callgrind reports.
func checkTotal(t *testing.T, p *profile.Profile, ir int64) {
	t.Helper()
	assert.Equal(t, "Ir", p.SampleTypes[0].Type)
	assert.Equal(t, ir, p.Total(0))
	var self int64
	for _, f := range p.Graph.Funcs {
		self += f.Self[0]
	}
	assert.Equal(t, ir, self)
	assert.Contains(t, p.Meta.Approximations, profile.DeriveNote)
}

// Expected values below are the manifest's (callgrind's summary:/totals:
// lines and callgrind_annotate's shares).
func TestSharedCmalloc(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/callgrind/cmalloc.callgrind.out"))
	checkTotal(t, p, 370598834)
	assert.Equal(t, "370598834", p.Meta.Attr("summary"))
	assert.Empty(t, p.Meta.Warnings)
	assert.InDelta(t, 0.25, selfShare(t, p, "__vfprintf_internal"), 0.005)
	assert.InDelta(t, 0.11, selfShare(t, p, "_int_malloc"), 0.005)
	assert.InDelta(t, 0.10, selfShare(t, p, "_int_free"), 0.005)
	// calls=1, calls=49 and calls=99950 from main line 80, summed.
	assert.Equal(t, int64(1+49+99950), edgeCalls(t, p, "main", "table_insert"))
}

func TestSharedInstrCache(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/callgrind/cmalloc-instr-cache.callgrind.out"))
	var names []string
	for _, vt := range p.SampleTypes {
		names = append(names, vt.Type)
	}
	assert.Equal(t, "Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim calls", strings.Join(names, " "))
	checkTotal(t, p, 37450648) // the totals: line; summary: says 37450650
	assert.Equal(t, int64(1387), p.Total(p.TypeIndex("I1mr")))
	assert.Equal(t, int64(1364), p.Total(p.TypeIndex("ILmr")))
	require.Len(t, p.Meta.Warnings, 1)
	assert.Contains(t, p.Meta.Warnings[0], "the summary: line differs from the sum of the cost lines (which hotspot uses): Ir 37450650, not 37450648; I1mr 1388, not 1387; ILmr 1365, not 1364")
}

func TestSharedPythonHotLoop(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/callgrind/py311-hot-loop.callgrind.out"))
	checkTotal(t, p, 540094125)
	rec := map[string]bool{}
	for _, f := range p.Frames {
		if f.Display != f.Name {
			rec[f.Name] = true
			assert.Regexp(t, `'[0-9]+$`, f.Name)
		}
	}
	assert.Len(t, rec, 150, "names with a recursion suffix")
	// The eval loop calls itself through C: the derivation says so.
	assert.Contains(t, strings.Join(p.Meta.Approximations, "\n"), "functions lie on call cycles")
	assert.Equal(t, "_PyEval_EvalFrameDefault", p.Frames[frameID(t, p, "_PyEval_EvalFrameDefault'2")].Display)
}

func TestSharedRpds(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/callgrind/py311-rpds-per-item.callgrind.out"))
	checkTotal(t, p, 202789768)
	frameID(t, p, "rpds::map::hash_trie_map::Node<K,V,P>::insert")
}

// The repository's fanout recordings (fixtures/record-graph.sh); call
// counts are the program's own (workloads/graph/fanout.c), the total is
// callgrind's totals: line.
func TestFanout(t *testing.T) {
	for _, file := range []string{"callgrind/fanout.callgrind.out", "callgrind/fanout-instr-cache.callgrind.out"} {
		t.Run(file, func(t *testing.T) {
			p := readPath(t, testutil.Fixture(t, file))
			checkTotal(t, p, 1372476)
			assert.Equal(t, int64(100000), edgeCalls(t, p, "main", "leaf"))
			assert.Equal(t, int64(1000), edgeCalls(t, p, "main", "mid"))
			assert.Equal(t, int64(10000), edgeCalls(t, p, "mid", "leaf"), "two calls= records of the same pair, summed")
			assert.Equal(t, int64(50), edgeCalls(t, p, "main", "rec"))
			assert.Equal(t, int64(50), edgeCalls(t, p, "rec", "rec'2"))
			assert.Equal(t, int64(950), edgeCalls(t, p, "rec'2", "rec'2"), "recursion levels 2 to 20")
			leaf := p.Graph.Func(frameID(t, p, "leaf"))
			assert.Equal(t, int64(100000+10000+50), leaf.Calls)
			assert.Equal(t, int64(100000+10000+50), leaf.Self[len(leaf.Self)-1], "the calls value type")
			assert.Zero(t, p.Graph.CycleFuncs(), "rec recurses into itself only")
			main := p.Graph.Func(frameID(t, p, "main"))
			assert.Greater(t, main.Inclusive[0], main.Self[0])
		})
	}
}
