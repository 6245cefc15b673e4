package perfscript

import (
	"strings"
)

// The functions in this file reproduce, rule for rule, how the two reference
// collapsers (FlameGraph's stackcollapse-perf.pl and inferno-collapse-perf)
// turn one perf symbol into a folded frame name, so that writing our model
// back as folded text gives the same lines they do. Where the two disagree,
// inferno's behaviour is the one followed (it is the maintained one).

// stripSymbolOffset cuts a trailing "+0x<hex>" symbol offset, the way the
// collapsers do: the last "+0x" counts when only hex digits (or nothing)
// follow it, so "_start+0xffff018fd5dce000" loses its bogus offset too.
func stripSymbolOffset(sym string) string {
	i := strings.LastIndex(sym, "+0x")
	if i < 0 {
		return sym
	}
	for j := i + 3; j < len(sym); j++ {
		if !isHex(sym[j]) {
			return sym
		}
	}
	return sym[:i]
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// rustHashLen is the length of the "h" + 16 hex digits hash that Rust's
// legacy mangling appends to every symbol.
const rustHashLen = 17

// fixRustLegacy finishes the job for Rust legacy symbols that perf left
// partly demangled ("foo..bar$LT$T$GT$::h0123456789abcdef"): it drops the
// hash and decodes ".." and the $..$ escapes. Symbols without a trailing
// hash are returned unchanged, as inferno does; an unknown escape stops the
// decoding and keeps the rest verbatim.
func fixRustLegacy(sym string) string {
	if len(sym) < rustHashLen {
		return sym
	}
	h := sym[len(sym)-rustHashLen:]
	if h[0] != 'h' {
		return sym
	}
	for i := 1; i < len(h); i++ {
		if !isHex(h[i]) {
			return sym
		}
	}
	rest := sym[:len(sym)-rustHashLen]
	rest = strings.TrimSuffix(rest, "::")
	if strings.HasPrefix(rest, "_$") {
		rest = rest[1:]
	}
	var b strings.Builder
	b.Grow(len(rest))
	for len(rest) > 0 {
		switch rest[0] {
		case '.':
			if len(rest) > 1 && rest[1] == '.' {
				b.WriteString("::")
				rest = rest[2:]
			} else {
				b.WriteByte('.')
				rest = rest[1:]
			}
		case '$':
			esc, repl := rustEscape(rest)
			if esc == 0 {
				b.WriteString(rest)
				return b.String()
			}
			b.WriteString(repl)
			rest = rest[esc:]
		default:
			i := strings.IndexAny(rest, "$.")
			if i < 0 {
				i = len(rest)
			}
			b.WriteString(rest[:i])
			rest = rest[i:]
		}
	}
	return b.String()
}

// rustEscapes are the $..$ escapes of Rust's legacy mangling that inferno
// decodes.
var rustEscapes = [...][2]string{
	{"$SP$", "@"}, {"$BP$", "*"}, {"$RF$", "&"}, {"$LT$", "<"}, {"$GT$", ">"},
	{"$LP$", "("}, {"$RP$", ")"}, {"$C$", ","}, {"$u7e$", "~"}, {"$u20$", " "},
	{"$u27$", "'"}, {"$u3d$", "="}, {"$u5b$", "["}, {"$u5d$", "]"}, {"$u7b$", "{"},
	{"$u7d$", "}"}, {"$u3b$", ";"}, {"$u2b$", "+"}, {"$u21$", "!"}, {"$u22$", "\""},
}

// rustEscape returns the length of the escape at the start of s and its
// replacement, or 0 when s does not start with a known escape.
func rustEscape(s string) (int, string) {
	for _, e := range rustEscapes {
		if strings.HasPrefix(s, e[0]) {
			return len(e[0]), e[1]
		}
	}
	return 0, ""
}

// tidyGeneric is the collapsers' generic clean-up: ';' becomes ':' (it is
// the folded separator) and a top-level parameter list is cut, except Go
// receivers written ".(" ("net/http.(*Client).Do") and C++
// "(anonymous namespace)". Parentheses inside <>, {} and [] are not
// top-level, so "std::function<void (int)>::operator()" keeps its template.
func tidyGeneric(fn string) string {
	fn = strings.ReplaceAll(fn, ";", ":")
	depth := 0
	lastDot := -1
	for i := 0; i < len(fn); i++ {
		switch fn[i] {
		case '<', '{', '[':
			depth++
		case '>', '}', ']', ')':
			depth--
		case '(':
			if depth == 0 && lastDot != i && !strings.HasPrefix(fn[i:], "(anonymous namespace)") {
				return fn[:i]
			}
			depth++
		case '.':
			lastDot = i + 1
		}
	}
	return fn
}

// tidyJava drops the "L" of a JVM type descriptor ("Ljava/io/File;::read"),
// which the collapsers do for processes whose name starts with "java".
func tidyJava(fn string) string {
	if strings.HasPrefix(fn, "L") && strings.Contains(fn, "/") {
		return fn[1:]
	}
	return fn
}

// unknownName is the name the collapsers give a frame perf could not
// symbolize: "[<dso basename>]", "[unknown]" when the dso is unknown too,
// and with addrs the address inside: "[libc.so.6 <7f12ab>]", "[unknown <0>]".
func unknownName(dso, pc string, addrs bool) string {
	base := "unknown"
	if dso != "[unknown]" {
		base = dso[strings.LastIndexByte(dso, '/')+1:]
	} else if !addrs {
		return "[unknown]"
	}
	if addrs {
		return "[" + base + " <" + pc + ">]"
	}
	return "[" + base + "]"
}

// isKernelDSO reports whether perf's dso text names kernel code: a
// bracketed pseudo-dso ("[kernel.kallsyms]", "[nf_conntrack_ipv4]",
// "[vdso]"), a module file ("*.ko") or a vmlinux image, possibly versioned
// ("/usr/lib/debug/boot/vmlinux-5.4.14-cloudflare"). "[unknown]" is not.
func isKernelDSO(dso string) bool {
	if dso == "[unknown]" {
		return false
	}
	return strings.HasPrefix(dso, "[") || strings.HasSuffix(dso, ".ko") || isVmlinux(dso)
}

func isVmlinux(dso string) bool {
	i := strings.LastIndex(dso, "vmlinux")
	if i < 0 {
		return false
	}
	for j := i; j < len(dso); j++ {
		c := dso[j]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// isJITDSO reports whether the dso holds JIT-compiled code: a perf map
// (/tmp/perf-<pid>.map, written by CPython -X perf, the JVM's
// perf-map-agent, V8) or a jitdump object injected by `perf inject -j`
// (.../jitted-<pid>-<n>.so).
func isJITDSO(dso string) bool {
	return strings.HasPrefix(dso, "/tmp/perf-") && strings.HasSuffix(dso, ".map") ||
		strings.Contains(dso, "/jitted-") && strings.HasSuffix(dso, ".so")
}

// pythonFrame splits a CPython perf-trampoline symbol "py::<qualname>:<file>"
// into its qualname and file. Only a leading "py::" counts: Rust paths such
// as "libcst_native::py::parse_module" are native code.
func pythonFrame(sym string) (qualname, file string, ok bool) {
	rest, ok := strings.CutPrefix(sym, "py::")
	if !ok {
		return "", "", false
	}
	qualname, file, ok = strings.Cut(rest, ":")
	if !ok || qualname == "" {
		return "", "", false
	}
	return qualname, file, true
}
