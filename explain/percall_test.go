package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// gfunc is one function of a hand-written call graph: cost in
// nanoseconds (self, inclusive) and calls. A name with ".py" after a colon
// is a Python function, anything else a builtin.
type gfunc struct {
	name        string
	self, incl  int64
	calls       int64
	native, cpy bool
}

// gedge is caller→callee with the callee's inclusive cost from that
// caller and the calls on the edge.
type gedge struct {
	caller, callee string
	incl, calls    int64
}

func graphExplain(t *testing.T, funcs []gfunc, edges []gedge) *Report {
	t.Helper()
	b := profile.NewBuilder("g.pstats", []profile.ValueType{{Type: "wall", Unit: "nanoseconds"}, {Type: profile.CallsType, Unit: "count"}}, profile.Limits{})
	m := b.Meta()
	m.Format, m.Producer, m.Recording = "pstats", "cProfile", RecWall
	ids := map[string]profile.FrameID{}
	g := &profile.Graph{}
	for _, f := range funcs {
		fr := profile.Frame{Name: f.name, File: "app.py", Line: 1, Kind: profile.KindPython}
		if f.native {
			fr = profile.Frame{Name: f.name, Kind: profile.KindNative}
		}
		id, err := b.Frame(fr)
		require.NoError(t, err)
		ids[f.name] = id
		g.Funcs = append(g.Funcs, profile.GraphFunc{Frame: id, Self: []int64{f.self, f.calls}, Inclusive: []int64{f.incl, f.calls}, Calls: f.calls, PrimitiveCalls: f.calls})
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, profile.GraphEdge{Caller: ids[e.caller], Callee: ids[e.callee], Calls: e.calls, Inclusive: []int64{e.incl, e.calls}})
	}
	g.Sort()
	require.NoError(t, profile.DeriveStacks(b, g, 0))
	p := b.Profile()
	require.NoError(t, p.Validate())
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(p, cat, Options{Value: -1})
	require.NoError(t, err)
	return r
}

// TestPerItemNativeCalls: loop() is called once and calls the builtin
// score 1,000,000 times at 400 ns each (400 ms), its own loop 100 ms, out
// of a 600 ms run: the calls and the loop (500 ms, 83.3%) are a
// crossing per item.
func TestPerItemNativeCalls(t *testing.T) {
	r := graphExplain(t,
		[]gfunc{{name: "main", self: 100e6, incl: 600e6, calls: 1}, {name: "loop", self: 100e6, incl: 500e6, calls: 1}, {name: "score", self: 400e6, incl: 400e6, calls: 1_000_000, native: true}},
		[]gedge{{"main", "loop", 500e6, 1}, {"loop", "score", 400e6, 1_000_000}})
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "batch-ffi-calls", f.Hint)
	assert.InDelta(t, 500.0/600, f.ClaimedShare, 1e-9)
	assert.Contains(t, f.Evidence, "loop (called once) calls score 1,000,000 times, 400 ns each")
	assert.Contains(t, f.Evidence, "the loop around those calls, is 100 ms")
	assert.Equal(t, []string{"loop", "score"}, f.Functions)
}

// TestPerItemPythonCalls: the per-item callee is a Python function doing
// its own work (no native calls): the hot-loop finding, worded by calls.
func TestPerItemPythonCalls(t *testing.T) {
	r := graphExplain(t,
		[]gfunc{{name: "main", self: 10e6, incl: 310e6, calls: 1}, {name: "loop", self: 100e6, incl: 300e6, calls: 2}, {name: "norm", self: 200e6, incl: 200e6, calls: 200_000}},
		[]gedge{{"main", "loop", 300e6, 2}, {"loop", "norm", 200e6, 200_000}})
	f := findingOf(r, "move-hot-loop-native")
	require.NotNil(t, f, "findings: %v", r.Findings)
	assert.Nil(t, findingOf(r, "batch-ffi-calls"))
	assert.InDelta(t, 300.0/310, f.ClaimedShare, 1e-9)
	assert.Contains(t, f.Evidence, "loop (called 2 times) calls norm 200,000 times, 1.00 µs each")
}

// TestPerItemControls: calls that are not per item raise no per-item
// finding: 50 calls per call of the caller (not a loop over items), and
// 1,000,000 calls of 20 µs each (the work, not the call, is the cost).
func TestPerItemControls(t *testing.T) {
	few := graphExplain(t,
		[]gfunc{{name: "main", self: 10e6, incl: 110e6, calls: 1}, {name: "step", self: 50e6, incl: 100e6, calls: 100}, {name: "score", self: 50e6, incl: 50e6, calls: 5000, native: true}},
		[]gedge{{"main", "step", 100e6, 100}, {"step", "score", 50e6, 5000}})
	assert.Nil(t, findingOf(few, "batch-ffi-calls"))
	heavy := graphExplain(t,
		[]gfunc{{name: "main", self: 1e9, incl: 21e9, calls: 1}, {name: "solve", self: 20e9, incl: 20e9, calls: 1_000_000, native: true}},
		[]gedge{{"main", "solve", 20e9, 1_000_000}})
	assert.Nil(t, findingOf(heavy, "batch-ffi-calls"))
	for _, f := range heavy.Findings {
		assert.False(t, strings.Contains(f.Evidence, "once per item"), f.Hint)
	}
}

// TestPerItemPstatsFixture: the planted per-item recording. The call
// counts and times are pstats.Stats' print_callers/print_stats for the
// file: count_words (1 call) → normalize 100000 calls (cumtime 0.045 s),
// → dict.get 100000 calls (0.011 s); count_words tottime 0.024 s.
func TestPerItemPstatsFixture(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	p := load(t, "../fixtures/pstats/per-item.pstats")
	r, err := Explain(p, cat, Options{Value: -1})
	require.NoError(t, err)
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "batch-ffi-calls", f.Hint)
	assert.Contains(t, f.Evidence, "count_words (called once) calls normalize 100,000 times, 4")
	assert.Contains(t, f.Evidence, "dict.get 100,000 times, 1")
	assert.Regexp(t, `the loop around those calls, is 2[34]\.\d ms`, f.Evidence)
}

// TestPerItemGeneratorRunByBuiltin: a generator expression consumed by
// sum() is resumed once per item it yields, and cProfile counts each
// resumption as a call of it, so its own count is no loop count: the loop
// is sum's. pstats.Stats of the file: <genexpr> (letters.py:26) 168,012
// calls, all from builtins.sum, which count_letters calls 12 times; it
// calls unicodedata.category 239,988 times (0.0308 s in all); the other
// generator expression (letters.py:20) is run by str.join (44 calls) and
// calls builtins.len 48,000 times.
func TestPerItemGeneratorRunByBuiltin(t *testing.T) {
	r := explainFile(t, "../fixtures/pstats/letters-per-item.pstats")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "batch-ffi-calls", f.Hint)
	assert.Contains(t, f.Evidence, "<genexpr> at letters.py:26 (run by builtins.sum, called 12 times) calls unicodedata.category 239,988 times, 12")
	assert.Contains(t, f.Evidence, "<genexpr> at letters.py:20 (run by str.join, called 44 times) calls builtins.len 48,000 times")
}

// TestPerItemBatchLoopControl: a loop making one larger call per round
// (zlib.compress, 20,000 calls, 0.6345 s) and cheap calls beside it
// (time.perf_counter 40,000, max 20,000, len 20,000: 13.7 ms with the
// loop's own 20.5 ms, 5% of the run) calls them once per round, not once
// per item: no per-item finding.
func TestPerItemBatchLoopControl(t *testing.T) {
	r := explainFile(t, "../fixtures/pstats/letters-batched.pstats")
	for _, f := range r.Findings {
		assert.NotContains(t, f.Evidence, "once per item", f.Hint)
		assert.NotEqual(t, "batch-ffi-calls", f.Hint)
	}
}

// TestPerItemInsideTheLibrary: statistics.mean, called 20 times from
// main, spends its time in its own loop (pstats.Stats of the file:
// statistics.py:154(_sum) 20 calls, calling _exact_ratio 400,000 times
// and dict.get 400,000 times). That loop is the standard library's: the
// program cannot batch dict.get inside it, so no per-item finding
// advises it to.
func TestPerItemInsideTheLibrary(t *testing.T) {
	r := explainFile(t, "../fixtures/pstats/sensor-means.pstats")
	require.NotEmpty(t, r.Findings)
	assert.Nil(t, findingOf(r, "batch-ffi-calls"))
	for _, f := range r.Findings {
		assert.NotContains(t, f.Evidence, "once per item", f.Hint)
		assert.NotContains(t, f.Fix, "get_many", f.Hint)
	}
}
