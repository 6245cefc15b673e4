package speedscope

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// tok reads the next token, turning decoder errors into positioned errors
// and keeping the nesting depth within Limits.MaxJSONDepth.
func (r *reader) tok() (json.Token, error) {
	t, err := r.dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, r.src.errorAt(r.file, r.src.total, "unexpected end of input")
		}
		return nil, r.src.syntaxError(r.file, err, r.dec.InputOffset())
	}
	if d, ok := t.(json.Delim); ok {
		switch d {
		case '[', '{':
			r.depth++
			if r.depth > r.lim.MaxJSONDepth {
				return nil, r.depthError(r.dec.InputOffset()-1, r.depth)
			}
		default:
			r.depth--
		}
	}
	return t, nil
}

// depthError reports nesting deeper than the limit at byte offset off.
func (r *reader) depthError(off int64, depth int) error {
	where := fmt.Sprintf("offset %d", off)
	if line, col, ok := r.src.lineCol(off); ok {
		where = fmt.Sprintf("line %d col %d", line, col)
	}
	return &profile.LimitError{File: r.file, Where: where, What: fmt.Sprintf("JSON nesting depth (%d)", depth), Limit: int64(r.lim.MaxJSONDepth), Flag: "--max-json-depth"}
}

// element decodes the next array element into r.raw. Elements are decoded
// whole (one stack, weight, event or frame), which costs a fraction of
// reading them token by token.
func (r *reader) element() error {
	if err := r.dec.Decode(&r.raw); err != nil {
		if err == io.EOF {
			return r.src.errorAt(r.file, r.src.total, "unexpected end of input")
		}
		return r.src.syntaxError(r.file, err, r.dec.InputOffset())
	}
	return nil
}

// key reads an object key.
func (r *reader) key() (string, error) {
	t, err := r.tok()
	if err != nil {
		return "", err
	}
	k, _ := t.(string)
	return k, nil
}

// open reads the opening delimiter of the array or object at path.
func (r *reader) open(d json.Delim, path string) error {
	t, err := r.tok()
	if err != nil {
		return err
	}
	if t != d {
		if dd, ok := t.(json.Delim); ok && (dd == '[' || dd == '{') {
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
	s, ok := t.(string)
	if !ok {
		return "", r.typeError(path, "a string", t)
	}
	return s, nil
}

// optStr reads a string value that may be null.
func (r *reader) optStr(path string) (string, error) {
	t, err := r.tok()
	if err != nil {
		return "", err
	}
	switch v := t.(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	}
	return "", r.typeError(path, "a string", t)
}

// number reads a number value that may be null.
func (r *reader) number(path string) (decimal, bool, error) {
	t, err := r.tok()
	if err != nil {
		return decimal{}, false, err
	}
	switch v := t.(type) {
	case json.Number:
		d, ok := parseDecimal([]byte(v))
		return d, ok, nil
	case nil:
		return decimal{}, false, nil
	}
	return decimal{}, false, r.typeError(path, "a number", t)
}

// typeError reports a value of the wrong type; t was already read, so a
// container it opened is skipped first to keep the depth count right.
func (r *reader) typeError(path, want string, t json.Token) error {
	if d, ok := t.(json.Delim); ok && (d == '[' || d == '{') {
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
	d, ok := t.(json.Delim)
	if !ok || (d != '[' && d != '{') {
		return nil
	}
	for level := 1; level > 0; {
		t, err := r.tok()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '[' || d == '{' {
				level++
			} else {
				level--
			}
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
		return r.depthError(r.dec.InputOffset()-int64(len(r.raw)), d)
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

func tokenKind(t json.Token) string {
	switch v := t.(type) {
	case string:
		return "string " + strconv.Quote(v)
	case json.Number:
		return "number " + string(v)
	case bool:
		return "boolean"
	case nil:
		return "null"
	case json.Delim:
		switch v {
		case '[':
			return "array"
		case '{':
			return "object"
		case ']':
			return "end of array"
		}
		return "end of object"
	}
	return fmt.Sprintf("%T", t)
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
