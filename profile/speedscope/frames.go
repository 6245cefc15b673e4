package speedscope

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// sharedObject matches the base name of a shared library: libc.so.6,
// rpds.cpython-311-x86_64-linux-gnu.so, libfoo.dylib, python311.dll.
var sharedObject = regexp.MustCompile(`\.(so(\.\d+)*|dylib|dll|pyd|exe)$`)

// sourceExt are the source-file extensions of compiled languages: a frame
// with such a file is native code with debug info (py-spy --native prints
// _json.c, object.h; speedscope's pprof export prints .go files).
var sourceExt = map[string]bool{
	".c": true, ".h": true, ".cc": true, ".cpp": true, ".cxx": true, ".c++": true,
	".hh": true, ".hpp": true, ".hxx": true, ".inc": true, ".inl": true, ".rs": true,
	".go": true, ".s": true, ".S": true, ".m": true, ".mm": true, ".zig": true,
	".f": true, ".f90": true, ".d": true, ".swift": true, ".pyx": true, ".pxd": true,
}

// classify turns a speedscope frame into a model frame. The file field
// carries different things depending on the producer (a Python file, a C
// source file, a shared object, "?"), so it decides the kind.
func classify(f rawFrame) profile.Frame {
	out := profile.Frame{Name: f.name, Line: f.line, Kind: profile.KindUnknown}
	file := f.file
	base := path.Base(file)
	switch {
	case isPythonFile(file):
		out.Kind = profile.KindPython
		out.File = file
		out.Display = f.name
		return out
	case file == "?":
		out.Kind = profile.KindNative
	case file == "[kernel.kallsyms]" || strings.HasPrefix(file, "[kernel"):
		out.Kind = profile.KindKernel
		out.Module = file
	case profile.IsJITModule(file):
		out.Kind = profile.KindJIT
		out.Module = file
	case sourceExt[path.Ext(base)]:
		out.Kind = profile.KindNative
		out.File = file
	case sharedObject.MatchString(base):
		out.Kind = profile.KindNative
		out.Module = file
	case strings.HasPrefix(file, "/") && !strings.Contains(base, "."):
		// An executable: /usr/bin/python3.11 has a dot, so also accept
		// names whose only dot is a version number below.
		out.Kind = profile.KindNative
		out.Module = file
	case strings.HasPrefix(file, "/") && isVersionedBinary(base):
		out.Kind = profile.KindNative
		out.Module = file
	default:
		out.File = file
	}
	if addr, ok := hexAddr(f.name); ok {
		out.Addr = addr
		if out.Kind == profile.KindUnknown {
			out.Kind = profile.KindNative
		}
	}
	out.Display = symbol.Clean(f.name)
	return out
}

// isPythonFile reports whether file names Python source as py-spy prints
// it: a .py file, or a pseudo-file such as <frozen importlib._bootstrap>,
// <string> or <stdin>.
func isPythonFile(file string) bool {
	if strings.HasSuffix(file, ".py") || strings.HasSuffix(file, ".pyw") {
		return true
	}
	return strings.HasPrefix(file, "<frozen ") || file == "<string>" || file == "<stdin>"
}

var versionedBinary = regexp.MustCompile(`^[A-Za-z_][\w+-]*\d(\.\d+)+$`)

// isVersionedBinary accepts executables like python3.11 whose only dots
// belong to a version.
func isVersionedBinary(base string) bool { return versionedBinary.MatchString(base) }

// hexAddr parses an unsymbolized frame name "0x7f147ba4524a".
func hexAddr(name string) (uint64, bool) {
	if len(name) < 3 || name[0] != '0' || (name[1] != 'x' && name[1] != 'X') {
		return 0, false
	}
	v, err := strconv.ParseUint(name[2:], 16, 64)
	return v, err == nil
}
