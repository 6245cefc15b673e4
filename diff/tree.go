package diff

import (
	"cmp"
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// TreeNode is one call path of the aligned before/after call tree: the
// same path (by normalised frame keys) in both profiles is one node.
type TreeNode struct {
	Key      Key
	Parent   int32   // index in AlignedTree.Nodes; -1 for the root
	Children []int32 // sorted by key: deterministic
	Depth    int32   // 0 for the root
	// Self and Total per side, in each side's own value units.
	BeforeSelf, BeforeTotal int64
	AfterSelf, AfterTotal   int64
}

// AlignedTree is what a differential flame graph draws: per node, the
// before and after values. Node 0 is the root; BeforeTotal and AfterTotal
// of the root are the sides' totals, to turn values into shares.
type AlignedTree struct {
	Nodes []TreeNode
}

type childKey struct {
	parent int32
	key    int32
}

// Align lays the call trees of before (value bv) and after (value av) over
// each other. Frames are matched by FrameKey, so paths through the same
// code match across builds and recorders. It works per distinct call-tree
// node of each profile, never per sample.
func Align(before *profile.Profile, bv int, after *profile.Profile, av int, opt NameOptions) *AlignedTree {
	t := &AlignedTree{Nodes: []TreeNode{{Parent: -1}}}
	ks := &keys{id: map[Key]int32{}}
	var nodeKey []int32 // per aligned node: its key id
	nodeKey = append(nodeKey, -1)
	child := map[childKey]int32{}
	for side, p := range []*profile.Profile{before, after} {
		vi := bv
		if side == 1 {
			vi = av
		}
		if p == nil || len(p.Nodes) == 0 {
			continue
		}
		fk := frameKeys(p, ks, opt)
		self, total := p.NodeValues(vi)
		where := make([]int32, len(p.Nodes)) // profile node -> aligned node
		for n := range p.Nodes {
			pn := &p.Nodes[n]
			var a int32
			if n != int(profile.RootNode) {
				parent := where[pn.Parent]
				k := childKey{parent, fk[pn.Frame]}
				var ok bool
				if a, ok = child[k]; !ok {
					a = int32(len(t.Nodes))
					child[k] = a
					t.Nodes = append(t.Nodes, TreeNode{Key: ks.list[k.key], Parent: parent, Depth: t.Nodes[parent].Depth + 1})
					nodeKey = append(nodeKey, k.key)
					t.Nodes[parent].Children = append(t.Nodes[parent].Children, a)
				}
			}
			where[n] = a
			tn := &t.Nodes[a]
			if side == 0 {
				tn.BeforeSelf += self[n]
				tn.BeforeTotal += total[n]
			} else {
				tn.AfterSelf += self[n]
				tn.AfterTotal += total[n]
			}
		}
	}
	for i := range t.Nodes {
		slices.SortFunc(t.Nodes[i].Children, func(x, y int32) int {
			kx, ky := t.Nodes[x].Key, t.Nodes[y].Key
			return cmp.Or(cmp.Compare(kx.Name, ky.Name), cmp.Compare(kx.Place, ky.Place), cmp.Compare(kx.Line, ky.Line))
		})
	}
	return t
}
