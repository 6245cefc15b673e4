package explain

import (
	"path"
	"regexp"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// runtime is the classifier's view of which runtime a frame belongs to. It
// is finer than profile.FrameKind: native code is split into CPython's own C
// (the interpreter), the C library, and everything else, because the first
// two are "transparent" when deciding on whose behalf a cost was paid.
type runtime uint8

const (
	rtUnknown runtime = iota // unsymbolized: [unknown], 0x..., empty
	rtPython                 // a Python function (py-spy frame, perf -X perf py:: frame)
	rtCPython                // CPython's own C code: libpython, the python binary, Py*/_Py* names
	rtLibc                   // the C library, loader and vDSO
	rtKernel                 // the operating-system kernel
	rtNative                 // other native code: extensions, Rust, C/C++, Go
)

var runtimeNames = [...]string{"unknown", "python", "interpreter", "libc", "kernel", "native"}

func (r runtime) String() string { return runtimeNames[r] }

// frameInfo is what classification needs to know about one interned frame,
// computed once per profile.
type frameInfo struct {
	name   string // normalised name: no offsets, annotations or Rust hashes
	fn     string // Python: the last dotted part of the qualname; otherwise name
	file   string // Python source file or native source file, forward slashes
	module string // base name of the binary or shared object
	rt     runtime
	eval   bool // the CPython eval loop (_PyEval_EvalFrameDefault and kin)
	stdlib bool // a CPython accelerator module shipped in lib-dynload (_json, _pickle...)
	pseudo bool // a thread/process/comm pseudo-frame added by a converter
	// inlined: the compiler inlined this frame into its caller (perf's
	// "(inlined)" entries); capi: the name is CPython's C API or one of its
	// inline helpers (Py_DECREF, PyUnicode_DATA), whatever module it was
	// compiled into. Neither names a native entry point.
	inlined, capi bool
	plainC        bool // a bare C identifier: no namespace, template or signature
	// ownPath is a Rust or C++ name without the generic arguments it was
	// instantiated with ("core::ptr::drop_in_place" for a drop of a
	// Node<Key, pyo3::instance::Py<PyAny>>): the path of the function
	// itself, which says whose code it is; "" where it equals name.
	ownPath string
	// rustAlloc marks Rust's allocation layer when only a short name and
	// the std source file are known (valgrind DHAT): alloc.rs, raw_vec.rs.
	rustAlloc bool
	// The answers of the frame sets (rules.go) the per-stack walks ask,
	// computed once per frame (frameRoles) so that no walk matches a name
	// per frame occurrence: threadEntry (threadEntryFrames), processTop
	// (processTopFrames), both on the Python function name for Python
	// frames; runtimeLib (runtimeFrame: a language runtime or standard
	// library); schedLeaf (schedLeafFrames: a context switch); facts, the
	// other sets' answers.
	threadEntry, processTop, runtimeLib bool
	schedLeaf                           bool
	facts                               frameFact
}

// frameFact is one frame set's answer about a frame (frameRoles).
type frameFact uint32

const (
	factStartup       frameFact = 1 << iota // runtime start-up (startupFrame)
	factLockWake                            // lockWakeFrames: a lock's releasing side
	factReadCall                            // readCallFrames
	factWriteCall                           // writeCallFrames
	factGoRuntime                           // goRuntimeFrames, or a .go source file
	factRustStd                             // rustStdFrames but not cppStdFrames, or a .rs source file
	factAllocator                           // allocShortFrames: an allocator entry point by its short name
	factTrampoline                          // trampolineFrames: preemption or stack growth entered from the caller
	factPyO3                                // pyo3Frames: PyO3's own code, whose calls into C are CPython's C API
	factRustLib                             // rustLibPaths: Rust's core, alloc or std, by the frame's own path
	factObjectCreate                        // objectCreateFrames: CPython instantiating a class
	factPyCall                              // pyCallFrames: PyO3 calling a Python object
	factPyDict                              // pyDictFrames: PyO3 filling a dict
	factPyLookup                            // pyLookupFrames: PyO3 looking a name up (getattr, import)
	factMemMove                             // memMoveFrames: a memory move
	factListShift                           // listShiftFrames: CPython's list operations that shift elements
	factListShiftLoop                       // listShiftLoopFrames: CPython's own shifting loop
	factProfiler                            // profilerFrames: an in-process profiler writing its profiles
	factConcat                              // concatFrames: CPython concatenating two sequences into a new one
	factFree                                // freeFrames: a free, or an object's dealloc
	factTrapEntry                           // trapEntryFrames: the kernel entered by a fault or an interrupt
	factReduce                              // reduceFrames: a builtin folding a sequence into one value
	factSliceCopy                           // sliceCopyFrames: CPython copying a slice into a new sequence
)

// is reports whether fi has fact f.
func (fi *frameInfo) is(f frameFact) bool { return fi.facts&f != 0 }

// frameRoles answers the frame sets for fi, once per frame.
func frameRoles(fi *frameInfo) {
	name := fi.name
	if fi.rt == rtPython {
		name = fi.fn
	}
	fi.threadEntry = threadEntryFrames.has(name)
	fi.processTop = processTopFrames.has(name)
	fi.runtimeLib = runtimeFrame(fi)
	fi.schedLeaf = schedLeafFrames.has(fi.name)
	set := func(f frameFact, yes bool) {
		if yes {
			fi.facts |= f
		}
	}
	set(factStartup, startupFrame(fi))
	set(factLockWake, lockWakeFrames.has(fi.name))
	set(factReadCall, readCallFrames.has(fi.name))
	set(factWriteCall, writeCallFrames.has(fi.name))
	set(factGoRuntime, goRuntimeFrames.has(fi.name) || strings.HasSuffix(fi.file, ".go"))
	set(factRustStd, rustStdFrames.has(fi.name) && !cppStdFrames.has(fi.name) || strings.HasSuffix(fi.file, ".rs"))
	set(factAllocator, allocShortFrames.has(fi.name))
	set(factTrampoline, trampolineFrames.has(fi.name))
	set(factPyO3, fi.rt == rtNative && pyo3Frames.has(fi.name))
	if fi.rt == rtNative {
		own := fi.ownPath
		if own == "" {
			own = fi.name
		}
		set(factRustLib, rustLibPaths.has(own))
		set(factPyCall, pyCallFrames.has(own))
		set(factPyDict, pyDictFrames.has(own))
		set(factPyLookup, pyLookupFrames.has(own))
	}
	set(factObjectCreate, fi.rt != rtPython && objectCreateFrames.has(fi.name))
	set(factMemMove, memMoveFrames.has(fi.name))
	set(factListShift, listShiftFrames.has(fi.name))
	set(factListShiftLoop, listShiftLoopFrames.has(fi.name))
	set(factProfiler, fi.rt != rtPython && profilerFrames.has(fi.name))
	set(factConcat, fi.rt != rtPython && concatFrames.has(fi.name))
	set(factFree, fi.rt != rtPython && freeFrames.has(fi.name))
	set(factTrapEntry, fi.rt == rtKernel && trapEntryFrames.has(fi.name))
	set(factReduce, fi.rt != rtPython && reduceFrames.has(fi.name))
	set(factSliceCopy, fi.rt != rtPython && sliceCopyFrames.has(fi.name))
}

// startupFrame says whether fi is runtime start-up (startupFrames): for a
// Python frame, a module body, or one of runpy's and threading's runners
// in their own files (or where the recorder gives no file).
func startupFrame(fi *frameInfo) bool {
	if fi.rt != rtPython {
		return startupFrames.has(fi.name)
	}
	if !pyStartupFunctions.has(fi.fn) {
		return false
	}
	return fi.file == "" || strings.Contains(fi.file, "threading") || strings.Contains(fi.file, "runpy") || fi.fn == "<module>"
}

var (
	reAnnot    = regexp.MustCompile(`_\[[kjiw]\]$`)
	reOffset   = regexp.MustCompile(`\+0x[0-9a-fA-F]+$`)
	rePySpyRaw = regexp.MustCompile(`^(.*) \(([^():]+\.py|<[^>]+>)(?::(\d+))?\)$`)
	// reBracketMod reads the object out of "[libpython3.12.so.1.0]".
	reBracketMod = regexp.MustCompile(`^\[+([^\[\]]+)\]+$`)
	// reCloneSuffix matches the suffixes GCC gives a function's clones.
	reCloneSuffix = regexp.MustCompile(`(\.(cold|constprop|isra|part|lto_priv)(\.\d+)?)+$`)
	// rePlainC matches a C identifier (with GCC's clone suffixes): in a
	// Python profile with no module names, most such frames are CPython's.
	rePlainC = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.(cold|constprop|isra|part|lto_priv)(\.\d+)?)*$`)
)

// trimSymbolVersion drops an ELF symbol version ("@GLIBC_2.2.5",
// "@@GLIBCXX_3.4.21", "@@CXXABI_1.3") from the end of a symbol.
func trimSymbolVersion(name string) string {
	i := strings.LastIndexByte(name, '@')
	ver := name[i+1:]
	j := strings.LastIndexByte(ver, '_')
	if j <= 0 || j == len(ver)-1 {
		return name
	}
	for _, c := range ver[:j] {
		if (c < 'A' || c > 'Z') && c != '_' {
			return name
		}
	}
	for _, c := range ver[j+1:] {
		if (c < '0' || c > '9') && c != '.' {
			return name
		}
	}
	if base := strings.TrimSuffix(name[:i], "@"); base != "" {
		return base
	}
	return name
}

// The literal tests of the patterns run on every distinct frame
// (prefilter.go): most frames fail them without running the regexp.
var (
	annotNeeds, bracketModNeeds, pySpyRawNeeds = needsOf(reAnnot), needsOf(reBracketMod), needsOf(rePySpyRaw)
	waitNameNeeds, allocNameNeeds, gcNameNeeds = quick(needsOf(waitName)), quick(needsOf(allocName)), quick(needsOf(gcName))
)

// analyzeFrame computes a frameInfo. pyProcess says whether the profile is
// of a Python process, which lets bare CPython names count as CPython even
// when the input carries no module.
func analyzeFrame(f profile.Frame) frameInfo {
	name := f.Display
	if name == "" {
		name = f.Name
	}
	kernelHint := false
	if annotNeeds.match(reAnnot, name) {
		kernelHint = strings.HasSuffix(name, "_[k]")
		name = name[:len(name)-4]
	}
	if strings.Contains(name, "+0x") {
		name = reOffset.ReplaceAllString(name, "")
	}
	// PLT stubs are the function they jump to, for classification.
	name = strings.TrimSuffix(name, "@plt")
	// A versioned symbol (cfree@GLIBC_2.2.5, memcpy@@GLIBC_2.14) is the
	// function itself to every rule.
	if i := strings.IndexByte(name, '@'); i > 0 && !strings.HasPrefix(name, "py::") {
		name = trimSymbolVersion(name)
	}
	if strings.Contains(name, "$") || strings.Contains(name, "::h") {
		name = symbol.Clean(name)
	}
	// GCC's clones of a function (save.constprop.0, load.isra.0, its
	// .cold part) are that function to every rule.
	if strings.IndexByte(name, '.') > 0 && !strings.HasPrefix(name, "py::") {
		name = reCloneSuffix.ReplaceAllString(name, "")
	}
	fi := frameInfo{name: name, fn: name, file: strings.ReplaceAll(f.File, `\`, "/"), inlined: f.Inlined}
	mod := strings.ReplaceAll(f.Module, `\`, "/")
	// "[libpython3.12.so.1.0]": an unsymbolized address perf names by its
	// object only; "[[kernel.kallsyms]]" likewise (a converter wrapped the
	// object's bracketed name in brackets again).
	if m := bracketMatch(name); m != nil && !strings.HasPrefix(m[1], "unknown") {
		if mod == "" {
			mod = m[1]
		}
		name = "[" + m[1] + "]"
		fi.name, fi.fn = name, name
	}
	fi.module = path.Base(mod)
	if mod == "" {
		fi.module = ""
	}
	fi.stdlib = stdlibModules.has(mod) || stdlibModules.has(fi.file)

	// Python frames, however the importer spelled them.
	switch {
	case strings.HasPrefix(name, "py::"):
		q := strings.TrimPrefix(name, "py::")
		if i := strings.IndexByte(q, ':'); i >= 0 {
			if fi.file == "" || strings.HasPrefix(fi.file, "/tmp/perf-") {
				fi.file = q[i+1:]
			}
			q = q[:i]
		}
		fi.name = q
		fi.rt = rtPython
	case f.Kind == profile.KindPython:
		fi.rt = rtPython
	default:
		if m := pySpyRawMatch(name); m != nil && f.Kind != profile.KindNative {
			fi.name, fi.file, fi.rt = m[1], m[2], rtPython
		} else if f.Kind != profile.KindNative && f.Kind != profile.KindKernel && isPythonFile(fi.file) {
			fi.rt = rtPython
		}
	}
	if fi.rt == rtPython {
		fi.fn = fi.name
		if i := strings.LastIndexByte(fi.name, '.'); i >= 0 && i+1 < len(fi.name) {
			fi.fn = fi.name[i+1:]
		}
		return fi
	}
	fi.capi = cpythonNames.has(name)
	switch {
	case f.Kind == profile.KindKernel || kernelHint || strings.HasPrefix(mod, "[kernel") || mod == "kernel.kallsyms" || mod == "[guest.kernel.kallsyms]":
		fi.rt = rtKernel
	case isUnsymbolized(name):
		fi.rt = rtUnknown
	case fi.module == "" && (f.Kind == profile.KindUnknown || f.Kind == "") && kernelNames.has(name):
		fi.rt = rtKernel
	case cpythonModules.has(fi.module) && !fi.stdlib:
		fi.rt = rtCPython
	case libcModules.has(fi.module), fi.module == "" && libcNames.has(name):
		fi.rt = rtLibc
	case fi.module == "" && fi.capi:
		fi.rt = rtCPython
	default:
		fi.rt = rtNative
	}
	fi.eval = fi.rt == rtCPython && evalFrames.has(name)
	fi.plainC = fi.rt == rtNative && fi.module == "" && rePlainC.MatchString(name)
	if fi.rt == rtNative {
		if own := ownPath(fi.name); own != fi.name {
			fi.ownPath = own
		}
	}
	fi.rustAlloc = fi.rt == rtNative && rustAllocFiles.has(fi.file)
	if fi.rt != rtKernel && (f.Kind == profile.KindUnknown || f.Kind == "") && fi.module == "" && pseudoFrames.has(name) && !strings.Contains(name, "::") {
		fi.pseudo = true
	}
	return fi
}

func bracketMatch(name string) []string {
	if !bracketModNeeds.may(name) {
		return nil
	}
	return reBracketMod.FindStringSubmatch(name)
}

func pySpyRawMatch(name string) []string {
	if !pySpyRawNeeds.may(name) {
		return nil
	}
	return rePySpyRaw.FindStringSubmatch(name)
}

func isPythonFile(file string) bool {
	return strings.HasSuffix(file, ".py") || strings.HasSuffix(file, ".pyw") || strings.HasPrefix(file, "<frozen ") || file == "<string>" || file == "<stdin>"
}

func isUnsymbolized(name string) bool {
	return name == "" || name == "[unknown]" || name == "??" || strings.HasPrefix(name, "[unknown") || unsymbolizedNames.has(name)
}

// ownPath removes the generic arguments from a demangled Rust or C++ name:
// a '<' right after an identifier opens arguments, dropped with what they
// hold; a '<' that starts the name or a path segment opens a qualified
// path ("<T as Trait>::method", "<impl Trait for T>"), kept, with the
// arguments inside it dropped in turn. Names without '<' come back as
// they are.
func ownPath(name string) string {
	if strings.IndexByte(name, '<') < 0 {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	skip := 0 // depth inside dropped arguments
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case skip > 0:
			switch c {
			case '<':
				skip++
			case '>':
				skip--
			}
		case c == '<' && i > 0 && isRustIdent(name[i-1]):
			skip = 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isRustIdent says whether c can end a Rust or C++ identifier.
func isRustIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
