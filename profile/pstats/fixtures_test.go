package pstats_test

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/pstats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readPath(t *testing.T, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := pstats.Read(f, path, profile.ReadOptions{})
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	return p
}

// fn finds the graph entry of the function pstats prints as
// file:line(name).
func fn(t *testing.T, p *profile.Profile, file string, line int64, name string) *profile.GraphFunc {
	t.Helper()
	for i, f := range p.Frames {
		if f.File == file && f.Line == line && f.Name == name {
			g := p.Graph.Func(profile.FrameID(i))
			require.NotNil(t, g)
			return g
		}
	}
	t.Fatalf("no function %s:%d(%s)", file, line, name)
	return nil
}

func frameID(t *testing.T, p *profile.Profile, name string) profile.FrameID {
	t.Helper()
	for i, f := range p.Frames {
		if f.Name == name {
			return profile.FrameID(i)
		}
	}
	t.Fatalf("no frame %q", name)
	return 0
}

// checkTotals compares with print_stats' header line "N function calls
// (M primitive calls) in T seconds": the attributes, the calls value
// type's total and the time total rounded as print_stats rounds it.
func checkTotals(t *testing.T, p *profile.Profile, calls, prim int64, seconds string) {
	t.Helper()
	assert.Equal(t, fmt.Sprint(calls), p.Meta.Attr("function_calls"))
	assert.Equal(t, fmt.Sprint(prim), p.Meta.Attr("primitive_calls"))
	assert.Equal(t, seconds, p.Meta.Attr("total_seconds"))
	assert.Equal(t, calls, p.Total(p.TypeIndex(profile.CallsType)), "the derived stacks carry every call")
	assert.Equal(t, seconds, fmt.Sprintf("%.3f", float64(p.Total(0))/1e9), "the derived stacks carry all the time")
	var self int64
	for _, f := range p.Graph.Funcs {
		self += f.Self[0]
	}
	assert.Equal(t, p.Total(0), self)
	assert.Contains(t, p.Meta.Approximations, profile.DeriveNote)
}

// The shared recordings; expected values are the manifest's (print_stats
// output of the Python that wrote each file).
func TestSharedHotLoop(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/pstats/py312-hot-loop.pstats"))
	checkTotals(t, p, 33510, 18012, "0.327")
	fibID := frameID(t, p, "fib")
	g := p.Graph.Func(fibID)
	assert.Equal(t, int64(15501), g.Calls)
	assert.Equal(t, int64(3), g.PrimitiveCalls)
	callers := map[string]int64{}
	for _, e := range p.Graph.Callers(fibID) {
		callers[p.Frames[e.Caller].Name] = e.Calls
	}
	assert.Equal(t, map[string]int64{"main": 3, "fib": 15498}, callers)
	collatz := p.Graph.Func(frameID(t, p, "collatz_len"))
	assert.Equal(t, int64(17997), collatz.Calls)
	share := float64(collatz.Self[0]) / float64(p.Total(0))
	assert.InDelta(t, 0.83, share, 0.005, "collatz_len's tottime share")
}

func TestSharedJSONRounds(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/pstats/py313-json-rounds.pstats"))
	checkTotals(t, p, 309353, 309184, "0.410")
	for _, f := range p.Frames {
		assert.NotContains(t, f.Name, " at 0x", "3.12+ repr addresses are cut from names")
	}
}

func TestSharedThreadsGIL(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/pstats/py311-threads-gil.pstats"))
	checkTotals(t, p, 197, 197, "0.124")
	acq := p.Graph.Func(frameID(t, p, "<method 'acquire' of '_thread.lock' objects>"))
	assert.InDelta(t, 0.99, float64(acq.Self[0])/float64(p.Total(0)), 0.005, "99%% of tottime")
	assert.Equal(t, "_thread.lock.acquire", p.Frames[acq.Frame].Display)
}

func TestSharedRpdsPerItem(t *testing.T) {
	p := readPath(t, testutil.Shared(t, "fixtures/pstats/py311-rpds-per-item.pstats"))
	checkTotals(t, p, 63140, 63069, "0.116")
	ins := p.Graph.Func(frameID(t, p, "<method 'insert' of 'rpds.HashTrieMap' objects>"))
	assert.Equal(t, int64(15000), ins.Calls)
	assert.InDelta(t, 0.29, float64(ins.Self[0])/float64(p.Total(0)), 0.005)
}

// The repository's own recordings (fixtures/record-graph.sh); expected
// values are print_stats' output as fixtures/MANIFEST.md gives it.
func TestPerItem(t *testing.T) {
	p := readPath(t, testutil.Fixture(t, "pstats/per-item.pstats"))
	checkTotals(t, p, 400010, 400010, "0.100")
	assert.Equal(t, "cProfile", p.Meta.Producer)
	assert.Equal(t, "wall", p.SampleTypes[0].Type)
	norm := fn(t, p, "per_item.py", 7, "normalize")
	assert.Equal(t, int64(100000), norm.Calls)
	assert.Equal(t, "0.023", fmt.Sprintf("%.3f", float64(norm.Self[0])/1e9))
	assert.Equal(t, "0.045", fmt.Sprintf("%.3f", float64(norm.Inclusive[0])/1e9))
	cw := fn(t, p, "per_item.py", 11, "count_words")
	assert.Equal(t, "0.079", fmt.Sprintf("%.3f", float64(cw.Inclusive[0])/1e9))
	// normalize has one caller, so its derived stacks all end ...;count_words;normalize.
	self, _ := p.NodeValues(0)
	var under int64
	for n := range p.Nodes {
		if p.FrameOf(profile.NodeID(n)).Name == "normalize" {
			st := p.Stack(profile.NodeID(n))
			assert.Equal(t, "count_words", p.Frames[st[len(st)-2]].Name)
			under += self[n]
		}
	}
	assert.Equal(t, norm.Self[0], under)
}

func TestProfileModule(t *testing.T) {
	for _, tc := range []struct {
		file    string
		seconds string
		tt, ct  string
	}{
		{"pstats/per-item-py311-profile.pstats", "0.138", "0.049", "0.080"},
		{"pstats/per-item-py39-profile.pstats", "0.150", "0.053", "0.087"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := readPath(t, testutil.Fixture(t, tc.file))
			checkTotals(t, p, 80012, 80012, tc.seconds)
			assert.Equal(t, "profile", p.Meta.Producer)
			assert.Equal(t, "cpu", p.SampleTypes[0].Type)
			norm := fn(t, p, "per_item.py", 7, "normalize")
			assert.Equal(t, int64(20000), norm.Calls)
			assert.Equal(t, tc.tt, fmt.Sprintf("%.3f", float64(norm.Self[0])/1e9))
			assert.Equal(t, tc.ct, fmt.Sprintf("%.3f", float64(norm.Inclusive[0])/1e9))
			get := p.Graph.Func(frameID(t, p, "get")) // pstats prints :0(get)
			assert.Equal(t, int64(20000), get.Calls)
			// The root's key holds a code object: it is named from it.
			root := false
			for _, f := range p.Frames {
				root = root || f.File == "profile" && f.Name == "<module> (per_item.py)"
			}
			assert.True(t, root)
			assert.False(t, math.IsNaN(float64(p.Total(0))))
		})
	}
}
