package perfscript

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// splitStackLine splits a callchain entry "<hex pc> <symbol> (<dso>)" into
// the pc and the rest ("<symbol> (<dso>)"), after leading whitespace. The pc
// must be hex; the rest must end in a parenthesised dso. s is the line
// without its leading whitespace (pc + " " + rest). simpleperf separates pc
// and symbol with a tab.
func splitStackLine(line []byte) (s, pc, rest []byte, ok bool) {
	s = bytes.TrimLeft(line, " \t")
	i := pcEnd(s)
	if i <= 0 {
		return nil, nil, nil, false
	}
	pc, rest = s[:i], s[i+1:]
	if _, _, ok := splitSymDSO(rest); !ok {
		return nil, nil, nil, false
	}
	return s, pc, rest, true
}

// pcEnd returns the length of the hex address that starts s when a space or
// a tab (simpleperf) follows it, or 0.
func pcEnd(s []byte) int {
	i := 0
	for i < len(s) && isHex(s[i]) {
		i++
	}
	if i == len(s) || s[i] != ' ' && s[i] != '\t' {
		return 0
	}
	return i
}

// splitSymDSO splits "<symbol> (<dso>)" at the dso: the parenthesised group
// that ends the line, found by matching parentheses from the right so that
// "(/memfd:jit (deleted))" and symbols such as "foo(int) const" work. When
// the parentheses do not balance, the last space-separated word is the dso,
// as the reference collapsers take it.
func splitSymDSO(rest []byte) (sym, dso []byte, ok bool) {
	n := len(rest)
	if n < 2 || rest[n-1] != ')' {
		return nil, nil, false
	}
	depth := 0
	for j := n - 1; j >= 0; j-- {
		switch rest[j] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				if j > 0 && rest[j-1] == ' ' {
					return bytes.TrimSpace(rest[:j]), rest[j+1 : n-1], true
				}
				j = 0 // not preceded by a space: fall back below
			}
		}
	}
	k := bytes.LastIndexByte(rest, ' ')
	if k < 0 || rest[k+1] != '(' {
		return nil, nil, false
	}
	return bytes.TrimSpace(rest[:k]), rest[k+2 : n-1], true
}

// isSrcLine matches the source-location lines `perf script -F +srcline`
// prints under a callchain entry ("  main.c:42", "  ??:0").
func isSrcLine(line []byte) bool {
	s := bytes.TrimSpace(line)
	if len(s) == 0 || bytes.IndexByte(s, ' ') >= 0 {
		return false
	}
	i := bytes.LastIndexByte(s, ':')
	return i > 0 && allDigits(s[i+1:])
}

// lineInfo is what one distinct callchain line resolves to. It is cached by
// the line's text, so each distinct line is parsed once per input.
type lineInfo struct {
	// ids are the interned frames of the line, root-first (a Java
	// "a->b->c" line gives three). Empty when the collapsers drop the line.
	ids []profile.FrameID
	// inlined marks perf's "(inlined)" entries, which carry no dso: their
	// module and kind come from the next non-inlined line (the caller), so
	// they are interned per caller from protos.
	inlined bool
	protos  []profile.Frame
	// module and kind are the line's dso and its class, for inlined callees.
	module string
	kind   profile.FrameKind
	// uncached marks an entry parsed after the cache was full: its
	// inlined frames are not memoized per caller either.
	uncached bool
	// entry marks a thread or process entry point (_start, start_thread,
	// clone3, runtime.goexit...): a stack that reaches one is complete.
	entry bool
}

// entryPoints are the outermost functions of complete user-space stacks.
var entryPoints = map[string]bool{
	"_start": true, "__libc_start_main": true, "__libc_start_main_impl": true,
	"__libc_start_call_main": true, "start_thread": true, "clone": true, "clone3": true,
	"__clone": true, "__clone3": true, "thread_start": true, "_dl_start": true,
	"_dl_start_user": true, "runtime.goexit": true, "runtime.goexit.abi0": true,
	"runtime.main": true, "runtime.mstart": true, "runtime.rt0_go": true,
	"runtime.rt0_go.abi0": true, "runtime.mstart.abi0": true,
}

// cleanDSO removes what perf appends to a dso name: " (deleted)" for a file
// replaced after it was mapped, and "+0x<off>" (-F +dsoff).
func cleanDSO(dso string) string {
	dso = strings.TrimSuffix(dso, " (deleted)")
	if i := strings.LastIndex(dso, "+0x"); i > 0 {
		if stripped := stripSymbolOffset(dso); len(stripped) == i {
			dso = stripped
		}
	}
	return dso
}

// dsoKind classifies a dso.
func dsoKind(dso string) profile.FrameKind {
	switch {
	case dso == "[unknown]" || dso == "":
		return profile.KindUnknown
	case isKernelDSO(dso):
		return profile.KindKernel
	case isJITDSO(dso):
		return profile.KindJIT
	}
	return profile.KindNative
}

// newLineInfo builds the frames of one callchain line. java selects the
// collapsers' Java clean-up (for processes named java*); with
// ReadOptions.Addrs unsymbolized frames keep their address (pc) in the name.
//
// bare marks a line printed without the dso (-F ip,sym) or the symbol too
// (-F ip): rest is then the symbol alone, and the kind comes from the
// address (kernel addresses are in the top half).
func (r *reader) newLineInfo(pc, rest []byte, java, bare bool) (*lineInfo, error) {
	symB, dsoB, _ := splitSymDSO(rest)
	// A line of the address alone (-F ip): the address is the frame's only
	// identity, so it names the frame, or every frame would be one
	// "[unknown]".
	addrOnly := bare && len(bytes.TrimSpace(rest)) == 0
	if bare {
		symB, dsoB = bytes.TrimSpace(rest), unknownSym
		if len(symB) == 0 {
			symB = unknownSym
		}
	}
	dsoText := validUTF8(string(dsoB))
	info := &lineInfo{inlined: dsoText == "inlined"}
	module := ""
	if !info.inlined {
		module = cleanDSO(dsoText)
	}
	info.module = module
	info.kind = dsoKind(module)
	if bare {
		info.module, module = "", ""
		if len(symB) > 0 && !bytes.Equal(symB, unknownSym) {
			info.kind = profile.KindNative
			if v, err := strconv.ParseUint(string(pc), 16, 64); err == nil && v >= 1<<63 {
				info.kind = profile.KindKernel
			}
		}
	}
	sym := " " // an empty symbol, as in "7f1e2215d058  (/lib/libc.so)"
	if len(symB) > 0 {
		sym = validUTF8(string(symB))
	}
	raw := stripSymbolOffset(sym)
	// Symbols that start with '(' ("(anonymous namespace)::f") are kept;
	// the folded writer drops them from perf profiles, as the collapsers
	// do (old perf printed process names that way).
	fixed := fixRustLegacy(raw)
	naming := module // the dso unknown symbols are named after
	if info.inlined || bare {
		naming = dsoText
	}
	info.entry = entryPoints[fixed]
	parts := strings.Split(fixed, "->")
	for k, part := range parts {
		f := profile.Frame{Module: module, Kind: info.kind, Inlined: info.inlined || k > 0}
		if part == "[unknown]" {
			f.Name = unknownName(naming, string(pc), r.opt.Addrs || addrOnly)
			if r.opt.Addrs || addrOnly {
				f.Addr, _ = strconv.ParseUint(string(pc), 16, 64)
			}
		} else {
			f.Name = part
		}
		if tidy := tidyGeneric(f.Name); tidy != "" {
			f.Name = tidy // "(process_name)" would tidy to nothing
		}
		if java {
			f.Name = tidyJava(f.Name)
		}
		display := f.Name
		if k > 0 && !strings.Contains(f.Name, "_[i]") {
			f.Name += "_[i]"
		}
		switch part {
		case "[unknown]":
		case " ": // no symbol printed at all: unknown, like "[unknown]"
			display = unknownName(naming, string(pc), false)
		default:
			display = r.clean(display)
		}
		f.Display = display
		if k == 0 && len(parts) == 1 && info.kind == profile.KindJIT {
			if q, file, ok := pythonFrame(raw); ok {
				f.Kind, f.Display, f.File = profile.KindPython, q, file
			}
		}
		if info.inlined {
			info.protos = append(info.protos, f)
			continue
		}
		id, err := r.frame(f)
		if err != nil {
			return nil, err
		}
		info.ids = append(info.ids, id)
	}
	return info, nil
}

// clean gives the display name of a symbol, demangling names perf left
// mangled; results are cached because demangling is costly.
func (r *reader) clean(name string) string {
	if d, ok := r.display[name]; ok {
		return d
	}
	d := symbol.Clean(name)
	r.display[name] = d
	return d
}

// inlinedIDs interns the frames of an "(inlined)" line for one caller line:
// the inlined function lives in its caller's dso.
func (r *reader) inlinedIDs(info, caller *lineInfo) ([]profile.FrameID, error) {
	k := inlKey{info, caller}
	if ids, ok := r.inl[k]; ok {
		return ids, nil
	}
	module, kind := "", profile.KindUnknown
	if caller != nil {
		module, kind = caller.module, caller.kind
		if kind == profile.KindPython {
			kind = profile.KindJIT
		}
	}
	ids := make([]profile.FrameID, 0, len(info.protos))
	for _, f := range info.protos {
		f.Module, f.Kind = module, kind
		id, err := r.frame(f)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if !info.uncached && (caller == nil || !caller.uncached) {
		r.inl[k] = ids
	}
	return ids, nil
}

type inlKey struct{ info, caller *lineInfo }

func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// frame interns f and remembers its value by ID, so a srcline can make a
// variant of it later.
func (r *reader) frame(f profile.Frame) (profile.FrameID, error) {
	id, err := r.b.Frame(f)
	if err != nil {
		return 0, err
	}
	if int(id) == len(r.frameVals) {
		r.frameVals = append(r.frameVals, f)
	}
	return id, nil
}

// srcRef is a `perf script -F +srcline` location for one callchain entry.
type srcRef struct {
	entry int // index in reader.entries
	file  string
	line  int64
}

type srcKey struct {
	id   profile.FrameID
	file string
	line int64
}

// withSource returns the frame id with the source location set.
func (r *reader) withSource(id profile.FrameID, file string, line int64) (profile.FrameID, error) {
	k := srcKey{id, file, line}
	if v, ok := r.srcFrames[k]; ok {
		return v, nil
	}
	f := r.frameVals[id]
	f.File, f.Line = file, line
	v, err := r.frame(f)
	if err != nil {
		return 0, err
	}
	r.srcFrames[k] = v
	return v, nil
}

// parseSrcLine splits a srcline "path/file.c:123"; ok is false for perf's
// "??:0" and anything without a line number.
func parseSrcLine(line []byte) (file string, n int64, ok bool) {
	s := bytes.TrimSpace(line)
	i := bytes.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, false
	}
	n, ok = parseInt(s[i+1:])
	if !ok || n == 0 || bytes.Equal(s[:i], []byte("??")) {
		return "", 0, false
	}
	return validUTF8(string(s[:i])), n, true
}
