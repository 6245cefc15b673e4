package explain

import (
	"cmp"
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
	a.sampleEntry = make([]*entryStats, len(a.samples))
	a.sampleGlue = make([]bool, len(a.samples))
	// callers sums by entry<<32 | caller frame, the pair of one crossing.
	callers := map[uint64]int64{}
	var buf []profile.FrameID
	for k, i := range a.samples {
		s := &p.Samples[i]
		cl := a.class[k]
		if cl.Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		stack := buf
		side := 0 // 0 none yet, 1 python, 2 native
		entry := -1
		lastPy := -1 // the nearest Python frame so far: the caller of a crossing
		// viaModule: the last interpreter-side frame was plain C taken
		// for one of CPython's own modules (a module-less profile): the
		// native code it calls is that module's library (OpenSSL under
		// _hashlib, zlib under zlib), not an extension.
		viaModule := false
		rts := a.cls.rt
		for j, f := range stack {
			rt := rts[f]
			if rt == rtLibc || rt == rtKernel || rt == rtUnknown {
				continue // transparent: no side, no crossing
			}
			above := lastPy
			if rt == rtPython {
				lastPy = j
			}
			inferred := false
			if rt == rtNative && a.cls.cpythonAt(stack, j) {
				rt, inferred = rtCPython, true
			}
			if rt == rtCPython || rt == rtPython {
				viaModule = inferred
			}
			switch rt {
			case rtCPython:
				if side == 2 && !a.cls.info[f].eval {
					continue // the C API called from native code: still the native side
				}
				fallthrough
			case rtPython:
				if side == 2 {
					cx.NativeToPython += s.Count
					if entry >= 0 {
						es[entry].back += a.val[k]
					}
					entry = -1
				}
				side = 1
			case rtNative:
				if j == 0 && a.cls.info[f].pseudo {
					continue
				}
				if side == 1 {
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
							es = append(es, &entryStats{name: name, module: mod, stdlib: a.cls.info[f].stdlib || viaModule})
						}
						byFrame.set(ef, wrapper, e)
					}
					entry = e
					es[e].samples += s.Count
					if above >= 0 {
						// By frame, not name: the names are summed once per
						// distinct frame after the walk.
						callers[uint64(e)<<32|uint64(stack[above])] += a.val[k]
					}
				}
				side = 2
			}
		}
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
	for c, v := range callers {
		e := es[c>>32]
		e.callerFrames = append(e.callerFrames, frameValue{profile.FrameID(uint32(c)), v})
	}
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
	first, firstWork, firstInl := -1, -1, -1
	for j, f := range run {
		rt := a.cls.rt[f]
		if rt == rtPython || rt == rtCPython {
			break
		}
		if rt != rtNative {
			continue
		}
		fi := &a.cls.info[f]
		if first < 0 {
			first = j
		}
		if a.isWrapper(f) {
			return f, true
		}
		if fi.capi || a.isGlueFrame(f) {
			continue
		}
		if firstWork < 0 && !fi.inlined {
			firstWork = j
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
	for i := range a.cls.rules {
		if a.cls.rules[i].ID == ruleWrapper {
			return a.cls.rules[i].Name
		}
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
