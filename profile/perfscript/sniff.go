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
		if callchainLine(line) {
			// perf script -F ip,sym[,dso]: records with no header at all.
			next, _ := cutLine(head)
			next = bytes.TrimRight(next, " \t\r")
			return line[0] == '\t' && (len(next) == 0 || callchainLine(next))
		}
		ev, ok := parseEventLine(line)
		if ok && ev.nonSample {
			continue
		}
		if !ok || (ev.event == nil && !ev.hasTime && !ev.bare) {
			return false
		}
		if _, _, _, ok := splitStackLine(ev.trailing); ok {
			return true
		}
		next, rest := cutLine(head)
		if len(next) == 0 && len(rest) == 0 {
			return ev.event != nil // the head ends after the event line
		}
		next = bytes.TrimRight(next, " \t\r")
		if _, _, _, ok = splitStackLine(next); ok {
			return true
		}
		// Without a dso (-F ip,sym) or a symbol (-F ip), an entry must be
		// indented to count.
		return callchainLine(next)
	}
	return false
}

// callchainLine reports an indented callchain entry in any of the forms
// perf script -F prints: "pc", "pc sym", "pc sym (dso)", "pc (dso)".
func callchainLine(line []byte) bool {
	s := bytes.TrimLeft(line, " \t")
	if len(s) == len(line) || len(s) == 0 {
		return false
	}
	pc, _, _ := bytes.Cut(s, []byte(" "))
	for _, c := range pc {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func cutLine(s []byte) (line, rest []byte) {
	if i := bytes.IndexByte(s, '\n'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, nil
}
