package explain

import "strings"

// orjsonCall rewrites the json.dumps call in code (a quoted function) to
// the orjson call that does the same on a C encoder: the same object and
// default= hook, indent= as OPT_INDENT_2 and sort_keys=True as
// OPT_SORT_KEYS, decoded back to str. ok is false when code has no
// json.dumps call or passes an option orjson has no equivalent for
// (separators=, cls=, ensure_ascii=, ...): a rewrite that changed the
// output silently would be worse than the generic sketch. note says what
// still differs (orjson indents by two spaces only).
func orjsonCall(code string) (out, note string, ok bool) {
	start := strings.Index(code, "json.dumps(")
	if start < 0 || start > 0 && isIdentByte(code[start-1]) {
		return "", "", false
	}
	open := start + len("json.dumps")
	end := closingParen(code, open)
	if end < 0 {
		return "", "", false
	}
	var obj, hook string
	var opts []string
	for i, arg := range splitArgs(code[open+1 : end]) {
		name, value, named := strings.Cut(arg, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !named && i == 0:
			obj = strings.TrimSpace(arg)
		case named && name == "default":
			hook = value
		case named && name == "indent":
			if value == "None" {
				continue
			}
			opts = append(opts, "orjson.OPT_INDENT_2")
			if value != "2" {
				note = "  # orjson indents by two spaces only (indent=" + value + " before)"
			}
		case named && name == "sort_keys":
			switch value {
			case "True":
				opts = append(opts, "orjson.OPT_SORT_KEYS")
			case "False":
			default:
				return "", "", false
			}
		default:
			return "", "", false
		}
	}
	if obj == "" {
		return "", "", false
	}
	call := "orjson.dumps(" + obj
	if hook != "" {
		call += ", default=" + hook
	}
	if len(opts) > 0 {
		call += ", option=" + strings.Join(opts, " | ")
	}
	call += ").decode()"
	return code[:start] + call + code[end+1:], note, true
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// closingParen is the index of the parenthesis that closes the one at
// open, skipping string literals, comments and nested brackets, or -1.
func closingParen(s string, open int) int {
	end := -1
	depth := 0
	scanCode(s[open:], func(i int, c byte) bool {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth--; depth == 0 {
				end = open + i
				return false
			}
		}
		return true
	})
	return end
}

// splitArgs splits a call's argument text at its top-level commas.
func splitArgs(s string) []string {
	var out []string
	depth, last := 0, 0
	scanCode(s, func(i int, c byte) bool {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[last:i])
				last = i + 1
			}
		}
		return true
	})
	if strings.TrimSpace(s[last:]) != "" {
		out = append(out, s[last:])
	}
	return out
}

// scanCode calls visit with each byte of Python source s that lies
// outside string literals and # comments, and its index, until visit
// returns false. A rough scan (no triple quotes, no f-string nesting):
// enough to find where brackets open and close.
func scanCode(s string, visit func(i int, c byte) bool) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		default:
			if !visit(i, c) {
				return
			}
		}
	}
}
