package views

import (
	"cmp"
	"regexp"
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// Peek lists, for each function matching a pattern, who calls it and what
// it calls, with each edge's cost and its share of the function's
// cumulative cost.
type Peek struct {
	SampleType profile.ValueType `json:"-"`
	Total      int64             `json:"total"`
	Entries    []PeekEntry       `json:"functions"` // by cumulative cost, descending, then by name
}

// PeekEntry is one matched function.
type PeekEntry struct {
	Func
	Flat      int64   `json:"flat"`
	FlatShare float64 `json:"flat_share"` // of the profile's total
	Cum       int64   `json:"cum"`
	CumShare  float64 `json:"cum_share"`
	Callers   []Edge  `json:"callers"` // by value, descending, then by name
	Callees   []Edge  `json:"callees"`
}

// Edge is a caller or callee of a PeekEntry. Root marks the callers'
// entry for stacks that start at the function; Self is the callees'
// entry for its own cost.
type Edge struct {
	Func
	Value int64   `json:"value"`
	Share float64 `json:"share"` // of the entry's Cum
	Root  bool    `json:"root,omitempty"`
	Self  bool    `json:"self,omitempty"`
}

// ComputePeek builds the peek view for functions whose name matches re.
// Each (function, caller) and (function, callee) pair counts once per
// stack, so recursion does not inflate the shares.
func ComputePeek(p *profile.Profile, re *regexp.Regexp, opt Options) *Peek {
	vi := valueIndex(p, opt.Value)
	pk := &Peek{}
	if vi >= 0 && vi < len(p.SampleTypes) {
		pk.SampleType = p.SampleTypes[vi]
	}
	self := leafValues(p, vi)
	k := newKeyer(p, opt)
	type entry struct {
		flat, cum        int64
		callers, callees map[int32]int64 // -1: root (callers) or self (callees)
	}
	entries := map[int32]*entry{}
	matched := map[int32]bool{}
	isMatch := func(key int32) bool {
		m, ok := matched[key]
		if !ok {
			m = re.MatchString(k.funcs[key].Name)
			matched[key] = m
		}
		return m
	}
	type pair struct{ fn, other int32 }
	seenIn, seenOut, seenCum := map[pair]bool{}, map[pair]bool{}, map[int32]bool{}
	var buf []int32
	for n, v := range self {
		if v == 0 {
			continue
		}
		pk.Total += v
		buf = k.stack(profile.NodeID(n), buf)
		clear(seenIn)
		clear(seenOut)
		clear(seenCum)
		for i, key := range buf {
			if !isMatch(key) {
				continue
			}
			e := entries[key]
			if e == nil {
				e = &entry{callers: map[int32]int64{}, callees: map[int32]int64{}}
				entries[key] = e
			}
			if !seenCum[key] {
				seenCum[key] = true
				e.cum += v
			}
			caller, callee := int32(-1), int32(-1)
			if i > 0 {
				caller = buf[i-1]
			}
			if i+1 < len(buf) {
				callee = buf[i+1]
			} else {
				e.flat += v
			}
			if !seenIn[pair{key, caller}] {
				seenIn[pair{key, caller}] = true
				e.callers[caller] += v
			}
			if !seenOut[pair{key, callee}] {
				seenOut[pair{key, callee}] = true
				e.callees[callee] += v
			}
		}
	}
	edges := func(m map[int32]int64, cum int64, root bool) []Edge {
		out := []Edge{}
		for key, v := range m {
			e := Edge{Value: v, Share: share(v, cum)}
			if key < 0 {
				e.Root, e.Self = root, !root
			} else {
				e.Func = k.funcs[key]
			}
			out = append(out, e)
		}
		slices.SortFunc(out, func(a, b Edge) int {
			return cmp.Or(cmp.Compare(b.Value, a.Value), compareFunc(a.Func, b.Func))
		})
		return out
	}
	for key, e := range entries {
		pk.Entries = append(pk.Entries, PeekEntry{
			Func: k.funcs[key], Flat: e.flat, Cum: e.cum,
			FlatShare: share(e.flat, pk.Total), CumShare: share(e.cum, pk.Total),
			Callers: edges(e.callers, e.cum, true), Callees: edges(e.callees, e.cum, false),
		})
	}
	slices.SortFunc(pk.Entries, func(a, b PeekEntry) int {
		return cmp.Or(cmp.Compare(b.Cum, a.Cum), compareFunc(a.Func, b.Func))
	})
	return pk
}
