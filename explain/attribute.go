package explain

import (
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// analysis carries one Explain run's intermediate results between the steps.
type analysis struct {
	p         *profile.Profile
	vi        int
	cls       *classifier
	recording string
	// nearTop and stepTallies keep loopsNearTop's and loopStepTally's
	// answers, each a walk over the tree asked for more than once.
	nearTop     tally
	stepTallies map[string]tally
	// leafAt is, per kept sample, the index in its stack of the frame
	// charged with its self cost (effectiveLeaf), set by computeFunctions
	// for every active sample with a stack.
	leafAt []int32
	// entryRoles is what each frame is to entryFrame, once crossings ran.
	entryRoles []entryRole
	// profilerVal is profilerCost's answer once profilerDone.
	profilerVal  int64
	profilerDone bool

	samples []int32  // indexes into p.Samples that survived the filters
	class   []*Class // per kept sample, shared with every sample of that class: read-only
	val     []int64  // per kept sample: the chosen value
	count   int64    // input samples merged into the kept ones

	total, idle, active int64
	catVal              [len(catOrder)]int64
	ctxVal              [len(catOrder)][len(catOrder) + 1]int64 // [cat][ctx]; ctx index len = none
	ruleVal             map[string]int64
	// nodeTotal is, per node, the active (non-idle) value of the samples
	// whose leaf is in its subtree; selfOf gives a node's own part.
	nodeTotal nodeTotals
	fns       []*funcStats // per function, by self descending (hotspots.go)
	// sampleFn is, per kept sample, the function its self cost is charged
	// to (hotspots.go); sampleEntry the native entry point it ran under and
	// sampleGlue whether it was boundary glue there (crossings.go). Findings
	// claim samples through them.
	sampleFn    []*funcStats
	sampleEntry []*entryStats
	// dwarfMemo caches dwarfUnwound: 0 not yet known, 1 yes, -1 no.
	dwarfMemo   int8
	sampleGlue  []bool
	catalogue   *hints.Catalogue
	threadsDone bool        // numberThreads ran (threads.go)
	threadIdx   []int32     // per kept sample: its thread's index in threadTab
	threadTab   []threadKey // the distinct threads, in order of first sample
	threadSrc   threadSource
	entries     []*entryStats // per native entry point, by glue descending (crossings.go)
	// entryOf numbers the entry frames and entriesByNumber holds the
	// entries in that numbering, for the callers pass (crossings.go).
	entryOf         *frameEntries
	entriesByNumber []*entryStats
	callersGathered bool
	userPath        []int  // indexes of Report.HotPath entries that are user code (hotpath.go)
	lang            string // the program's runtime, computed by runtime() (quality.go)
	rustCode        int8   // 1 when some frame is Rust code, -1 when none, 0 before hasRustCode looks
	goCodec         string // Go's standard codec doing most of the serialization when not encoding/json (evidence)
	pyCodec         string // the codec written in Python doing most of the serialization (pyCodecModule)
	// stackAt and stackFrames hold every kept sample's stack, laid out
	// once (stacks.go): sample k's is stackFrames[stackAt[k]:stackAt[k+1]].
	stackAt      []int32
	stackFrames  []profile.FrameID
	stacksTooBig bool
	// stackNum is, per kept sample, the number of its stack among the
	// kept samples' distinct stacks, of which there are stacksNumbered
	// (numberStacks, once the samples are kept).
	stackNum       []int32
	stacksNumbered int
	// ioDirs is, per kept sample, the direction of the transfer it is in
	// (ioTransfers in findings.go), computed on first use.
	ioDirs []int8
	// itemLoops caches perItemLoops (percall.go).
	itemLoops     []perItemLoop
	itemLoopsDone bool
	// ruledOut are the candidates the claims left out, with the reason
	// (claims.go).
	ruledOut []RuledOut
	// src reads the program's source lines, nil when not given.
	src SourceReader
}

// catOrder is AllCategories as an array length for fixed-size tables.
var catOrder = [...]Category{
	CatPython, CatInterpreter, CatNative, CatFFI, CatConvert, CatAlloc, CatGIL, CatLock, CatIO,
	CatSerialization, CatLogging, CatGC, CatAsync, CatImport, CatIdle,
}

func newAnalysis(p *profile.Profile, vi int, rules []Rule) *analysis {
	return &analysis{p: p, vi: vi, cls: newClassifier(p, rules), ruleVal: map[string]int64{}}
}

// filter keeps the samples that pass --focus, --ignore and --thread.
// Focus and ignore look at each frame's display name, raw name and file,
// pprof's semantics: focus keeps a sample if any frame matches, ignore drops
// it if any frame matches.
func (a *analysis) filter(focus, ignore, thread *regexp.Regexp) {
	p := a.p
	var focusHit, ignoreHit []bool
	if focus != nil {
		focusHit = frameMatches(p, focus)
	}
	if ignore != nil {
		ignoreHit = frameMatches(p, ignore)
	}
	// Sized once: appending grows and copies it about a dozen times for a
	// million samples.
	a.samples = make([]int32, 0, len(p.Samples))
	for i, s := range p.Samples {
		if s.Values[a.vi] == 0 {
			continue
		}
		if thread != nil && !threadMatches(thread, *s.Labels) {
			continue
		}
		if focusHit != nil || ignoreHit != nil {
			keep := focusHit == nil
			drop := false
			for n := s.Node; n != profile.RootNode; n = p.Nodes[n].Parent {
				f := p.Nodes[n].Frame
				if focusHit != nil && focusHit[f] {
					keep = true
				}
				if ignoreHit != nil && ignoreHit[f] {
					drop = true
				}
			}
			if !keep || drop {
				continue
			}
		}
		a.samples = append(a.samples, int32(i))
		a.total += s.Values[a.vi]
		a.count += s.Count
	}
	a.numberStacks()
}

func frameMatches(p *profile.Profile, re *regexp.Regexp) []bool {
	hit := make([]bool, len(p.Frames))
	for i, f := range p.Frames {
		hit[i] = re.MatchString(f.Display) || (f.Name != f.Display && re.MatchString(f.Name)) || (f.File != "" && re.MatchString(f.File))
	}
	return hit
}

func threadMatches(re *regexp.Regexp, l profile.Labels) bool {
	if l.Thread != "" && re.MatchString(l.Thread) {
		return true
	}
	if l.Comm != "" && re.MatchString(l.Comm) {
		return true
	}
	if l.HasTID && re.MatchString(strconv.FormatInt(l.TID, 10)) {
		return true
	}
	return false
}

// forcedCategory is the category every sample has by the nature of the
// recording, or "": memory profiles count allocation, mutex profiles waits.
func (a *analysis) forcedCategory() Category {
	if a.recording == RecMemory && !a.notAllocations() {
		return CatAlloc
	}
	t := strings.ToLower(a.p.SampleTypes[a.vi].Type)
	if t == "contentions" || t == "delay" {
		return CatLock
	}
	return ""
}

// attribute classifies every kept sample and adds its value to exactly one
// category, so category shares add up to the total.
func (a *analysis) attribute() {
	p := a.p
	forced := a.forcedCategory()
	a.class = bigmem.Written[*Class](len(a.samples))
	a.val = bigmem.Written[int64](len(a.samples))
	blocked := a.blockedThreads()
	a.classifySamples()
	a.programRunsAtImport()
	// The recording's adjustments depend on the class and on whether the
	// thread is blocked only, so each is worked out once per pair; values
	// are summed per final class and spread over the tables after.
	type adjKey struct {
		cl      *Class
		blocked bool
	}
	adjusted := map[adjKey]*Class{}
	classVal := map[*Class]int64{}
	var order []*Class // classes in first-seen order, for classVal
	for k, i := range a.samples {
		s := &p.Samples[i]
		key := adjKey{a.class[k], blocked[threadOf(*s.Labels)]}
		cp, ok := adjusted[key]
		if !ok {
			cl := *key.cl
			if key.blocked && (cl.Cat == CatPython || cl.Cat == CatInterpreter) {
				cl.Cat, cl.Rule = CatIdle, "heuristic:blocked-on-one-line"
			}
			if forced != "" && cl.Cat != forced {
				// Keep what the site was doing as the context: "alloc
				// under serialization", "alloc in python".
				if cl.Ctx == "" {
					cl.Ctx = cl.Cat
				}
				cl.Cat = forced
				cl.Rule = "recording:" + a.recording
			}
			cp = a.cls.intern(cl)
			adjusted[key] = cp
		}
		v := s.Values[a.vi]
		a.class[k] = cp
		a.val[k] = v
		if _, ok := classVal[cp]; !ok {
			order = append(order, cp)
		}
		classVal[cp] += v
		if cp.Cat == CatIdle {
			a.idle += v
		}
	}
	for _, cl := range order {
		v := classVal[cl]
		ci := catIndex(cl.Cat)
		a.catVal[ci] += v
		xi := len(catOrder)
		if cl.Ctx != "" {
			xi = catIndex(cl.Ctx)
		}
		a.ctxVal[ci][xi] += v
		a.ruleVal[cl.Rule] += v
	}
	a.active = a.total - a.idle
	// Each node's self value, summed over subtrees in place: a second
	// array of a million-sample pprof's 14M nodes would cost 56-110 MB.
	a.nodeTotal = newNodeTotals(len(p.Nodes), a.val, a.total)
	for k, i := range a.samples {
		if a.class[k].Cat != CatIdle {
			a.nodeTotal.add(p.Samples[i].Node, a.val[k])
		}
	}
	a.nodeTotal.sumUp(p.Nodes)
}

// classifySamples sets a.class[k] to the class of kept sample k's stack.
// Classifying a stack only reads the classifier's frame tables, so on a
// large profile the two halves of the samples are classified at once,
// each half into a class table of its own; the classes are then interned
// and memoised in sample order, as classifying them in one pass would.
func (a *analysis) classifySamples() {
	p, c := a.p, a.cls
	n := len(a.samples)
	if n > 0 {
		// Lay the stacks out and allocate the memo before the halves
		// read them.
		a.stackOf(0, nil)
		c.memoSlot(&p.Samples[a.samples[0]])
	}
	// local[k] is 1 + the index of sample k's class in its half's
	// table, or -(memo) for a stack classified before this pass.
	local := make([]int32, n)
	var mu sync.Mutex
	var tables []partClasses
	inParts(n, func(lo, hi int) {
		t := partClasses{lo: lo, id: map[Class]int32{}}
		for k := lo; k < hi; k++ {
			if m := *c.memoSlot(&p.Samples[a.samples[k]]); m > 0 {
				local[k] = -m
				continue
			}
			cl := c.classify(a.stackOf(k, nil))
			id, ok := t.id[cl]
			if !ok {
				t.classes = append(t.classes, cl)
				id = int32(len(t.classes))
				t.id[cl] = id
			}
			local[k] = id
		}
		mu.Lock()
		tables = append(tables, t)
		mu.Unlock()
	})
	slices.SortFunc(tables, func(x, y partClasses) int { return x.lo - y.lo })
	part := 0
	global := make([][]int32, len(tables)) // per table: 1 + class index in c.classes, 0 not yet interned
	for i := range tables {
		global[i] = make([]int32, len(tables[i].classes))
	}
	for k, i := range a.samples {
		for part+1 < len(tables) && k >= tables[part+1].lo {
			part++
		}
		slot := c.memoSlot(&p.Samples[i])
		id := local[k]
		switch {
		case id < 0:
			id = -id
		case *slot > 0:
			// An earlier sample of the same stack was memoised in this pass.
			id = *slot
		default:
			g := &global[part][id-1]
			if *g == 0 {
				*g = c.internID(tables[part].classes[id-1])
			}
			id = *g
			*slot = id
		}
		a.class[k] = c.classes[id-1]
	}
	// Every kept sample has its class now: the memo (an int32 per node
	// or stack, 4.7 MB for a tree of 1.2M nodes) would only be read by a
	// later classifyStack, which makes it again.
	c.memo = nil
}

// partClasses are the distinct classes of the stacks of samples lo and
// on, classified by one goroutine of classifySamples.
type partClasses struct {
	lo      int
	classes []Class
	id      map[Class]int32 // 1 + index in classes
}

// selfOf is the active value whose leaf is node n: its total less its
// children's.
func (a *analysis) selfOf(n profile.NodeID) int64 {
	v := a.nodeTotal.at(n)
	for _, c := range a.p.Children(n) {
		v -= a.nodeTotal.at(c)
	}
	return v
}

// cat returns the value attributed to category c.
func (a *analysis) cat(c Category) int64 { return a.catVal[catIndex(c)] }

// catCtx returns the value attributed to category c with context x.
func (a *analysis) catCtx(c, x Category) int64 { return a.ctxVal[catIndex(c)][catIndex(x)] }

// activeShare is v as a fraction of the active (non-idle) total.
func (a *analysis) activeShare(v int64) float64 {
	if a.active <= 0 {
		return 0
	}
	return float64(v) / float64(a.active)
}

// categoryShares lists every category with a value, by share descending,
// then in the fixed category order.
func (a *analysis) categoryShares() []CategoryShare {
	out := make([]CategoryShare, 0, len(catOrder))
	for i, c := range catOrder {
		if a.catVal[i] == 0 {
			continue
		}
		out = append(out, CategoryShare{Name: string(c), Value: a.catVal[i], Share: float64(a.catVal[i]) / float64(a.total)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value > out[j].Value })
	return out
}

// threadID identifies a thread across the samples of a profile.
type threadID struct {
	pid  int64
	name string
	tid  int64
}

func threadOf(l profile.Labels) threadID {
	t := threadID{l.PID, l.Thread, l.TID}
	if !l.HasTID && l.Thread == "" {
		t.name = l.Comm
	}
	return t
}

// blockedThreads finds, in a wall-clock profile, the threads that sat on a
// single Python line in at least 98% of at least minBlockedSamples samples:
// blocked in a call the recorder cannot see into (time.sleep, a socket
// read without --native). CPU-bound code moves between lines; a thread that
// never does is waiting, so its samples count as idle.
func (a *analysis) blockedThreads() map[threadID]bool {
	if a.recording != RecWall {
		return nil
	}
	p := a.p
	type lk struct {
		t    threadID
		leaf profile.FrameID
	}
	perLeaf := map[lk]int64{}
	total := map[threadID]int64{}
	top := map[threadID]int64{}
	for _, i := range a.samples {
		s := &p.Samples[i]
		if s.Node == profile.RootNode {
			continue
		}
		f := p.Nodes[s.Node].Frame
		if rt := a.cls.info[f].rt; rt != rtPython {
			continue
		}
		t := threadOf(*s.Labels)
		total[t] += s.Count
		perLeaf[lk{t, f}] += s.Count
		top[t] = max(top[t], perLeaf[lk{t, f}])
	}
	out := map[threadID]bool{}
	for t, n := range total {
		if n >= minBlockedSamples && top[t]*100 >= n*98 {
			out[t] = true
		}
	}
	return out
}

// programRunsAtImport handles programs whose work runs while a module is
// being imported (python -c "import job", a runner importing the script):
// the importlib frames at the root of those stacks do not make the work
// import cost. When the body of one module imported from the root holds at
// least half of the classified value, its samples are classified again
// from that module's <module> frame down, unless more import machinery
// lies below it (a nested import is import cost still).
func (a *analysis) programRunsAtImport() {
	p := a.p
	at := bigmem.Written[int](len(a.samples)) // index of the program module's <module> frame, or -1
	byFile := map[string]int64{}
	var all int64
	var buf []profile.FrameID
	for k, i := range a.samples {
		at[k] = -1
		v := p.Samples[i].Values[a.vi]
		all += v
		if a.class[k].Ctx != CatImport && a.class[k].Cat != CatImport {
			continue
		}
		buf = a.stackOf(k, buf)
		stack := buf
		m := a.cls.importedModuleFrame(stack)
		if m < 0 {
			continue
		}
		at[k] = m
		byFile[a.cls.info[stack[m]].file] += v
	}
	var top string
	var topV int64
	for f, v := range byFile {
		if v > topV || (v == topV && f < top) {
			top, topV = f, v
		}
	}
	if topV == 0 || topV*2 < all {
		return
	}
	for k := range a.samples {
		m := at[k]
		if m < 0 {
			continue
		}
		buf = a.stackOf(k, buf)
		stack := buf
		if a.cls.info[stack[m]].file != top || a.cls.outerImport(stack[m+1:]) >= 0 {
			continue
		}
		a.class[k] = a.cls.intern(a.cls.classify(stack[m:]))
	}
}
