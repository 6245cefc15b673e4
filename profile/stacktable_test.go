package profile

import (
	"bytes"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeferTreeMatchesAdd builds the same samples with and without
// DeferTree: the incremental tree is the reference for the laid-out one,
// node IDs, children and samples included.
func TestDeferTreeMatchesAdd(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewSource(seed))
		nFrames := 2 + r.Intn(12)
		var stacks [][]FrameID
		var labels []Labels
		for i := 0; i < 1+r.Intn(300); i++ {
			var s []FrameID
			if len(stacks) > 0 && r.Intn(3) == 0 {
				// Extend, cut or repeat an earlier stack, so stacks share
				// prefixes and some are prefixes of others.
				s = append(s, stacks[r.Intn(len(stacks))]...)
				s = s[:r.Intn(len(s)+1)]
			}
			for d := r.Intn(8); d > 0; d-- {
				s = append(s, FrameID(r.Intn(nFrames)))
			}
			stacks = append(stacks, s)
			labels = append(labels, Labels{Thread: string(rune('a' + r.Intn(2)))})
		}
		var ps [2]*Profile
		for mode := range ps {
			b := NewBuilder("t", []ValueType{{Type: "samples", Unit: "count"}}, Limits{})
			for f := 0; f < nFrames; f++ {
				_, err := b.Frame(Frame{Name: string(rune('A' + f%5)), Line: int64(f)})
				require.NoError(t, err)
			}
			if mode == 1 {
				b.DeferTree()
			}
			for i, s := range stacks {
				require.NoError(t, b.Add(s, labels[i], 1, int64(i+1)))
			}
			p, err := b.Build()
			require.NoError(t, err)
			require.NoError(t, p.Validate())
			ps[mode] = p
		}
		want, got := ps[0], ps[1]
		// The laid-out profile keeps each sample's stack as read: it must
		// be the tree's path to the sample's leaf.
		for i := range got.Samples {
			s := &got.Samples[i]
			st, ok := got.SampleStack(s)
			require.True(t, ok, "seed %d", seed)
			assert.Equal(t, want.Stack(want.Samples[i].Node), append([]FrameID{}, st...), "seed %d sample %d", seed, i)
			s.stack = 0
		}
		// StackKey: equal keys exactly for equal stacks, within range.
		for _, p := range ps {
			text := make([]string, len(p.Samples))
			keys := make([]int, len(p.Samples))
			for i := range p.Samples {
				text[i] = fmt.Sprint(p.Stack(p.Samples[i].Node))
				k, n := p.StackKey(&p.Samples[i])
				require.True(t, k >= 0 && k < n, "seed %d: key %d of %d", seed, k, n)
				keys[i] = k
			}
			for i := range keys {
				for j := range keys {
					if (keys[i] == keys[j]) != (text[i] == text[j]) {
						t.Fatalf("seed %d: samples %d and %d: keys %d, %d for stacks %s, %s", seed, i, j, keys[i], keys[j], text[i], text[j])
					}
				}
			}
		}
		// Each node's children are exactly the nodes naming it as parent,
		// counted here from the parents alone.
		for _, p := range ps {
			kids := make([][]NodeID, len(p.Nodes))
			for i := 1; i < len(p.Nodes); i++ {
				kids[p.Nodes[i].Parent] = append(kids[p.Nodes[i].Parent], NodeID(i))
			}
			for n := range p.Nodes {
				assert.ElementsMatch(t, kids[n], p.Children(NodeID(n)), "seed %d node %d", seed, n)
			}
		}
		require.Equal(t, want.Nodes, got.Nodes, "seed %d", seed)
		assert.Equal(t, want.kids, got.kids, "seed %d", seed)
		assert.Equal(t, want.Samples, got.Samples, "seed %d", seed)
	}
}

func TestDeferTreeNodeLimit(t *testing.T) {
	for _, max := range []int{5, 6} {
		var errs [3]error // Add, DeferTree with Build, with BuildStacks
		for mode := range errs {
			b := NewBuilder("in.pb", []ValueType{{Type: "samples"}}, Limits{MaxNodes: max})
			for _, n := range []string{"a", "b", "c"} {
				_, err := b.Frame(Frame{Name: n})
				require.NoError(t, err)
			}
			if mode >= 1 {
				b.DeferTree()
			}
			for _, s := range [][]FrameID{{0, 1}, {0, 2}, {1, 2}} {
				if err := b.Add(s, Labels{}, 1, 1); err != nil {
					errs[mode] = err
				}
			}
			switch {
			case errs[mode] != nil:
			case mode == 2:
				_, errs[mode] = b.BuildStacks()
			default:
				_, errs[mode] = b.Build()
			}
		}
		if max == 6 {
			assert.NoError(t, errs[1])
			assert.NoError(t, errs[2])
			continue
		}
		require.Error(t, errs[1])
		assert.Equal(t, "in.pb: number of distinct call paths exceeds the limit of 5 (raise it with --max-nodes)", errs[1].Error())
		assert.Equal(t, errs[0].Error(), errs[1].Error())
		require.Error(t, errs[2])
		assert.Equal(t, errs[0].Error(), errs[2].Error())
	}
}

// TestBuildStacksMatchesBuild builds the same samples with Build and with
// BuildStacks, with and without ExpectSamples (too low, exact, too high):
// every sample must keep its labels, values and stack, the tree left out
// must be the root alone, and folded output must be the same.
func TestBuildStacksMatchesBuild(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewSource(seed))
		nFrames := 2 + r.Intn(10)
		var stacks [][]FrameID
		var labels []Labels
		for i := 0; i < 1+r.Intn(200); i++ {
			var s []FrameID
			if len(stacks) > 0 && r.Intn(3) == 0 {
				s = append(s, stacks[r.Intn(len(stacks))]...)
				s = s[:r.Intn(len(s)+1)]
			}
			for d := r.Intn(6); d > 0; d-- {
				s = append(s, FrameID(r.Intn(nFrames)))
			}
			stacks = append(stacks, s)
			labels = append(labels, Labels{Comm: string(rune('a' + r.Intn(2)))})
		}
		build := func(stacksOnly bool, expect int) *Profile {
			b := NewBuilder("t", []ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu"}}, Limits{})
			for f := 0; f < nFrames; f++ {
				_, err := b.Frame(Frame{Name: string(rune('A' + f%4)), Line: int64(f)})
				require.NoError(t, err)
			}
			b.DeferTree()
			b.ExpectSamples(expect)
			for i, s := range stacks {
				require.NoError(t, b.Add(s, labels[i], 1, 1, int64(i)))
			}
			build := b.Build
			if stacksOnly {
				build = b.BuildStacks
			}
			p, err := build()
			require.NoError(t, err)
			require.NoError(t, p.Validate())
			return p
		}
		want := build(false, 0)
		var wantFolded bytes.Buffer
		require.NoError(t, WriteFolded(&wantFolded, want, FoldedOptions{Value: 1}))
		for _, expect := range []int{0, len(stacks) / 3, len(stacks), 2 * len(stacks)} {
			got := build(true, expect)
			require.Len(t, got.Nodes, 1, "seed %d", seed)
			require.Len(t, got.Samples, len(want.Samples), "seed %d", seed)
			for i := range want.Samples {
				w, g := want.Samples[i], got.Samples[i]
				assert.Equal(t, RootNode, g.Node)
				assert.Equal(t, w.Labels, g.Labels)
				assert.Equal(t, w.Values, g.Values)
				assert.Equal(t, w.Count, g.Count)
				st, ok := got.SampleStack(&g)
				require.True(t, ok)
				assert.Equal(t, want.Stack(w.Node), append([]FrameID{}, st...), "seed %d sample %d", seed, i)
			}
			var gotFolded bytes.Buffer
			require.NoError(t, WriteFolded(&gotFolded, got, FoldedOptions{Value: 1}))
			assert.Equal(t, wantFolded.String(), gotFolded.String(), "seed %d expect %d", seed, expect)
			// ExpectSamples must not change the profile Build gives.
			full := build(false, expect)
			assert.Equal(t, want.Samples, full.Samples, "seed %d expect %d", seed, expect)
			assert.Equal(t, want.Nodes, full.Nodes, "seed %d expect %d", seed, expect)
		}
	}
}

// TestSortStacks checks the radix sort against sorting with slices.Compare
// and the shared prefixes against counting them pair by pair.
// Seeds past 40 make more stacks than parallelRadix, so the groups are
// shared between two goroutines: one root frame holds about half of them,
// which has to be split before the groups are shared out.
func TestSortStacks(t *testing.T) {
	for seed := int64(1); seed <= 42; seed++ {
		r := rand.New(rand.NewSource(seed))
		seen := map[string]bool{}
		var stacks [][]FrameID
		count := r.Intn(200)
		if seed > 40 {
			count = 2*parallelRadix + r.Intn(1000)
		}
		for i := 0; i < count; i++ {
			var s []FrameID
			if len(stacks) > 0 && r.Intn(2) == 0 {
				s = append(s, stacks[r.Intn(len(stacks))]...)
				s = s[:r.Intn(len(s)+1)]
			}
			for d := r.Intn(6); d > 0; d-- {
				s = append(s, FrameID(r.Intn(4)))
			}
			if seed > 40 {
				s = append([]FrameID{FrameID(r.Intn(2))}, s...)
				for d := 4 + r.Intn(8); d > 0; d-- {
					s = append(s, FrameID(r.Intn(16)))
				}
			}
			if k := fmt.Sprint(s); !seen[k] {
				seen[k] = true
				stacks = append(stacks, s)
			}
		}
		want := make([]int32, len(stacks))
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, func(x, y int32) int { return slices.Compare(stacks[x], stacks[y]) })
		order, lcp := sortStacks(stacks)
		require.Equal(t, want, order, "seed %d", seed)
		for i := 1; i < len(order); i++ {
			a, c := stacks[order[i-1]], stacks[order[i]]
			j := 0
			for j < len(a) && j < len(c) && a[j] == c[j] {
				j++
			}
			assert.Equal(t, int32(j), lcp[i], "seed %d, sorted stack %d", seed, i)
		}
	}
}

// TestSortChildrenByRank checks the rank-based child order against the
// order spelled out with strings: display name, module, file, then ID.
func TestSortChildrenByRank(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	p := &Profile{}
	for i := 0; i < 200; i++ {
		p.Frames = append(p.Frames, Frame{Display: pick("a", "ab", "b", ""), Module: pick("", "m", "n"), File: pick("", "x.go", "y.go")})
	}
	p.Nodes = []Node{{Frame: NoFrame}}
	for i := 0; i < 500; i++ {
		p.Nodes = append(p.Nodes, Node{Frame: FrameID(r.Intn(len(p.Frames)))})
	}
	kids := make([]NodeID, 0, 500)
	for i := 1; i <= 500; i++ {
		kids = append(kids, NodeID(i))
	}
	r.Shuffle(len(kids), func(i, j int) { kids[i], kids[j] = kids[j], kids[i] })
	want := slices.Clone(kids)
	slices.SortFunc(want, func(x, y NodeID) int {
		a, b := p.Frames[p.Nodes[x].Frame], p.Frames[p.Nodes[y].Frame]
		for _, c := range [][2]string{{a.Display, b.Display}, {a.Module, b.Module}, {a.File, b.File}} {
			if c[0] != c[1] {
				if c[0] < c[1] {
					return -1
				}
				return 1
			}
		}
		return int(x) - int(y)
	})
	sortChildren(p, frameRanks(p.Frames), kids)
	assert.Equal(t, want, kids)
}

// A profile with enough frames that Profile ranks them on a goroutine of
// its own still orders every node's children by display name.
func TestProfileRanksManyFrames(t *testing.T) {
	n := 2 * minConcurrentRank
	b := NewBuilder("t", []ValueType{{Type: "samples", Unit: "count"}}, Limits{})
	for i := n - 1; i >= 0; i-- {
		st := []Frame{{Name: "main"}, {Name: fmt.Sprintf("f%06d", i)}}
		require.NoError(t, b.AddFrames(st, Labels{}, 1, 1))
	}
	p := b.Profile()
	require.Len(t, p.Frames, n+1)
	kids := p.Children(p.Children(RootNode)[0])
	require.Len(t, kids, n)
	for i, k := range kids {
		if got, want := p.Frames[p.Nodes[k].Frame].Display, fmt.Sprintf("f%06d", i); got != want {
			t.Fatalf("child %d is %s, want %s", i, got, want)
		}
	}
}

// BenchmarkSortStacks sorts a million distinct stacks of 4 to 40 frames
// that share prefixes, as a large pprof file's do (the shape of the
// benchmark input's random walks down a call tree).
func BenchmarkSortStacks(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	seen := map[string]bool{}
	var stacks [][]FrameID
	for len(stacks) < 1_000_000 {
		s := []FrameID{FrameID(r.Intn(8))}
		for d := 3 + r.Intn(37); d > 0; d-- {
			s = append(s, FrameID(int(s[len(s)-1])*3+r.Intn(3))%50000)
		}
		if k := fmt.Sprint(s); !seen[k] {
			seen[k] = true
			stacks = append(stacks, s)
		}
	}
	b.ResetTimer()
	for range b.N {
		sortStacks(stacks)
	}
}
