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
// open, skipping string literals and nested brackets, or -1.
func closingParen(s string, open int) int {
	depth := 0
	var quote byte
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitArgs splits a call's argument text at its top-level commas.
func splitArgs(s string) []string {
	var out []string
	depth, last := 0, 0
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
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[last:i])
			last = i + 1
		}
	}
	if strings.TrimSpace(s[last:]) != "" {
		out = append(out, s[last:])
	}
	return out
}
