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
	// rustAlloc marks Rust's allocation layer when only a short name and
	// the std source file are known (valgrind DHAT): alloc.rs, raw_vec.rs.
	rustAlloc bool
	// The answers of the name tests the per-stack walks ask, computed once
	// per frame (frameRoles) so that no walk runs a regexp per frame
	// occurrence: threadEntry (reThreadEntry), processTop (reProcessTop),
	// both on the Python function name for Python frames; runtimeLib
	// (runtimeFrame: a language runtime or standard library).
	threadEntry, processTop, runtimeLib bool
	schedLeaf                           bool // reSchedLeaf: a context switch
}

// frameRoles fills the cached name tests of fi.
func frameRoles(fi *frameInfo) {
	name := fi.name
	if fi.rt == rtPython {
		name = fi.fn
	}
	fi.threadEntry = threadEntryNeeds.match(reThreadEntry, name)
	fi.processTop = processTopNeeds.match(reProcessTop, name)
	fi.runtimeLib = runtimeFrame(fi)
	fi.schedLeaf = reSchedLeaf.MatchString(fi.name)
}

var (
	reAnnot    = regexp.MustCompile(`_\[[kjiw]\]$`)
	reOffset   = regexp.MustCompile(`\+0x[0-9a-fA-F]+$`)
	reHexName  = regexp.MustCompile(`^(0x)?[0-9a-fA-F]{6,}$`)
	rePySpyRaw = regexp.MustCompile(`^(.*) \(([^():]+\.py|<[^>]+>)(?::(\d+))?\)$`)
	reEval     = regexp.MustCompile(`^(_PyEval_EvalFrameDefault|_PyEval_EvalFrame|PyEval_EvalFrameEx|_PyEval_EvalFrameDefault\.cold|_TAIL_CALL_\w+)$`)
	reCPyMod   = regexp.MustCompile(`^(libpython\d[\d.]*t?(d|m)?\.so.*|libpython\d[\d.]*\.dylib|python\d?[\d.]*t?(d)?|Python|python\d*\.dll)$`)
	reLibcMod  = regexp.MustCompile(`^(libc[.-].*|libc\.so.*|libpthread.*|ld-linux.*|ld-musl.*|libm\.so.*|libdl.*|\[vdso\]|libsystem_\w+\.dylib|libdyld\.dylib)$`)
	reCPyName  = regexp.MustCompile(`^(_?Py[A-Z_][A-Za-z]*_\w+|_Py\w+|Py_\w+|take_gil|drop_gil|pymain_\w+|pyrun_\w+|run_mod|run_eval_code_obj|cfunction_\w+|method_vectorcall_\w+|slot_tp_\w+|pythread_wrapper|thread_run|eval_frame_handle_pending|PyCOND_\w+|_TAIL_CALL_\w+)$`)
	rePseudo   = regexp.MustCompile(`^(thread \(\d+\)(: .*)?|process \d+:.*|Thread \d+ ".*"|Thread (0x)?[0-9a-fA-F]+(:[0-9a-fA-F]+)?|Process \d+|\S+-\d+(/\d+)?|\S+-\?(/\d+)?)$`)
	// reCommLike matches an executable's name as perf prints a comm
	// (python3.11, goalloc): candidates for a folded file's comm root.
	reCommLike = regexp.MustCompile(`^[A-Za-z_][\w+~-]*(\.\d+)*$`)
	// reKernelName matches kernel entry, scheduler, futex and fault
	// functions, for inputs that carry no module or [k] annotation (folded
	// stacks): unambiguous kernel names only.
	reKernelName = regexp.MustCompile(`^(entry_SYSCALL_64\w*|do_syscall_64|x64_sys_call|__x64_sys_\w+|__arm64_sys_\w+|__se_sys_\w+|__do_sys_\w+|irqentry_\w+|exit_to_user_mode\w*|syscall_exit_to_user_mode\w*|asm_(sysvec|exc|common_interrupt)_\w+|sysvec_\w+|__schedule|schedule_(timeout|hrtimeout)\w*|finish_task_switch\w*|futex_wait\w*|futex_wake\w*|__futex_wait\w*|futex_do_wait|do_futex|hrtimer_\w+|do_nanosleep|ep_poll|do_epoll_wait|__handle_mm_fault|do_user_addr_fault|exc_page_fault|try_to_wake_up|ret_from_fork\w*|__irq_exit_rcu|native_write_msr\w*|pick_next_task\w*|__pick_next_task\w*|dequeue_task\w*|enqueue_task\w*)$`)
	// rePlainC matches a C identifier (with GCC's clone suffixes): in a
	// Python profile with no module names, most such frames are CPython's.
	reBracketMod = regexp.MustCompile(`^\[+([^\[\]]+)\]+$`)
	// reCloneSuffix matches the suffixes GCC gives a function's clones.
	reCloneSuffix = regexp.MustCompile(`(\.(cold|constprop|isra|part|lto_priv)(\.\d+)?)+$`)
	rePlainC      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.(cold|constprop|isra|part|lto_priv)(\.\d+)?)*$`)
	reStdlibMod   = regexp.MustCompile(`(^|/)lib-dynload/`)
	// reRustAllocFile matches the std sources of Rust's allocation layer.
	reRustAllocFile = regexp.MustCompile(`(^|/)(alloc\.rs|raw_vec\.rs|raw_vec/mod\.rs|alloc/src/alloc\.rs)$`)
)

// The literal tests of the patterns run on every distinct frame
// (prefilter.go): most frames fail them without running the regexp.
var (
	annotNeeds, bracketModNeeds, pySpyRawNeeds = needsOf(reAnnot), needsOf(reBracketMod), needsOf(rePySpyRaw)
	kernelNameNeeds, cpyModNeeds, libcModNeeds = needsOf(reKernelName), needsOf(reCPyMod), needsOf(reLibcMod)
	cpyNameNeeds, evalNeeds, pseudoNeeds       = needsOf(reCPyName), needsOf(reEval), needsOf(rePseudo)
	stdlibModNeeds, rustAllocFileNeeds         = needsOf(reStdlibMod), needsOf(reRustAllocFile)
	threadEntryNeeds, processTopNeeds          = needsOf(reThreadEntry), needsOf(reProcessTop)
	runtimeMiscNeeds, rustStdFileNeeds         = needsOf(reRuntimeMisc), needsOf(reRustStdFile)
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
	fi.stdlib = stdlibModNeeds.match(reStdlibMod, mod) || stdlibModNeeds.match(reStdlibMod, fi.file)

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
	switch {
	case f.Kind == profile.KindKernel || kernelHint || strings.HasPrefix(mod, "[kernel") || mod == "kernel.kallsyms" || mod == "[guest.kernel.kallsyms]":
		fi.rt = rtKernel
	case isUnsymbolized(name):
		fi.rt = rtUnknown
	case fi.module == "" && (f.Kind == profile.KindUnknown || f.Kind == "") && kernelNameNeeds.match(reKernelName, name):
		fi.rt = rtKernel
	case cpyModNeeds.match(reCPyMod, fi.module) && !fi.stdlib:
		fi.rt = rtCPython
	case libcModNeeds.match(reLibcMod, fi.module):
		fi.rt = rtLibc
	case fi.module == "" && cpyNameNeeds.match(reCPyName, name):
		fi.rt = rtCPython
	default:
		fi.rt = rtNative
	}
	fi.eval = fi.rt == rtCPython && evalNeeds.match(reEval, name)
	fi.capi = cpyNameNeeds.match(reCPyName, name)
	fi.plainC = fi.rt == rtNative && fi.module == "" && rePlainC.MatchString(name)
	fi.rustAlloc = fi.rt == rtNative && rustAllocFileNeeds.match(reRustAllocFile, fi.file)
	if fi.rt != rtKernel && (f.Kind == profile.KindUnknown || f.Kind == "") && fi.module == "" && pseudoNeeds.match(rePseudo, name) && !strings.Contains(name, "::") {
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
	return name == "" || name == "[unknown]" || name == "??" || strings.HasPrefix(name, "[unknown") || reHexName.MatchString(name)
}
