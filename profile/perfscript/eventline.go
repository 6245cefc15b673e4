package perfscript

import "bytes"

// eventLine is one parsed perf sample header:
//
//	comm [pid/]tid [[cpu]] [time:] [period] event: [trailing fields]
//
// All byte slices alias the input line.
type eventLine struct {
	comm      []byte // process name as printed, may contain spaces
	pid, tid  int64
	hasPID    bool
	period    int64
	hasPeriod bool
	event     []byte // the event as printed, without the trailing colon ("cpu-clock:pppH")
	trailing  []byte // what follows the event: a single-line stack or tracepoint fields
	nonSample bool   // a PERF_RECORD_* side-band line (mmap, comm, fork, exit...)
	timeNs    int64  // the timestamp in nanoseconds (perf: since boot)
	hasTime   bool
	hasTID    bool  // false for a headerless record (perf script -F ip,sym)
	cpu       int32 // the CPU the sample ran on ("[002]"); valid when hasCPU
	hasCPU    bool
	// bare marks a header with neither time nor event: only comm, the
	// [pid/]tid and perhaps the period (-F comm,tid or comm,pid,tid,period).
	// Such a line is a header only where callchain lines follow it.
	bare bool
}

// parseEventLine parses a perf event line. Like both collapsers it takes the
// first whitespace-delimited word made only of digits (or digits/digits) as
// the tid (or pid/tid), so that comms with spaces ("V8 WorkerThread") and
// comms ending in digits ("python3.12") work. ok is false for lines that have
// no such word, whose numbers overflow, or that show neither an event, a
// time nor a callchain entry after it.
func parseEventLine(line []byte) (ev eventLine, ok bool) {
	start, end, slash := idWord(line)
	noComm := false
	if start < 0 {
		// -F without comm: the line starts with the [pid/]tid.
		if start, end, slash = leadingID(line); start < 0 {
			return ev, false
		}
		noComm = true
	}
	ev.hasTID = true
	ev.comm = bytes.TrimSpace(line[:start])
	if slash >= 0 {
		if ev.pid, ok = parseInt(line[start:slash]); !ok {
			return ev, false
		}
		ev.hasPID = true
		if ev.tid, ok = parseInt(line[slash+1 : end]); !ok {
			return ev, false
		}
	} else if ev.tid, ok = parseInt(line[start:end]); !ok {
		return ev, false
	}
	rest := line[end:]
	tok, after := nextToken(rest)
	if isCPU(tok) {
		if c, ok := parseInt(tok[1 : len(tok)-1]); ok && c <= maxCPU {
			ev.cpu, ev.hasCPU = int32(c), true
		}
		tok, after = nextToken(after)
	}
	if isTime(tok) {
		ev.timeNs, ev.hasTime = parseTime(tok[:len(tok)-1])
		tok, after = nextToken(after)
	}
	if bytes.HasPrefix(tok, []byte("PERF_RECORD_")) {
		// A side-band record (perf script --show-mmap-events and the
		// like), not a sample.
		ev.nonSample = true
		return ev, true
	}
	if p, isNum := parseInt(tok); isNum {
		ev.period, ev.hasPeriod = p, true
		tok, after = nextToken(after)
	}
	if len(tok) > 1 && tok[len(tok)-1] == ':' && isEventName(tok[:len(tok)-1]) {
		ev.event = tok[:len(tok)-1]
		ev.trailing = bytes.TrimSpace(after)
		return ev, true
	}
	// No event field (perf script -F without "event"): a time or a
	// callchain entry on the line must still show that it is one.
	ev.trailing = bytes.TrimSpace(rest[len(rest)-len(after)-len(tok):])
	if !ev.hasTime {
		if _, _, _, ok := splitStackLine(ev.trailing); !ok {
			// Nothing after the id but perhaps the period: a bare header,
			// when the line starts with the comm (a line starting with
			// blanks and a hex word is a callchain entry) and the comm has
			// no ';' (a folded "a;b 12" line has the same shape).
			if len(ev.trailing) == 0 && !noComm && len(ev.comm) > 0 && line[0] != ' ' && line[0] != '\t' && bytes.IndexByte(ev.comm, ';') < 0 {
				ev.bare = true
				return ev, true
			}
			return ev, false
		}
	}
	return ev, true
}

// leadingID finds a [pid/]tid word at the start of the line (after
// blanks), followed by a space: the header of perf script -F without comm.
func leadingID(line []byte) (start, end, slash int) {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	start, slash = i, -1
	for ; i < len(line); i++ {
		c := line[i]
		switch {
		case '0' <= c && c <= '9':
		case c == '/' && slash < 0 && i > start:
			slash = i
		case c == ' ' && i > start && slash != i-1:
			return start, i, slash
		default:
			return -1, -1, -1
		}
	}
	return -1, -1, -1
}

// isEventName rejects tokens no perf event name contains (quotes,
// brackets), so that JSON or prose with a number in it is not taken for
// an event line.
func isEventName(s []byte) bool {
	return len(s) > 0 && bytes.IndexAny(s, "\"'{}[]()\\") < 0
}

// idWord finds the first blank-separated word (after the first) made of
// digits, optionally with one '/', that is followed by a blank: the
// [pid/]tid field. Blanks are spaces and tabs (simpleperf puts a tab after
// the comm). It returns the word's bounds and the slash position (-1 if
// none), or start -1.
func idWord(line []byte) (start, end, slash int) {
	wordStart := -1 // -1 until the first blank: the first word is always comm
	slash = -1
	digits := false
	for i, c := range line {
		switch {
		case c == ' ' || c == '\t':
			if digits && wordStart >= 0 && i > wordStart {
				return wordStart, i, slash
			}
			wordStart, digits, slash = i+1, true, -1
		case c == '/':
			if digits && slash < 0 && i > wordStart {
				slash = i
			} else {
				digits = false
			}
		case '0' <= c && c <= '9':
		default:
			digits = false
		}
	}
	// The id may end the line: perf script -F comm,tid prints nothing after it.
	if digits && wordStart > 0 && len(line) > wordStart && slash != len(line)-1 {
		return wordStart, len(line), slash
	}
	return -1, -1, -1
}

// nextToken returns the next whitespace-delimited token of s and the rest
// after it.
func nextToken(s []byte) (tok, rest []byte) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '\t' {
		j++
	}
	return s[i:j], s[j:]
}

// isCPU matches "[002]".
func isCPU(tok []byte) bool {
	if len(tok) < 3 || tok[0] != '[' || tok[len(tok)-1] != ']' {
		return false
	}
	return allDigits(tok[1 : len(tok)-1])
}

// isTime matches "4794564.109216:" (or a whole number of seconds).
func isTime(tok []byte) bool {
	if len(tok) < 2 || tok[len(tok)-1] != ':' {
		return false
	}
	s := tok[:len(tok)-1]
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		return i > 0 && allDigits(s[:i]) && allDigits(s[i+1:]) && i+1 < len(s)
	}
	return allDigits(s)
}

func allDigits(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseInt parses a non-negative decimal int64; ok is false for anything
// else, including overflow.
func parseInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) > 19 {
		return 0, false
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (1<<63-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// modifierChars are the letters perf allows after an event name's colon
// (":u", ":pppH", ":uhH", ...).
const modifierChars = "ukhIGHpPSDWeb"

// bareEvent drops modifier suffixes from an event name: "cpu-clock:pppH" ->
// "cpu-clock", "cycles:u" -> "cycles". Tracepoints keep their subsystem
// ("sched:sched_switch"): only colon-separated parts made entirely of
// modifier letters are dropped.
func bareEvent(ev []byte) []byte {
	for {
		i := bytes.LastIndexByte(ev, ':')
		if i <= 0 || i == len(ev)-1 {
			return ev
		}
		for _, c := range ev[i+1:] {
			if bytes.IndexByte([]byte(modifierChars), c) < 0 {
				return ev
			}
		}
		ev = ev[:i]
	}
}

// parseTime converts "seconds.fraction" to nanoseconds; ok is false on
// overflow.
func parseTime(s []byte) (ns int64, ok bool) {
	sec, frac := s, []byte(nil)
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		sec, frac = s[:i], s[i+1:]
	}
	n, ok := parseInt(sec)
	if !ok || n > (1<<63-1)/1_000_000_000-1 {
		return 0, false
	}
	var f int64
	for i := 0; i < 9; i++ {
		f *= 10
		if i < len(frac) {
			f += int64(frac[i] - '0')
		}
	}
	return n*1e9 + f, true
}
