package explain

import (
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Class is the classification of one stack: the category its cost goes to,
// the context it ran under, and the rules that decided.
type Class struct {
	Cat     Category
	Ctx     Category // innermost context category, "" when none
	Rule    string   // id of the deciding rule, or "kind:<runtime>" for the fallback
	CtxRule string
	// Async is true when an async runtime frame is anywhere on the stack,
	// whether or not it decided the category (for blocking-in-async).
	Async bool
	// Callerless is true for a lock wait whose callers are not on the
	// stack: nothing but unsymbolized or pseudo frames above the wait
	// frame that decided (frame-pointer unwinding stops in libc). Who
	// waits, and on what, is unknown: in a Python process the wait under
	// a CPython GIL and under a threading.Lock end in the same futex call.
	Callerless bool
	// GILRetake is true for a lock wait spent re-taking the GIL after the
	// lock was granted. CPython's lock acquire first tries without
	// blocking and releases the GIL only when that fails, so a thread
	// waits for the GIL inside an acquire only because the lock was held:
	// the wait is the price of the contention, and goes away with it.
	// Inside a stdlib wait for work (Condition.wait, a queue's get) the
	// lock is a signal, not contention, and the wait stays the GIL's.
	GILRetake bool
}

// classifier classifies the stacks of one profile. Frame facts and the rule
// candidates of each frame are computed once per interned frame.
type classifier struct {
	rules []Rule
	// nameNeeds and fileNeeds are, per rule, the literal tests its Name and
	// File patterns need (prefilter.go); hasNeeds its Has list as one.
	nameNeeds, fileNeeds, hasNeeds []quickNeeds
	// nameLit and fileLit are, per rule, its patterns as literal sets
	// (literal.go), nil where a pattern is not of that shape: those are
	// decided without the prefilter or the regexp engine.
	nameLit, fileLit []*literalSet
	info             []frameInfo
	// rt is every frame's info.rt, one byte a frame: the per-stack walks
	// read it for every frame of every stack, and the whole array stays
	// in cache where the frameInfos do not.
	rt []runtime
	// bits holds a few more of each frame's facts, one byte a frame,
	// for the same walks (frameBit).
	bits []frameBit
	leaf [][]int16 // per frame: indexes of leaf rules whose name/file/runtime match
	ctx  [][]int16 // per frame: indexes of context rules that match
	// same is, per frame, the first frame of its half of the table with
	// the same name, function, file, module and runtime: the frames whose
	// facts and matches are its own (matchFrames).
	same   []profile.FrameID
	wait   []bool // per frame: a blocking wait
	alloc  []bool // per frame: an allocator
	gc     []bool // per frame: a collector
	pyProc bool   // the profile is of a Python process
	// nativeFrames: some frame is native, interpreter, libc or kernel code.
	// Without any, a Python function's self time includes its C calls.
	nativeFrames bool
	// moduleless: no frame names its binary (folded stacks): a bare C name
	// in a Python profile is then taken for CPython's own code where the
	// Python/native boundary is concerned (fallback, crossings).
	moduleless bool
	// memo holds, per stack (profile.StackKey), 1 + the index in classes
	// of its class (0: not classified yet): a slice probe instead of a
	// map probe per sample. nodeMemo is the same per node, for
	// classifyNode, which a flame graph asks for the boxes it draws only:
	// a map, not an entry per node. Both are allocated on first use.
	// classes holds each distinct Class once (classID), and
	// the analysis keeps a pointer to it per sample rather than a copy:
	// millions of stacks share a few dozen.
	memo     []int32
	nodeMemo map[profile.NodeID]int32
	classes  []*Class
	classID  map[Class]int32
	p        *profile.Profile
	buf      []profile.FrameID // classifyNode's stack, reused
}

func newClassifier(p *profile.Profile, rules []Rule) *classifier {
	c := &classifier{rules: rules, p: p, classID: map[Class]int32{}}
	c.nameNeeds, c.fileNeeds, c.hasNeeds = make([]quickNeeds, len(rules)), make([]quickNeeds, len(rules)), make([]quickNeeds, len(rules))
	c.nameLit, c.fileLit = make([]*literalSet, len(rules)), make([]*literalSet, len(rules))
	for j := range rules {
		c.nameNeeds[j], c.fileNeeds[j] = quick(needsOf(rules[j].Name)), quick(needsOf(rules[j].File))
		c.nameLit[j], _ = compileLiteral(rules[j].Name)
		c.fileLit[j], _ = compileLiteral(rules[j].File)
		var has needs
		for _, h := range rules[j].Has {
			has = append(has, needLit{s: h})
		}
		c.hasNeeds[j] = quick(has)
	}
	n := len(p.Frames)
	c.info = make([]frameInfo, n)
	c.wait = make([]bool, n)
	c.alloc = make([]bool, n)
	c.gc = make([]bool, n)
	// Each frame's facts depend on the frame alone: the two halves of a
	// large table are analysed at once.
	inParts(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			fi := analyzeFrame(p.Frames[i])
			frameRoles(&fi)
			c.info[i] = fi
		}
	})
	for i := range c.info {
		fi := &c.info[i]
		if fi.rt == rtPython || fi.rt == rtCPython {
			c.pyProc = true
		}
		if fi.rt != rtPython && fi.rt != rtUnknown && !fi.pseudo {
			c.nativeFrames = true
		}
	}
	c.markCommRoots()
	c.moduleless = true
	for i := range p.Frames {
		if p.Frames[i].Module != "" {
			c.moduleless = false
			break
		}
	}
	c.markKernelCallees()
	c.leaf = make([][]int16, n)
	c.ctx = make([][]int16, n)
	c.same = make([]profile.FrameID, n)
	// Frames that differ only by line or address share their matches:
	// match each distinct (name, file, module, runtime) once. The matches
	// of a frame depend on its facts alone, so each half of a large table
	// is matched at once, with a dedup map of its own.
	inParts(n, c.matchFrames)
	if c.moduleless {
		c.matchKin()
	}
	c.rt = make([]runtime, n)
	c.bits = make([]frameBit, n)
	for i := range c.info {
		fi := &c.info[i]
		c.rt[i] = fi.rt
		for _, b := range [...]struct {
			bit frameBit
			yes bool
		}{{bitPlainC, fi.plainC}, {bitPseudo, fi.pseudo}, {bitEval, fi.eval}, {bitThreadEntry, fi.threadEntry}, {bitStdlib, fi.stdlib}, {bitPyO3, fi.is(factPyO3)}, {bitTrampoline, fi.is(factTrampoline)}} {
			if b.yes {
				c.bits[i] |= b.bit
			}
		}
	}
	return c
}

// frameBit is one of the frame facts classifier.bits holds.
type frameBit uint8

const (
	bitPlainC      frameBit = 1 << iota // frameInfo.plainC
	bitPseudo                           // frameInfo.pseudo
	bitEval                             // frameInfo.eval
	bitThreadEntry                      // frameInfo.threadEntry
	bitStdlib                           // frameInfo.stdlib
	bitPyO3                             // frameInfo.is(factPyO3)
	bitTrampoline                       // frameInfo.is(factTrampoline)
)

// rule is the table's rule with id, nil when the table has none (a
// caller's own rules may leave one out).
func (c *classifier) rule(id string) *Rule {
	for i := range c.rules {
		if c.rules[i].ID == id {
			return &c.rules[i]
		}
	}
	return nil
}

// matchFrames finds the rule candidates and the wait, alloc and gc marks
// of frames lo to hi-1. Frames that differ only by line or address share
// their matches: each distinct (name, file, module, runtime) is matched
// once.
func (c *classifier) matchFrames(lo, hi int) {
	type key struct {
		name, fn, file, module string
		rt                     runtime
		stdlib                 bool
	}
	seen := map[key]int{}
	var ps framePairs
	for i := lo; i < hi; i++ {
		fi := &c.info[i]
		k := key{fi.name, fi.fn, fi.file, fi.module, fi.rt, fi.stdlib}
		if j, ok := seen[k]; ok {
			c.same[i] = profile.FrameID(j)
			c.leaf[i], c.ctx[i] = c.leaf[j], c.ctx[j]
			c.wait[i], c.alloc[i], c.gc[i] = c.wait[j], c.alloc[j], c.gc[j]
			continue
		}
		seen[k] = i
		c.same[i] = profile.FrameID(i)
		// The pairs of fi.name for the wait, alloc and gc tests too:
		// those skip Python frames, whose rule name is fi.name otherwise.
		ps.set(fi)
		c.wait[i] = fi.rt != rtPython && waitNameNeeds.match(waitName, fi.name, &ps.name)
		c.alloc[i] = fi.rt != rtPython && allocNameNeeds.match(allocName, fi.name, &ps.name)
		c.gc[i] = fi.rt != rtPython && gcNameNeeds.match(gcName, fi.name, &ps.name)
		for j := range c.rules {
			if !c.matchStatic(&c.rules[j], j, fi, &ps) {
				continue
			}
			if c.rules[j].Layer == leafLayer {
				c.leaf[i] = append(c.leaf[i], int16(j))
			} else {
				c.ctx[i] = append(c.ctx[i], int16(j))
			}
		}
	}
}

// matchKin gives rules with a Kin their frames in a profile without
// modules: where some frame matches the Kin rule (the library is loaded),
// the frames this rule's name and runtime match count without the file
// check. Frame-pointer stacks of such a profile are often one or two
// frames deep, so no call edge ties a save to its library: presence does.
func (c *classifier) matchKin() {
	index := map[string]int16{}
	for j := range c.rules {
		index[c.rules[j].ID] = int16(j)
	}
	for j := range c.rules {
		r := &c.rules[j]
		kin, ok := index[r.Kin]
		if r.Kin == "" || !ok || r.File == nil {
			continue
		}
		present := false
		for f := range c.info {
			if slices.Contains(c.ctx[f], kin) || slices.Contains(c.leaf[f], kin) {
				present = true
				break
			}
		}
		if !present {
			continue
		}
		noFile := *r
		noFile.File = nil
		var ps framePairs
		for f := range c.info {
			fi := &c.info[f]
			if !fi.plainC {
				continue
			}
			ps.set(fi)
			if c.matchStatic(&noFile, j, fi, &ps) {
				c.addMatch(profile.FrameID(f), int16(j))
			}
		}
	}
}

// addMatch adds rule j to frame f's candidates, in table order. Frames
// sharing a match list (same name, file and runtime) get their own copy.
func (c *classifier) addMatch(f profile.FrameID, j int16) {
	list := &c.ctx[f]
	if c.rules[j].Layer == leafLayer {
		list = &c.leaf[f]
	}
	if slices.Contains(*list, j) {
		return
	}
	l := slices.Clone(*list)
	i, _ := slices.BinarySearch(l, j)
	*list = slices.Insert(l, i, j)
}

// framePairs holds the byte pairs of the strings of one frame that rules
// test (prefilter.go).
type framePairs struct{ name, file, module pairSet }

func (ps *framePairs) set(fi *frameInfo) {
	ps.name.set(fi.ruleName())
	ps.file.set(fi.file)
	ps.module.set(fi.module)
}

// ruleName is the name rules test: a Python frame's function, any other
// frame's name.
func (fi *frameInfo) ruleName() string {
	if fi.rt == rtPython {
		return fi.fn
	}
	return fi.name
}

// matchStatic checks the parts of a rule that depend on the frame alone.
// r is rule j of the table, or a copy of it with fewer checks; j picks the
// literal prefilters of its patterns.
func (c *classifier) matchStatic(r *Rule, j int, fi *frameInfo, ps *framePairs) bool {
	if r.RT&(1<<fi.rt) == 0 {
		return false
	}
	name := fi.ruleName()
	if len(r.Has) > 0 && !c.hasNeeds[j].may(name, &ps.name) {
		return false
	}
	if r.Name != nil {
		if lit := c.nameLit[j]; lit != nil {
			if !lit.match(name) {
				return false
			}
		} else if !c.nameNeeds[j].match(r.Name, name, &ps.name) {
			return false
		}
		if r.OwnPath && fi.ownPath != "" && !r.Name.MatchString(fi.ownPath) {
			return false
		}
	}
	if r.File != nil {
		if lit := c.fileLit[j]; lit != nil {
			if !lit.match(fi.file) && !lit.match(fi.module) {
				return false
			}
		} else if !c.fileNeeds[j].match(r.File, fi.file, &ps.file) && !c.fileNeeds[j].match(r.File, fi.module, &ps.module) {
			return false
		}
	}
	if r.Cond == condCPy {
		if !(fi.rt == rtCPython || (fi.module == "" && c.pyProc) || (fi.stdlib && fi.rt == rtNative)) {
			return false
		}
	}
	return true
}

// matchCond checks a rule's stack condition for the frame at index i of the
// root-first stack.
func (c *classifier) matchCond(r *Rule, stack []profile.FrameID, i int) bool {
	switch r.Cond {
	case condWaitBelow:
		for k := i + 1; k < len(stack); k++ {
			if c.wait[stack[k]] {
				return true
			}
		}
		return false
	case condAllocAbove:
		for k := i - 1; k >= 0; k-- {
			if c.alloc[stack[k]] {
				return true
			}
		}
		return false
	case condGCAbove:
		for k := i - 1; k >= 0; k-- {
			if c.gc[stack[k]] {
				return true
			}
		}
		return false
	case condPyBlocked:
		if i == len(stack)-1 {
			return true
		}
		for k := i + 1; k < len(stack); k++ {
			f := stack[k]
			if c.wait[f] {
				return true
			}
			for _, j := range c.leaf[f] {
				if cat := c.rules[j].Cat; (cat == CatIdle || cat == CatIO || cat == CatLock) && c.rules[j].Cond != condPyBlocked && c.matchCond(&c.rules[j], stack, k) {
					return true
				}
			}
		}
		return false
	case condOwnCaller:
		return c.ownCaller(stack, i) && (!c.info[stack[i]].is(factPyCall) || c.typeCallBelow(stack, i))
	case condPyAbove:
		for k := i - 1; k >= 0; k-- {
			switch c.info[stack[k]].rt {
			case rtLibc, rtUnknown:
				continue
			case rtPython:
				return true
			}
			return false
		}
		return false
	}
	return true
}

// firstRule returns the first rule in cands that holds at stack[i], or -1.
func (c *classifier) firstRule(cands []int16, stack []profile.FrameID, i int) int {
	for _, j := range cands {
		if c.matchCond(&c.rules[j], stack, i) {
			return int(j)
		}
	}
	return -1
}

// overridable are the categories an Override rule may take from a deeper match.
func overridable(cat Category) bool { return cat == CatLock || cat == CatIO || cat == CatIdle }

// classifyNode classifies the stack ending at node n, once per node.
func (c *classifier) classifyNode(n profile.NodeID) Class {
	if c.nodeMemo == nil {
		c.nodeMemo = map[profile.NodeID]int32{}
	}
	if m := c.nodeMemo[n]; m > 0 {
		return *c.classes[m-1]
	}
	c.buf = c.p.AppendStack(c.buf[:0], n)
	id := c.internID(c.classify(c.buf))
	c.nodeMemo[n] = id
	return *c.classes[id-1]
}

// classifyStack classifies stack, the stack of sample s, once per
// distinct stack.
func (c *classifier) classifyStack(s *profile.Sample, stack []profile.FrameID) *Class {
	slot := c.memoSlot(s)
	if m := *slot; m > 0 {
		return c.classes[m-1]
	}
	id := c.internID(c.classify(stack))
	*slot = id
	return c.classes[id-1]
}

// memoSlot returns sample s's entry in memo, allocating memo on first
// use (callers that read it concurrently call it once before).
func (c *classifier) memoSlot(s *profile.Sample) *int32 {
	k, n := c.p.StackKey(s)
	if c.memo == nil {
		c.memo = make([]int32, n)
	}
	return &c.memo[k]
}

// intern returns the shared copy of cl, which must not be modified.
func (c *classifier) intern(cl Class) *Class { return c.classes[c.internID(cl)-1] }

// internID returns 1 + the index of cl in classes, adding it when new.
func (c *classifier) internID(cl Class) int32 {
	id, ok := c.classID[cl]
	if !ok {
		// A copy on the heap only when new: taking cl's address would
		// put every call's argument there, a Class a classified stack.
		shared := new(Class)
		*shared = cl
		c.classes = append(c.classes, shared)
		id = int32(len(c.classes))
		c.classID[cl] = id
	}
	return id
}

// classify classifies a root-first stack of frame ids.
func (c *classifier) classify(stack []profile.FrameID) Class {
	var cl Class
	if len(stack) == 0 {
		if c.pyProc {
			// A Python sampler found no Python frame on the thread (start-up,
			// shutdown, a thread in native code): CPython time no Python
			// function can be named for.
			return Class{Cat: CatInterpreter, Rule: "kind:empty"}
		}
		return Class{Cat: CatNative, Rule: "kind:empty"}
	}
	// 1-2. Leaf layer with overrides.
	leafRule, leafAt := -1, -1
	pastEval := false
	// A GIL wait inside a lock's acquire, called from the Python code
	// above it (not from a stdlib wait for work), is the lock's: see
	// lockRetakesGIL.
	retakeLock, idleAbove := -1, false
	for i := len(stack) - 1; i >= 0; i-- {
		f := stack[i]
		fi := &c.info[f]
		if j := c.firstRule(c.leaf[f], stack, i); j >= 0 {
			r := &c.rules[j]
			if leafRule >= 0 && c.rules[leafRule].Cat == CatGIL {
				switch {
				case r.Cat == CatLock && !pastEval && retakeLock < 0:
					retakeLock = j
				case r.Cat == CatIdle:
					idleAbove = true
				}
			}
			switch {
			case leafRule < 0:
				if !pastEval {
					leafRule, leafAt = j, i
				}
			case c.rules[leafRule].Weak && !pastEval:
				leafRule, leafAt = j, i
			case r.Override && overridable(c.rules[leafRule].Cat) && r.Cat != c.rules[leafRule].Cat:
				// GIL markers count only below the nearest eval loop;
				// idle markers (Python waits) sit above it.
				if !pastEval || r.Cat == CatIdle {
					leafRule, leafAt = j, i
				}
			}
		}
		if fi.rt == rtPython {
			break
		}
		if fi.eval {
			if leafRule < 0 {
				// Nothing deeper to override: the leaf layer is done.
				break
			}
			pastEval = true
		}
	}
	// 3. Context layer.
	ctxRule := -1
	work := false
	for i := len(stack) - 1; i >= 0; i-- {
		f := stack[i]
		fi := &c.info[f]
		j := c.firstRule(c.ctx[f], stack, i)
		if j >= 0 {
			r := &c.rules[j]
			if r.Cat == CatAsync {
				cl.Async = true
			}
			switch {
			case ctxRule < 0 && (!r.Thin || !work):
				ctxRule = j
			case ctxRule >= 0 && r.Encloses && !work && c.rules[ctxRule].Cat == CatFFI:
				// A sequence converter above an element's converter:
				// the element conversion is the sequence's cost.
				ctxRule = j
			}
		} else if (len(c.leaf[f]) == 0 && (fi.rt == rtPython || fi.rt == rtNative && !(fi.plainC && c.cpythonAt(stack, i))) && !(i == 0 && fi.pseudo)) || fi.eval {
			// User code, or the eval loop running Python code (a callback
			// from native code): the thin contexts above are not its cost.
			// A bare C name that is CPython's (a folded file names no
			// modules) is not user code.
			work = true
		}
		if ctxRule >= 0 && cl.Async {
			break
		}
	}
	if ctxRule >= 0 && c.rules[ctxRule].Cat != CatImport {
		// Everything that runs while a module is imported (its top-level
		// code, class bodies, the libraries it imports) is import cost.
		if imp := c.outerImport(stack); imp >= 0 {
			ctxRule = imp
		}
	}
	if ctxRule >= 0 {
		cl.Ctx = c.rules[ctxRule].Cat
		cl.CtxRule = c.rules[ctxRule].ID
	}
	// 4. Decide.
	switch {
	case leafRule >= 0 && c.rules[leafRule].Cat == CatGIL && retakeLock >= 0 && !idleAbove:
		cl.Cat, cl.Rule = CatLock, c.rules[retakeLock].ID
		cl.GILRetake = true
	case leafRule >= 0:
		cl.Cat, cl.Rule = c.rules[leafRule].Cat, c.rules[leafRule].ID
		cl.Callerless = cl.Cat == CatLock && c.callerless(stack[:leafAt])
	case ctxRule >= 0:
		cl.Cat, cl.Rule = cl.Ctx, cl.CtxRule
	default:
		cl.Cat, cl.Rule = c.fallback(stack)
	}
	return cl
}

// fallback gives the category of a stack no rule claimed, from the kind of
// its innermost frame that is not transparent (libc, kernel, unsymbolized
// frames defer to their caller): user Python code and CPython helpers under
// a named Python function are python; CPython time with no Python function
// in sight is interpreter; CPython called from an extension is ffi (the
// extension converting or calling back); other native code is native.
func (c *classifier) fallback(stack []profile.FrameID) (Category, string) {
	hasPy := false
	for _, f := range stack {
		if c.info[f].rt == rtPython {
			hasPy = true
			break
		}
	}
	cpython := false
	for i := len(stack) - 1; i >= 0; i-- {
		fi := &c.info[stack[i]]
		if i == 0 && fi.pseudo {
			break
		}
		rt := fi.rt
		if rt == rtNative && c.cpythonAt(stack, i) {
			rt = rtCPython
		}
		switch rt {
		case rtPython:
			return CatPython, "kind:python"
		case rtNative:
			if cpython {
				return CatFFI, "kind:cpython-under-native"
			}
			return CatNative, "kind:native"
		case rtCPython:
			cpython = true
			if fi.eval {
				if hasPy {
					return CatPython, "kind:interpreter-under-python"
				}
				return CatInterpreter, "kind:interpreter"
			}
		}
	}
	if cpython {
		if hasPy {
			return CatPython, "kind:interpreter-under-python"
		}
		return CatInterpreter, "kind:interpreter"
	}
	return CatNative, "kind:native"
}

// outerImport returns the import context rule matching the outermost frame
// of the stack that has one, or -1.
func (c *classifier) outerImport(stack []profile.FrameID) int {
	for i, f := range stack {
		for _, j := range c.ctx[f] {
			if c.rules[j].Cat == CatImport && c.matchCond(&c.rules[j], stack, i) {
				return int(j)
			}
		}
	}
	return -1
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// importedModuleFrame returns the index of the first <module> frame below
// the outermost import-machinery frame of the stack, or -1: the body of the
// module the root-most import is executing.
func (c *classifier) importedModuleFrame(stack []profile.FrameID) int {
	imp := c.outerImport(stack)
	if imp < 0 {
		return -1
	}
	start := -1
	for i, f := range stack {
		for _, j := range c.ctx[f] {
			if int(j) == imp {
				start = i
				break
			}
		}
		if start >= 0 {
			break
		}
	}
	for i := start + 1; i < len(stack); i++ {
		if fi := &c.info[stack[i]]; fi.rt == rtPython && fi.fn == "<module>" {
			return i
		}
	}
	return -1
}

// markCommRoots marks the root frames of folded stacks that are the
// process's command name (stackcollapse-perf puts "python3.11" or
// "goalloc" first): a comm-like name that never appears below the root
// and whose children include a process root (_start, runtime.goexit,
// start_thread), an unsymbolized frame or Python frames. Such a frame is
// a label, not code: it must not name a hot path, a caller or an entry.
func (c *classifier) markCommRoots() {
	p := c.p
	if p.Meta.Format != "folded" || len(p.Nodes) == 0 {
		return
	}
	deep := make([]bool, len(p.Frames))
	for i := range p.Nodes {
		if i != int(profile.RootNode) && p.Nodes[i].Parent != profile.RootNode {
			deep[p.Nodes[i].Frame] = true
		}
	}
	for _, r := range p.Children(profile.RootNode) {
		f := p.Nodes[r].Frame
		fi := &c.info[f]
		if fi.pseudo || deep[f] || fi.module != "" || fi.rt == rtPython || !commLikeNames.has(fi.name) || fi.processTop {
			continue
		}
		for _, ch := range p.Children(r) {
			ci := &c.info[p.Nodes[ch].Frame]
			if ci.processTop || ci.rt == rtUnknown || ci.rt == rtPython || ci.rt == rtKernel {
				fi.pseudo = true
				break
			}
		}
	}
}

// markKernelCallees makes kernel code of the frames that only ever run
// below kernel code, where no module says so (folded stacks without
// perf's _[k] annotations). A call chain enters the kernel once and never
// calls back out to user code, so a frame called only from the kernel is
// the kernel's whatever its name (schedule, a driver's function): without
// this it would read as the program's native code and be named as the
// caller of every off-CPU wait. A name that also runs under user code
// keeps its kind; unsymbolized callers and task labels count for neither.
//
// One pass over the tree in node order (parents come before their
// children) marks the nodes in kernel code and strikes every candidate
// seen under user code. Striking a frame takes its nodes out of the kernel,
// which can strike the candidates below them: a worklist carries that down,
// each node leaving the kernel once, so the whole is linear in the nodes
// (repeating the pass instead costs a pass per link of a chain).
func (c *classifier) markKernelCallees() {
	p := c.p
	cand := make([]bool, len(c.info))
	any, kernel := false, false
	for f := range c.info {
		fi := &c.info[f]
		k := p.Frames[f].Kind
		kernel = kernel || fi.rt == rtKernel
		if fi.module == "" && (k == profile.KindUnknown || k == "") && fi.rt != rtKernel && fi.rt != rtPython && fi.rt != rtUnknown {
			cand[f], any = true, true
		}
	}
	if !any || !kernel {
		return
	}
	for i := range p.Nodes {
		if i > 0 && int(p.Nodes[i].Parent) >= i {
			return // not in parent-first order: leave the frames as they are
		}
	}
	// Per frame, in one byte (the walk below reads it for every node, and
	// the frameInfos would not stay in cache): kernel code, and neutral
	// callers (unsymbolized, task labels), which strike no one.
	const isKernel, isNeutral = 1, 2
	role := make([]uint8, len(c.info))
	for f := range c.info {
		fi := &c.info[f]
		if fi.rt == rtKernel {
			role[f] |= isKernel
		}
		if fi.rt == rtUnknown || fi.pseudo {
			role[f] |= isNeutral
		}
	}
	neutral := func(n profile.NodeID) bool { return role[p.Nodes[n].Frame]&isNeutral != 0 }
	inKernel := bigmem.Written[bool](len(p.Nodes))
	var struck []profile.FrameID
	strike := func(f profile.FrameID) {
		if cand[f] {
			cand[f] = false
			struck = append(struck, f)
		}
	}
	for i := range p.Nodes {
		nd := &p.Nodes[i]
		if i == int(profile.RootNode) {
			continue
		}
		f := nd.Frame
		parentIn := nd.Parent != profile.RootNode && inKernel[nd.Parent]
		if cand[f] && nd.Parent != profile.RootNode && !parentIn && !neutral(nd.Parent) {
			strike(f)
		}
		inKernel[i] = role[f]&isKernel != 0 || parentIn && cand[f]
	}
	if len(struck) > 0 {
		// Nodes of a struck frame met before it was struck are still
		// marked: take them out, and everything that was in the kernel
		// only through them. Nodes by frame, as one array in frame order.
		start := make([]int32, len(c.info)+1)
		for i := 1; i < len(p.Nodes); i++ {
			start[p.Nodes[i].Frame+1]++
		}
		for f := range c.info {
			start[f+1] += start[f]
		}
		byFrame := make([]profile.NodeID, len(p.Nodes))
		fill := slices.Clone(start[:len(c.info)])
		for i := 1; i < len(p.Nodes); i++ {
			f := p.Nodes[i].Frame
			byFrame[fill[f]] = profile.NodeID(i)
			fill[f]++
		}
		var out []profile.NodeID // nodes leaving the kernel, children to re-check
		leave := func(n profile.NodeID) {
			if inKernel[n] && role[p.Nodes[n].Frame]&isKernel == 0 {
				inKernel[n] = false
				out = append(out, n)
			}
		}
		for len(struck) > 0 {
			f := struck[len(struck)-1]
			struck = struck[:len(struck)-1]
			for _, n := range byFrame[start[f]:start[f+1]] {
				leave(n)
			}
			for len(out) > 0 {
				n := out[len(out)-1]
				out = out[:len(out)-1]
				for _, ch := range p.Children(n) {
					if cf := p.Nodes[ch].Frame; cand[cf] && !neutral(n) {
						strike(cf)
					}
					leave(ch)
				}
			}
		}
	}
	underKernel := make([]bool, len(c.info))
	for i := range p.Nodes {
		nd := &p.Nodes[i]
		if i != int(profile.RootNode) && nd.Parent != profile.RootNode && inKernel[nd.Parent] {
			underKernel[nd.Frame] = true
		}
	}
	for f, k := range underKernel {
		if k && cand[f] {
			fi := &c.info[f]
			fi.rt, fi.pseudo, fi.plainC, fi.capi, fi.eval = rtKernel, false, false, false, false
		}
	}
}

// cpythonSide says whether frame info fi is on CPython's side of the
// boundary: CPython's own code, or a bare C name in a Python profile that
// names no modules. Use cpythonAt where the stack is known.
func (c *classifier) cpythonSide(fi *frameInfo) bool {
	return fi.rt == rtCPython || (fi.plainC && c.moduleless && c.pyProc)
}

// cpythonAt decides cpythonSide for stack[j] from its neighbours: without
// modules, a bare C name is CPython's when the code that called it (the
// nearest caller that is not itself a bare C name, libc, the kernel or
// unsymbolized) is the interpreter, Python code or PyO3 (which calls C
// only through CPython's C API), or when nothing calls it (the python
// binary's main). Called from an extension's own code (a Rust or C++
// name), it is that extension's or the C library's.
func (c *classifier) cpythonAt(stack []profile.FrameID, j int) bool {
	if c.rt[stack[j]] == rtCPython {
		return true
	}
	if !(c.moduleless && c.pyProc && c.bits[stack[j]]&bitPlainC != 0) {
		return false
	}
	// From the runtime and the bits alone: this walk runs on every stack,
	// and the frameInfos would not stay in cache.
	for i := j - 1; i >= 0; i-- {
		rt, b := c.rt[stack[i]], c.bits[stack[i]]
		switch {
		case b&(bitPseudo|bitPlainC) != 0, rt == rtKernel, rt == rtUnknown, rt == rtLibc:
			continue
		case rt == rtCPython, rt == rtPython, b&bitPyO3 != 0:
			return true
		default:
			return false
		}
	}
	return true
}

// callerless reports whether the frames above a wait (root first) name no
// caller: only unsymbolized frames and converter pseudo-frames (the comm).
func (c *classifier) callerless(above []profile.FrameID) bool {
	for _, f := range above {
		if fi := &c.info[f]; fi.rt != rtUnknown && !fi.pseudo {
			return false
		}
	}
	return true
}

// ownCaller says whether the nearest caller of stack[i], past binding
// frames (PyO3's, its generated wrappers) and Rust std inlined between,
// is the extension's own native code.
func (c *classifier) ownCaller(stack []profile.FrameID, i int) bool {
	for k := i - 1; k >= 0; k-- {
		f := stack[k]
		fi := &c.info[f]
		if fi.rt != rtNative || fi.pseudo || c.cpythonAt(stack, k) {
			return false
		}
		if c.bindingFrame(f) || fi.is(factRustLib) {
			continue
		}
		return true
	}
	return false
}

// bindingFrame says whether a binding context rule (ffi) matches frame f.
func (c *classifier) bindingFrame(f profile.FrameID) bool {
	for _, j := range c.ctx[f] {
		if cat := c.rules[j].Cat; cat == CatFFI || cat == CatConvert {
			return true
		}
	}
	return false
}

// typeCallBelow says whether CPython's instance creation (type_call)
// runs below stack[i] before any Python code does: the object called is
// a class.
func (c *classifier) typeCallBelow(stack []profile.FrameID, i int) bool {
	for k := i + 1; k < len(stack); k++ {
		fi := &c.info[stack[k]]
		if fi.rt == rtPython || fi.eval {
			return false
		}
		if fi.is(factObjectCreate) {
			return true
		}
	}
	return false
}
