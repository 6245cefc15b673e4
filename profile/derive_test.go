package profile_test

import (
	"bytes"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// graphProfile builds a profile from a graph over named functions; values
// are (cost, calls).
func graphProfile(t *testing.T, names []string, funcs map[string][3]int64, edges [][4]any) *profile.Profile {
	t.Helper()
	b := profile.NewBuilder("g", []profile.ValueType{{Type: "cpu", Unit: "count"}, {Type: profile.CallsType, Unit: "count"}}, profile.Limits{})
	ids := map[string]profile.FrameID{}
	g := &profile.Graph{}
	for _, n := range names {
		id, err := b.Frame(profile.Frame{Name: n})
		require.NoError(t, err)
		ids[n] = id
		f := funcs[n] // self, inclusive, calls
		g.Funcs = append(g.Funcs, profile.GraphFunc{Frame: id, Self: []int64{f[0], f[2]}, Inclusive: []int64{f[1], f[2]}, Calls: f[2], PrimitiveCalls: f[2]})
	}
	for _, e := range edges { // caller, callee, inclusive, calls
		g.Edges = append(g.Edges, profile.GraphEdge{Caller: ids[e[0].(string)], Callee: ids[e[1].(string)], Inclusive: []int64{int64(e[2].(int)), int64(e[3].(int))}, Calls: int64(e[3].(int))})
	}
	g.Sort()
	require.NoError(t, profile.DeriveStacks(b, g, 0))
	p := b.Profile()
	require.NoError(t, p.Validate())
	return p
}

func folded(t *testing.T, p *profile.Profile, value int) string {
	var out bytes.Buffer
	require.NoError(t, profile.WriteFolded(&out, p, profile.FoldedOptions{Value: value}))
	return out.String()
}

// TestDeriveSplitsByEdgeInclusive: leaf (self 100) is called from a (edge
// inclusive 75) and b (edge inclusive 25); a and b have self costs of their
// own, so the split is by the edges, not by the callers' costs. Its 4 calls split by
// the edges' calls (1 and 3).
func TestDeriveSplitsByEdgeInclusive(t *testing.T) {
	p := graphProfile(t, []string{"main", "a", "b", "leaf"},
		map[string][3]int64{"main": {0, 140, 1}, "a": {30, 105, 1}, "b": {10, 35, 1}, "leaf": {100, 100, 4}},
		[][4]any{{"main", "a", 105, 1}, {"main", "b", 35, 1}, {"a", "leaf", 75, 1}, {"b", "leaf", 25, 3}})
	assert.Equal(t, "main;a 30\nmain;a;leaf 75\nmain;b 10\nmain;b;leaf 25\n", folded(t, p, 0))
	assert.Equal(t, "main 1\nmain;a 1\nmain;a;leaf 1\nmain;b 1\nmain;b;leaf 3\n", folded(t, p, 1))
	assert.Contains(t, p.Meta.Approximations, profile.DeriveNote)
	assert.Same(t, p.Graph, p.Graph)
	assert.Equal(t, int64(4), p.Graph.Func(3).Calls)
}

// TestDeriveRecursion: f calls itself; the self-edge is cut, and f's cost
// that its outside callers do not account for stays at a stack starting
// at f (the profiler's own call of the root).
func TestDeriveRecursion(t *testing.T) {
	p := graphProfile(t, []string{"main", "f"},
		map[string][3]int64{"main": {1, 11, 1}, "f": {10, 10, 5}},
		[][4]any{{"main", "f", 10, 1}, {"f", "f", 9, 4}})
	assert.Equal(t, "main 1\nmain;f 10\n", folded(t, p, 0))
	p = graphProfile(t, []string{"main", "f"},
		map[string][3]int64{"main": {1, 5, 1}, "f": {10, 10, 1}},
		[][4]any{{"main", "f", 4, 1}})
	assert.Equal(t, "f 6\nmain 1\nmain;f 4\n", folded(t, p, 0))
}

// TestDeriveRoundsExactly: 10 split three ways in proportion 4:4:4 gives
// 4+3+3 (largest remainder, ties to the first), never 9 or 11.
func TestDeriveRoundsExactly(t *testing.T) {
	p := graphProfile(t, []string{"a", "b", "c", "leaf"},
		map[string][3]int64{"a": {0, 1, 1}, "b": {0, 1, 1}, "c": {0, 1, 1}, "leaf": {10, 12, 3}},
		[][4]any{{"a", "leaf", 4, 1}, {"b", "leaf", 4, 1}, {"c", "leaf", 4, 1}})
	assert.Equal(t, "a;leaf 4\nb;leaf 3\nc;leaf 3\n", folded(t, p, 0))
	assert.Equal(t, int64(10), p.Total(0))
}

// TestDeriveCycle: a and b call each other and nobody else calls them;
// the walk stops when a caller is already on the stack.
func TestDeriveCycle(t *testing.T) {
	p := graphProfile(t, []string{"a", "b"},
		map[string][3]int64{"a": {5, 10, 1}, "b": {5, 10, 1}},
		[][4]any{{"a", "b", 10, 1}, {"b", "a", 10, 1}})
	assert.Equal(t, "a;b 5\nb;a 5\n", folded(t, p, 0))
}

// TestCycleFuncs: a and b call each other (a cycle of two); c calls itself
// only, which is recursion, not a cycle between functions.
func TestCycleFuncs(t *testing.T) {
	p := graphProfile(t, []string{"main", "a", "b", "c"},
		map[string][3]int64{"main": {1, 12, 1}, "a": {5, 10, 2}, "b": {5, 10, 1}, "c": {1, 1, 3}},
		[][4]any{{"main", "a", 10, 1}, {"a", "b", 10, 1}, {"b", "a", 10, 1}, {"main", "c", 1, 1}, {"c", "c", 1, 2}})
	assert.Equal(t, 2, p.Graph.CycleFuncs())
	assert.Contains(t, p.Meta.Approximations, "2 functions lie on call cycles (mutual recursion, such as an interpreter calling itself through C): inclusive costs through a cycle count its cost again in each member, so derived stacks through them overstate those callers; self costs stay exact")
	p = graphProfile(t, []string{"main", "f"},
		map[string][3]int64{"main": {1, 11, 1}, "f": {10, 10, 5}},
		[][4]any{{"main", "f", 10, 1}, {"f", "f", 9, 4}})
	assert.Equal(t, 0, p.Graph.CycleFuncs())
	assert.Len(t, p.Meta.Approximations, 1)
}

func TestGraphLookups(t *testing.T) {
	p := graphProfile(t, []string{"main", "a", "b", "leaf"},
		map[string][3]int64{"main": {0, 140, 1}, "a": {30, 105, 1}, "b": {10, 35, 1}, "leaf": {100, 100, 4}},
		[][4]any{{"main", "a", 105, 1}, {"main", "b", 35, 1}, {"a", "leaf", 75, 1}, {"b", "leaf", 25, 3}})
	out := p.Graph.Callees(0)
	require.Len(t, out, 2)
	assert.Equal(t, profile.FrameID(1), out[0].Callee)
	assert.Equal(t, profile.FrameID(2), out[1].Callee)
	in := p.Graph.Callers(3)
	require.Len(t, in, 2)
	assert.Equal(t, int64(3), in[1].Calls)
	assert.Nil(t, p.Graph.Func(9))
}

// TestInCycle: a→b→c→a is a cycle of three; d called by a is not on it,
// nor is e calling itself alone.
func TestInCycle(t *testing.T) {
	p := graphProfile(t, []string{"a", "b", "c", "d", "e"},
		map[string][3]int64{"a": {1, 10, 1}, "b": {1, 10, 1}, "c": {1, 10, 1}, "d": {1, 1, 1}, "e": {1, 1, 2}},
		[][4]any{{"a", "b", 10, 1}, {"b", "c", 10, 1}, {"c", "a", 10, 1}, {"a", "d", 1, 1}, {"d", "e", 1, 1}, {"e", "e", 1, 1}})
	assert.Equal(t, []bool{true, true, true, false, false}, p.Graph.InCycle())
	assert.Equal(t, 3, p.Graph.CycleFuncs())
}
