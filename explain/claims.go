package explain

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/hotspot-dev/hotspot/hints"
)

// claimFn says what part of kept sample k's value a finding is about: a
// fraction in [0, 1], 0 for samples it has nothing to say about.
type claimFn func(k int) float64

// whole turns a predicate into a claim on whole samples.
func whole(pred func(k int) bool) claimFn {
	return func(k int) float64 {
		if pred(k) {
			return 1
		}
		return 0
	}
}

// resolved is a candidate after the claims: the value it holds alone.
type resolved struct {
	candidate
	spec    hints.Spec
	samples float64 // input samples (counts) claimed
	// takenBy is the value of the samples it asked for that a finding of
	// lower claim rank (a cause) took first, by that finding's hint.
	takenBy map[string]int64
	// take is, per kept sample, the part of it the finding holds.
	take []float64
}

// resolveClaims gives each unit of cost to at most one finding: candidates
// claim samples in the order of their specs' claim ranks (causes before the
// mechanisms they set off), each taking only what is left. A candidate
// whose claim is below its spec's floors is dropped and its claim released,
// so the values of the findings kept add up to at most the active total.
// Late claims (lost parallelism: a share of other code's samples that a
// fix would let run beside each other) come after every direct claim.
func (a *analysis) resolveClaims(cs []candidate) []resolved {
	specOf := func(id string) hints.Spec {
		if h, ok := a.catalogue.Lookup(id); ok {
			return h.Spec
		}
		return hints.Spec{}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		ri, rj := specOf(cs[i].hint).ClaimRank, specOf(cs[j].hint).ClaimRank
		if ri != rj {
			return ri < rj
		}
		return cs[i].hint < cs[j].hint
	})
	n := len(a.samples)
	claimed := make([]float64, n)
	owner := &owners{of: make([]int32, n)}
	activeCount := float64(a.activeCount())
	var out []resolved
	var takes [][]float64 // per kept candidate, its takes (direct then late)
	for _, c := range cs {
		sp := specOf(c.hint)
		if c.claim == nil {
			// Without a claim a finding cannot be held to the others:
			// leave it out rather than double-count.
			continue
		}
		if !sp.Applies(a.recording) {
			a.ruleOut(c, fmt.Sprintf("a %s recording cannot show the cost it removes", a.recording))
			continue
		}
		if missing := a.missingFeature(sp.Needs); missing != "" {
			a.ruleOut(c, "it needs "+missing+", which this recording does not have")
			continue
		}
		r := resolved{candidate: c, spec: sp, takenBy: map[string]int64{}}
		r.value = 0 // the claim decides the value, not the detector's measure
		take := a.takeClaim(&r, c.claim, claimed, owner)
		if c.lateClaim == nil && !a.meetsFloor(r, activeCount) {
			a.ruleOut(c, a.floorReason(r, activeCount))
			continue
		}
		commit(take, claimed, owner, c.ownerName())
		r.take = take
		out = append(out, r)
		takes = append(takes, take)
	}
	for i := range out {
		if out[i].lateClaim == nil {
			continue
		}
		take := a.takeClaim(&out[i], out[i].lateClaim, claimed, owner)
		commit(take, claimed, owner, out[i].ownerName())
		for k, t := range take {
			takes[i][k] += t
		}
	}
	kept := out[:0]
	for i, r := range out {
		if r.lateClaim != nil && !a.meetsFloor(r, activeCount) {
			a.ruleOut(r.candidate, a.floorReason(r, activeCount))
			for k, t := range takes[i] {
				claimed[k] -= t
			}
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

// takeClaim computes what claim f can still take and adds it to r.
func (a *analysis) takeClaim(r *resolved, f claimFn, claimed []float64, owner *owners) []float64 {
	take := make([]float64, len(a.samples))
	var v, cnt float64
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		want := math.Min(f(k), 1)
		if want <= 0 {
			continue
		}
		t := math.Max(0, math.Min(want, 1-claimed[k]))
		if o := owner.of[k]; t < want && o > 0 {
			r.takenBy[owner.names[o-1]] += int64((want - t) * float64(a.val[k]))
		}
		if t <= 0 {
			continue
		}
		take[k] = t
		v += t * float64(a.val[k])
		cnt += t * float64(a.p.Samples[a.samples[k]].Count)
	}
	r.value += int64(math.Round(v))
	r.samples += cnt
	return take
}

// ownerName names a candidate where others say it took their cost: its
// hint, and its variant where one hint has several findings (json's
// pure-Python encoder beside the codec swap).
func (c *candidate) ownerName() string {
	if c.variant == "" {
		return c.hint
	}
	return c.hint + " (" + c.variant + ")"
}

func commit(take, claimed []float64, owner *owners, hint string) {
	var id int32
	for k, t := range take {
		if t > 0 {
			claimed[k] += t
			if owner.of[k] == 0 {
				if id == 0 {
					owner.names = append(owner.names, hint)
					id = int32(len(owner.names))
				}
				owner.of[k] = id
			}
		}
	}
}

// owners says, per kept sample, which finding claimed it first: 1 + an
// index in names, 0 for none (4 bytes a sample where a name costs 16).
type owners struct {
	of    []int32
	names []string
}

// meetsFloor applies a spec's evidence floors to a resolved claim: enough
// samples, a large enough share, and (for sampled recordings) a 95%
// interval whose lower end still clears the spec's low floor.
func (a *analysis) meetsFloor(r resolved, activeCount float64) bool {
	if r.value <= 0 {
		return false
	}
	sh := a.activeShare(r.value)
	if sh < r.spec.MinShare {
		return false
	}
	if a.recording == RecMemory || activeCount <= 0 {
		return true
	}
	if r.samples < float64(r.spec.MinSamples) {
		return false
	}
	lo, _ := wilson(r.samples/activeCount, activeCount)
	return lo >= r.spec.MinLow
}

// wilson is the 95% Wilson score interval of a proportion p over n trials.
func wilson(p, n float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	const z = 1.96
	d := 1 + z*z/n
	c := p + z*z/(2*n)
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	return math.Max(0, (c-h)/d), math.Min(1, (c+h)/d)
}

// hasFeatures says whether the recording has the capture features a spec
// needs.
func (a *analysis) hasFeatures(needs []string) bool { return a.missingFeature(needs) == "" }

// missingFeature names the first capture feature of needs the recording
// lacks, "" when it has them all.
func (a *analysis) missingFeature(needs []string) string {
	for _, f := range needs {
		switch f {
		case "native-frames":
			if !a.cls.nativeFrames {
				return "native frames"
			}
		case "python-frames":
			if !a.cls.pyProc {
				return "Python frames"
			}
		case "threads":
			if a.threadCount() < 2 {
				return "two or more threads"
			}
		case "time":
			if a.nsPerUnit() == 0 {
				return "values in time units"
			}
		}
	}
	return ""
}

// floorReason says which of its spec's evidence floors a claim missed, or
// which finding took the cost it asked for.
func (a *analysis) floorReason(r resolved, activeCount float64) string {
	if r.value <= 0 {
		if by := topTaker(r.takenBy); by != "" {
			return "its cost is counted under " + by + ", the finding that causes it"
		}
		if r.emptyWhy != "" {
			return r.emptyWhy
		}
		return "nothing is left of its evidence once the findings above claim theirs"
	}
	sh := a.activeShare(r.value)
	what := fmt.Sprintf("%s of the %s", pct(sh), a.activeNoun())
	if a.recording != RecMemory && activeCount > 0 {
		what = fmt.Sprintf("%s (%s)", what, plural(int64(math.Round(r.samples)), "sample"))
	}
	var taken int64
	for _, v := range r.takenBy {
		taken += v
	}
	switch by := topTaker(r.takenBy); {
	case sh < r.spec.MinShare && by != "" && r.takenBy[by] > r.value && len(r.takenBy) == 1:
		// Most of what it asked for went to a finding that causes it: say
		// so, or the reader takes the small rest for all the evidence.
		return fmt.Sprintf("most of its evidence (%s of the %s) is counted under %s, the finding that causes it; what is left, %s, is under its floor of %s",
			pct(a.activeShare(r.takenBy[by]+r.value)), a.activeNoun(), by, what, pct(r.spec.MinShare))
	case sh < r.spec.MinShare && taken > 0:
		// Part of what it asked for went to findings that cause it.
		return fmt.Sprintf("of its evidence (%s of the %s), %s is counted under the findings that cause it (%s); what is left, %s, is under its floor of %s",
			pct(a.activeShare(taken+r.value)), a.activeNoun(), pct(a.activeShare(taken)), a.takers(r.takenBy), what, pct(r.spec.MinShare))
	case sh < r.spec.MinShare:
		return fmt.Sprintf("its evidence is %s, under its floor of %s", what, pct(r.spec.MinShare))
	case a.recording != RecMemory && activeCount > 0 && r.samples < float64(r.spec.MinSamples):
		return fmt.Sprintf("its evidence is %s, under its floor of %d samples", what, r.spec.MinSamples)
	}
	lo, _ := wilson(r.samples/activeCount, activeCount)
	return fmt.Sprintf("its evidence is %s, but the low end of its 95%% interval (%s) is under the %s it needs to be told from noise", what, pct(lo), pct(r.spec.MinLow))
}

// takers lists the findings that took part of a claim, largest first:
// "12.5% by zero-copy-boundary, 4.5% by batch-ffi-calls".
func (a *analysis) takers(m map[string]int64) string {
	var parts []string
	for _, n := range tally(m).top(len(m)) {
		parts = append(parts, pct(a.activeShare(n.v))+" by "+n.name)
	}
	return strings.Join(parts, ", ")
}

// topTaker is the hint that took the most of a claim, "" for none.
func topTaker(m map[string]int64) string {
	best, bv := "", int64(0)
	for h, v := range m {
		if v > bv || v == bv && h < best {
			best, bv = h, v
		}
	}
	return best
}

// ruleOut records why a candidate the detectors raised is not a finding:
// the report's "not recommended" list. One entry per hint, the first
// reason kept.
func (a *analysis) ruleOut(c candidate, reason string) {
	for _, r := range a.ruledOut {
		if r.Hint == c.hint {
			return
		}
	}
	title := c.hint
	if h, ok := a.catalogue.Lookup(c.hint); ok {
		title = h.Title
	}
	a.ruledOut = append(a.ruledOut, RuledOut{Hint: c.hint, Title: title, Functions: c.functions, Reason: upperFirst(reason) + "."})
}

// claimNote states what the finding claims alone, and which findings took
// part of what it asked for.
func (a *analysis) claimNote(r resolved) string {
	type hv struct {
		h string
		v int64
	}
	var list []hv
	for h, v := range r.takenBy {
		if a.activeShare(v) >= 0.001 {
			list = append(list, hv{h, v})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].v != list[j].v {
			return list[i].v > list[j].v
		}
		return list[i].h < list[j].h
	})
	claim := fmt.Sprintf(" This finding claims %s of the active %s", pct(a.activeShare(r.value)), a.costNoun())
	if a.recording != RecMemory && a.count != a.total && a.count > 0 {
		claim += fmt.Sprintf(" (%s samples)", thousands(int64(math.Round(r.samples))))
	}
	if len(list) == 0 {
		return claim + ", no part of it claimed by another finding."
	}
	var parts []string
	for _, x := range list {
		parts = append(parts, fmt.Sprintf("%s by %s", pct(a.activeShare(x.v)), x.h))
	}
	who := "the finding that causes it"
	if len(parts) > 1 {
		who = "the findings that cause it"
	}
	return claim + "; the rest of what it names is counted under " + who + " (" + joinNames(parts, len(parts)) + ")."
}

func sumTaken(m map[string]int64) int64 {
	var s int64
	for _, v := range m {
		s += v
	}
	return s
}

// plural writes a count and its noun, with an s after any count but one.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}
