package austin

import "bytes"

// sniffLines is how many sample lines of the head Sniff judges.
const sniffLines = 50

// Sniff reports whether head (the first bytes of an input) is austin
// output: every complete line among the first sniffLines is a sample line
// "Thread <hex id>" followed by ';' (frames) or ' ' (metrics), apart from
// blank and '#' lines. Folded stacks never start a line with "Thread " and
// a hex word alone: py-spy writes "thread (tid)", flamegraph.pl input of
// austin output is this format.
func Sniff(head []byte) bool {
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 && len(head) >= 4096 {
		head = head[:i] // the last line may be cut by the head limit
	}
	seen := 0
	for len(head) > 0 && seen < sniffLines {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			continue
		}
		if _, _, ok := threadPrefix(line); !ok {
			if _, _, _, ok := processPrefix(line); !ok {
				return false
			}
		}
		seen++
	}
	return seen > 0
}

// threadPrefix splits "Thread <hex>" off a sample line; rest starts with
// ';' or ' '.
func threadPrefix(line []byte) (id, rest []byte, ok bool) {
	rest, ok = bytes.CutPrefix(line, []byte("Thread "))
	if !ok {
		return nil, nil, false
	}
	i := 0
	for i < len(rest) && isHex(rest[i]) {
		i++
	}
	if i == 0 || i > 16 || i == len(rest) || (rest[i] != ';' && rest[i] != ' ') {
		return nil, nil, false
	}
	return rest[:i], rest[i:], true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// processPrefix splits austin 3.x's "P<pid>;T<tid>" off a sample line (tid
// may be "<interpreter>:<thread>"); rest starts with ';' or ' '.
func processPrefix(line []byte) (pid, tid, rest []byte, ok bool) {
	rest, ok = bytes.CutPrefix(line, []byte("P"))
	if !ok {
		return nil, nil, nil, false
	}
	i := 0
	for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
		i++
	}
	if i == 0 || i > 19 || !bytes.HasPrefix(rest[i:], []byte(";T")) {
		return nil, nil, nil, false
	}
	pid, rest = rest[:i], rest[i+2:]
	j := 0
	for j < len(rest) && (isHex(rest[j]) || rest[j] == ':') {
		j++
	}
	if j == 0 || j > 40 || j == len(rest) || (rest[j] != ';' && rest[j] != ' ') {
		return nil, nil, nil, false
	}
	return pid, rest[:j], rest[j:], true
}
