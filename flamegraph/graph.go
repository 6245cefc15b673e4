// Package flamegraph draws a profile's call tree as a flame graph: a
// standalone SVG in the look of inferno and FlameGraph, and the data and
// script of the interactive graph in hotspot's HTML reports.
//
// The steps:
//  1. Build prunes the call tree to what can be seen: frames narrower than
//     Options.MinShare of the total are merged, per parent, into one
//     "(N small frames)" box, so output grows with what is drawn and not
//     with the profile's size;
//  2. WriteSVG lays the pruned tree out at a fixed width;
//  3. WriteData writes it as compact JSON for the page's script, which lays
//     it out in the browser (zoom, search, threads).
package flamegraph

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// DefaultMinShare is the narrowest frame kept, as a share of the graph's
// total: a tenth of a pixel on a 1200-pixel graph (FlameGraph's and
// inferno's default minimum width), so nothing visible is lost, and a
// twelve-fold zoom still shows every frame a pixel wide or more.
const DefaultMinShare = 0.1 / 1200

// maxThreads bounds the per-thread graphs: the busiest threads get their
// own, the rest are in "all threads".
const maxThreads = 16

// Options say what to draw.
type Options struct {
	// Value indexes the profile's SampleTypes; -1 means its default.
	Value int
	// Categories gives each call-tree node's cost category (indexed by
	// profile.NodeID, as explain.NodeCategories returns); nil colours by
	// frame kind instead.
	Categories []string
	// CategoryOf, when set, gives a node's category on demand instead
	// (explain.NodeCategorizer): only the nodes drawn are classified.
	CategoryOf func(profile.NodeID) string
	// MinShare is the narrowest frame kept; 0 means DefaultMinShare.
	MinShare float64
	// Threads adds one graph per thread (the busiest maxThreads) when the
	// profile has more than one.
	Threads bool
}

// Node is one box of the graph, in pre-order: a node's children follow it,
// each subtree whole, sorted by name (the merged box last).
type Node struct {
	Name   int32 // index into Graph.Names
	Depth  int32 // 0 for a root frame (the tree's root itself is not drawn)
	Total  int64 // the box's width, in the value's unit
	Self   int64
	Cat    int8 // index into Graph.Cats
	Kind   profile.FrameKind
	Merged int32 // >0: this box stands for that many frames too thin to draw
	File   int32 // index into Graph.Names of "file:line", -1 when unknown
	// Differential graphs only: the before side's value of the same path,
	// the change of share (after minus before) and whether it is beyond noise.
	Before int64
	Delta  float64
	Change int8
}

// Tree is one flame graph: all threads, or one thread.
type Tree struct {
	Label string // "all threads", or the thread's name and id
	Total int64
	Nodes []Node
	// BeforeTotal is the before side's total, in a differential graph.
	BeforeTotal int64
}

// Graph is everything one profile draws: shared name tables and one tree
// per thread selection. It holds only what is drawn.
type Graph struct {
	Unit  string // the value's unit ("nanoseconds", "bytes", "count")
	Type  string // the value's name ("cpu-clock", "alloc_space")
	Names []string
	Cats  []string // category names; "" first (no category)
	Trees []Tree
	// Diff marks a differential graph (BuildDiff): widths are the after
	// side, colours the change of share.
	Diff  bool
	names map[string]int32
	cats  map[string]int8
}

func (g *Graph) name(s string) int32 {
	if i, ok := g.names[s]; ok {
		return i
	}
	i := int32(len(g.Names))
	g.Names = append(g.Names, s)
	g.names[s] = i
	return i
}

func (g *Graph) cat(s string) int8 {
	if i, ok := g.cats[s]; ok {
		return i
	}
	i := int8(len(g.Cats))
	g.Cats = append(g.Cats, s)
	g.cats[s] = i
	return i
}

// Build prunes p's call tree into a Graph.
func Build(p *profile.Profile, opt Options) *Graph {
	vi := opt.Value
	if vi < 0 || vi >= len(p.SampleTypes) {
		vi = p.DefaultType
	}
	g := &Graph{names: map[string]int32{}, cats: map[string]int8{}}
	g.cat("")
	if vi >= 0 && vi < len(p.SampleTypes) {
		g.Unit, g.Type = p.SampleTypes[vi].Unit, p.SampleTypes[vi].Type
	}
	minShare := opt.MinShare
	if minShare <= 0 {
		minShare = DefaultMinShare
	}
	b := &builder{p: p, g: g, cats: opt.Categories, catOf: opt.CategoryOf, minShare: minShare}
	// Totals only: a box's self cost is its total less its children's,
	// worked out for the boxes drawn (a self array beside the totals
	// cost 9 MB on a tree of 1.2M nodes).
	g.Trees = append(g.Trees, b.tree("all threads", p.NodeTotals(vi)))
	if opt.Threads {
		for _, th := range threads(p, vi) {
			g.Trees = append(g.Trees, b.tree(th.label, th.totals(p)))
		}
	}
	return g
}

type builder struct {
	p        *profile.Profile
	g        *Graph
	cats     []string
	catOf    func(profile.NodeID) string
	minShare float64
}

// tree walks the call tree in pre-order, keeping children at least
// minShare of the tree's total wide and merging the others. Sibling frames
// of one function (same name and file, as py-spy records a frame per line)
// are drawn as one box, as FlameGraph draws them.
func (b *builder) tree(label string, total []int64) Tree {
	t := Tree{Label: label}
	if len(total) == 0 {
		return t
	}
	t.Total = total[profile.RootNode]
	if t.Total <= 0 {
		return t
	}
	thin := max(1, int64(b.minShare*float64(t.Total)))
	var walk func(group []profile.NodeID, depth int32)
	walk = func(group []profile.NodeID, depth int32) {
		var small, smallN int64
		for _, kids := range b.children(group, total) {
			var v, sv int64
			for _, c := range kids {
				v += total[c]
			}
			if v < thin {
				small += v
				smallN++
				continue
			}
			for _, c := range kids {
				sv += b.p.SelfOf(total, c)
			}
			t.Nodes = append(t.Nodes, b.node(kids, depth, v, sv, total))
			walk(kids, depth+1)
		}
		if small >= thin {
			t.Nodes = append(t.Nodes, Node{Name: b.g.name("(" + strconv.FormatInt(smallN, 10) + " small frames)"),
				Depth: depth, Total: small, Merged: int32(min(smallN, 1<<30)), Kind: profile.KindUnknown, File: -1})
		}
	}
	walk([]profile.NodeID{profile.RootNode}, 0)
	return t
}

// fnKey is what makes sibling frames one box: one function in one file.
type fnKey struct {
	name, file string
	kind       profile.FrameKind
}

func (b *builder) key(n profile.NodeID) fnKey {
	f := b.p.FrameOf(n)
	k := fnKey{displayName(f), f.File, f.Kind}
	if f.File == "" {
		k.file = f.Module
	}
	return k
}

func compareKeys(x, y fnKey) int {
	if c := cmp.Compare(x.name, y.name); c != 0 {
		return c
	}
	if c := cmp.Compare(x.file, y.file); c != 0 {
		return c
	}
	return cmp.Compare(x.kind, y.kind)
}

// children groups the children of a group of nodes by function (display
// name, file, kind), in name order, dropping those with no cost. A single
// node's children are already sorted by name and file, so equal keys are
// neighbours and need no map: the common case stays linear.
func (b *builder) children(group []profile.NodeID, total []int64) [][]profile.NodeID {
	if len(group) == 1 {
		kids := b.p.Children(group[0])
		out := make([][]profile.NodeID, 0, len(kids))
		var last fnKey
		sorted := true
		for _, c := range kids {
			if total[c] <= 0 {
				continue
			}
			k := b.key(c)
			switch {
			case len(out) > 0 && k == last:
				out[len(out)-1] = append(out[len(out)-1], c)
				continue
			case len(out) > 0 && compareKeys(last, k) > 0:
				sorted = false
			}
			out = append(out, []profile.NodeID{c})
			last = k
		}
		if sorted {
			return out
		}
	}
	var keys []fnKey
	byKey := map[fnKey][]profile.NodeID{}
	for _, n := range group {
		for _, c := range b.p.Children(n) {
			if total[c] <= 0 {
				continue
			}
			k := b.key(c)
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], c)
		}
	}
	slices.SortFunc(keys, compareKeys)
	out := make([][]profile.NodeID, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

func displayName(f profile.Frame) string {
	if f.Display != "" {
		return f.Display
	}
	return f.Name
}

// node makes the box for a group of sibling nodes of one function; its
// category is that of the group's widest node, its line shown only when
// all the nodes share it.
func (b *builder) node(group []profile.NodeID, depth int32, v, self int64, total []int64) Node {
	widest := group[0]
	line := b.p.FrameOf(widest).Line
	for _, n := range group[1:] {
		if total[n] > total[widest] {
			widest = n
		}
		if b.p.FrameOf(n).Line != line {
			line = 0
		}
	}
	f := b.p.FrameOf(widest)
	nd := Node{Name: b.g.name(displayName(f)), Depth: depth, Total: v, Self: self, Kind: f.Kind, File: -1}
	if f.Kind == "" {
		nd.Kind = profile.KindUnknown
	}
	switch {
	case b.catOf != nil:
		nd.Cat = b.g.cat(b.catOf(widest))
	case b.cats != nil && int(widest) < len(b.cats):
		nd.Cat = b.g.cat(b.cats[widest])
	}
	if f.File != "" || f.Module != "" {
		loc := f.File
		if loc == "" {
			loc = f.Module
		} else if line > 0 {
			loc += ":" + strconv.FormatInt(line, 10)
		}
		nd.File = b.g.name(loc)
	}
	return nd
}

// thread is one thread's samples.
type thread struct {
	label string
	value int64
	self  []int64
}

// totals turns the thread's self costs into totals, in place: the self
// costs are not read again.
func (th thread) totals(p *profile.Profile) []int64 {
	total := th.self
	for n := len(p.Nodes) - 1; n > 0; n-- {
		total[p.Nodes[n].Parent] += total[n]
	}
	return total
}

// threads splits the samples by thread (name and id), busiest first; none
// when the profile has fewer than two. Only the kept threads get per-node
// arrays, so a profile with thousands of threads costs no more than sixteen.
func threads(p *profile.Profile, vi int) []thread {
	type key struct {
		name string
		tid  int64
		has  bool
	}
	keyOf := func(l profile.Labels) (key, bool) {
		return key{l.Thread, l.TID, l.HasTID}, l.Thread != "" || l.HasTID
	}
	idx := map[key]int{}
	var out []thread
	var keys []key
	for _, s := range p.Samples {
		k, ok := keyOf(*s.Labels)
		if !ok {
			continue
		}
		i, seen := idx[k]
		if !seen {
			label := k.name
			if k.has {
				if label != "" {
					label += " "
				}
				label += "(tid " + strconv.FormatInt(k.tid, 10) + ")"
			}
			i = len(out)
			idx[k] = i
			out = append(out, thread{label: label})
			keys = append(keys, k)
		}
		out[i].value += s.Values[vi]
	}
	if len(out) < 2 {
		return nil
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(out[b].value, out[a].value); c != 0 {
			return c
		}
		return cmp.Compare(out[a].label, out[b].label)
	})
	order = order[:min(len(order), maxThreads)]
	kept := map[key]int{}
	res := make([]thread, len(order))
	for j, i := range order {
		res[j] = out[i]
		res[j].self = make([]int64, len(p.Nodes))
		kept[keys[i]] = j
	}
	for _, s := range p.Samples {
		k, ok := keyOf(*s.Labels)
		if !ok {
			continue
		}
		if j, ok := kept[k]; ok {
			res[j].self[s.Node] += s.Values[vi]
		}
	}
	return res
}
