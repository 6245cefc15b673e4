package folded

import (
	"bufio"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// newTextReader returns a reader of the input as UTF-8. A UTF-8 byte order
// mark is dropped; a UTF-16 one (little or big endian) switches on
// transcoding, done as the input streams so that nothing is held whole.
// speedscope's sample collection has folded files saved by Windows editors
// in both encodings.
func newTextReader(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(3)
	switch {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		br.Discard(3)
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		br.Discard(2)
		return &utf16Reader{r: br, little: true}
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		br.Discard(2)
		return &utf16Reader{r: br}
	}
	return br
}

// utf16Reader transcodes UTF-16 code units to UTF-8. Unpaired surrogates
// and a dangling odd byte become U+FFFD, as encoding/json and the Go
// conversions do, so bad input degrades instead of failing.
type utf16Reader struct {
	r      *bufio.Reader
	little bool
	out    []byte // transcoded bytes not yet returned
	err    error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// fill transcodes up to a few KiB of input into u.out.
func (u *utf16Reader) fill() {
	buf := u.out[:0]
	for len(buf) < 4096 {
		c, ok := u.unit()
		if !ok {
			break
		}
		r := rune(c)
		if utf16.IsSurrogate(r) {
			r = utf8.RuneError
			if c < 0xDC00 { // a high surrogate wants a low one next
				if d, ok := u.peekUnit(); ok && d >= 0xDC00 && d <= 0xDFFF {
					u.r.Discard(2)
					r = utf16.DecodeRune(rune(c), rune(d))
				}
			}
		}
		buf = utf8.AppendRune(buf, r)
	}
	u.out = buf
}

// unit reads one code unit; at the end it records the error to return.
func (u *utf16Reader) unit() (uint16, bool) {
	b, err := u.r.Peek(2)
	if len(b) == 2 {
		u.r.Discard(2)
		return u.order(b), true
	}
	if len(b) == 1 { // an odd trailing byte
		u.r.Discard(1)
		return 0xFFFD, true
	}
	if err == nil {
		err = io.EOF
	}
	u.err = err
	return 0, false
}

func (u *utf16Reader) peekUnit() (uint16, bool) {
	b, _ := u.r.Peek(2)
	if len(b) < 2 {
		return 0, false
	}
	return u.order(b), true
}

func (u *utf16Reader) order(b []byte) uint16 {
	if u.little {
		return uint16(b[0]) | uint16(b[1])<<8
	}
	return uint16(b[1]) | uint16(b[0])<<8
}
