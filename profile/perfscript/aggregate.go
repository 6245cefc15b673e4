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
	// byBlock finds the entry of a block's resolved stack (addBlock).
	byBlock map[uint64]int32
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
	// offNs is the time its sched_switch samples' threads then spent off
	// the CPU (switches.go), where the recording shows it.
	offNs int64
}

// add records one sample and returns its entry; hash is hashIDs(ids).
func (s *stacks) add(ids []profile.FrameID, hash uint64, labels profile.Labels, event int, period int64, line int) int32 {
	return s.addAt(ids, hash, s.labelIndex(labels), labels, event, period, line)
}

// addBlock records one sample whose stack a block resolved to, and
// returns its entry: each resolved stack finds its entry for a label set
// and event once, by pointer, instead of by hashing and comparing the
// frames each time.
func (s *stacks) addBlock(res *resolved, labels profile.Labels, event int, period int64, line int) int32 {
	l := s.labelIndex(labels)
	if l >= 1<<(32-eventBits) {
		return s.add(res.stack, res.hash, labels, event, period, line)
	}
	k := uint64(res.id)<<32 | uint64(l)<<eventBits | uint64(event)
	if i, ok := s.byBlock[k]; ok {
		a := &s.aggs[i]
		a.period += period
		a.count++
		return i
	}
	if s.byBlock == nil {
		s.byBlock = map[uint64]int32{}
	}
	i := s.addAt(res.stack, res.hash, l, labels, event, period, line)
	s.byBlock[k] = i
	return i
}

// eventBits holds an event index (< maxEvents) in addBlock's key, which
// packs the resolved stack's number, the label set's and the event's into
// one word for the map's fast path. More distinct label sets than the rest
// of the word holds take the ordinary path.
const eventBits = 7

// labelIndex numbers the distinct label sets.
func (s *stacks) labelIndex(labels profile.Labels) int32 {
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
	return s.lastID
}

// addAt records one sample with label set number l and returns the index
// of its entry in aggs.
func (s *stacks) addAt(ids []profile.FrameID, hash uint64, l int32, labels profile.Labels, event int, period int64, line int) int32 {
	k := stackKey{hash: hash, event: int32(event), labels: l}
	head, ok := s.index[k]
	if ok {
		for i := head; i >= 0; i = s.aggs[i].next {
			a := &s.aggs[i]
			if slices.Equal(s.arena[a.off:a.off+a.n], ids) {
				a.period += period
				a.count++
				return i
			}
		}
	} else {
		head = -1
	}
	s.aggs = append(s.aggs, aggStack{off: len(s.arena), n: len(ids), next: head, line: line, labels: labels, event: event, period: period, count: 1})
	s.arena = append(s.arena, ids...)
	i := int32(len(s.aggs) - 1)
	s.index[k] = i
	return i
}

// flush adds every merged sample to the builder, in first-seen order.
// Where the recording timed its context switches, the value after the
// events' is the time off the CPU (profile.OffCPUType).
func (r *reader) flushStacks() error {
	s := &r.stacks
	timed := r.switches.credited > 0
	if timed {
		r.b.AddType(profile.ValueType{Type: profile.OffCPUType, Unit: "nanoseconds"})
		r.values = append(r.values, 0)
	}
	last := len(r.values) - 1
	for i := range s.aggs {
		a := &s.aggs[i]
		k := a.event
		vals := r.values[:2*k+2]
		if timed {
			vals = r.values
			vals[last] = a.offNs
		}
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
