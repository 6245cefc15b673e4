package diff

import (
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"regexp"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// keys interns function keys for both sides, so that one index names the
// same function in each.
type keys struct {
	list []Key
	id   map[Key]int32
}

// newKeys makes a key table sized for about n keys: a side has as many
// as it has distinct functions, tens of thousands on a large profile.
func newKeys(n int) *keys {
	return &keys{id: make(map[Key]int32, n), list: make([]Key, 0, n)}
}

func (k *keys) intern(key Key) int32 {
	if id, ok := k.id[key]; ok {
		return id
	}
	id := int32(len(k.list))
	k.list = append(k.list, key)
	k.id[key] = id
	return id
}

// filter is the sample selection explain applies (--focus, --ignore,
// --thread), repeated here so the function table and explain see the
// same samples.
type filter struct {
	focus, ignore, thread *regexp.Regexp
}

func (f filter) frameHits(p *profile.Profile, re *regexp.Regexp) []bool {
	if re == nil {
		return nil
	}
	hit := make([]bool, len(p.Frames))
	for i, fr := range p.Frames {
		hit[i] = re.MatchString(fr.Display) || (fr.Name != fr.Display && re.MatchString(fr.Name)) || (fr.File != "" && re.MatchString(fr.File))
	}
	return hit
}

func threadMatches(re *regexp.Regexp, l profile.Labels) bool {
	return l.Thread != "" && re.MatchString(l.Thread) ||
		l.Comm != "" && re.MatchString(l.Comm) ||
		l.HasTID && re.MatchString(strconv.FormatInt(l.TID, 10))
}

// table is one side's cost per function key, summed once per distinct stack.
type table struct {
	// whole and count are the value and input samples of every kept
	// sample (after --thread and --ignore); shares are of whole.
	whole, count int64
	// focused is the value of the kept samples under --focus (== whole
	// without it).
	focused int64
	self    []int64 // per key: value of samples whose (projected) leaf is the key
	total   []int64 // per key: value of samples with the key anywhere on the stack
	// nativeUnderPython is true when some stack has a native frame below
	// (leafward of) a Python frame: a recorder that sees both.
	nativeUnderPython, python bool
}

// scanPython reports whether p has Python frames and whether any stack
// has a native frame leafward of a Python frame.
func scanPython(p *profile.Profile) (python, nativeUnder bool) {
	// under[n]: node n or an ancestor is a Python frame.
	under := make([]bool, len(p.Nodes))
	for i := 1; i < len(p.Nodes); i++ {
		n := &p.Nodes[i]
		py := p.Frames[n.Frame].Kind == profile.KindPython
		python = python || py
		under[i] = py || under[n.Parent]
		if under[n.Parent] && !py && p.Frames[n.Frame].Kind != profile.KindKernel {
			nativeUnder = true
		}
	}
	return python, nativeUnder
}

// buildTable sums one side. frameKey maps the profile's frames to key ids;
// pyLeaf folds native frames below the innermost Python frame into it.
// physLeaf makes an inlined leaf count as the function it was inlined
// into (recorders differ in whether they expand inlined frames).
func buildTable(p *profile.Profile, vi int, f filter, frameKey []int32, nkeys int, pyLeaf, physLeaf bool) *table {
	t := &table{self: make([]int64, nkeys), total: make([]int64, nkeys)}
	focusHit, ignoreHit := f.frameHits(p, f.focus), f.frameHits(p, f.ignore)
	// Where the reader kept each sample's stack (pprof), a stack's
	// frames are read in a row from the stack table: walking up the tree
	// from each of a million leaves reads the node array at random. The
	// Python folding needs the tree; so do readers without the stacks.
	var nodeVal []int64
	seen := make([]int32, nkeys)
	stamp := int32(0)
	for _, s := range p.Samples {
		v := s.Values[vi]
		if v == 0 {
			continue
		}
		if f.thread != nil && !threadMatches(f.thread, *s.Labels) {
			continue
		}
		keep, drop := focusHit == nil, false
		if focusHit != nil || ignoreHit != nil {
			for n := s.Node; n != profile.RootNode; n = p.Nodes[n].Parent {
				fr := p.Nodes[n].Frame
				keep = keep || focusHit != nil && focusHit[fr]
				drop = drop || ignoreHit != nil && ignoreHit[fr]
			}
		}
		if drop {
			continue
		}
		t.whole += v
		t.count += s.Count
		if !keep {
			continue
		}
		t.focused += v
		if st, ok := p.SampleStack(&s); ok && !pyLeaf && len(st) > 0 {
			stamp++
			for _, fr := range st {
				if k := frameKey[fr]; seen[k] != stamp {
					seen[k] = stamp
					t.total[k] += v
				}
			}
			j := len(st) - 1
			for physLeaf && p.Frames[st[j]].Inlined && j > 0 {
				j--
			}
			t.self[frameKey[st[j]]] += v
			continue
		}
		if nodeVal == nil {
			nodeVal = bigmem.Written[int64](len(p.Nodes))
		}
		nodeVal[s.Node] += v
	}
	if nodeVal == nil {
		return t
	}
	// Per distinct stack: the leaf's key gets self, every distinct key on
	// the path gets total (once, however often recursion repeats it).
	for n := len(p.Nodes) - 1; n > 0; n-- {
		v := nodeVal[n]
		if v == 0 {
			continue
		}
		stamp++
		leafNode := profile.NodeID(n)
		for physLeaf && p.Frames[p.Nodes[leafNode].Frame].Inlined && p.Nodes[leafNode].Parent != profile.RootNode {
			leafNode = p.Nodes[leafNode].Parent
		}
		if pyLeaf {
			// The innermost Python frame stands for everything below it,
			// which the other side's recorder could not see.
			for m := leafNode; m != profile.RootNode; m = p.Nodes[m].Parent {
				if p.Frames[p.Nodes[m].Frame].Kind == profile.KindPython {
					leafNode = m
					break
				}
			}
		}
		leaf := frameKey[p.Nodes[leafNode].Frame]
		top := leafNode
		if !pyLeaf {
			top = profile.NodeID(n)
		}
		for m := top; m != profile.RootNode; m = p.Nodes[m].Parent {
			k := frameKey[p.Nodes[m].Frame]
			if seen[k] != stamp {
				seen[k] = stamp
				t.total[k] += v
			}
		}
		t.self[leaf] += v
	}
	return t
}
