package speedscope

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hotspot-dev/hotspot/profile"
)

// token is one JSON token, copied out of the decoder's buffer: kind is
// jsontext's kind byte ('{', '[', '"', '0', 'n', 't', 'f', ...), text the
// unquoted string or the number's literal.
type token struct {
	kind jsontext.Kind
	text string
}

func (t token) opens() bool { return t.kind == '[' || t.kind == '{' }

// tok reads the next token, turning decoder errors into positioned errors
// and keeping the nesting depth within Limits.MaxJSONDepth.
func (r *reader) tok() (token, error) {
	tk, err := r.s.token()
	if err != nil {
		if err == io.EOF {
			return token{}, r.s.errorAt(r.s.total(), "unexpected end of input")
		}
		return token{}, r.s.syntaxError(err, false)
	}
	switch tk.kind {
	case '[', '{':
		r.depth++
		if r.depth > r.lim.MaxJSONDepth {
			return token{}, r.depthError(r.s.prevEnd-1, r.depth)
		}
	case ']', '}':
		r.depth--
	}
	return tk, nil
}

// more reports whether the array or object being read has another element.
// At an error it says yes, so that the next read reports the error.
func (r *reader) more() bool {
	k := r.s.peek()
	return k != ']' && k != '}'
}

// depthError reports nesting deeper than the limit at byte offset off.
func (r *reader) depthError(off int64, depth int) error {
	e := &profile.LimitError{File: r.file, What: fmt.Sprintf("JSON nesting depth (%d)", depth), Limit: int64(r.lim.MaxJSONDepth), Flag: "--max-json-depth"}
	if line, col, ok := r.s.lineCol(off); ok {
		e.Line, e.Col = line, col
	} else {
		e.Where = fmt.Sprintf("offset %d", off)
	}
	return e
}

// element reads the next array element whole into r.raw (one stack,
// weight, event or frame): the scanner checks its syntax once and hands
// back its bytes without copying. r.raw is valid until the next read.
func (r *reader) element() error {
	v, err := r.s.value()
	if err != nil {
		if err == io.EOF {
			return r.s.errorAt(r.s.total(), "unexpected end of input")
		}
		return r.s.syntaxError(err, true)
	}
	r.raw = v
	return nil
}

// key reads an object key.
func (r *reader) key() (string, error) {
	t, err := r.tok()
	if err != nil {
		return "", err
	}
	return t.text, nil
}

// open reads the opening delimiter of the array or object at path.
func (r *reader) open(d jsontext.Kind, path string) error {
	t, err := r.tok()
	if err != nil {
		return err
	}
	if t.kind != d {
		if t.opens() {
			r.depth-- // not entered
		}
		want := "an array"
		if d == '{' {
			want = "an object"
		}
		return r.pathError(path, "want "+want+", got "+tokenKind(t))
	}
	return nil
}

// str reads a string value.
func (r *reader) str(path string) (string, error) {
	t, err := r.tok()
	if err != nil {
		return "", err
	}
	if t.kind != '"' {
		return "", r.typeError(path, "a string", t)
	}
	return t.text, nil
}

// optStr reads a string value that may be null.
func (r *reader) optStr(path string) (string, error) {
	t, err := r.tok()
	if err != nil {
		return "", err
	}
	switch t.kind {
	case '"':
		return t.text, nil
	case 'n':
		return "", nil
	}
	return "", r.typeError(path, "a string", t)
}

// number reads a number value that may be null, or a string that holds a
// number (older dotnet-trace writes startValue and endValue as strings).
func (r *reader) number(path string) (decimal, bool, error) {
	t, err := r.tok()
	if err != nil {
		return decimal{}, false, err
	}
	switch t.kind {
	case '0':
		d, ok := parseDecimal([]byte(t.text))
		return d, ok, nil
	case '"':
		d, ok := parseDecimal([]byte(t.text))
		if !ok {
			return decimal{}, false, r.typeError(path, "a number", t)
		}
		return d, true, nil
	case 'n':
		return decimal{}, false, nil
	}
	return decimal{}, false, r.typeError(path, "a number", t)
}

// typeError reports a value of the wrong type; t was already read, so a
// container it opened is skipped first to keep the depth count right.
func (r *reader) typeError(path, want string, t token) error {
	if t.opens() {
		r.depth--
	}
	return r.pathError(path, "want "+want+", got "+tokenKind(t))
}

// skip reads and discards one value.
func (r *reader) skip() error {
	t, err := r.tok()
	if err != nil {
		return err
	}
	if !t.opens() {
		return nil
	}
	for level := 1; level > 0; {
		t, err := r.tok()
		if err != nil {
			return err
		}
		switch t.kind {
		case '[', '{':
			level++
		case ']', '}':
			level--
		}
	}
	return nil
}

// checkObject checks that r.raw is an object and nests no deeper than the
// depth limit allows.
func (r *reader) checkObject(path func() string) error {
	j := skipSpace(r.raw, 0)
	if r.raw[j] != '{' {
		return r.pathError(path(), "want an object, got "+rawKind(r.raw[j:]))
	}
	if d := r.depth + nestDepth(r.raw); d > r.lim.MaxJSONDepth {
		return r.depthError(r.s.prevEnd-int64(len(r.raw)), d)
	}
	return nil
}

func (r *reader) pathError(path, msg string) error {
	return &profile.SyntaxError{File: r.file, Path: path, Offset: -1, Msg: msg}
}

func (r *reader) warn(msg string) {
	if len(r.warnings) < profile.MaxWarnings {
		r.warnings = append(r.warnings, msg)
	}
}

func tokenKind(t token) string {
	switch t.kind {
	case '"':
		return "string " + strconv.Quote(t.text)
	case '0':
		return "number " + t.text
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '[':
		return "array"
	case '{':
		return "object"
	case ']':
		return "end of array"
	}
	return "end of object"
}

// rawKind names the JSON type of the value that starts b.
func rawKind(b []byte) string {
	b = b[skipSpace(b, 0):]
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '"':
		return "string"
	case '[':
		return "array"
	case '{':
		return "object"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func skipSpace(b []byte, j int) int {
	for j < len(b) && (b[j] == ' ' || b[j] == '\n' || b[j] == '\t' || b[j] == '\r') {
		j++
	}
	return j
}

func isNull(b json.RawMessage) bool { return string(b) == "null" }

// rawString decodes an optional string field: absent and null give "".
func rawString(b json.RawMessage) (string, error) {
	if b == nil || isNull(b) {
		return "", nil
	}
	if b[0] != '"' {
		return "", fmt.Errorf("want a string, got %s", rawKind(b))
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", err
	}
	return s, nil
}

// rawInt decodes an optional non-negative integer field: absent and null
// give 0.
func rawInt(b json.RawMessage) (int64, error) {
	if b == nil || isNull(b) {
		return 0, nil
	}
	d, ok := parseDecimal(b)
	if !ok {
		return 0, fmt.Errorf("want a number, got %s", rawKind(b))
	}
	v, exact, fits := d.scaled(0)
	if !exact || !fits || v < 0 {
		return 0, fmt.Errorf("want a non-negative integer, got %s", b)
	}
	return v, nil
}

// nestDepth returns how deeply b nests arrays and objects.
func nestDepth(b []byte) int {
	depth, deepest := 0, 0
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// skipRecord handles a malformed record (a sample, or an evented profile
// whose events cannot be replayed): in strict mode it is the error;
// otherwise it becomes a warning and the record is left out. what names the
// record for the warning.
func (r *reader) skipRecord(err error, what string) error {
	if r.opt.Strict {
		return err
	}
	if r.first == nil {
		r.first = err
	}
	r.warn(err.Error() + "; " + what + " skipped")
	return nil
}

// isRecordError reports whether err is about one record (a positioned
// semantic error), as opposed to a limit or a broken document.
func isRecordError(err error) bool {
	_, ok := err.(*profile.SyntaxError)
	return ok
}

// valueEnd returns the offset just after the JSON value that starts at
// b[j]; b is valid JSON.
func valueEnd(b []byte, j int) int {
	depth := 0
	for k := j; k < len(b); k++ {
		switch c := b[k]; c {
		case '"':
			for k++; k < len(b) && b[k] != '"'; k++ {
				if b[k] == '\\' {
					k++
				}
			}
			if depth == 0 {
				return k + 1
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				return k
			}
			depth--
			if depth == 0 {
				return k + 1
			}
		case ',':
			if depth == 0 {
				return k
			}
		case ' ', '\t', '\r', '\n':
			if depth == 0 && k > j {
				return k
			}
		}
	}
	return len(b)
}
