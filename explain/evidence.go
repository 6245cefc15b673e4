package explain

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// minBlockedSamples is how many samples a thread needs before sitting on
// one line is taken as blocked rather than chance.
const minBlockedSamples = 50

// Flatness is judged from the shape of the cost, not one threshold on the
// top function: real flat profiles show 10-22% there once C callees fold
// into their Python caller. A profile is flat when no function holds more
// than flatTopShare by itself and it takes at least flatSpread functions to
// cover half of the active cost (and, in explain.go, no finding claims a
// strong share).
//
// Where the stacks show the loop itself (full Python stacks), its body is
// the second witness: a loop near the top holding at least flatLoopShare
// of the active cost, split into at least flatSpread steps none of which
// takes more than flatStepShare of the loop, is flat whatever the top
// function's own share (a step's C callees fold into it).
//
// Where most stacks stop at their innermost Python frame (DWARF through
// -X perf's trampolines), the loop that calls the steps is not in the
// stacks and cannot be the witness. The coverage curve stands in for it:
// no function holds half the active cost, and covering flatCoverShare of
// it takes at least flatCoverSpread functions. The tuning set puts the
// line: single-cause programs cover 80% with at most 5 functions (one or
// two on-CPU), flat ones need 9.
//
// A mechanism other than running code (I/O, locks, the GIL, allocation,
// serialization...) holding flatMechShare of the active cost makes a
// profile bound by it, however many functions share that cost: not flat.
const (
	flatMechShare = 0.5
	flatTopShare  = 0.25
	flatTopMax    = 0.5 // a function holding this share by itself: never flat
	flatSpread    = 4
	flatLoopShare = 0.5
	flatStepShare = 1.0 / 3

	flatCoverShare  = 0.8
	flatCoverSpread = 7
	flatCutStacks   = 0.5 // share of stacks cut at Python from which the loop is not visible
)

// named is a name with a value, for "top N" lists in evidence sentences.
type named struct {
	name string
	v    int64
}

// tally accumulates values by name and returns them sorted.
type tally map[string]int64

// sum is the total of t's values.
func (t tally) sum() int64 {
	var s int64
	for _, v := range t {
		s += v
	}
	return s
}

func (t tally) top(n int) []named {
	out := make([]named, 0, len(t))
	for k, v := range t {
		out = append(out, named{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].v != out[j].v {
			return out[i].v > out[j].v
		}
		return out[i].name < out[j].name
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// evidence is what the findings draw on, computed once.
type evidence struct {
	flat bool
	// loopHidden: most stacks stop at their innermost Python frame, so
	// the loops that call the functions are not in the file.
	loopHidden bool
	fns        []*funcStats
	ctxTotal   map[Category]int64 // active value with each context (category or ctx)
	ctxRule    map[string]int64   // active value by deciding context rule id
	callers    tallies            // who called into each context
	inside     tallies            // hottest leaf functions inside each context or category
	sig        map[string]int64   // active value with each signal on the stack
	sigWho     sigTallies         // the frames that matched each signal, by value
	sigCall    sigTallies         // who called the matching frames
	allocSite  tally              // allocation sites: first non-allocator frame above an alloc leaf
	// pyChurn is allocation of Python objects by the eval loop itself (ints,
	// floats, temporaries) under a Python function, with no container growth:
	// part of the cost of running that Python code.
	pyChurn   int64
	pyChurnBy tally
	// GIL inference for wall-clock profiles without GIL frames (py-spy).
	threads      int // threads with Python work
	pyThreads    int // threads that are mostly running Python, each >= 5% of the samples
	pyThreadSet  map[threadKey]bool
	pyThreadVal  int64   // value of the Python work of those threads
	pyBusy       int64   // samples (counts) of Python work across threads
	perThreadMax int64   // samples of the longest-sampled thread: the wall duration proxy
	gilInferred  int64   // value inferred to be GIL waiting
	gilFrac      float64 // gilInferred as a fraction of the Python-work value
	extThreads   int     // threads running third-party native work
	extWork      int64   // value of third-party native work under entries
	gilReacquire int64   // GIL waits inside an extension's released section (re-taking it after native work)
	// blockedThreads sat on one Python line in at least 98% of their
	// samples: blocked in a call py-spy cannot see into, left out of the
	// GIL inference.
	blockedThreads int

	// Per kept sample (index k of analysis.samples), for claims.
	sigs []uint32 // signals on the stack, one bit per signalBit
	// siteOf is 1 + the number in sites of an allocation sample's site,
	// 0 for none: 4 bytes a sample where a string costs 16.
	siteOf []int32
	sites  interned[string]
	churn  []bool // Python object churn of the eval loop
	leafPy []bool // the effective leaf is Python code or CPython under it
	hooked []bool // a serializer's Python callback is on the stack (serhook.go)

	hooks hookStats // serializer callbacks

	// importPkg: import time by the package whose import it is
	// (importedPackage), each sample charged once.
	importPkg       tally
	importInstalled map[string]bool // the packages of importPkg installed beside the program (site-packages)
}

// threadKey identifies a thread for the evidence: pid, name and tid, or the
// comm when the recording has neither.
type threadKey struct {
	pid  int64
	name string
	tid  int64
}

// signalBit numbers the distinct signal ids for the per-sample masks.
var signalBit = func() map[string]uint32 {
	m := map[string]uint32{}
	for i, id := range signalIDs() {
		m[id] = 1 << i
	}
	return m
}()

// sigBits is signalBit by index into signals.
var sigBits = func() []uint32 {
	out := make([]uint32, len(signals))
	for i, sg := range signals {
		out[i] = signalBit[sg.id]
	}
	return out
}()

// hasSig says whether kept sample k has signal id on its stack.
func (ev *evidence) hasSig(k int, id string) bool { return ev.sigs[k]&signalBit[id] != 0 }

// evidence gathers the facts findings need.
func (a *analysis) evidence(r *Report) *evidence {
	p := a.p
	ev := &evidence{
		fns: a.functions(), ctxTotal: map[Category]int64{}, ctxRule: map[string]int64{},
		callers: tallies{}, inside: tallies{},
		sig: map[string]int64{}, sigWho: sigTallies{}, sigCall: sigTallies{},
		allocSite: tally{}, pyChurnBy: tally{}, importPkg: tally{}, importInstalled: map[string]bool{},
	}
	sigOf := make([][]int, len(p.Frames))
	// Frames that differ only by line or address (classifier.same) share
	// their signals: a signal reads the name, function, file, module and
	// runtime.
	for f := range p.Frames {
		fi := &a.cls.info[f]
		if j := a.cls.same[f]; int(j) != f {
			sigOf[f] = sigOf[j]
			continue
		}
		var ps pairSet
		ps.set(fi.ruleName())
		for j := range signals {
			if signals[j].match(fi, j, &ps) {
				sigOf[f] = append(sigOf[f], j)
			}
		}
	}
	n := len(a.samples)
	ev.sigs, ev.siteOf, ev.churn = make([]uint32, n), make([]int32, n), make([]bool, n)
	ev.leafPy, ev.pyThreadSet = make([]bool, n), map[threadKey]bool{}
	// Per thread, by its number (threadNumbers).
	tidx, ttab := a.threadNumbers()
	threadAll := make([]int64, len(ttab))
	threadPy := make([]int64, len(ttab))
	threadPyVal := make([]int64, len(ttab))
	ev.hooked = make([]bool, n)
	var ser []codecMark // codec frames, once some sample is serialization
	// hookAt is, per distinct stack (stackKey), 1 + the number in
	// hookHits of its answer, 0 while unknown.
	var hookAt []int32
	var hookHits interned[hookHit]
	inside := &frameTallies{info: a.cls.info, rest: tallies{}}
	var buf []profile.FrameID
	for k, i := range a.samples {
		s := &p.Samples[i]
		cl := a.class[k]
		tk := tidx[k]
		threadAll[tk] += s.Count
		if cl.Cat == CatIdle {
			continue
		}
		v := a.val[k]
		buf = a.stackOf(k, buf)
		stack := buf
		if cl.Ctx != "" {
			ev.ctxTotal[cl.Ctx] += v
			ev.ctxRule[cl.CtxRule] += v
			a.contextCaller(ev, cl.Ctx, stack, v)
		}
		if cl.Ctx == CatImport || cl.Cat == CatImport {
			if pkg, kind := a.importedPackage(stack); pkg != "" {
				ev.importPkg[pkg] += v
				if kind == pkgThirdParty {
					ev.importInstalled[pkg] = true
				}
			}
		}
		if cl.Ctx == CatSerialization || cl.Cat == CatSerialization {
			if ser == nil {
				ser = a.serFrames()
			}
			// Once per distinct stack: samples of one stack share it.
			// hookAt holds an index into the few distinct answers, not
			// the answer: a million-stack profile has a million entries.
			sk, nk := a.stackKey(k)
			if hookAt == nil {
				hookAt = make([]int32, nk)
			}
			hi := hookAt[sk] - 1
			if hi < 0 {
				var hit hookHit
				if h, caller, dir := a.serHook(stack, ser); h >= 0 {
					hit = hookHit{name: a.cls.info[stack[h]].name, caller: caller, dir: dir, ok: true}
				}
				hi = hookHits.id(hit)
				hookAt[sk] = hi + 1
			}
			hit := hookHits.values[hi]
			if hit.ok {
				ev.hooked[k] = true
				ev.hooks.add(hit.name, hit.caller, hit.dir, v)
			}
		}
		if len(stack) > 0 {
			j := a.leafOf(k, stack)
			leafRT := a.cls.rt[stack[j]]
			// "Hottest inside" names the code doing the work: a preemption
			// or stack-growth trampoline's samples go to the function it
			// interrupted.
			for j > 0 && a.cls.bits[stack[j]]&bitTrampoline != 0 {
				j--
			}
			if cl.Ctx != "" {
				inside.add(cl.Ctx, stack[j], v)
			}
			// A sample whose context is its category (json code under
			// json's encoder) counts once.
			if cl.Cat != cl.Ctx {
				inside.add(cl.Cat, stack[j], v)
			}
			if leafRT == rtPython || leafRT == rtCPython {
				ev.leafPy[k] = true
				threadPy[tk] += s.Count
				threadPyVal[tk] += v
			}
		}
		if cl.Cat == CatAlloc || a.recording == RecMemory {
			site, py := a.allocSite(stack)
			if site != "" {
				ev.allocSite[site] += v
				ev.setSite(k, site)
			}
			// site "" means only CPython frames above: the interpreter
			// itself allocating (a profile without Python frames).
			if (py || site == "") && cl.Rule == "alloc.cpython" && a.recording != RecMemory && !a.hasSignal(sigOf, stack, sigGrowth) {
				ev.pyChurn += v
				ev.churn[k] = true
				if site != "" {
					ev.pyChurnBy[site] += v
				}
			}
		}
		// Each signal counts once per sample: its bit in ev.sigs[k] says
		// whether it has been seen on this stack.
		for j, f := range stack {
			for _, si := range sigOf[f] {
				id := signals[si].id
				if id == sigAllowThreads && !a.calledFromNative(stack, j) {
					continue // CPython releasing the GIL around its own blocking calls
				}
				if bit := sigBits[si]; ev.sigs[k]&bit == 0 {
					ev.sigs[k] |= bit
					ev.sig[id] += v
					if id == sigAllowThreads && cl.Cat == CatGIL {
						ev.gilReacquire += v
					}
					fi := &a.cls.info[f]
					ev.sigWho.add(id, fi.name, v)
					if c := a.callerAbove(stack, j, si); c != "" {
						ev.sigCall.add(id, c, v)
					}
				}
			}
		}
	}
	inside.addTo(ev.inside)
	// Which of Go's standard codecs the serialization is in: the
	// finding's shape and the headline's name of the codec.
	switch goCodecVariant(ev.inside[CatSerialization]) {
	case "go-xml":
		a.goCodec = "encoding/xml"
	case "go-gob":
		a.goCodec = "encoding/gob"
	}
	for _, e := range a.entries {
		if !e.stdlib {
			ev.extWork += e.work
		}
	}
	ev.extThreads = a.extThreadCount()
	ev.blockedThreads = len(a.blockedThreads())
	// GIL inference: in a wall-clock profile every thread is sampled all
	// the time, so the recording's length in samples is the most one
	// thread can have; Python work summed over a process's threads beyond
	// that cannot all have held the GIL (one per process).
	length := a.lengthInSamples()
	for _, n := range threadAll {
		ev.perThreadMax = max(ev.perThreadMax, n)
	}
	length = max(length, ev.perThreadMax)
	var all int64
	for _, n := range threadAll {
		all += n
	}
	byPID := map[int64][]int{}
	var pids []int64
	for t, tk := range ttab {
		if _, ok := byPID[tk.pid]; !ok {
			pids = append(pids, tk.pid)
		}
		byPID[tk.pid] = append(byPID[tk.pid], t)
	}
	sort.Slice(pids, func(i, j int) bool { return pids[i] < pids[j] })
	for _, pid := range pids {
		var busy, val int64
		threads := 0
		for _, tk := range byPID[pid] {
			n := threadAll[tk]
			if threadPy[tk]*2 >= n && n*20 >= all {
				ev.pyThreads++
				ev.pyThreadSet[ttab[tk]] = true
				ev.pyThreadVal += threadPyVal[tk]
			}
			if threadPy[tk]*10 >= n && threadPy[tk] > 0 {
				threads++
			}
			busy += threadPy[tk]
			val += threadPyVal[tk]
		}
		ev.threads = max(ev.threads, threads)
		if a.recording == RecWall && a.cat(CatGIL) == 0 && threads >= 2 && length > 0 && busy > length*3/2 {
			frac := float64(busy-length) / float64(busy)
			ev.gilInferred += int64(frac * float64(val))
			ev.pyBusy += busy
		}
	}
	if ev.pyBusy > 0 {
		ev.perThreadMax = length
		var pyVal int64
		for _, v := range threadPyVal {
			pyVal += v
		}
		ev.gilFrac = float64(ev.gilInferred) / float64(max(pyVal, 1))
	}
	top := 0.0
	if len(ev.fns) > 0 {
		top = a.activeShare(ev.fns[0].self)
	}
	half := a.coverage(ev.fns, 0.5)
	ev.loopHidden = loopHidden(&r.Quality)
	spread := top < flatTopShare && half >= flatSpread ||
		ev.loopHidden && top < flatTopMax && a.coverage(ev.fns, flatCoverShare) >= flatCoverSpread
	// However evenly a loop splits into steps, one function holding half
	// the cost by itself (a callee every step shares) dominates it.
	ev.flat = (spread || top < flatTopMax && a.flatLoop()) && a.dominantMechanism() == ""
	return ev
}

// loopHidden says whether most stacks stop at their innermost Python
// frame, so that the loops calling the functions are not in the file.
func loopHidden(q *Quality) bool { return q.TruncatedAtPython >= flatCutStacks }

// coverage is how many of fns, largest self cost first, it takes to cover
// share of the active cost; 0 when they never do (the rest is not in
// functions: idle, unattributed).
func (a *analysis) coverage(fns []*funcStats, share float64) int {
	var sum int64
	for i, f := range fns {
		sum += f.self
		if a.activeShare(sum) >= share {
			return i + 1
		}
	}
	return 0
}

// setSite records kept sample k's allocation site.
func (ev *evidence) setSite(k int, site string) {
	ev.siteOf[k] = ev.sites.id(site) + 1
}

// site is kept sample k's allocation site, "" for none.
func (ev *evidence) site(k int) string {
	if id := ev.siteOf[k]; id > 0 {
		return ev.sites.values[id-1]
	}
	return ""
}

// tallies are tallies per category; sigTallies per signal id.
type (
	tallies    map[Category]tally
	sigTallies map[string]tally
)

func (m tallies) add(c Category, name string, v int64) {
	if m[c] == nil {
		m[c] = tally{}
	}
	m[c][name] += v
}

// frameTallies sums values per category and frame in a per-sample walk;
// addTo then sums them by name, once per distinct frame rather than once
// per sample.
type frameTallies struct {
	info []frameInfo
	by   [len(catOrder)][]int64
	// rest holds categories outside catOrder (a caller's own rules).
	rest tallies
}

func (t *frameTallies) add(c Category, f profile.FrameID, v int64) {
	i := catIndex(c)
	if i < 0 {
		t.rest.add(c, t.info[f].name, v)
		return
	}
	if t.by[i] == nil {
		t.by[i] = make([]int64, len(t.info))
	}
	t.by[i][f] += v
}

// addTo adds the sums to m under the frames' names.
func (t *frameTallies) addTo(m tallies) {
	for i, vs := range t.by {
		for f, v := range vs {
			if v != 0 {
				m.add(catOrder[i], t.info[f].name, v)
			}
		}
	}
	for c, names := range t.rest {
		for name, v := range names {
			m.add(c, name, v)
		}
	}
}

func (m sigTallies) add(id, name string, v int64) {
	if m[id] == nil {
		m[id] = tally{}
	}
	m[id][name] += v
}

// contextCaller records who called into context c: the nearest work frame
// above the outermost frame whose context rule gives c.
func (a *analysis) contextCaller(ev *evidence, c Category, stack []profile.FrameID, v int64) {
	outer := -1
	for j, f := range stack {
		for _, ri := range a.cls.ctx[f] {
			if a.cls.rules[ri].Cat == c {
				outer = j
				break
			}
		}
		if outer >= 0 {
			break
		}
	}
	if outer < 0 {
		return
	}
	for j := outer - 1; j >= 0; j-- {
		fi := &a.cls.info[stack[j]]
		// CPython's frozen modules (<frozen runpy>, <frozen importlib._bootstrap>)
		// are the interpreter's start-up machinery, no caller a user changes.
		if (fi.rt == rtPython && !strings.HasPrefix(fi.file, "<frozen ") || (fi.rt == rtNative && !isRuntimeFrame(fi))) && !fi.pseudo && len(a.cls.ctx[stack[j]]) == 0 {
			ev.callers.add(c, fi.name, v)
			return
		}
	}
}

// callerAbove names the nearest Python or native frame above stack[j] that
// does not itself match signal si.
func (a *analysis) callerAbove(stack []profile.FrameID, j, si int) string {
	for k := j - 1; k >= 0; k-- {
		fi := &a.cls.info[stack[k]]
		if fi.pseudo || !(fi.rt == rtPython || fi.rt == rtNative) {
			continue
		}
		if signals[si].match(fi, si, nil) || (fi.rt == rtNative && isRuntimeFrame(fi)) {
			continue
		}
		if len(a.cls.ctx[stack[k]]) > 0 && fi.rt == rtPython {
			continue
		}
		return fi.name
	}
	return ""
}

// allocSite names the code that allocated: the innermost frame above the
// leaf that is not an allocator, CPython, libc or kernel; py says whether
// it is a Python function.
func (a *analysis) allocSite(stack []profile.FrameID) (string, bool) {
	j := a.allocSiteIndex(stack)
	if j < 0 {
		return "", false
	}
	fi := &a.cls.info[stack[j]]
	return fi.name, fi.rt == rtPython
}

// allocSiteIndex is the index of the allocating frame, or -1.
func (a *analysis) allocSiteIndex(stack []profile.FrameID) int {
	for j := len(stack) - 1; j >= 0; j-- {
		f := stack[j]
		fi := &a.cls.info[f]
		if fi.pseudo || fi.rt == rtLibc || fi.rt == rtKernel || fi.rt == rtUnknown || a.cls.cpythonAt(stack, j) || fi.rustAlloc {
			// CPython's own C (by module, or a bare C name in a Python
			// profile that names no modules) allocates for its caller.
			continue
		}
		if a.cls.alloc[f] || a.isAllocRule(f) || fi.is(factAllocator) || isRuntimeFrame(fi) {
			continue
		}
		return j
	}
	return -1
}

// isRuntimeFrame reports frames of a language runtime or standard library
// rather than the program: never the place a user changes. It reads the
// answer runtimeFrame gave once for the frame.
func isRuntimeFrame(fi *frameInfo) bool { return fi.runtimeLib }

// runtimeFrame computes isRuntimeFrame's answer (frameRoles).
func runtimeFrame(fi *frameInfo) bool {
	return strings.HasPrefix(fi.name, "runtime.") || strings.HasPrefix(fi.name, "internal/") || runtimeMiscFrames.has(fi.name) || isStdLibFrame(fi)
}

// isStdLibFrame reports frames of the languages' standard libraries
// (Rust std/alloc/core, libstdc++), which are never the allocation site a
// user can change: memory profilers print Rust std generics by short name
// with the std source file ("with_capacity_in<u8,..> (mod.rs:965)"), user
// functions with their crate path ("rustalloc::index_with_clones").
func isStdLibFrame(fi *frameInfo) bool {
	n := fi.name
	for _, p := range stdLibPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	if fi.rt != rtPython {
		for _, p := range jvmStdLibPrefixes {
			if strings.HasPrefix(n, p) {
				return true
			}
		}
	}
	if strings.HasPrefix(fi.file, "library/") || strings.Contains(fi.file, "/library/alloc/") || strings.Contains(fi.file, "/library/core/") || strings.Contains(fi.file, "/library/std/") {
		return true
	}
	base := n
	if i := strings.IndexByte(base, '<'); i > 0 {
		base = base[:i]
	}
	return !strings.Contains(base, "::") && rustStdFiles.has(fi.file)
}

// hasSignal reports whether any frame of stack matches signal id.
func (a *analysis) hasSignal(sigOf [][]int, stack []profile.FrameID, id string) bool {
	for _, f := range stack {
		for _, si := range sigOf[f] {
			if signals[si].id == id {
				return true
			}
		}
	}
	return false
}

func (a *analysis) isAllocRule(f profile.FrameID) bool {
	for _, ri := range a.cls.leaf[f] {
		if a.cls.rules[ri].Cat == CatAlloc {
			return true
		}
	}
	return false
}

// extThreadCount counts threads whose third-party native work under a
// Python->native entry is at least 5% of the active total each.
func (a *analysis) extThreadCount() int {
	tidx, ttab := a.threadNumbers()
	work := make([]int64, len(ttab))
	var unsure int64 // work on stacks not known to be the main thread's
	var buf []profile.FrameID
	for k := range a.samples {
		cl := a.class[k]
		if cl.Cat == CatIdle || isGlue(cl) {
			continue
		}
		buf = a.stackOf(k, buf)
		stack := buf
		side, ext := 0, false
		for _, f := range stack {
			switch a.cls.rt[f] {
			case rtCPython:
				if side == 2 && a.cls.bits[f]&bitEval == 0 {
					continue // the C API called from native code
				}
				side, ext = 1, false
			case rtPython:
				side, ext = 1, false
			case rtNative:
				if side == 1 && a.cls.bits[f]&bitStdlib == 0 {
					ext = true
				}
				if side != 0 {
					side = 2
				}
			}
		}
		if side == 2 && ext {
			work[tidx[k]] += a.val[k]
			if a.threadSrc == threadsFromStructure && !a.fromProcessEntry(stack) {
				unsure += a.val[k]
			}
		}
	}
	// A thread counts when its native work is a fair part of what runs:
	// of the active cost on CPU; off the CPU, where the cost is waiting,
	// of the running code (the preemptions), so that work split over many
	// threads is not lost among their waits.
	base := a.active
	if a.recording == RecOffCPU {
		base = a.runningSwitches()
	}
	n := 0
	for _, v := range work {
		if base > 0 && float64(v) >= 0.05*float64(base) {
			n++
		}
	}
	if n == 1 && a.activeShare(unsure) >= 0.05 && a.cat(CatGIL) > 0 {
		// One worker target (or stacks cut short of their thread's
		// start) runs the extension, and the GIL changes hands: at least
		// two threads run it (the file cannot say how many). Stacks that
		// start at the process entry are the main thread's, one thread,
		// whatever the GIL did (start-up takes it too).
		n = 2
	}
	return n
}

// fromProcessEntry reports whether a root-first stack starts at the
// process entry (_start, main), not at a thread entry nor cut short:
// the main thread's.
func (a *analysis) fromProcessEntry(stack []profile.FrameID) bool {
	for k := 0; k < len(stack) && k < 3; k++ {
		fi := &a.cls.info[stack[k]]
		if fi.threadEntry {
			return false
		}
		if fi.processTop && fi.rt != rtPython {
			return true
		}
	}
	return false
}

// fmtNamed renders the top entries as "name 12.3%, other 4.5%".
func (a *analysis) fmtNamed(list []named) string {
	s := ""
	for i, n := range list {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %s", n.name, pct(a.activeShare(n.v)))
	}
	return s
}

// calledFromNative reports whether stack[j] is native extension code or is
// called directly (through libc at most) by it.
func (a *analysis) calledFromNative(stack []profile.FrameID, j int) bool {
	if a.cls.info[stack[j]].rt == rtNative && !a.cls.cpythonAt(stack, j) {
		return true
	}
	for k := j - 1; k >= 0; k-- {
		switch a.cls.info[stack[k]].rt {
		case rtLibc, rtUnknown:
			continue
		case rtNative:
			return !a.cls.cpythonAt(stack, k)
		}
		return false
	}
	return false
}

// lengthInSamples is the recording's length in samples per thread, from the
// duration and rate the importer recorded, or 0 when unknown.
func (a *analysis) lengthInSamples() int64 {
	m := &a.p.Meta
	if m.DurationNanos <= 0 {
		return 0
	}
	if hz, err := strconv.ParseFloat(m.Attr("rate_hz"), 64); err == nil && hz > 0 {
		return int64(float64(m.DurationNanos) * hz / 1e9)
	}
	if m.Period > 0 && timeUnit(m.PeriodType.Unit) > 0 {
		return m.DurationNanos / (m.Period * int64(timeUnit(m.PeriodType.Unit)))
	}
	return 0
}

// flatLoop reports whether the widest loop near the top of the stacks is
// split into many steps with none dominating (see flatLoopShare).
func (a *analysis) flatLoop() bool {
	loops := a.loopsNearTop(1)
	if len(loops) == 0 || a.activeShare(loops[0].v) < flatLoopShare {
		return false
	}
	steps := a.loopStepTally(loops[0].name)
	var largest, sum int64
	for _, v := range steps {
		largest = max(largest, v)
		sum += v
	}
	return len(steps) >= flatSpread && float64(largest) <= flatStepShare*float64(sum)
}

// dominantMechanism is the category other than running code (Python, the
// interpreter, native work) that holds at least flatMechShare of the
// active cost, "" when none does.
func (a *analysis) dominantMechanism() Category {
	for i, c := range catOrder {
		switch c {
		case CatIdle, CatPython, CatInterpreter, CatNative:
			continue
		}
		if a.activeShare(a.catVal[i]) >= flatMechShare {
			return c
		}
	}
	return ""
}
