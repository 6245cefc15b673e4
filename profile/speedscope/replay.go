package speedscope

import (
	"bytes"
	"errors"
	"io"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hotspot-dev/hotspot/profile/internal/jsonerr"
)

// syntaxError turns errSyntax into the error jsontext gives for the same
// input, so that messages and positions stay those users know: a decoder
// is put in the scanner's state by a short synthetic prefix (the open
// arrays and objects), then reads the input from the start of the item
// that failed. value says the item was being read whole (ReadValue), as
// stacks, weights, events and frames are; otherwise token by token. Other
// errors are returned as they are.
func (s *scanner) syntaxError(err error, value bool) error {
	if err != errSyntax {
		return err
	}
	var prefix []byte
	tokens := 0
	for i, l := range s.levels {
		inner := i == len(s.levels)-1
		switch {
		case l.kind == '[':
			prefix = append(prefix, '[')
			tokens++
			if inner && l.n > 0 {
				prefix = append(prefix, '0', ' ')
				tokens++
			}
		case !inner:
			prefix = append(prefix, `{"":`...)
			tokens += 2
		case l.n == 0:
			prefix = append(prefix, '{')
			tokens++
		case l.n%2 == 1:
			prefix = append(prefix, `{""`...)
			tokens += 2
		default:
			prefix = append(prefix, `{"":0 `...)
			tokens += 3
		}
	}
	if len(s.levels) == 0 && s.prevEnd > 0 {
		// After the top-level value.
		prefix, tokens = []byte("{}"), 2
	}
	s.hold = int(s.tokStart - s.base)
	s.pos = s.hold
	dec := jsontext.NewDecoder(io.MultiReader(bytes.NewReader(prefix), &rest{s}),
		jsontext.AllowDuplicateNames(true),
		jsontext.AllowInvalidUTF8(true))
	for range tokens {
		if _, err := dec.ReadToken(); err != nil {
			return s.errorAt(s.tokStart, "syntax error")
		}
	}
	if s.peeked {
		// The reader peeked first, and jsontext words some errors
		// differently after a peek.
		dec.PeekKind()
	}
	shift := s.tokStart - int64(len(prefix))
	for k := 0; ; k++ {
		var err error
		if value && k == 0 {
			_, err = dec.ReadValue()
		} else {
			_, err = dec.ReadToken()
			if n, i := dec.StackIndex(dec.StackDepth()); err != nil && n == '{' && i%2 == 0 {
				err = jsonerr.KeyExpected(err)
			}
		}
		if err == nil {
			continue
		}
		var se *jsontext.SyntacticError
		switch {
		case err == io.EOF:
			return s.errorAt(s.total(), "unexpected end of input")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return s.cutShort()
		case errors.As(err, &se):
			return s.errorAt(max(se.ByteOffset+shift, s.prevEnd), jsonerr.Message(se.Err))
		}
		return s.cutShort()
	}
}

// rest reads the scanner's input from pos on, keeping it in the buffer.
type rest struct{ s *scanner }

func (r *rest) Read(p []byte) (int, error) {
	s := r.s
	if s.pos == s.end && !s.more() {
		if s.rerr != nil {
			return 0, s.rerr
		}
		return 0, io.EOF
	}
	n := copy(p, s.buf[s.pos:s.end])
	s.pos += n
	return n, nil
}

// firstToken handles a document that does not start with '{': another
// kind of JSON value is not speedscope, and neither is text that is not
// JSON, but input cut short inside its first token is reported as such.
func (r *reader) firstToken() error {
	s := r.s
	dec := jsontext.NewDecoder(&rest{s}, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	_, err := dec.ReadToken()
	var se *jsontext.SyntacticError
	switch {
	case err == nil, errors.As(err, &se) && !errors.Is(err, io.ErrUnexpectedEOF):
		return r.notSpeedscope()
	case errors.Is(err, io.ErrUnexpectedEOF):
		return s.cutShort()
	}
	return s.cutShort()
}

// trailing checks that nothing but whitespace follows the top-level
// object; its error points where jsontext's next token ends.
func (r *reader) trailing() error {
	s := r.s
	_, err := s.locate()
	if err == io.EOF {
		return nil
	}
	off := s.prevEnd
	if err == errSyntax || err == nil {
		s.pos = int(s.tokStart - s.base)
		dec := jsontext.NewDecoder(io.MultiReader(bytes.NewReader([]byte("{}")), &rest{s}),
			jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		dec.ReadToken()
		dec.ReadToken()
		if _, err := dec.ReadToken(); err == nil {
			off = s.tokStart + dec.InputOffset() - 2
		}
	}
	return s.errorAt(off, "unexpected data after the top-level object")
}
