package diff

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// Options select what to compare and how.
type Options struct {
	Names NameOptions
	// Absolute compares raw values (or time) instead of shares.
	Absolute bool
	// Whole compares every stack as recorded even when the sides' stacks
	// are broken to different degrees.
	Whole bool
	// Focus, Ignore and Thread select samples as explain's options do.
	// Shares stay shares of the whole (thread-selected) total, so the
	// focused part can grow or shrink.
	Focus, Ignore, Thread *regexp.Regexp
	// Top is how many function rows to keep; 0 means DefaultTop.
	Top int
	// Limits bound the profile Merge builds from several files.
	Limits profile.Limits
	// Gate, when set, is --fail-on-regression.
	Gate *Gate
}

// Gate is --fail-on-regression: a significant increase larger than
// Threshold (a fraction: 0.02 is two points of share) is a regression.
type Gate struct {
	Threshold float64
	Category  string // only this category's row counts
}

// DefaultTop is the number of function rows kept unless Options.Top says.
const DefaultTop = 25

// breakGap is how far the sides' broken shares may differ before the
// comparison falls back to leaf frames: beyond it, caller-based
// attribution would report a change in unwinding as a change in code.
const breakGap = 0.10

// minHotspot is the share a function must reach on one side, with none on
// the other, to count as a hotspot that appeared or vanished.
const minHotspot = 0.01

// side is one side while it is compared.
type side struct {
	name string // "before" or "after"
	ins  []Input
	p    *profile.Profile
	vi   int
	rep  *explain.Report
	tab  *table
	n    float64 // effective sample count for noise; +Inf when counted exactly
	toNS float64
	// python and nativeUnder are scanPython's answers for p.
	python, nativeUnder bool
	// keys and dropped are set when CompareInTurn has dropped p: tab is
	// then made for the whole mode over keys, this side's own key space,
	// and p and ins keep only the profile's metadata.
	keys    *keys
	dropped bool
}

// Compare compares before with after. cat is the hint catalogue explain
// uses for its findings.
func Compare(before, after []Input, cat *hints.Catalogue, opt Options) (*Report, error) {
	norm, err := checkInputs(before, after, &opt)
	if err != nil {
		return nil, err
	}
	b := &side{name: "before", ins: before}
	a := &side{name: "after", ins: after}
	for _, s := range []*side{b, a} {
		if s.p, s.vi, err = Merge(s.ins, opt.Limits); err != nil {
			return nil, err
		}
	}
	// explain is most of the cost, and most of its memory is its working
	// state, dropped when it returns: the sides run one after the other,
	// so the peak holds one side's analysis beside the two profiles, not
	// two (run side by side, two 95 MB folded inputs peaked at 501 MB).
	for _, s := range []*side{b, a} {
		if err := explainAndScan(s, cat, opt); err != nil {
			return nil, err
		}
	}
	return compare(b, a, norm, cat, opt)
}

// CompareInTurn is Compare for one profile a side, loaded when its turn
// comes: load(0) gives before's input and load(1) after's. Each side's
// profile is dropped once it is explained and its function table made, so
// the peak holds one profile and its analysis, not both profiles. When the
// sides turn out to need their profiles again (stacks broken to different
// degrees, or only one recorder seeing native frames under Python), both
// are loaded again and compared by Compare. The report is Compare's.
func CompareInTurn(load func(side int) (Input, error), cat *hints.Catalogue, opt Options) (*Report, error) {
	in, err := load(0)
	if err != nil {
		return nil, err
	}
	b := &side{name: "before", ins: []Input{in}}
	// Compare checks both sides' inputs before explaining either: errors
	// keep that order.
	limits, top := opt.Limits, opt.Top
	errB := checkSide("before", b.ins)
	if errB == nil {
		opt.Limits, opt.Top = withDefaults(limits, top)
		errB = prepareInTurn(b, cat, opt)
	}
	// Collect before's dropped profile now: otherwise the heap goal its
	// live size set lets after's load grow the heap past it first.
	runtime.GC()
	if in, err = load(1); err != nil {
		return nil, err
	}
	a := &side{name: "after", ins: []Input{in}}
	opt.Limits, opt.Top = limits, top
	norm, err := checkInputs(b.ins, a.ins, &opt)
	if err != nil {
		return nil, err
	}
	if errB != nil {
		return nil, errB
	}
	if err := prepareInTurn(a, cat, opt); err != nil {
		return nil, err
	}
	r, err := compare(b, a, norm, cat, opt)
	if !errors.Is(err, errProfilesDropped) {
		return r, err
	}
	b, a = nil, nil
	var ins [2]Input
	for i := range ins {
		if ins[i], err = load(i); err != nil {
			return nil, err
		}
	}
	return Compare(ins[:1], ins[1:], cat, opt)
}

// errProfilesDropped says the comparison needs the profiles
// CompareInTurn has dropped.
var errProfilesDropped = errors.New("diff: the profiles are needed again")

// checkInputs checks what Compare checks before reading any stack, fills
// opt's defaults and returns the normalisation.
func checkInputs(before, after []Input, opt *Options) (Normalization, error) {
	if err := checkSide("before", before); err != nil {
		return "", err
	}
	if err := checkSide("after", after); err != nil {
		return "", err
	}
	if err := checkPair(before[0], after[0]); err != nil {
		return "", err
	}
	norm, err := chooseNorm(opt.Absolute, before[0], after[0])
	if err != nil {
		return "", err
	}
	opt.Limits, opt.Top = withDefaults(opt.Limits, opt.Top)
	return norm, nil
}

func withDefaults(limits profile.Limits, top int) (profile.Limits, int) {
	if top <= 0 {
		top = DefaultTop
	}
	if limits == (profile.Limits{}) {
		limits = profile.DefaultLimits()
	}
	return limits, top
}

// explainAndScan explains side s and scans its profile for Python frames.
func explainAndScan(s *side, cat *hints.Catalogue, opt Options) error {
	var err error
	if s.rep, err = explainSide(s, s.p, cat, opt); err != nil {
		return err
	}
	s.python, s.nativeUnder = scanPython(s.p)
	return nil
}

// prepareInTurn explains side s (one input), makes its function table for
// the whole mode over a key space of its own, and drops its profile.
func prepareInTurn(s *side, cat *hints.Catalogue, opt Options) error {
	var err error
	if s.p, s.vi, err = Merge(s.ins, opt.Limits); err != nil {
		return err
	}
	if err := explainAndScan(s, cat, opt); err != nil {
		return err
	}
	// Explain's working state is garbage now, and the heap goal was set
	// while it was live: collect it, so that the side's function table
	// and the comparison are built in its memory instead of beside it.
	runtime.GC()
	s.keys = newKeys(len(s.p.Frames))
	fk := frameKeys(s.p, s.keys, opt.Names)
	f := filter{focus: opt.Focus, ignore: opt.Ignore, thread: opt.Thread}
	s.tab = buildTable(s.p, s.vi, f, fk, len(s.keys.list), false, false)
	// joinKeys interns the list again: the map would only hold before's
	// memory through after's explain.
	s.keys.id = nil
	s.p = husk(s.p)
	s.ins[0].Profile = husk(s.ins[0].Profile)
	s.dropped = true
	return nil
}

// husk is p without its stacks: what a compared side still reads of its
// profile (value types, metadata).
func husk(p *profile.Profile) *profile.Profile {
	return &profile.Profile{Meta: p.Meta, SampleTypes: p.SampleTypes, DefaultType: p.DefaultType}
}

// joinKeys puts the dropped sides' tables on one key space: before's keys
// first, then after's new ones, the order frameKeys gives them in Compare.
func joinKeys(b, a *side) *keys {
	// After mostly repeats before's functions.
	ks := newKeys(max(len(b.keys.list), len(a.keys.list)))
	for _, s := range []*side{b, a} {
		ids := make([]int32, len(s.keys.list))
		for i, k := range s.keys.list {
			ids[i] = ks.intern(k)
		}
		s.keys = nil
		s.tab.self = remap(s.tab.self, ids, len(ks.list))
		s.tab.total = remap(s.tab.total, ids, len(ks.list))
	}
	// before's table was made before after's keys were known.
	b.tab.self = slices.Grow(b.tab.self, len(ks.list)-len(b.tab.self))[:len(ks.list)]
	b.tab.total = slices.Grow(b.tab.total, len(ks.list)-len(b.tab.total))[:len(ks.list)]
	return ks
}

// remap moves per-key values to the joined key space of n keys.
func remap(v []int64, ids []int32, n int) []int64 {
	out := make([]int64, n)
	for i, x := range v {
		out[ids[i]] = x
	}
	return out
}

// compare finishes the comparison of two explained sides.
func compare(b, a *side, norm Normalization, cat *hints.Catalogue, opt Options) (*Report, error) {
	r := &Report{Schema: Schema, Normalization: norm, Warnings: []string{}}

	// What part of the recordings is comparable.
	r.Comparable = Comparable{Mode: "whole", BeforeBroken: broken(b.rep), AfterBroken: broken(a.rep)}
	pyB, nuB := b.python, b.nativeUnder
	pyA, nuA := a.python, a.nativeUnder
	pyLeaf := false
	gap := math.Abs(r.Comparable.BeforeBroken - r.Comparable.AfterBroken)
	dropped := b.dropped || a.dropped
	switch {
	case gap > breakGap && !opt.Whole:
		if dropped {
			return nil, errProfilesDropped
		}
		r.Comparable.Mode = "leaf"
		r.Comparable.Reason = fmt.Sprintf("%s of before's cost and %s of after's is on stacks that never reach a process root (the recordings unwound differently): categories and functions are compared on the leaf frames alone, which both show; findings, which rest on callers, are not compared (--whole compares the stacks as recorded)", pct(r.Comparable.BeforeBroken), pct(r.Comparable.AfterBroken))
		err := bothSides(b, a, func(s *side) error {
			lp, err := leafProfile(s.p, s.vi, opt.Limits)
			if err != nil {
				return err
			}
			// Categories come from the leaf projection; the broken share
			// and sample count stay those of the recording.
			lr, err := explainSide(s, lp, cat, opt)
			if err != nil {
				return err
			}
			s.rep.Categories = lr.Categories
			return nil
		})
		if err != nil {
			return nil, err
		}
	case pyB && pyA && nuB != nuA && !opt.Whole:
		if dropped {
			return nil, errProfilesDropped
		}
		r.Comparable.Mode = "python"
		pyLeaf = true
		s := b
		if nuA {
			s = a
		}
		r.Comparable.Reason = fmt.Sprintf("only %s's recorder saw native frames below Python code: they are folded into the Python function that called them, as the other recorder shows it; categories and findings come from the stacks cut there (--whole compares the stacks as recorded)", s.name)
		pp, err := pythonProfile(s.p, s.vi, opt.Limits)
		if err != nil {
			return nil, err
		}
		pr, err := explainSide(s, pp, cat, opt)
		if err != nil {
			return nil, err
		}
		// Keep what the recording itself shows about its capture.
		pr.Quality, pr.Warnings, pr.Samples = s.rep.Quality, s.rep.Warnings, s.rep.Samples
		s.rep = pr
	case gap > breakGap:
		r.Comparable.Reason = fmt.Sprintf("compared as recorded (--whole), although %s of before's cost and %s of after's is on broken stacks", pct(r.Comparable.BeforeBroken), pct(r.Comparable.AfterBroken))
		r.Warnings = append(r.Warnings, "the sides unwound differently; caller-based changes may be changes in unwinding, not in code")
	default:
		r.Comparable.Reason = fmt.Sprintf("both recordings unwound alike (%s and %s of cost on broken stacks): compared as recorded", pct(r.Comparable.BeforeBroken), pct(r.Comparable.AfterBroken))
	}

	// Function tables over one key space.
	leafMode := r.Comparable.Mode == "leaf"
	var ks *keys
	if dropped {
		ks = joinKeys(b, a)
	} else {
		ks = &keys{id: map[Key]int32{}}
		fkB := frameKeys(b.p, ks, opt.Names)
		fkA := frameKeys(a.p, ks, opt.Names)
		f := filter{focus: opt.Focus, ignore: opt.Ignore, thread: opt.Thread}
		b.tab = buildTable(b.p, b.vi, f, fkB, len(ks.list), pyLeaf, leafMode)
		a.tab = buildTable(a.p, a.vi, f, fkA, len(ks.list), pyLeaf, leafMode)
	}
	for _, s := range []*side{b, a} {
		if s.tab.whole <= 0 {
			return nil, fmt.Errorf("the %s side (%s) has no samples left to compare", s.name, strings.Join(paths(s.ins), ", "))
		}
	}
	r.Noise = judgeNoise(b, a, r)
	r.Before, r.After = describeSide(b), describeSide(a)
	b.toNS, a.toNS = toNS(b.ins[0]), toNS(a.ins[0])
	r.Total = totalRow(b, a, norm)
	if norm == Shares && r.Before.RateHz > 0 && r.After.RateHz > 0 {
		ratio := r.Before.RateHz / r.After.RateHz
		if ratio > 1.25 || ratio < 0.8 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("the sides were sampled at different rates (about %.0f Hz and %.0f Hz): shares do not depend on the rate; the noise test uses each side's own sample count", r.Before.RateHz, r.After.RateHz))
		}
	}
	if r.Before.Recording != r.After.Recording && r.Before.Recording != "" && r.After.Recording != "" {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the sides are different kinds of recording (before %s, after %s): their shares mean different things", r.Before.Recording, r.After.Recording))
	}

	r.Categories = categoryRows(b, a, norm, r.Noise.Method)
	// A memory profile's leaf is always the allocator: its functions are
	// compared by inclusive cost, which names the allocation sites.
	memory := b.rep.Input.Recording == "memory" && a.rep.Input.Recording == "memory"
	if memory {
		r.Comparable.Reason += "; functions compared by inclusive cost (every allocation's callers), since the leaf of a memory profile is the allocator"
	}
	fnRows := functionRows(b, a, ks, norm, r.Noise.Method, !leafMode, memory)
	r.Callers = []Row{}
	// Recorders unwind Python stacks to different depths (perf -X perf
	// stops at the innermost Python frame), so callers are compared only
	// on stacks recorded alike.
	if r.Comparable.Mode == "whole" && !memory {
		r.Callers = callerRows(b, a, ks, norm, r.Noise.Method, opt.Top)
	}
	r.Hotspots = hotspots(fnRows)
	r.Functions, r.Unchanged = topRows(fnRows, opt.Top)
	if opt.Focus != nil {
		fr := makeRow(b, a, b.tab.focused, a.tab.focused, norm, r.Noise.Method)
		fr.Name = "focus " + opt.Focus.String()
		markSignificant([]*Row{&fr}, 1, r.Noise.Method)
		r.Focus = &fr
	}
	r.Findings = compareFindings(b.rep, a.rep, r.Comparable.Mode != "leaf")
	if opt.Gate != nil {
		r.Gate = gate(r, fnRows, *opt.Gate)
		r.Regression = len(r.Gate.Tripped) > 0
	}
	return r, nil
}

// bothSides runs f on both sides concurrently and returns before's error
// first, so the message does not depend on scheduling.
func bothSides(b, a *side, f func(*side) error) error {
	var errA error
	done := make(chan struct{})
	go func() {
		defer close(done)
		errA = f(a)
	}()
	errB := f(b)
	<-done
	if errB != nil {
		return errB
	}
	return errA
}

func paths(ins []Input) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.Path
	}
	return out
}

func explainSide(s *side, p *profile.Profile, cat *hints.Catalogue, opt Options) (*explain.Report, error) {
	rep, err := explain.Explain(p, cat, explain.Options{
		Path: strings.Join(paths(s.ins), "+"), Value: s.vi,
		Focus: opt.Focus, Ignore: opt.Ignore, Thread: reString(opt.Thread),
	})
	if err != nil {
		if errors.Is(err, profile.ErrNoSamples) || strings.Contains(err.Error(), "no samples") {
			return nil, fmt.Errorf("the %s side (%s) is empty: %w", s.name, strings.Join(paths(s.ins), ", "), err)
		}
		return nil, fmt.Errorf("%s side (%s): %w", s.name, strings.Join(paths(s.ins), ", "), err)
	}
	return rep, nil
}

func reString(re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	return re.String()
}

func frameKeys(p *profile.Profile, ks *keys, opt NameOptions) []int32 {
	// A frame's key depends on the frame alone: the halves of a large
	// table are keyed at once. Interning stays in frame order, so the IDs
	// do not depend on which half finishes first.
	fk := make([]Key, len(p.Frames))
	keyFrames := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			fk[i] = FrameKey(p.Frames[i], opt)
		}
	}
	if half := len(fk) / 2; len(fk) >= minSplit && runtime.GOMAXPROCS(0) > 1 {
		done := make(chan struct{})
		go func() {
			defer close(done)
			keyFrames(half, len(fk))
		}()
		keyFrames(0, half)
		<-done
	} else {
		keyFrames(0, len(fk))
	}
	out := make([]int32, len(p.Frames))
	for i := range fk {
		out[i] = ks.intern(fk[i])
	}
	return out
}

// minSplit is the least number of frames worth keying in two goroutines.
const minSplit = 4096

// leafProfile keeps only each sample's leaf frame (an inlined leaf counts
// as the function it was inlined into): the part of a stack every
// recorder shows, however it unwound.
func leafProfile(p *profile.Profile, vi int, limits profile.Limits) (*profile.Profile, error) {
	return project(p, vi, limits, func(stack []profile.FrameID) []profile.FrameID {
		i := len(stack) - 1
		for i > 0 && p.Frames[stack[i]].Inlined {
			i--
		}
		return stack[i : i+1]
	})
}

// pythonProfile cuts each stack below its innermost Python frame: what a
// recorder that sees only Python frames shows.
func pythonProfile(p *profile.Profile, vi int, limits profile.Limits) (*profile.Profile, error) {
	return project(p, vi, limits, func(stack []profile.FrameID) []profile.FrameID {
		for i := len(stack) - 1; i >= 0; i-- {
			if p.Frames[stack[i]].Kind == profile.KindPython {
				return stack[:i+1]
			}
		}
		return stack
	})
}

// project rebuilds p's chosen value with every stack passed through cut.
func project(p *profile.Profile, vi int, limits profile.Limits, cut func([]profile.FrameID) []profile.FrameID) (*profile.Profile, error) {
	b := profile.NewBuilder(p.Meta.Format, []profile.ValueType{p.SampleTypes[vi]}, limits)
	m := b.Meta()
	m.Format, m.Producer, m.Recording = p.Meta.Format, p.Meta.Producer, p.Meta.Recording
	ids := make([]profile.FrameID, len(p.Frames))
	for i, f := range p.Frames {
		id, err := b.Frame(f)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	var stack []profile.FrameID
	for _, s := range p.Samples {
		if s.Values[vi] == 0 || s.Node == profile.RootNode {
			continue
		}
		stack = stack[:0]
		for _, f := range cut(p.Stack(s.Node)) {
			stack = append(stack, ids[f])
		}
		if err := b.Add(stack, *s.Labels, s.Count, s.Values[vi]); err != nil {
			return nil, err
		}
	}
	return b.Profile(), nil
}

func describeSide(s *side) Side {
	vt := s.p.SampleTypes[s.vi]
	out := Side{
		Paths: paths(s.ins), Format: s.rep.Input.Format, Recording: s.rep.Input.Recording, Producer: s.rep.Input.Producer,
		SampleType: SampleType{Name: vt.Type, Unit: vt.Unit},
		Total:      s.tab.whole, Samples: s.tab.count, BrokenShare: broken(s.rep),
		Findings: []string{}, Warnings: append([]string{}, s.rep.Warnings...),
	}
	if u := timeUnit(vt.Unit); u > 0 && s.tab.count > 0 && s.tab.whole > 0 && s.rep.Input.Recording != "off-cpu" {
		out.RateHz = float64(s.tab.count) / (float64(s.tab.whole) * u / 1e9)
	}
	for _, f := range s.rep.Findings {
		out.Findings = append(out.Findings, f.Hint)
	}
	return out
}

// judgeNoise decides how noise is judged and each side's effective n.
func judgeNoise(b, a *side, r *Report) NoiseInfo {
	info := NoiseInfo{Method: Binomial, Interval: "95% Newcombe-Wilson interval on the difference of two proportions (n = each side's input samples)", Correction: "Holm (family-wise error) per table: categories, functions", Alpha: Alpha}
	var reasons []string
	for _, s := range []*side{b, a} {
		switch {
		case s.rep.Input.Format == "dhat":
			s.n = math.Inf(1)
		case s.tab.count <= 0:
			reasons = append(reasons, fmt.Sprintf("%s carries no sample counts", strings.Join(paths(s.ins), ", ")))
		case s.rep.Input.Recording == "memory":
			reasons = append(reasons, fmt.Sprintf("%s is a sampled heap profile whose values are weighted estimates, not counts", strings.Join(paths(s.ins), ", ")))
		default:
			// A folded file of summed periods has its counts in samples
			// already: the reader divides them by the period.
			s.n = float64(s.tab.count)
		}
	}
	switch {
	case len(reasons) > 0:
		info = NoiseInfo{Method: Unknown, Reason: strings.Join(reasons, "; ") + ": noise cannot be judged, so no change is marked significant", Alpha: Alpha}
		r.Warnings = append(r.Warnings, info.Reason)
	case math.IsInf(b.n, 1) && math.IsInf(a.n, 1):
		info = NoiseInfo{Method: Exact, Reason: "both sides were counted, not sampled (DHAT): every difference is real for these runs (run-to-run variation is not measured)", Alpha: Alpha}
	}
	return info
}

func totalRow(b, a *side, norm Normalization) TotalRow {
	t := TotalRow{Before: b.tab.whole, After: a.tab.whole, Unit: b.p.SampleTypes[b.vi].Unit}
	fb, fa := 1.0, 1.0
	if norm == Time || (norm == Shares && b.toNS > 0 && a.toNS > 0) {
		fb, fa = b.toNS, a.toNS
		t.Unit = "nanoseconds"
		t.Before, t.After = int64(float64(b.tab.whole)*fb), int64(float64(a.tab.whole)*fa)
	}
	if b.tab.whole > 0 {
		t.Delta = (float64(a.tab.whole)*fa - float64(b.tab.whole)*fb) / (float64(b.tab.whole) * fb)
	}
	return t
}

// makeRow compares values vb and va (in each side's own units).
func makeRow(b, a *side, vb, va int64, norm Normalization, noise Noise) Row {
	tb, ta := float64(b.tab.whole), float64(a.tab.whole)
	r := Row{BeforeValue: vb, AfterValue: va, BeforeShare: float64(vb) / tb, AfterShare: float64(va) / ta}
	p1, p2 := r.BeforeShare, r.AfterShare
	if norm == Shares {
		r.Delta = p2 - p1
		if noise != Unknown {
			lo, hi := newcombe(p1, b.n, p2, a.n)
			r.Interval = &[2]float64{lo, hi}
			r.pv = pValue(p1, b.n, p2, a.n)
		}
		return r
	}
	// Absolute or time: the change in value, as a fraction of the before
	// total, with each side's count taken as Poisson.
	fb, fa := 1.0, 1.0
	if norm == Time {
		fb, fa = b.toNS, a.toNS
	}
	base := tb * fb
	r.Delta = (float64(va)*fa - float64(vb)*fb) / base
	if noise != Unknown {
		// A side's value is (share*n) samples of (total/n) each.
		v := func(p, n, total, f float64) float64 {
			if math.IsInf(n, 1) {
				return 0
			}
			w := total * f / n
			return p * n * w * w
		}
		se := math.Sqrt(v(p1, b.n, tb, fb)+v(p2, a.n, ta, fa)) / base
		r.Interval = &[2]float64{r.Delta - z95*se, r.Delta + z95*se}
		switch {
		case r.Delta == 0:
			r.pv = 1
		case se == 0:
			r.pv = 0
		default:
			r.pv = math.Erfc(math.Abs(r.Delta) / se / math.Sqrt2)
		}
	}
	return r
}

// markSignificant applies Holm over a family of m rows.
func markSignificant(rows []*Row, m int, noise Noise) {
	if noise == Unknown {
		return
	}
	ps := make([]float64, len(rows))
	for i, r := range rows {
		ps[i] = r.pv
	}
	for i, ok := range holm(ps, m) {
		rows[i].Significant = ok && rows[i].Delta != 0
	}
}

func categoryRows(b, a *side, norm Normalization, noise Noise) []Row {
	val := map[string][2]int64{}
	var names []string
	for i, rep := range []*explain.Report{b.rep, a.rep} {
		for _, c := range rep.Categories {
			v, ok := val[c.Name]
			if !ok {
				names = append(names, c.Name)
			}
			v[i] += c.Value
			val[c.Name] = v
		}
	}
	rows := make([]Row, 0, len(names))
	for _, n := range names {
		v := val[n]
		if v[0] == 0 && v[1] == 0 {
			continue
		}
		r := makeRow(b, a, v[0], v[1], norm, noise)
		r.Name = n
		rows = append(rows, r)
	}
	ptrs := make([]*Row, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	markSignificant(ptrs, len(rows), noise)
	sortRows(rows)
	return rows
}

// sortRows orders by delta, largest rise first, then by label.
func sortRows(rows []Row) {
	sortRowsBy(rows, func(x, y *Row) int { return cmp.Compare(y.Delta, x.Delta) })
}

// sortRowsBy sorts rows stably by order, then by label. Each label is
// made once, and the rows, which are large, are moved once: a function
// table has a row for every distinct function of both profiles.
func sortRowsBy(rows []Row, order func(x, y *Row) int) {
	if len(rows) < 2 {
		return
	}
	labels := make([]string, len(rows))
	idx := make([]int32, len(rows))
	for i := range rows {
		labels[i], idx[i] = rows[i].Label(), int32(i)
	}
	slices.SortStableFunc(idx, func(i, j int32) int {
		if c := order(&rows[i], &rows[j]); c != 0 {
			return c
		}
		return strings.Compare(labels[i], labels[j])
	})
	sorted := make([]Row, len(rows))
	for k, i := range idx {
		sorted[k] = rows[i]
	}
	copy(rows, sorted)
}

// bySignificantChange puts significant rows first, then the larger
// changes either way.
func bySignificantChange(x, y *Row) int {
	if x.Significant != y.Significant {
		if x.Significant {
			return -1
		}
		return 1
	}
	return cmp.Compare(math.Abs(y.Delta), math.Abs(x.Delta))
}

func functionRows(b, a *side, ks *keys, norm Normalization, noise Noise, inclusive, byTotal bool) []Row {
	// Counted first: a row is large, and growing the slice would copy
	// every row made so far several times over.
	n := 0
	for id := range ks.list {
		if b.tab.total[id] != 0 || a.tab.total[id] != 0 {
			n++
		}
	}
	var rows []Row
	if n > 0 {
		rows = make([]Row, 0, n)
	}
	for id, k := range ks.list {
		sb, sa := b.tab.self[id], a.tab.self[id]
		if byTotal {
			sb, sa = b.tab.total[id], a.tab.total[id]
		}
		if b.tab.total[id] == 0 && a.tab.total[id] == 0 {
			continue
		}
		r := makeRow(b, a, sb, sa, norm, noise)
		r.Function, r.File = k.Name, k.Place
		if k.Line > 0 {
			r.Function += fmt.Sprintf(":%d", k.Line)
		}
		if inclusive {
			tb := float64(b.tab.total[id]) / float64(b.tab.whole)
			ta := float64(a.tab.total[id]) / float64(a.tab.whole)
			r.BeforeTotalShare, r.AfterTotalShare = &tb, &ta
		}
		rows = append(rows, r)
	}
	ptrs := make([]*Row, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	markSignificant(ptrs, len(rows), noise)
	sortRowsBy(rows, bySignificantChange)
	return rows
}

// maxCallers bounds the caller rows: they are context for the functions.
const maxCallers = 10

// callerRows compares inclusive shares and keeps the significant changes
// that a function's own self share does not account for.
func callerRows(b, a *side, ks *keys, norm Normalization, noise Noise, top int) []Row {
	var rows []Row
	for id, k := range ks.list {
		tb, ta := b.tab.total[id], a.tab.total[id]
		if tb == 0 && ta == 0 || k.Name == ThreadRoot || k.Name == ProcessRoot {
			continue
		}
		r := makeRow(b, a, tb, ta, norm, noise)
		r.Function, r.File = k.Name, k.Place
		selfDelta := float64(a.tab.self[id])/float64(a.tab.whole) - float64(b.tab.self[id])/float64(b.tab.whole)
		if math.Abs(r.Delta-selfDelta) < 0.5*math.Abs(r.Delta) {
			// Mostly its own cost: the function rows show it.
			r.pv = 1
		}
		rows = append(rows, r)
	}
	ptrs := make([]*Row, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	markSignificant(ptrs, len(rows), noise)
	var out []Row
	for _, r := range rows {
		if r.Significant {
			out = append(out, r)
		}
	}
	sortRowsBy(out, func(x, y *Row) int { return cmp.Compare(math.Abs(y.Delta), math.Abs(x.Delta)) })
	if len(out) > min(top, maxCallers) {
		out = out[:min(top, maxCallers)]
	}
	sortRows(out)
	if out == nil {
		out = []Row{}
	}
	return out
}

// topRows keeps the significant rows and the largest others, top in all,
// and counts the rows within noise.
func topRows(rows []Row, top int) ([]Row, int) {
	unchanged := 0
	for _, r := range rows {
		if !r.Significant && r.Delta != 0 {
			unchanged++
		}
	}
	if len(rows) > top {
		rows = rows[:top]
	}
	out := append([]Row{}, rows...)
	sortRows(out)
	return out, unchanged
}

func hotspots(rows []Row) Hotspots {
	h := Hotspots{Appeared: []Row{}, Vanished: []Row{}}
	for _, r := range rows {
		switch {
		case !r.Significant:
		case r.BeforeValue == 0 && r.AfterShare >= minHotspot:
			h.Appeared = append(h.Appeared, r)
		case r.AfterValue == 0 && r.BeforeShare >= minHotspot:
			h.Vanished = append(h.Vanished, r)
		}
	}
	sortRows(h.Appeared)
	sortRows(h.Vanished)
	slices.Reverse(h.Vanished) // largest fall first
	return h
}

func compareFindings(b, a *explain.Report, compared bool) Findings {
	out := Findings{Resolved: []FindingDiff{}, New: []FindingDiff{}, Persisting: []FindingDiff{}, Compared: compared}
	if !compared {
		return out
	}
	after := map[string]explain.Finding{}
	for _, f := range a.Findings {
		if _, ok := after[f.Hint]; !ok {
			after[f.Hint] = f
		}
	}
	seen := map[string]bool{}
	for _, f := range b.Findings {
		if seen[f.Hint] {
			continue
		}
		seen[f.Hint] = true
		d := FindingDiff{Hint: f.Hint, Title: f.Title, BeforeShare: f.Share, BeforeFunctions: nonNil(f.Functions), AfterFunctions: []string{}}
		if g, ok := after[f.Hint]; ok {
			d.AfterShare, d.AfterFunctions = g.Share, nonNil(g.Functions)
			out.Persisting = append(out.Persisting, d)
		} else {
			out.Resolved = append(out.Resolved, d)
		}
	}
	for _, f := range a.Findings {
		if seen[f.Hint] {
			continue
		}
		seen[f.Hint] = true
		out.New = append(out.New, FindingDiff{Hint: f.Hint, Title: f.Title, AfterShare: f.Share, BeforeFunctions: []string{}, AfterFunctions: nonNil(f.Functions)})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return append([]string{}, s...)
}

// gate finds the significant rises above the threshold. Where noise
// cannot be judged, every rise above the threshold counts: a gate that
// cannot tell should not pass silently.
func gate(r *Report, fnRows []Row, g Gate) *GateResult {
	res := &GateResult{Threshold: g.Threshold, Scope: "categories and functions", Tripped: []Row{}}
	trips := func(row Row) bool {
		return row.Delta > g.Threshold && (row.Significant || r.Noise.Method == Unknown)
	}
	if g.Category != "" {
		res.Scope = "category " + g.Category
		for _, row := range r.Categories {
			if row.Name == g.Category && trips(row) {
				res.Tripped = append(res.Tripped, row)
			}
		}
		return res
	}
	if r.Focus != nil {
		res.Scope = r.Focus.Name + ", its categories and functions"
		if trips(*r.Focus) {
			res.Tripped = append(res.Tripped, *r.Focus)
		}
	}
	for _, row := range r.Categories {
		if trips(row) {
			res.Tripped = append(res.Tripped, row)
		}
	}
	for _, row := range fnRows {
		if trips(row) {
			res.Tripped = append(res.Tripped, row)
		}
	}
	sortRows(res.Tripped)
	return res
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// broken is the share of a side's cost on stacks cut short below their
// Python frames. Stacks cut at a Python function (DWARF unwinding that
// stops at -X perf's trampolines) lose only their Python callers: their
// leaves, categories and findings compare as recorded.
func broken(r *explain.Report) float64 {
	return r.Quality.Truncated - r.Quality.TruncatedAtPython
}
