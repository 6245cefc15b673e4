package speedscope

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hotspot-dev/hotspot/profile"
)

// firstRead and readSize are how much the scanner asks of its reader at
// first and, once the input proves large, at a time.
const (
	firstRead = 32 << 10
	readSize  = 1 << 20
)

// keepBack is how much input before the position a refill keeps.
const keepBack = 16 << 10

// maxNesting is the depth at which jsontext, whose error messages the
// scanner keeps, gives up: a document nested deeper is a syntax error.
const maxNesting = 10000

// errSyntax says the scanner met malformed JSON at s.tokStart; syntaxError
// turns it into the message users see.
var errSyntax = errors.New("syntax error")

// scanner reads JSON from an io.Reader through one large buffer, checking
// the syntax as it goes. It hands out tokens, whole values (one frame,
// stack, weight or event) and, for sample stacks, lets the reader parse the
// bytes in place, so that most of the input is looked at once and never
// copied. It keeps the state jsontext keeps (the open arrays and objects
// and how many items each has) so that a syntax error can be replayed
// through jsontext for the same message at the same offset.
type scanner struct {
	r    io.Reader
	file string
	buf  []byte
	pos  int   // next byte to read
	end  int   // end of the bytes read
	base int64 // input offset of buf[0]
	// hold is the index of the oldest byte a refill must keep (the start
	// of the token being read), or -1.
	hold   int
	eof    bool
	rerr   error // read error other than io.EOF
	lines  int   // newlines before base
	lastNL int64 // input offset of the last newline before base, -1 if none

	levels []level // open arrays and objects, outermost first
	stk    []byte  // scratch for skipValue
	// located says pos is at the first byte of the next item: the
	// whitespace and separator before it are consumed.
	located  bool
	tokStart int64 // input offset where the current item's separator (or the item) starts
	peeked   bool  // the reader peeked at the current item (jsontext's PeekKind)
	prevEnd  int64 // input offset after the last complete item: jsontext's InputOffset
}

// level is one open array or object.
type level struct {
	kind byte // '[' or '{'
	n    int  // items read: an array's elements; an object's names and values
}

func newScanner(r io.Reader, file string) *scanner {
	return &scanner{r: r, file: file, buf: make([]byte, firstRead), hold: -1, lastNL: -1}
}

// offset returns the input offset of buf[i].
func (s *scanner) offset(i int) int64 { return s.base + int64(i) }

// total is how many bytes have been read from the input.
func (s *scanner) total() int64 { return s.base + int64(s.end) }

// more reads more input into buf, keeping buf[hold:] (or buf[pos:]). It
// returns false at the end of the input or at a read error.
func (s *scanner) more() bool {
	if s.eof || s.rerr != nil {
		return false
	}
	keep := s.pos
	if s.hold >= 0 && s.hold < keep {
		keep = s.hold
	}
	// A little of what was read stays, for errors that point just
	// behind the position (the closing brace of a document).
	keep = max(keep-keepBack, 0)
	if keep > 0 {
		gone := s.buf[:keep]
		if c := bytes.Count(gone, []byte{'\n'}); c > 0 {
			s.lines += c
			s.lastNL = s.base + int64(bytes.LastIndexByte(gone, '\n'))
		}
		s.end = copy(s.buf, s.buf[keep:s.end])
		s.pos -= keep
		if s.hold >= 0 {
			s.hold -= keep
		}
		s.base += int64(keep)
	}
	if len(s.buf)-s.end < len(s.buf)/2 || s.base > 0 && len(s.buf) < readSize {
		// A large input, or one value larger than the buffer: grow it.
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.rerr = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// lineCol returns the 1-based line and byte column of offset, or ok false
// when offset has left the buffer.
func (s *scanner) lineCol(off int64) (line, col int, ok bool) {
	if off < s.base || off > s.total() {
		return 0, 0, false
	}
	before := s.buf[:off-s.base]
	line = s.lines + bytes.Count(before, []byte{'\n'}) + 1
	last := s.lastNL
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		last = s.base + int64(i)
	}
	return line, int(off - last), true
}

// errorAt builds a SyntaxError at a byte offset, as line and column when the
// offset is still in the buffer.
func (s *scanner) errorAt(off int64, msg string) error {
	if line, col, ok := s.lineCol(off); ok {
		return &profile.SyntaxError{File: s.file, Line: line, Col: col, Offset: -1, Msg: msg}
	}
	return &profile.SyntaxError{File: s.file, Offset: off, Msg: msg}
}

// cutShort reports input that ends inside the document, or the read error
// that ended it.
func (s *scanner) cutShort() error {
	if s.rerr != nil {
		return fmt.Errorf("%s: reading: %w", s.file, s.rerr)
	}
	return s.errorAt(s.total(), "unexpected end of input: the file is cut short")
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// skipSpace advances pos to the next byte that is not whitespace and
// returns it; ok is false at the end of the input.
func (s *scanner) skipSpace() (byte, bool) {
	for {
		for s.pos < s.end {
			if c := s.buf[s.pos]; !isSpace(c) {
				return c, true
			}
			s.pos++
		}
		if !s.more() {
			return 0, false
		}
	}
}

// locate moves to the first byte of the next item of the open container,
// or its closing bracket, and returns that byte: it consumes the
// whitespace and the separator (',' or ':') before it. At the top level
// the end of the input is io.EOF; elsewhere it is an error.
func (s *scanner) locate() (byte, error) {
	c, err := s.locate1()
	if err == errSyntax {
		// Start over from the separator when asked again.
		s.pos = int(s.tokStart - s.base)
	}
	return c, err
}

func (s *scanner) locate1() (byte, error) {
	if s.located {
		return s.buf[s.pos], nil
	}
	c, ok := s.skipSpace()
	if !ok {
		if len(s.levels) == 0 && s.rerr == nil {
			return 0, io.EOF
		}
		return 0, s.cutShort()
	}
	s.tokStart = s.offset(s.pos)
	s.hold = s.pos
	if len(s.levels) > 0 {
		top := &s.levels[len(s.levels)-1]
		switch {
		case top.kind == '[' && top.n > 0 && c != ']':
			if c != ',' {
				return 0, errSyntax
			}
			if c, ok = s.after(); !ok {
				return 0, s.cutShort()
			}
			if c == ']' {
				return 0, errSyntax
			}
		case top.kind == '{' && top.n%2 == 1:
			if c != ':' {
				return 0, errSyntax
			}
			if c, ok = s.after(); !ok {
				return 0, s.cutShort()
			}
			if c == ']' || c == '}' {
				return 0, errSyntax
			}
		case top.kind == '{' && c != '}':
			if top.n > 0 {
				if c != ',' {
					return 0, errSyntax
				}
				if c, ok = s.after(); !ok {
					return 0, s.cutShort()
				}
			}
			if c != '"' {
				return 0, errSyntax
			}
		}
	}
	s.located = true
	return c, nil
}

// after consumes one separator byte and the whitespace after it.
func (s *scanner) after() (byte, bool) {
	s.pos++
	return s.skipSpace()
}

// done records that an item ended at buf[s.pos].
func (s *scanner) done() {
	s.located = false
	s.peeked = false
	s.hold = -1
	s.prevEnd = s.offset(s.pos)
	if len(s.levels) > 0 {
		s.levels[len(s.levels)-1].n++
	}
}

// peek returns the first byte of the next item (or closing bracket)
// without reading it, 0 at an error: jsontext's PeekKind.
func (s *scanner) peek() byte {
	s.peeked = true
	c, err := s.locate()
	if err != nil {
		return 0
	}
	return c
}

// token reads one token: a bracket, or a whole string, number or literal.
// For a string, text is the unquoted string; for a number, its literal.
func (s *scanner) token() (token, error) {
	c, err := s.locate()
	if err != nil {
		return token{}, err
	}
	switch c {
	case '[', '{':
		if len(s.levels) >= maxNesting {
			return token{}, errSyntax
		}
		s.pos++
		s.done()
		s.levels = append(s.levels, level{kind: c})
		return token{kind: jsontext.Kind(c)}, nil
	case ']', '}':
		if len(s.levels) == 0 || s.levels[len(s.levels)-1].kind != c-2 {
			return token{}, errSyntax
		}
		s.pos++
		s.done()
		// The container was counted in its parent when it opened.
		s.levels = s.levels[:len(s.levels)-1]
		return token{kind: jsontext.Kind(c)}, nil
	}
	start := s.offset(s.pos)
	if err := s.scalar(); err != nil {
		return token{}, err
	}
	raw := s.buf[start-s.base : s.pos]
	t := token{kind: kindOf(c)}
	switch t.kind {
	case '"':
		t.text = unquote(raw)
	case '0':
		t.text = string(raw)
	}
	s.done()
	return t, nil
}

// kindOf maps the first byte of a scalar to jsontext's kind.
func kindOf(c byte) jsontext.Kind {
	if c == '-' || c >= '0' && c <= '9' {
		return '0'
	}
	return jsontext.Kind(c)
}

// unquote decodes a JSON string literal as jsontext does with invalid
// UTF-8 allowed: invalid bytes become U+FFFD.
func unquote(raw []byte) string {
	simple := true
	for _, c := range raw[1 : len(raw)-1] {
		if c < ' ' || c >= 0x80 || c == '\\' || c == '"' {
			simple = false
			break
		}
	}
	if simple {
		return string(raw[1 : len(raw)-1])
	}
	b, _ := jsontext.AppendUnquote(nil, raw)
	return string(b)
}

// plainNumber reads the number at the position when it is a plain
// non-negative decimal (digits, maybe a fraction), as weights are written,
// lying whole in the buffer with the byte after it there too: it is then
// checked and read in one pass without value's per-byte reads. ok is
// false, with nothing read, for anything else.
func (s *scanner) plainNumber() (lit []byte, ok bool) {
	if !s.located {
		// locate found a syntax error, which value reports.
		return nil, false
	}
	b := s.buf[s.pos:s.end]
	k := 0
	for k < len(b) && b[k] >= '0' && b[k] <= '9' {
		k++
	}
	if k == 0 || b[0] == '0' && k > 1 {
		return nil, false
	}
	if k < len(b) && b[k] == '.' {
		k++
		d := k
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		if k == d {
			return nil, false
		}
	}
	if k >= len(b) || b[k] != ',' && b[k] != ']' && !isSpace(b[k]) {
		return nil, false
	}
	s.pos += k
	s.done()
	return b[:k], true
}

// value reads one whole value and returns its bytes, which stay valid until
// the next read.
func (s *scanner) value() ([]byte, error) {
	c, err := s.locate()
	if err != nil {
		return nil, err
	}
	if c == ']' || c == '}' {
		return nil, errSyntax
	}
	start := s.offset(s.pos)
	if err := s.skipValue(); err != nil {
		return nil, err
	}
	v := s.buf[start-s.base : s.pos]
	s.done()
	return v, nil
}

// skipValue checks the syntax of the value at pos and moves past it.
func (s *scanner) skipValue() error {
	stk := s.stk[:0]
	defer func() { s.stk = stk[:0] }()
	c := s.buf[s.pos]
	for {
		// A value starts at c.
		switch c {
		case '[', '{':
			if len(s.levels)+len(stk) >= maxNesting {
				return errSyntax
			}
			stk = append(stk, c)
			var ok bool
			if c, ok = s.after(); !ok {
				return s.cutShort()
			}
			if c == stk[len(stk)-1]+2 {
				stk = stk[:len(stk)-1]
				s.pos++
				break
			}
			if stk[len(stk)-1] == '{' {
				if err := s.member(c); err != nil {
					return err
				}
				if c, ok = s.skipSpace(); !ok {
					return s.cutShort()
				}
			}
			continue
		default:
			if err := s.scalar(); err != nil {
				return err
			}
		}
		// After a value: close containers or go on to the next item.
		for {
			if len(stk) == 0 {
				return nil
			}
			var ok bool
			if c, ok = s.skipSpace(); !ok {
				return s.cutShort()
			}
			top := stk[len(stk)-1]
			if c == top+2 {
				stk = stk[:len(stk)-1]
				s.pos++
				continue
			}
			if c != ',' {
				return errSyntax
			}
			if c, ok = s.after(); !ok {
				return s.cutShort()
			}
			if top == '{' {
				if err := s.member(c); err != nil {
					return err
				}
				if c, ok = s.skipSpace(); !ok {
					return s.cutShort()
				}
			}
			break
		}
	}
}

// member reads an object member's name and the colon after it; c is the
// name's first byte.
func (s *scanner) member(c byte) error {
	if c != '"' {
		return errSyntax
	}
	if err := s.scalar(); err != nil {
		return err
	}
	c, ok := s.skipSpace()
	if !ok {
		return s.cutShort()
	}
	if c != ':' {
		return errSyntax
	}
	s.pos++
	return nil
}

// at returns buf[s.pos+k], reading more input if needed; ok is false at
// the end of the input.
func (s *scanner) at(k int) (byte, bool) {
	for s.pos+k >= s.end {
		if !s.more() {
			return 0, false
		}
	}
	return s.buf[s.pos+k], true
}

// scalar checks the string, number or literal at pos and moves past it.
// The bytes from hold on stay in the buffer.
func (s *scanner) scalar() error {
	c := s.buf[s.pos]
	switch {
	case c == '"':
		return s.str()
	case c == '-' || c >= '0' && c <= '9':
		return s.num()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return errSyntax
}

func (s *scanner) literal(lit string) error {
	for k := 1; k < len(lit); k++ {
		c, ok := s.at(k)
		if !ok {
			return s.cutShort()
		}
		if c != lit[k] {
			return errSyntax
		}
	}
	s.pos += len(lit)
	return nil
}

// str moves past the string literal at pos.
func (s *scanner) str() error {
	s.pos++
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			switch {
			case c == '"':
				s.pos++
				return nil
			case c < ' ':
				return errSyntax
			case c == '\\':
				e, ok := s.at(1)
				if !ok {
					return s.cutShort()
				}
				switch e {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					s.pos += 2
				case 'u':
					for k := 2; k < 6; k++ {
						h, ok := s.at(k)
						if !ok {
							return s.cutShort()
						}
						if !isHex(h) {
							return errSyntax
						}
					}
					s.pos += 6
				default:
					return errSyntax
				}
			default:
				s.pos++
			}
		}
		if !s.more() {
			return s.cutShort()
		}
	}
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// num moves past the number literal at pos: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) num() error {
	k := 0
	c, _ := s.at(0)
	if c == '-' {
		k++
	}
	digits := func() (int, error) {
		n := 0
		for {
			c, ok := s.at(k)
			if !ok {
				if n == 0 {
					return 0, s.cutShort()
				}
				return n, nil
			}
			if c < '0' || c > '9' {
				return n, nil
			}
			k++
			n++
		}
	}
	c, ok := s.at(k)
	switch {
	case !ok:
		return s.cutShort()
	case c == '0':
		k++
	case c >= '1' && c <= '9':
		if _, err := digits(); err != nil {
			return err
		}
	default:
		return errSyntax
	}
	if c, ok := s.at(k); ok && c == '.' {
		k++
		n, err := digits()
		if err != nil {
			return err
		}
		if n == 0 {
			return errSyntax
		}
	}
	if c, ok := s.at(k); ok && (c == 'e' || c == 'E') {
		k++
		if c, ok := s.at(k); ok && (c == '+' || c == '-') {
			k++
		}
		n, err := digits()
		if err != nil {
			return err
		}
		if n == 0 {
			return errSyntax
		}
	}
	s.pos += k
	return nil
}
