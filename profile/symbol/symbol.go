// Package symbol turns symbol names as recorders print them into the names
// people read: C++ and Rust (legacy and v0) demangled, Rust hash suffixes
// dropped, and the legacy escapes that perf and py-spy sometimes leave
// ($LT$, $u20$, ..) decoded.
package symbol

import (
	"regexp"
	"strings"

	"github.com/ianlancetaylor/demangle"
)

var perfOffset = regexp.MustCompile(`\+0x[0-9a-fA-F]+$`)

// legacyEscapes are the $..$ escapes of Rust's legacy mangling, as perf and
// py-spy print them when they demangle only partly.
var legacyEscapes = strings.NewReplacer(
	"$LT$", "<", "$GT$", ">", "$u20$", " ", "$RF$", "&", "$BP$", "*",
	"$C$", ",", "$SP$", "@", "$u27$", "'", "$u5b$", "[", "$u5d$", "]",
	"$u7b$", "{", "$u7d$", "}", "$u7e$", "~", "$u3b$", ";", "$u2b$", "+",
	"$u22$", "\"", "$u21$", "!", "$u3d$", "=",
)

// Clean returns the display form of a symbol name.
func Clean(name string) string {
	s := name
	if strings.HasPrefix(s, "_Z") || strings.HasPrefix(s, "__Z") || strings.HasPrefix(s, "_R") {
		// NoParams drops C++ parameter lists, which identify overloads but
		// make names too long to read in a report.
		if d, err := demangle.ToString(s, demangle.NoParams, demangle.NoClones); err == nil {
			s = d
		}
	}
	if strings.Contains(s, "$") {
		// A leading "_$" is the underscore legacy mangling puts before an
		// identifier that starts with an escape.
		if strings.HasPrefix(s, "_$") {
			s = s[1:]
		}
		s = legacyEscapes.Replace(s)
		if strings.Contains(s, "..") && !strings.Contains(s, "...") {
			s = strings.ReplaceAll(s, "..", "::")
		}
	}
	return cutRustHash(s)
}

// cutRustHash drops a Rust legacy hash suffix ("::h" and 16 lowercase hex
// digits) from the end of s. A regexp did this before, but its
// ReplaceAllString copies s even when nothing matches: one allocation per
// frame of every profile read.
func cutRustHash(s string) string {
	const n = len("::h") + 16
	if len(s) < n || s[len(s)-n:len(s)-16] != "::h" {
		return s
	}
	for i := len(s) - 16; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return s
		}
	}
	return s[:len(s)-n]
}

// StripOffset removes a perf symbol offset ("foo+0x1c" -> "foo").
func StripOffset(name string) string { return perfOffset.ReplaceAllString(name, "") }

// CutLocation splits "name (loc)" at the parenthesis that balances the
// final one, searching from the right because names hold parentheses
// themselves (C++ signatures, "<lambda>", "thread (12): main"). The opening
// parenthesis must follow a space. ok is false when s does not end in a
// balanced parenthesised group.
func CutLocation(s string) (name, loc string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				if i < 1 || s[i-1] != ' ' {
					return "", "", false
				}
				return s[:i-1], s[i+1 : len(s)-1], true
			}
		}
	}
	return "", "", false
}
