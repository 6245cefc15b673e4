package dhat

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/internal/jsonerr"
)

// where is a JSON path, built into a string only for an error message:
// "cmd", "pps", "pps[3]", "pps[3].tb", "pps[3].fs[2]", "ftbl[7]".
type where struct {
	pp   int // program point index, -1 outside pps
	key  string
	elem int // array element index, -1 for none
}

func top(key string) where         { return where{pp: -1, key: key, elem: -1} }
func inPP(i int, key string) where { return where{pp: i, key: key, elem: -1} }
func (w where) at(i int) where     { w.elem = i; return w }

func (w where) String() string {
	s := w.key
	if w.pp >= 0 {
		s = fmt.Sprintf("pps[%d]", w.pp)
		if w.key != "" {
			s += "." + w.key
		}
	}
	if w.elem >= 0 {
		s += fmt.Sprintf("[%d]", w.elem)
	}
	return s
}

// decoder wraps jsontext's Decoder so every error names its place: syntax
// errors by line and column, shape errors by JSON path. jsontext checks
// each program point once and hands its bytes over without copying, where
// encoding/json's Decoder scanned every value twice and allocated per
// token; tokens still come out as encoding/json's types (json.Delim,
// string, json.Number, bool, nil) for the code that reads the few
// top-level fields.
type decoder struct {
	dec    *jsontext.Decoder
	pos    *posReader
	name   string
	limits profile.Limits
}

func newDecoder(r io.Reader, name string, limits profile.Limits) *decoder {
	pos := &posReader{r: r}
	dec := jsontext.NewDecoder(pos,
		// As encoding/json does: the last duplicate key wins, and invalid
		// UTF-8 in strings becomes U+FFFD rather than an error.
		jsontext.AllowDuplicateNames(true),
		jsontext.AllowInvalidUTF8(true))
	return &decoder{dec: dec, pos: pos, name: name, limits: limits}
}

// token returns the next token, turning decoder errors into SyntaxErrors at
// a line and column.
func (d *decoder) token() (json.Token, error) {
	t, err := d.dec.ReadToken()
	if err != nil {
		if k, n := d.dec.StackIndex(d.dec.StackDepth()); k == '{' && n%2 == 0 {
			err = jsonerr.KeyExpected(err)
		}
		return nil, d.syntaxErr(err)
	}
	switch k := t.Kind(); k {
	case '{', '}', '[', ']':
		return json.Delim(k), nil
	case '"':
		return t.String(), nil
	case '0':
		return json.Number(t.String()), nil
	case 't', 'f':
		return k == 't', nil
	}
	return nil, nil
}

// more reports whether the array or object being read has another
// element; at an error it says yes, so that the next read reports it.
func (d *decoder) more() bool {
	k := d.dec.PeekKind()
	return k != ']' && k != '}'
}

func (d *decoder) syntaxErr(err error) error {
	var se *jsontext.SyntacticError
	switch {
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return d.at(d.pos.total, "unexpected end of input: the file is cut short")
	case errors.As(err, &se):
		return d.at(max(se.ByteOffset, d.dec.InputOffset()), jsonerr.Message(se.Err))
	}
	return fmt.Errorf("%s: reading: %w", d.name, err)
}

// at makes a SyntaxError at input offset off.
func (d *decoder) at(off int64, msg string) *profile.SyntaxError {
	if line, col, ok := d.pos.lineCol(off); ok {
		return &profile.SyntaxError{File: d.name, Line: line, Col: col, Offset: -1, Msg: msg}
	}
	return &profile.SyntaxError{File: d.name, Offset: off, Msg: msg}
}

// shape makes a SyntaxError at a JSON path.
func (d *decoder) shape(w where, format string, args ...any) *profile.SyntaxError {
	return &profile.SyntaxError{File: d.name, Offset: -1, Path: w.String(), Msg: fmt.Sprintf(format, args...)}
}

// describe names a token's JSON type for "want X, got Y" messages.
func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		if len(v) > 30 {
			v = v[:30] + "..."
		}
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return "the number " + string(v)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

// int reads a non-negative integer (DHAT writes counts, bytes and times,
// never negative or fractional ones).
func (d *decoder) int(w where) (int64, error) {
	t, err := d.token()
	if err != nil {
		return 0, err
	}
	if err := d.skipIfComposite(t); err != nil {
		return 0, err
	}
	n, ok := t.(json.Number)
	if !ok {
		return 0, d.shape(w, "want a non-negative integer, got %s", describe(t))
	}
	return d.number(w, n)
}

func (d *decoder) number(w where, n json.Number) (int64, error) {
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err == nil {
		if v < 0 {
			return 0, d.shape(w, "negative value %s, want a non-negative integer", n)
		}
		return v, nil
	}
	if f, ferr := strconv.ParseFloat(string(n), 64); ferr == nil {
		switch {
		case f < 0:
			return 0, d.shape(w, "negative value %s, want a non-negative integer", n)
		case f >= math.MaxInt64:
			return 0, d.shape(w, "%s overflows a 64-bit integer", n)
		case f == math.Trunc(f) && !errors.Is(err, strconv.ErrRange):
			return int64(f), nil // 1e3, 10.0: integers in another spelling
		}
		return 0, d.shape(w, "want an integer, got %s", n)
	}
	return 0, d.shape(w, "%s overflows a 64-bit integer", n)
}

func (d *decoder) str(w where) (string, error) {
	t, err := d.token()
	if err != nil {
		return "", err
	}
	if err := d.skipIfComposite(t); err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", d.shape(w, "want a string, got %s", describe(t))
	}
	return s, nil
}

func (d *decoder) bool(w where) (bool, error) {
	t, err := d.token()
	if err != nil {
		return false, err
	}
	if err := d.skipIfComposite(t); err != nil {
		return false, err
	}
	b, ok := t.(bool)
	if !ok {
		return false, d.shape(w, "want true or false, got %s", describe(t))
	}
	return b, nil
}

// open reads the opening delimiter of an object or array.
func (d *decoder) open(w where, delim json.Delim) error {
	t, err := d.token()
	if err != nil {
		return err
	}
	if t != delim {
		if err := d.skipIfComposite(t); err != nil {
			return err
		}
		want := "an object"
		if delim == '[' {
			want = "an array"
		}
		return d.shape(w, "want %s, got %s", want, describe(t))
	}
	return nil
}

// key reads an object key; ok is false at the end of the object.
func (d *decoder) key() (key string, ok bool, err error) {
	if !d.more() {
		_, err := d.token() // the closing '}'
		return "", false, err
	}
	t, err := d.token()
	if err != nil {
		return "", false, err
	}
	return t.(string), true, nil // the decoder guarantees string keys
}

// skip reads and discards one value.
func (d *decoder) skip() error {
	t, err := d.token()
	if err != nil {
		return err
	}
	return d.skipIfComposite(t)
}

// skipIfComposite discards the rest of an object or array whose opening
// delimiter t has been read, bounding the nesting by Limits.MaxJSONDepth.
func (d *decoder) skipIfComposite(t json.Token) error {
	if t != json.Delim('{') && t != json.Delim('[') {
		return nil
	}
	depth := 1
	for depth > 0 {
		t, err := d.token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
			if depth > d.limits.MaxJSONDepth {
				return d.depthError(d.dec.InputOffset() - 1) // at the bracket
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// depthError reports nesting deeper than Limits.MaxJSONDepth at input
// offset off: at line:col while the offset is still in the window, as a
// byte offset after that.
func (d *decoder) depthError(off int64) error {
	e := &profile.LimitError{File: d.name, What: "JSON nesting depth", Limit: int64(d.limits.MaxJSONDepth), Flag: "--max-json-depth"}
	if line, col, ok := d.pos.lineCol(off); ok {
		e.Line, e.Col = line, col
	} else {
		e.Where = fmt.Sprintf("offset %d", off)
	}
	return e
}
