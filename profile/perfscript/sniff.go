package perfscript

import "bytes"

// Sniff reports whether head (the first bytes of an input) is perf script
// text: the first line that is neither blank nor a "#" comment must be an
// event line ("comm tid time: period event:"), and either it carries its
// own "<hex> symbol (dso)" entry or the next line is a callchain entry.
// Folded stacks never match: their lines end in a count, not in "event:"
// or "(dso)".
func Sniff(head []byte) bool {
	for len(head) > 0 {
		line, rest := cutLine(head)
		head = rest
		if line = bytes.TrimRight(line, " \t\r"); len(line) == 0 || line[0] == '#' {
			continue
		}
		ev, ok := parseEventLine(line)
		if ok && ev.nonSample {
			continue
		}
		if !ok || ev.event == nil {
			return false
		}
		if _, _, _, ok := splitStackLine(ev.trailing); ok {
			return true
		}
		next, rest := cutLine(head)
		if len(next) == 0 && len(rest) == 0 {
			return true // the head ends after the event line
		}
		_, _, _, ok = splitStackLine(bytes.TrimRight(next, " \t\r"))
		return ok
	}
	return false
}

func cutLine(s []byte) (line, rest []byte) {
	if i := bytes.IndexByte(s, '\n'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, nil
}
