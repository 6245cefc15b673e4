package flamegraph

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/profile"
)

// DiffOptions say how to draw a differential flame graph.
type DiffOptions struct {
	// Unit and Type name the values (the after side's sample type).
	Unit, Type string
	// MinShare is the narrowest frame kept, of the after total; 0 means
	// DefaultMinShare.
	MinShare float64
	// BeforeSamples and AfterSamples are the sample counts behind each
	// side, for the noise threshold; Exact says the values are exact counts
	// (allocations), with no sampling noise. With neither, no change is
	// called noise.
	BeforeSamples, AfterSamples int64
	Exact                       bool
}

// Change marks how a frame's share moved between the sides.
const (
	Shrank = -1 // share fell by more than the noise threshold
	Same   = 0  // within noise
	Grew   = 1  // share rose by more than the noise threshold
)

// z95 is the two-sided 95% normal quantile.
const z95 = 1.959964

// BuildDiff prunes an aligned before/after call tree into a Graph whose
// widths come from the after side (FlameGraph's convention: the graph shows
// the new profile, coloured by what changed). A frame's change is its share
// of its side's total, after minus before; changes within the 95% sampling
// interval of the two shares are marked Same. Frames only the before side
// has are not drawn (they have no width); the tables list them.
func BuildDiff(t *diff.AlignedTree, opt DiffOptions) *Graph {
	g := &Graph{names: map[string]int32{}, cats: map[string]int8{}, Diff: true, Unit: opt.Unit, Type: opt.Type}
	g.cat("")
	if len(t.Nodes) == 0 {
		return g
	}
	root := t.Nodes[0]
	tree := Tree{Label: "after, coloured by change", Total: root.AfterTotal, BeforeTotal: root.BeforeTotal}
	g.Trees = []Tree{tree}
	if root.AfterTotal <= 0 {
		return g
	}
	minShare := opt.MinShare
	if minShare <= 0 {
		minShare = DefaultMinShare
	}
	thin := max(1, int64(minShare*float64(root.AfterTotal)))
	change := func(before, after int64) (float64, int8) {
		pb := share(before, root.BeforeTotal)
		pa := share(after, root.AfterTotal)
		d := pa - pb
		threshold := 0.0
		switch {
		case opt.Exact:
		case opt.BeforeSamples > 0 && opt.AfterSamples > 0:
			threshold = z95 * math.Sqrt(pb*(1-pb)/float64(opt.BeforeSamples)+pa*(1-pa)/float64(opt.AfterSamples))
		default:
			return d, Same
		}
		switch {
		case d > threshold && d > 0:
			return d, Grew
		case d < -threshold && d < 0:
			return d, Shrank
		}
		return d, Same
	}
	var nodes []Node
	var walk func(n int32, depth int32)
	walk = func(n int32, depth int32) {
		var small, smallBefore, smallN int64
		kids := slices.Clone(t.Nodes[n].Children)
		slices.SortStableFunc(kids, func(x, y int32) int {
			kx, ky := t.Nodes[x].Key, t.Nodes[y].Key
			return cmp.Or(cmp.Compare(kx.Name, ky.Name), cmp.Compare(kx.Place, ky.Place))
		})
		for _, c := range kids {
			tn := &t.Nodes[c]
			if tn.AfterTotal <= 0 {
				continue
			}
			if tn.AfterTotal < thin {
				small += tn.AfterTotal
				smallBefore += tn.BeforeTotal
				smallN++
				continue
			}
			nd := Node{Name: g.name(tn.Key.Name), Depth: depth, Total: tn.AfterTotal, Self: tn.AfterSelf,
				Before: tn.BeforeTotal, Kind: placeKind(tn.Key.Place), File: -1}
			if tn.Key.Place != "" {
				loc := tn.Key.Place
				if tn.Key.Line > 0 {
					loc += ":" + strconv.FormatInt(tn.Key.Line, 10)
				}
				nd.File = g.name(loc)
			}
			nd.Delta, nd.Change = change(tn.BeforeTotal, tn.AfterTotal)
			nodes = append(nodes, nd)
			walk(c, depth+1)
		}
		if small >= thin {
			nd := Node{Name: g.name("(" + strconv.FormatInt(smallN, 10) + " small frames)"), Depth: depth, Total: small,
				Before: smallBefore, Merged: int32(min(smallN, 1<<30)), Kind: profile.KindUnknown, File: -1}
			nd.Delta, nd.Change = change(smallBefore, small)
			nodes = append(nodes, nd)
		}
	}
	walk(0, 0)
	g.Trees[0].Nodes = nodes
	return g
}

func share(v, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return float64(v) / float64(total)
}

// placeKind guesses a frame's kind from where diff says it lives: a Python
// file, the kernel, or native code.
func placeKind(place string) profile.FrameKind {
	switch {
	case strings.HasSuffix(place, ".py"):
		return profile.KindPython
	case strings.Contains(place, "kernel"):
		return profile.KindKernel
	case place == "":
		return profile.KindUnknown
	}
	return profile.KindNative
}
