package folded

import (
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// frameInfo is what one frame text contributes besides its profile.Frame:
// py-spy's synthetic root frames carry a thread or process id that becomes a
// sample label, and py-spy's own marks (its synthetic frames, a Python
// source location) name the producer py-spy.
type frameInfo struct {
	tid, pid     int64
	isTID, isPID bool
	thread       string
	comm         string // perf-collapsed task roots: the command name
	// pyspyEvidence: only py-spy writes this frame. A "name (file)" frame
	// with a native file is not enough: heaptrack_print -F writes
	// "main (c.c)" too.
	pyspyEvidence bool
}

// parseFrame turns one frame of a folded stack into a Frame.
//
// Annotations: _[k] and _[j] are stripped from Name into Kind, because
// profile.WriteFolded's Kernel and JIT options write them back. _[i] and
// _[w] stay in Name (WriteFolded has nothing to rebuild them from) and are
// stripped only from Display; _[i] also sets Inlined.
//
// py-spy frames "name (file:line)" and "name (file)" keep their full text as
// Name, so that conversion writes them back unchanged, and get Display,
// File or Module, Line and Kind from the parts.
func parseFrame(text string) (profile.Frame, frameInfo) {
	var info frameInfo
	f := profile.Frame{Name: text}
	if len(text) > 4 && strings.HasPrefix(text[len(text)-4:], "_[") && text[len(text)-1] == ']' {
		bare := text[:len(text)-4]
		switch text[len(text)-2] {
		case 'k':
			f.Name, f.Kind = bare, profile.KindKernel
			f.Display = symbol.Clean(bare)
			return f, info
		case 'j':
			f.Name, f.Kind = bare, profile.KindJIT
			f.Display = symbol.Clean(bare)
			return f, info
		case 'i':
			f.Inlined = true
			f.Display = symbol.Clean(bare)
			return f, info
		case 'w':
			f.Display = symbol.Clean(bare)
			return f, info
		}
	}
	if synthetic(text, &info) {
		f.Display = text
		info.pyspyEvidence = true
		return f, info
	}
	if perfTask(text, &info) {
		f.Display = text
		return f, info
	}
	if name, loc, ok := splitLocation(text); ok {
		file, line := loc, int64(0)
		if i := strings.LastIndexByte(loc, ':'); i > 0 {
			if n, err := strconv.ParseInt(loc[i+1:], 10, 64); err == nil && n >= 0 && allDigits(loc[i+1:]) {
				file, line = loc[:i], n
			}
		}
		f.Display = symbol.Clean(name)
		f.Line = line
		switch {
		case isPythonFile(file):
			f.Kind, f.File = profile.KindPython, file
			info.pyspyEvidence = true
		case file == "?":
			f.Kind = profile.KindNative
		case isDSO(file):
			f.Kind, f.Module = profile.KindNative, file
		case isNativeSource(file):
			f.Kind, f.File = profile.KindNative, file
		default:
			f.File = file
		}
		if a, ok := hexAddr(name); ok {
			f.Kind, f.Addr = profile.KindNative, a
		}
		return f, info
	}
	// Name keeps the bytes for conversion; Display drops the blanks that
	// space-aligned counts leave at the end of the last frame.
	f.Display = symbol.Clean(strings.TrimSpace(text))
	return f, info
}

// synthetic recognises py-spy's root frames "thread (<tid>): <name>"
// (--threads) and "process <pid>:"<cmdline>"" (--subprocesses).
func synthetic(text string, info *frameInfo) bool {
	if rest, ok := strings.CutPrefix(text, "thread ("); ok {
		id, name, ok := strings.Cut(rest, "): ")
		if !ok {
			id, ok = strings.CutSuffix(rest, ")")
			if !ok {
				return false
			}
		}
		tid, ok := parseID(id)
		if !ok {
			return false
		}
		info.tid, info.isTID, info.thread = tid, true, name
		return true
	}
	if rest, ok := strings.CutPrefix(text, "process "); ok {
		id, cmd, ok := strings.Cut(rest, ":\"")
		if !ok || !strings.HasSuffix(cmd, "\"") {
			return false
		}
		pid, ok := parseID(id)
		if !ok {
			return false
		}
		info.pid, info.isPID = pid, true
		return true
	}
	return false
}

// perfTask recognises the root frame stackcollapse-perf --pid and --tid
// write: "<comm>-<pid>" and "<comm>-<pid>/<tid>" ("?" for a pid perf did
// not give). It counts only as the stack's first frame (reader.labels).
func perfTask(text string, info *frameInfo) bool {
	i := strings.LastIndexByte(text, '-')
	if i <= 0 {
		return false
	}
	comm, ids := text[:i], text[i+1:]
	pidText, tidText, hasTID := strings.Cut(ids, "/")
	var pid, tid int64
	var ok bool
	if pidText != "?" {
		if pid, ok = parseDecimal(pidText); !ok {
			return false
		}
		info.pid, info.isPID = pid, true
	} else if !hasTID {
		return false
	}
	if hasTID {
		if tid, ok = parseDecimal(tidText); !ok {
			info.isPID = false
			return false
		}
		info.tid, info.isTID = tid, true
	}
	info.comm = comm
	return true
}

// parseDecimal reads a non-empty run of decimal digits.
func parseDecimal(s string) (int64, bool) {
	if s == "" || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseID reads a decimal or 0x-prefixed hexadecimal id.
func parseID(s string) (int64, bool) {
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		v, err := strconv.ParseUint(h, 16, 63)
		return int64(v), err == nil
	}
	if !allDigits(s) {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// splitLocation splits "name (loc)" at the parenthesis that balances the
// final one, searching from the right because names can hold parentheses
// themselves (C++ signatures, "<lambda>"). It accepts only locations that
// look like py-spy's: a file with a line, or a file py-spy would print
// (Python source, pseudo-file, shared object, native source, "?"). That
// keeps perf-collapsed C++ names such as "f (anonymous namespace)" intact.
func splitLocation(text string) (name, loc string, ok bool) {
	name, loc, ok = symbol.CutLocation(text)
	if !ok || name == "" || loc == "" || !plausibleLocation(loc) {
		return "", "", false
	}
	return name, loc, true
}

func plausibleLocation(loc string) bool {
	if i := strings.LastIndexByte(loc, ':'); i > 0 && allDigits(loc[i+1:]) {
		return true
	}
	return loc == "?" || isPythonFile(loc) || isDSO(loc) || isNativeSource(loc)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isPythonFile: Python sources and the pseudo-files CPython names code
// objects after ("<frozen importlib._bootstrap>", "<string>", "<stdin>").
func isPythonFile(f string) bool {
	return strings.HasSuffix(f, ".py") || strings.HasSuffix(f, ".pyw") ||
		(strings.HasPrefix(f, "<") && strings.HasSuffix(f, ">"))
}

// isDSO: shared objects as py-spy names the module of a native frame
// ("libc.so.6", "rpds/rpds.cpython-311-x86_64-linux-gnu.so", "x.dylib").
func isDSO(f string) bool {
	base := f[strings.LastIndexByte(f, '/')+1:]
	if i := strings.LastIndex(base, ".so"); i > 0 {
		rest := base[i+3:]
		for rest != "" {
			if rest[0] != '.' {
				return false
			}
			j := 1
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			if j == 1 {
				return false
			}
			rest = rest[j:]
		}
		return true
	}
	for _, ext := range []string{".dylib", ".pyd", ".dll", ".exe"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return false
}

// isNativeSource: C, C++ and Rust sources, which py-spy --native prints for
// frames with debug information.
func isNativeSource(f string) bool {
	for _, ext := range []string{".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".rs", ".pyx", ".m"} {
		if strings.HasSuffix(f, ext) {
			return true
		}
	}
	return false
}

// hexAddr reads an unsymbolised py-spy frame name "0x7f5935ab5b05".
func hexAddr(name string) (uint64, bool) {
	h, ok := strings.CutPrefix(name, "0x")
	if !ok || h == "" {
		return 0, false
	}
	v, err := strconv.ParseUint(h, 16, 64)
	return v, err == nil
}
