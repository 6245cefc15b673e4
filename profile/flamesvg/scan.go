package flamesvg

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// frame is one drawn frame: a <title> and the <rect> after it.
type frame struct {
	name   string
	count  decimal // from the title, or fg:w
	unit   string  // the title's count name: "samples", "allocations", "usec", ...
	x, w   float64 // extent: pixels (flamegraph.pl) or percent (inferno)
	fx, fw int64   // inferno's exact fg:x and fg:w; fw < 0 when absent
	y      float64
	line   int // where its title is, for messages
	level  int
	parent int // index in the frames slice; -1 for the root
	kids   decimal
}

// scanner walks an SVG one tag at a time.
type scanner struct {
	br      *bufio.Reader
	name    string
	max     int
	line    int   // 1-based line of the current position
	read    int64 // bytes read
	frames  []frame
	pending *frame // a title waiting for its rect
	inTitle bool
	badLine int // line of a title that is not "NAME (COUNT UNIT, PCT%)", 0 when none
	badText string
	script  bool // inside <script>: its code can hold anything
	title   []byte
	inferno bool
	total   int64 // inferno's total_samples, -1 when absent
	limits  profile.Limits
}

func (s *scanner) errorf(format string, args ...any) error {
	return &profile.SyntaxError{File: s.name, Line: s.line, Msg: fmt.Sprintf(format, args...)}
}

// run reads the document: every piece up to a '>' is some text and a tag.
func (s *scanner) run() error {
	var long []byte
	for {
		piece, err := s.br.ReadSlice('>')
		if err == bufio.ErrBufferFull {
			long = append(long[:0], piece...)
			for err == bufio.ErrBufferFull && len(long) <= s.max {
				piece, err = s.br.ReadSlice('>')
				long = append(long, piece...)
			}
			piece = long
		}
		if len(piece) > s.max {
			return &profile.LimitError{File: s.name, Line: s.line, What: "tag length", Limit: int64(s.max), Flag: "--max-line"}
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("reading %s: %w", s.name, err)
		}
		startLine := s.line
		s.read += int64(len(piece))
		s.line += bytes.Count(piece, []byte("\n"))
		if len(piece) > 0 && piece[len(piece)-1] == '>' {
			i := bytes.LastIndexByte(piece, '<')
			if i < 0 {
				i = len(piece) // a '>' in text (script code)
			}
			if perr := s.tag(piece[:i], piece[i:], startLine+bytes.Count(piece[:i], []byte("\n"))); perr != nil {
				return perr
			}
		}
		if err == io.EOF {
			if s.inTitle {
				return s.errorf("the document ends inside a <title>: the file is cut")
			}
			if s.pending != nil {
				return &profile.SyntaxError{File: s.name, Line: s.pending.line, Msg: "the document ends after a frame's <title> without its <rect>: the file is cut"}
			}
			return nil
		}
	}
}

// tag handles one tag and the text before it.
func (s *scanner) tag(text, tag []byte, line int) error {
	if s.script {
		s.script = !bytes.HasPrefix(tag, []byte("</script"))
		return nil
	}
	if s.inTitle {
		s.title = append(s.title, text...)
		if !bytes.HasPrefix(tag, []byte("</title")) {
			return &profile.SyntaxError{File: s.name, Line: line, Msg: fmt.Sprintf("want </title>, got %q", clip(tag))}
		}
		s.inTitle = false
		return s.titleDone(line)
	}
	switch {
	case bytes.HasPrefix(tag, []byte("<script")) && !bytes.HasSuffix(tag, []byte("/>")):
		s.script = true
	case bytes.Equal(tag, []byte("<title>")):
		if s.pending != nil {
			return &profile.SyntaxError{File: s.name, Line: s.pending.line, Msg: "a frame's <title> has no <rect> before the next <title>"}
		}
		s.inTitle, s.title, s.badLine = true, s.title[:0], 0
	case bytes.HasPrefix(tag, []byte("<rect")) && s.pending != nil:
		return s.rect(tag, line)
	case bytes.HasPrefix(tag, []byte("<rect")) && s.badLine > 0:
		return &profile.SyntaxError{File: s.name, Line: s.badLine, Msg: fmt.Sprintf("frame title %q: want NAME (COUNT UNIT, PCT%%)", clip([]byte(s.badText)))}
	case bytes.HasPrefix(tag, []byte("</g")):
		s.badLine = 0
		if s.pending != nil {
			return &profile.SyntaxError{File: s.name, Line: s.pending.line, Msg: "a frame's <title> has no <rect> in its <g>"}
		}
	case bytes.HasPrefix(tag, []byte("<svg")) && bytes.Contains(tag, []byte(`id="frames"`)):
		if v, ok := attr(tag, "total_samples"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return &profile.SyntaxError{File: s.name, Line: line, Msg: fmt.Sprintf("total_samples=%q is not a count", v)}
			}
			s.total = n
		}
	}
	return nil
}

// titleDone parses "NAME (COUNT UNIT, PCT%)" into a pending frame. A title
// that does not end that way (a document title) is not a frame.
func (s *scanner) titleDone(line int) error {
	t := html.UnescapeString(string(s.title))
	name, count, unit, ok := splitTitle(t)
	if !ok {
		// A document's own title has no <rect>; a frame's must parse.
		s.badLine, s.badText = line, t
		return nil
	}
	c, err := parseDecimal(count)
	if err != nil {
		return &profile.SyntaxError{File: s.name, Line: line, Msg: fmt.Sprintf("frame %q: count %q: %v", clip([]byte(name)), count, err)}
	}
	if len(s.frames) >= s.limits.MaxNodes {
		return &profile.LimitError{File: s.name, Line: line, What: "number of frames", Limit: int64(s.limits.MaxNodes), Flag: "--max-nodes"}
	}
	s.frames = append(s.frames, frame{name: name, count: c, unit: unit, fw: -1, line: line, parent: -1})
	s.pending = &s.frames[len(s.frames)-1]
	return nil
}

// rect reads the pending frame's geometry.
func (s *scanner) rect(tag []byte, line int) error {
	f := s.pending
	s.pending = nil
	num := func(key string) (float64, error) {
		v, ok := attr(tag, key)
		if !ok {
			return 0, &profile.SyntaxError{File: s.name, Line: line, Msg: fmt.Sprintf("frame %q: <rect> has no %s", clip([]byte(f.name)), key)}
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if err != nil || x != x || x < -1e15 || x > 1e15 {
			return 0, &profile.SyntaxError{File: s.name, Line: line, Msg: fmt.Sprintf("frame %q: %s=%q is not a number", clip([]byte(f.name)), key, v)}
		}
		return x, nil
	}
	var err error
	if f.x, err = num("x"); err != nil {
		return err
	}
	if f.y, err = num("y"); err != nil {
		return err
	}
	if f.w, err = num("width"); err != nil {
		return err
	}
	if v, ok := attr(tag, "fg:w"); ok {
		s.inferno = true
		vx, _ := attr(tag, "fg:x")
		fw, err1 := strconv.ParseInt(v, 10, 64)
		fx, err2 := strconv.ParseInt(vx, 10, 64)
		if err1 != nil || err2 != nil || fw < 0 || fx < 0 {
			return &profile.SyntaxError{File: s.name, Line: line, Msg: fmt.Sprintf("frame %q: want integer fg:x and fg:w, got %q and %q", clip([]byte(f.name)), vx, v)}
		}
		f.fx, f.fw = fx, fw
		// fg:w is the exact count inferno drew; the title's may be rounded.
		f.count = decimal{v: fw}
	}
	return nil
}

// attr returns the value of key="..." in a tag.
func attr(tag []byte, key string) (string, bool) {
	k := []byte(" " + key + `="`)
	i := bytes.Index(tag, k)
	if i < 0 {
		return "", false
	}
	rest := tag[i+len(k):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "", false
	}
	return string(rest[:j]), true
}

// splitTitle splits "NAME (COUNT UNIT, PCT%)" (or a differential graph's
// "NAME (COUNT UNIT, PCT%; +D%)") at the last " (" whose tail has that
// shape: names hold parentheses themselves.
func splitTitle(t string) (name, count, unit string, ok bool) {
	if !strings.HasSuffix(t, "%)") {
		return "", "", "", false
	}
	for end := len(t); ; {
		i := strings.LastIndex(t[:end], " (")
		if i < 0 {
			return "", "", "", false
		}
		tail := t[i+2 : len(t)-1]
		if c, u, ok := countTail(tail); ok {
			return t[:i], c, u, true
		}
		end = i
	}
}

// countTail reads "COUNT UNIT, PCT%" with an optional "; +D%" after it.
func countTail(tail string) (count, unit string, ok bool) {
	if k := strings.Index(tail, "; "); k >= 0 {
		tail = tail[:k]
	}
	left, pct, found := strings.Cut(tail, ", ")
	if !found || !strings.HasSuffix(pct, "%") || strings.Contains(pct, " ") {
		return "", "", false
	}
	count, unit, found = strings.Cut(left, " ")
	if !found || count == "" || unit == "" || strings.ContainsAny(unit, " (") {
		return "", "", false
	}
	for _, c := range count {
		if (c < '0' || c > '9') && c != ',' && c != '.' {
			return "", "", false
		}
	}
	return count, unit, true
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}
