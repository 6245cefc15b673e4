package explain

import (
	"cmp"
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"regexp"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// ruleWrapper is the rule matching a binding's generated wrapper, which
// carries the user function's name: the best name for a native entry point.
const ruleWrapper = "ffi.wrapper"

// minEntryWork is the least share of the active total a native entry point
// without any boundary glue must do to be listed in the crossings table.
const minEntryWork = 0.01

// entryStats is the boundary cost under one native entry point.
type entryStats struct {
	name    string
	module  string
	stdlib  bool  // a CPython accelerator module (lib-dynload), not third-party code
	glue    int64 // value in the per-call wrapper under this entry (ffi)
	convert int64 // value converting sequence elements under it (convert)
	work    int64 // value of the native work it wraps
	back    int64 // value of callbacks into Python from under it
	samples int64 // input samples that entered it
	// callerFrames are the Python frames that called it (the nearest
	// Python frame above), with their value; analysis.callersOf sums them
	// by name when a finding asks.
	callerFrames []frameValue
	callers      tally // by name, once callersOf made it
}

// frameValue is a frame with a value.
type frameValue struct {
	frame profile.FrameID
	v     int64
}

// callersOf returns the Python functions that called entry e, by name.
func (a *analysis) callersOf(e *entryStats) tally {
	if !a.callersGathered {
		a.gatherCallers()
	}
	if e.callers == nil {
		e.callers = make(tally, len(e.callerFrames))
		for _, c := range e.callerFrames {
			e.callers[a.cls.info[c.frame].name] += c.v
		}
	}
	return e.callers
}

// crossings counts Python->native and native->Python transitions on the
// stacks (weighted by input samples) and, per native entry point, the glue
// against the work it wraps. A frame is on the Python side when it is a
// Python function or CPython's own C; on the native side when it is other
// native code; libc, kernel and unsymbolized frames are transparent.
func (a *analysis) crossings() Crossings {
	p := a.p
	var cx Crossings
	idx := map[string]int{}
	// byFrame remembers each entry frame's entry, so the name key is built
	// once per distinct entry frame, not once per crossing.
	byFrame := newFrameEntries(len(p.Frames))
	var es []*entryStats
	a.sampleEntry = bigmem.Written[*entryStats](len(a.samples))
	a.sampleGlue = make([]bool, len(a.samples))
	var buf []profile.FrameID
	for k, i := range a.samples {
		s := &p.Samples[i]
		cl := a.class[k]
		if cl.Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		stack := buf
		entry := -1
		side := a.walkSides(stack, func(j, _ int, viaModule bool) {
			cx.PythonToNative += s.Count
			ef, wrapper := a.entryFrame(stack[j:])
			e := byFrame.get(ef, wrapper)
			if e < 0 {
				name, mod := a.entryNameOf(ef, wrapper)
				key := name + "\x00" + mod
				var ok bool
				if e, ok = idx[key]; !ok {
					e = len(es)
					idx[key] = e
					es = append(es, &entryStats{name: name, module: mod, stdlib: a.cls.info[stack[j]].stdlib || viaModule})
				}
				byFrame.set(ef, wrapper, e)
			}
			entry = e
			es[e].samples += s.Count
		}, func() {
			cx.NativeToPython += s.Count
			if entry >= 0 {
				es[entry].back += a.val[k]
			}
			entry = -1
		})
		if side == 2 && entry >= 0 {
			a.sampleEntry[k] = es[entry]
			a.sampleGlue[k] = isGlue(cl)
			switch {
			case cl.Cat == CatConvert || (cl.Cat == CatAlloc && cl.Ctx == CatConvert):
				es[entry].convert += a.val[k]
			case isGlue(cl):
				es[entry].glue += a.val[k]
			default:
				es[entry].work += a.val[k]
			}
		}
	}
	// The callers pass (entryCallers) finds an entry by its frame: keep
	// the map, and the entries in the order it numbers them.
	a.entryOf, a.entriesByNumber = byFrame, slices.Clone(es)
	// Entries are distinct by name and module, so the order is total.
	slices.SortFunc(es, func(x, y *entryStats) int {
		if x.glue != y.glue {
			return cmp.Compare(y.glue, x.glue)
		}
		if x.work != y.work {
			return cmp.Compare(y.work, x.work)
		}
		if x.name != y.name {
			return strings.Compare(x.name, y.name)
		}
		return strings.Compare(x.module, y.module)
	})
	a.entries = es
	for _, e := range es {
		if len(cx.Entries) >= 20 {
			break
		}
		if e.glue+e.convert+e.work == 0 || (e.glue+e.convert == 0 && a.activeShare(e.work) < minEntryWork) {
			// Nothing crossed here worth a row: no glue and trivial work.
			continue
		}
		cx.Entries = append(cx.Entries, NativeEntry{Function: e.name, Glue: e.glue, Convert: e.convert, Work: e.work,
			GlueRatio: share(e.glue, e.glue+e.convert+e.work)})
	}
	return cx
}

// walkSides walks a root-first stack across the Python/native boundary:
// toNative(j, above, viaModule) at each frame j where native code is
// entered from the Python side (above is the nearest Python frame before
// j, -1 if none), toPython() where Python is entered back from native
// code. It returns the side the leaf is on: 0 none, 1 Python, 2 native.
func (a *analysis) walkSides(stack []profile.FrameID, toNative func(j, above int, viaModule bool), toPython func()) int {
	side := 0
	lastPy := -1 // the nearest Python frame so far: the caller of a crossing
	// viaModule: the last interpreter-side frame was plain C taken for
	// one of CPython's own modules (a module-less profile): the native
	// code it calls is that module's library (OpenSSL under _hashlib,
	// zlib under zlib), not an extension.
	viaModule := false
	rts, bits := a.cls.rt, a.cls.bits
	// cpythonCaller is cpythonAt's view of the callers so far, kept as
	// the walk goes instead of scanning back at each frame: the nearest
	// caller that is not pseudo, kernel, unsymbolized, libc or a bare C
	// name is CPython or Python (or there is none).
	inferC := a.cls.moduleless && a.cls.pyProc
	cpythonCaller := true
	for j, f := range stack {
		rt, b := rts[f], bits[f]
		inferred := false
		if rt == rtNative && inferC && b&bitPlainC != 0 && cpythonCaller {
			rt, inferred = rtCPython, true
		}
		if raw := rts[f]; b&(bitPseudo|bitPlainC) == 0 && raw != rtKernel && raw != rtUnknown && raw != rtLibc {
			cpythonCaller = raw == rtCPython || raw == rtPython
		}
		if rt == rtLibc || rt == rtKernel || rt == rtUnknown {
			continue // transparent: no side, no crossing
		}
		above := lastPy
		if rt == rtPython {
			lastPy = j
		}
		if rt == rtCPython || rt == rtPython {
			viaModule = inferred
		}
		switch rt {
		case rtCPython:
			if side == 2 && b&bitEval == 0 {
				continue // the C API called from native code: still the native side
			}
			fallthrough
		case rtPython:
			if side == 2 {
				toPython()
			}
			side = 1
		case rtNative:
			if j == 0 && b&bitPseudo != 0 {
				continue
			}
			if side == 1 {
				toNative(j, above, viaModule)
			}
			side = 2
		}
	}
	return side
}

// gatherCallers fills every entry's callerFrames: per crossing into it,
// the nearest Python frame above, with the sample's value. It is a second
// walk, made only when a finding asks for callers (callersOf): most
// reports name none, and on a profile with many entry points the pairs
// are many.
func (a *analysis) gatherCallers() {
	a.callersGathered = true
	if a.entryOf == nil {
		return
	}
	// By entry<<32 | caller frame: names are summed once per distinct
	// frame afterwards.
	callers := map[uint64]int64{}
	var buf []profile.FrameID
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		stack := buf
		v := a.val[k]
		a.walkSides(stack, func(j, above int, _ bool) {
			if above >= 0 {
				e := a.entryOf.get(a.entryFrame(stack[j:]))
				callers[uint64(e)<<32|uint64(stack[above])] += v
			}
		}, func() {})
	}
	for c, v := range callers {
		e := a.entriesByNumber[c>>32]
		e.callerFrames = append(e.callerFrames, frameValue{profile.FrameID(uint32(c)), v})
	}
}

// isGlue says whether a sample's cost is boundary glue: classified ffi, or
// allocation inside the boundary conversion.
func isGlue(cl *Class) bool {
	return isBoundary(cl.Cat) || (cl.Cat == CatAlloc && isBoundary(cl.Ctx))
}

// isBoundary says whether a category is a cost of crossing the boundary:
// the per-call wrapper (ffi) or the per-element conversion (convert).
func isBoundary(c Category) bool { return c == CatFFI || c == CatConvert }

// entryFrame picks the frame naming the native entry point of a run of native frames: the
// PyO3 wrapper when there is one (it carries the user function's name),
// else the first frame that is neither boundary glue (PyO3, Cython, cffi
// trampolines) nor CPython's C API or an inline helper compiled into the
// extension (Py_DECREF, PyUnicode_DATA: the extension's own function
// encloses them), preferring frames the compiler did not inline; else the
// first frame. It returns that frame and whether it is a wrapper, named
// as it is (entryNameOf).
func (a *analysis) entryFrame(run []profile.FrameID) (profile.FrameID, bool) {
	if a.entryRoles == nil {
		a.entryRoles = a.entryRolesOf()
	}
	first, firstWork, firstInl := -1, -1, -1
	for j, f := range run {
		rt := a.cls.rt[f]
		if rt == rtPython || rt == rtCPython {
			break
		}
		if rt != rtNative {
			continue
		}
		if first < 0 {
			first = j
		}
		switch a.entryRoles[f] {
		case entryWrapper:
			return f, true
		case entryGlue:
			continue
		case entryWork:
			if firstWork < 0 {
				firstWork = j
			}
		}
		if firstInl < 0 {
			firstInl = j
		}
	}
	pick := firstWork
	if pick < 0 {
		pick = firstInl
	}
	if pick < 0 {
		pick = first
	}
	return run[pick], false
}

// entryRole is what a native frame is to entryFrame.
type entryRole uint8

const (
	entryWork    entryRole = iota // the extension's own code, not inlined
	entryInlined                  // the extension's own code, inlined into its caller
	entryWrapper                  // a PyO3 wrapper, which carries the user function's name
	entryGlue                     // boundary glue, CPython's C API or an inline helper
)

// entryRolesOf works out every frame's entryRole once: entryFrame runs at
// every crossing of every stack.
func (a *analysis) entryRolesOf() []entryRole {
	roles := make([]entryRole, len(a.cls.info))
	for f := range roles {
		fi := &a.cls.info[f]
		switch id := profile.FrameID(f); {
		case a.isWrapper(id):
			roles[f] = entryWrapper
		case fi.capi || a.isGlueFrame(id):
			roles[f] = entryGlue
		case fi.inlined:
			roles[f] = entryInlined
		}
	}
	return roles
}

// entryNameOf is the name and module of entry frame f.
func (a *analysis) entryNameOf(f profile.FrameID, wrapper bool) (string, string) {
	fi := &a.cls.info[f]
	if wrapper {
		return fi.name, fi.module
	}
	return strings.TrimSpace(fi.name), fi.module
}

// frameEntries maps an entry frame (named as a wrapper or not) to its
// index in the entry list; -1 when not seen yet.
type frameEntries [2][]int32

func newFrameEntries(frames int) *frameEntries {
	var fe frameEntries
	for w := range fe {
		fe[w] = make([]int32, frames)
		for i := range fe[w] {
			fe[w][i] = -1
		}
	}
	return &fe
}

func (fe *frameEntries) get(f profile.FrameID, wrapper bool) int {
	return int(fe[b2i(wrapper)][f])
}

func (fe *frameEntries) set(f profile.FrameID, wrapper bool, e int) {
	fe[b2i(wrapper)][f] = int32(e)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isWrapper says whether frame f is a binding's generated wrapper (rule
// ffi.wrapper, matched once per frame by the classifier).
func (a *analysis) isWrapper(f profile.FrameID) bool {
	for _, j := range a.cls.ctx[f] {
		if a.cls.rules[j].ID == ruleWrapper {
			return true
		}
	}
	return false
}

// wrapperName is the wrapper rule's pattern, nil when the table has none.
func (a *analysis) wrapperName() *regexp.Regexp {
	if r := a.cls.rule(ruleWrapper); r != nil {
		return r.Name
	}
	return nil
}

// isGlueFrame says whether frame f matches a boundary (ffi) context rule.
func (a *analysis) isGlueFrame(f profile.FrameID) bool {
	for _, j := range a.cls.ctx[f] {
		if isBoundary(a.cls.rules[j].Cat) {
			return true
		}
	}
	return false
}
