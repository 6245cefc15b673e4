package explain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

type namedSet struct {
	name string
	set  frameSet
}

// frameSetsByName lists the frame sets of rules.go; TestFrameSetsListed
// keeps it complete.
func frameSetsByName() []namedSet {
	return []namedSet{
		{"threadEntryFrames", threadEntryFrames}, {"processTopFrames", processTopFrames},
		{"startupFrames", startupFrames}, {"pyStartupFunctions", pyStartupFunctions},
		{"schedLeafFrames", schedLeafFrames}, {"profilerFrames", profilerFrames}, {"lockWakeFrames", lockWakeFrames},
		{"readCallFrames", readCallFrames}, {"writeCallFrames", writeCallFrames},
		{"goRuntimeFrames", goRuntimeFrames}, {"rustStdFrames", rustStdFrames}, {"cppStdFrames", cppStdFrames}, {"listShiftFrames", listShiftFrames}, {"memMoveFrames", memMoveFrames}, {"listShiftLoopFrames", listShiftLoopFrames}, {"concatFrames", concatFrames}, {"freeFrames", freeFrames}, {"trapEntryFrames", trapEntryFrames}, {"reduceFrames", reduceFrames}, {"sliceCopyFrames", sliceCopyFrames}, {"lineCodecCalls", lineCodecCalls}, {"loggingProtocolFunctions", loggingProtocolFunctions},
		{"runtimeMiscFrames", runtimeMiscFrames}, {"rustStdFiles", rustStdFiles},
		{"allocShortFrames", allocShortFrames}, {"evalFrames", evalFrames},
		{"cpythonModules", cpythonModules}, {"libcModules", libcModules}, {"libcNames", libcNames},
		{"cpythonNames", cpythonNames}, {"kernelNames", kernelNames},
		{"pseudoFrames", pseudoFrames}, {"commLikeNames", commLikeNames},
		{"stdlibModules", stdlibModules}, {"rustAllocFiles", rustAllocFiles},
		{"unsymbolizedNames", unsymbolizedNames}, {"trampolineFrames", trampolineFrames},
		{"pyo3Frames", pyo3Frames}, {"rustLibPaths", rustLibPaths}, {"objectCreateFrames", objectCreateFrames},
		{"pyCallFrames", pyCallFrames}, {"pyDictFrames", pyDictFrames}, {"pyLookupFrames", pyLookupFrames},
		{"compareFrames", compareFrames}, {"compareCallerFrames", compareCallerFrames},
	}
}

// patternFiles are the files that hold frame meaning: the rules data.
var patternFiles = map[string]bool{"rules.go": true}

// allowedParsers are the regexps outside the rules data, each a text
// parser or a test of something other than a frame's meaning, by
// file:variable (or file:function, for a pattern the user gives).
var allowedParsers = map[string]string{
	"frameinfo.go:reAnnot":       "strips perf's _[k] annotation suffix before any test",
	"frameinfo.go:reOffset":      "strips a +0x offset from a symbol",
	"frameinfo.go:rePySpyRaw":    "splits py-spy's raw 'name (file:line)' into its parts",
	"frameinfo.go:reBracketMod":  "reads the object out of perf's '[libfoo.so]' for an unsymbolized address",
	"frameinfo.go:reCloneSuffix": "strips GCC's clone suffixes (.isra.0, .cold) before matching",
	"frameinfo.go:rePlainC":      "the syntax of a bare C identifier, not what it means",
	"quality.go:reMemType":       "sample-type names (alloc_space, inuse_objects): the recording's kind, not a frame",
	"quality.go:reOffType":       "sample-type names of off-CPU recordings, not a frame",
	"quality.go:reWallType":      "sample-type names of wall-clock recordings, not a frame",
	"quality.go:rePyVersion":     "reads CPython's version number out of a module path",
	"hotline.go:reLineCall":      "finds a call in a line of Python source text",
	"sketch.go:reHole":           "the holes of a fix sketch's template",
	"sketch.go:reIdent":          "checks that a name is safe to paste into a sketch",
	"explain.go:Explain":         "compiles the user's --thread filter",
	"lines.go:reDef":             "finds a Python def header in source text, not in frames",
	"lines.go:reShellSafe":       "checks that a path is one shell word",
}

// TestNoPrivateFramePatterns fails when a file of the explain package
// outside the rules data compiles a regexp that is not an allowed parser:
// frame meaning lives in the rules' frame sets, and a detector asks the
// frame facts instead (issue 7, "frame meaning lives in one table").
func TestNoPrivateFramePatterns(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	seen := map[string]bool{}
	var bad []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") || patternFiles[path] {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		require.NoError(t, err)
		// Calls inside an allowed package-level var or function are fine;
		// any other compiling call is reported where it is.
		allowed := map[ast.Node]bool{}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				if _, ok := allowedParsers[path+":"+fd.Name.Name]; ok {
					allowed[fd] = true
					seen[path+":"+fd.Name.Name] = true
				}
				continue
			}
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					key := path + ":" + n.Name
					if _, ok := allowedParsers[key]; ok && i < len(vs.Values) {
						allowed[vs.Values[i]] = true
						seen[key] = true
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if allowed[n] {
				return false
			}
			if c, ok := n.(*ast.CallExpr); ok && compiles(c) {
				bad = append(bad, fset.Position(c.Pos()).String())
			}
			return true
		})
	}
	assert.Empty(t, bad, "regexps outside the rules data: move frame patterns to a frame set in rules.go, or allow a parser here with its reason")
	var stale []string
	for k := range allowedParsers {
		if !seen[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	assert.Empty(t, stale, "allowed parsers no longer in the package")
}

// compiles reports calls that build a regexp: the regexp package's
// compilers and matchers, and the rules' own helpers.
func compiles(c *ast.CallExpr) bool {
	switch fn := c.Fun.(type) {
	case *ast.SelectorExpr:
		x, ok := fn.X.(*ast.Ident)
		return ok && x.Name == "regexp" && fn.Sel.Name != "QuoteMeta"
	case *ast.Ident:
		return fn.Name == "re" || fn.Name == "frames"
	}
	return false
}

// TestFrameSetsListed checks that frameSetsByName has every frame set
// rules.go declares, so the prefilter test covers them all.
func TestFrameSetsListed(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "rules.go", nil, 0)
	require.NoError(t, err)
	var declared []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, v := range vs.Values {
			if c, ok := v.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "frames" {
					declared = append(declared, vs.Names[i].Name)
				}
			}
		}
		return true
	})
	var listed []string
	for _, s := range frameSetsByName() {
		listed = append(listed, s.name)
	}
	sort.Strings(declared)
	sort.Strings(listed)
	require.NotEmpty(t, declared)
	assert.Equal(t, declared, listed)
}

// TestFrameFacts checks the facts frameRoles stores, on frame names as
// real recordings print them (frames.md §4, §6, §7, §13). Expected values
// are written by hand.
func TestFrameFacts(t *testing.T) {
	tests := []struct {
		frame profile.Frame
		want  frameFact
	}{
		{profile.Frame{Name: "__libc_write", Module: "libc.so.6"}, factWriteCall},
		{profile.Frame{Name: "ksys_write", Module: "[kernel.kallsyms]", Kind: profile.KindKernel}, factWriteCall},
		{profile.Frame{Name: "tcp_recvmsg", Module: "[kernel.kallsyms]", Kind: profile.KindKernel}, factReadCall},
		{profile.Frame{Name: "_Py_read", Module: "libpython3.12.so.1.0"}, factReadCall},
		{profile.Frame{Name: "__x64_sys_futex", Module: "[kernel.kallsyms]", Kind: profile.KindKernel}, 0},
		{profile.Frame{Name: "futex_wake", Module: "[kernel.kallsyms]", Kind: profile.KindKernel}, factLockWake},
		{profile.Frame{Name: "___pthread_mutex_unlock", Module: "libc.so.6"}, factLockWake},
		{profile.Frame{Name: "___pthread_mutex_lock", Module: "libc.so.6"}, 0},
		{profile.Frame{Name: "_start", Module: "python3.12"}, factStartup},
		{profile.Frame{Name: "Py_RunMain", Module: "libpython3.12.so.1.0"}, factStartup},
		{profile.Frame{Name: "py::_run_code:<frozen runpy>", Kind: profile.KindPython}, factStartup},
		{profile.Frame{Name: "run", File: "/usr/lib/python3.12/threading.py", Kind: profile.KindPython}, factStartup},
		{profile.Frame{Name: "run", File: "app/server.py", Kind: profile.KindPython}, 0},
		{profile.Frame{Name: "runtime.mallocgc", File: "/usr/lib/go/src/runtime/malloc.go"}, factGoRuntime | factAllocator},
		{profile.Frame{Name: "main.work", File: "/src/app/main.go"}, factGoRuntime},
		{profile.Frame{Name: "core::ptr::drop_in_place<alloc::vec::Vec<u8>>"}, factRustStd | factRustLib},
		// py311-pyo3-dwarf: libcst building a node, rpds dropping its own nodes.
		{profile.Frame{Name: "pyo3::types::any::PyAny::call", Module: "native.cpython-311-x86_64-linux-gnu.so"}, factPyO3 | factPyCall},
		{profile.Frame{Name: "<I as pyo3::types::dict::IntoPyDict>::into_py_dict", Module: "native.cpython-311-x86_64-linux-gnu.so"}, factPyO3 | factPyDict},
		{profile.Frame{Name: "pyo3::types::module::PyModule::import", Module: "native.cpython-311-x86_64-linux-gnu.so"}, factPyO3 | factPyLookup},
		{profile.Frame{Name: "type_call", Module: "libpython3.11.so.1.0"}, factObjectCreate},
		{profile.Frame{Name: "<libcst_native::nodes::op::BinaryOp as libcst_native::nodes::traits::py::TryIntoPy<pyo3::instance::Py<pyo3::types::any::PyAny>>>::try_into_py", Module: "native.cpython-311-x86_64-linux-gnu.so"}, 0},
		{profile.Frame{Name: "malloc", Module: "vgpreload_memcheck-amd64-linux.so"}, factAllocator},
		{profile.Frame{Name: "cfree@GLIBC_2.2.5", Module: "libc.so.6"}, factAllocator | factFree},
		{profile.Frame{Name: "free@@GLIBC_2.2.5"}, factAllocator | factFree},
		// audit-trail: the concatenation, and the free of the string it replaced.
		{profile.Frame{Name: "PyUnicode_Concat", Module: "libpython3.12.so.1.0"}, factConcat},
		{profile.Frame{Name: "_PyObject_Free", Module: "libpython3.12.so.1.0"}, factFree},
		{profile.Frame{Name: "_PyEval_EvalFrameDefault", Module: "libpython3.12.so.1.0"}, 0},
		// price-bands: max over a slice copied for the call.
		{profile.Frame{Name: "min_max", Module: "libpython3.12.so.1.0"}, factReduce},
		{profile.Frame{Name: "list_subscript", Module: "libpython3.12.so.1.0"}, factSliceCopy},
	}
	for _, tc := range tests {
		t.Run(tc.frame.Name, func(t *testing.T) {
			fi := analyzeFrame(tc.frame)
			frameRoles(&fi)
			assert.Equal(t, tc.want, fi.facts)
		})
	}
}

func TestTrimSymbolVersion(t *testing.T) {
	for in, want := range map[string]string{
		"cfree@GLIBC_2.2.5":                   "cfree",
		"memcpy@@GLIBC_2.14":                  "memcpy",
		"std::__throw_bad_alloc@@GLIBCXX_3.4": "std::__throw_bad_alloc",
		"__cxa_throw@@CXXABI_1.3":             "__cxa_throw",
		"user@example":                        "user@example", // not a version
		"f@GLIBC_":                            "f@GLIBC_",
		"f@glibc_2.2":                         "f@glibc_2.2",
		"@GLIBC_2.2.5":                        "@GLIBC_2.2.5",
	} {
		assert.Equal(t, want, trimSymbolVersion(in), in)
	}
}

// TestFrameSetsOnNames checks sets the frame facts do not store, by hand.
func TestFrameSetsOnNames(t *testing.T) {
	tests := []struct {
		set  frameSet
		in   string
		want bool
	}{
		{threadEntryFrames, "start_thread", true},
		{trampolineFrames, "runtime.asyncPreempt", true},
		{trampolineFrames, "runtime.morestack_noctxt", true},
		{trampolineFrames, "runtime.asyncPreemptible", false},
		{trampolineFrames, "runtime.mallocgc", false},
		{pyo3Frames, "pyo3::types::dict::PyDict::set_item", true},
		{pyo3Frames, "<pyo3::instance::Py<T> as core::ops::drop::Drop>::drop", true},
		{pyo3Frames, "<I as pyo3::types::dict::IntoPyDict>::into_py_dict", true},
		{pyo3Frames, "rpds::HashTrieMapPy::insert", false},
		{pyo3Frames, "mypyo3::convert", false},
		{threadEntryFrames, "_bootstrap_inner", true},
		{threadEntryFrames, "worker_main", false},
		{schedLeafFrames, "__schedule", true},
		{schedLeafFrames, "schedule_timeout", false},
		{cpythonModules, "libpython3.12.so.1.0", true},
		{cpythonModules, "python3.13t", true},
		{cpythonModules, "_json.cpython-312-x86_64-linux-gnu.so", false},
		{libcModules, "libc.so.6", true},
		{libcModules, "libcrypto.so.3", false},
		{kernelNames, "entry_SYSCALL_64_after_hwframe", true},
		{kernelNames, "write", false},
		{pseudoFrames, "thread (140123)", true},
		{pseudoFrames, "python3-4021/4022", true},
		{unsymbolizedNames, "0x7f3a2b4c5700", true},
		{unsymbolizedNames, "deadbeefcafe", true},
		{unsymbolizedNames, "feed", false},
		{evalFrames, "_PyEval_EvalFrameDefault", true},
		{cpythonNames, "PyObject_Vectorcall", true},
		{cpythonNames, "encoder_listencode_dict", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.set.has(tc.in), tc.in)
	}
}
