package perfscript

import (
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// stacks merges samples with the same stack, labels and event before they
// reach the Builder, so that its per-frame trie walk runs once per distinct
// stack instead of once per sample (profiles repeat a few thousand stacks
// over and over). Memory grows with the distinct stacks, as the call tree
// does.
type stacks struct {
	index map[stackKey]int32 // newest entry with this key; older ones chain via next
	aggs  []aggStack
	arena []profile.FrameID // the frames of every entry, back to back
	// labelID numbers the distinct label sets, so that the index is keyed
	// by integers only; last caches the previous sample's, which the next
	// one usually repeats.
	labelID map[profile.Labels]int32
	last    profile.Labels
	lastID  int32
}

type stackKey struct {
	hash   uint64
	event  int32
	labels int32
}

// aggStack is one distinct (stack, labels, event) and its sums.
type aggStack struct {
	off, n int // frames: arena[off : off+n], root first
	next   int32
	line   int // first event line, for errors at flush time
	labels profile.Labels
	event  int
	period int64
	count  int64
}

// add records one sample.
func (s *stacks) add(ids []profile.FrameID, labels profile.Labels, event int, period int64, line int) {
	if s.index == nil {
		s.index, s.labelID, s.lastID = map[stackKey]int32{}, map[profile.Labels]int32{}, -1
	}
	if s.lastID < 0 || labels != s.last {
		id, ok := s.labelID[labels]
		if !ok {
			id = int32(len(s.labelID))
			s.labelID[labels] = id
		}
		s.last, s.lastID = labels, id
	}
	k := stackKey{hash: hashIDs(ids), event: int32(event), labels: s.lastID}
	head, ok := s.index[k]
	if ok {
		for i := head; i >= 0; i = s.aggs[i].next {
			a := &s.aggs[i]
			if slices.Equal(s.arena[a.off:a.off+a.n], ids) {
				a.period += period
				a.count++
				return
			}
		}
	} else {
		head = -1
	}
	s.aggs = append(s.aggs, aggStack{off: len(s.arena), n: len(ids), next: head, line: line, labels: labels, event: event, period: period, count: 1})
	s.arena = append(s.arena, ids...)
	s.index[k] = int32(len(s.aggs) - 1)
}

// flush adds every merged sample to the builder, in first-seen order.
func (r *reader) flushStacks() error {
	s := &r.stacks
	for i := range s.aggs {
		a := &s.aggs[i]
		k := a.event
		vals := r.values[:2*k+2]
		vals[2*k], vals[2*k+1] = a.period, a.count
		err := r.b.Add(s.arena[a.off:a.off+a.n], a.labels, a.count, vals...)
		vals[2*k], vals[2*k+1] = 0, 0
		if err != nil {
			return r.at(err, a.line)
		}
	}
	*s = stacks{}
	return nil
}

// hashIDs is FNV-1a over the frame IDs, with a final mix.
func hashIDs(ids []profile.FrameID) uint64 {
	h := uint64(14695981039346656037)
	for _, id := range ids {
		h ^= uint64(uint32(id))
		h *= 1099511628211
	}
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>32
}
