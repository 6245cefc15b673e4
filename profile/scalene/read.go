package scalene

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Value types, in the order of a sample's values.
var types = []profile.ValueType{
	{Type: "python_time", Unit: "nanoseconds"},
	{Type: "native_time", Unit: "nanoseconds"},
	{Type: "system_time", Unit: "nanoseconds"},
	{Type: "malloc_bytes", Unit: "bytes"},
	{Type: "mallocs", Unit: "count"},
	{Type: "peak_bytes", Unit: "bytes"},
}

type entry struct {
	Line      *string  `json:"line"`
	Lineno    *int64   `json:"lineno"`
	Python    *float64 `json:"n_cpu_percent_python"`
	Native    *float64 `json:"n_cpu_percent_c"`
	Sys       *float64 `json:"n_sys_percent"`
	MallocMB  float64  `json:"n_malloc_mb"`
	Mallocs   float64  `json:"n_mallocs"`
	PeakMB    float64  `json:"n_peak_mb"`
	vals      [6]int64
	path      string
	funcIndex int
}

type file struct {
	Lines     []entry `json:"lines"`
	Functions []entry `json:"functions"`
}

type document struct {
	Elapsed *float64        `json:"elapsed_time_sec"`
	Program string          `json:"program"`
	Memory  bool            `json:"memory"`
	Files   json.RawMessage `json:"files"`
	MaxMB   float64         `json:"max_footprint_mb"`
}

// Read reads a scalene JSON profile from r. name is used only in messages.
// Syntax errors name line and column; wrong shapes and impossible values
// (negative or non-finite percentages, a line without lineno) name their
// JSON path.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	data, err := io.ReadAll(io.LimitReader(r, limits.MaxDecompressed+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limits.MaxDecompressed {
		return nil, &profile.LimitError{File: name, What: "input size", Limit: limits.MaxDecompressed, Flag: "--max-decompressed"}
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	b := profile.NewBuilder(name, types, limits)
	m := b.Meta()
	m.Producer = "scalene"
	if len(bytes.TrimSpace(data)) == 0 {
		return b.Profile(), nil
	}
	if d := depth(data); d > limits.MaxJSONDepth {
		return nil, &profile.LimitError{File: name, What: "JSON nesting depth", Limit: int64(limits.MaxJSONDepth), Flag: "--max-json-depth"}
	}
	var doc document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(name, data, err, "")
	}
	if doc.Elapsed == nil {
		return nil, &profile.SyntaxError{File: name, Path: "elapsed_time_sec", Msg: "missing (a required key): not a scalene profile"}
	}
	if *doc.Elapsed < 0 || *doc.Elapsed > 1e9 || math.IsNaN(*doc.Elapsed) {
		return nil, &profile.SyntaxError{File: name, Path: "elapsed_time_sec", Msg: fmt.Sprintf("%g is not a duration in seconds", *doc.Elapsed)}
	}
	elapsedNS := *doc.Elapsed * 1e9
	m.DurationNanos = int64(elapsedNS)
	m.Recording = "wall"
	if doc.Program != "" {
		m.Comments = append(m.Comments, "program: "+doc.Program)
	}
	attrs := map[string]string{
		"elapsed_time_sec": strconv.FormatFloat(*doc.Elapsed, 'g', -1, 64),
		"memory":           strconv.FormatBool(doc.Memory),
		"max_footprint_mb": strconv.FormatFloat(doc.MaxMB, 'g', -1, 64),
	}
	files, err := fileOrder(doc.Files, name, data)
	if err != nil {
		return nil, err
	}
	for _, fname := range files.names {
		f := files.byName[fname]
		if err := addFile(b, fname, f, elapsedNS, attrs); err != nil {
			var se *profile.SyntaxError
			if errors.As(err, &se) && se.File == "" {
				se.File = name
			}
			return nil, err
		}
	}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		m.Attrs = append(m.Attrs, profile.Attr{Key: k, Value: attrs[k]})
	}
	p := b.Profile()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", name, err)
	}
	return p, nil
}

type fileSet struct {
	names  []string // in document order
	byName map[string]*file
}

// fileOrder decodes "files" keeping the document's key order.
func fileOrder(raw json.RawMessage, name string, data []byte) (*fileSet, error) {
	fs := &fileSet{byName: map[string]*file{}}
	if len(raw) == 0 || string(raw) == "null" {
		return fs, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, &profile.SyntaxError{File: name, Path: "files", Msg: "want an object of files"}
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, &profile.SyntaxError{File: name, Path: "files", Msg: err.Error()}
		}
		key, _ := k.(string)
		var f file
		if err := dec.Decode(&f); err != nil {
			return nil, jsonError(name, data, err, "files["+strconv.Quote(key)+"]")
		}
		if _, dup := fs.byName[key]; !dup {
			fs.names = append(fs.names, key)
		}
		fs.byName[key] = &f
	}
	return fs, nil
}

// addFile adds one file's lines under their functions, and each function's
// cost beyond its lines as its own.
func addFile(b *profile.Builder, fname string, f *file, elapsedNS float64, attrs map[string]string) error {
	for i := range f.Functions {
		if err := f.Functions[i].scale(fmt.Sprintf("files[%q].functions[%d]", fname, i), b, elapsedNS); err != nil {
			return err
		}
	}
	for i := range f.Lines {
		if err := f.Lines[i].scale(fmt.Sprintf("files[%q].lines[%d]", fname, i), b, elapsedNS); err != nil {
			return err
		}
	}
	// Functions by first line, to place each line in the last one that
	// starts at or before it.
	order := make([]int, len(f.Functions))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return int(*f.Functions[x].Lineno - *f.Functions[y].Lineno) })
	fnFrame := func(k int) (profile.FrameID, error) {
		if k < 0 {
			return b.Frame(profile.Frame{Name: "<module>", File: fname, Kind: profile.KindPython})
		}
		e := &f.Functions[k]
		return b.Frame(profile.Frame{Name: *e.Line, File: fname, Line: *e.Lineno, Kind: profile.KindPython})
	}
	covered := make([][6]int64, len(f.Functions))
	for i := range f.Lines {
		e := &f.Lines[i]
		k := -1
		for _, j := range order {
			if *f.Functions[j].Lineno <= *e.Lineno {
				k = j
			}
		}
		fn, err := fnFrame(k)
		if err != nil {
			return err
		}
		ln := strconv.FormatInt(*e.Lineno, 10)
		lf, err := b.Frame(profile.Frame{Name: fname + ":" + ln, File: fname, Line: *e.Lineno, Kind: profile.KindPython})
		if err != nil {
			return err
		}
		attrs["source:"+fname+":"+ln] = strings.TrimRight(*e.Line, "\r\n")
		// Count 0: scalene reports shares of its samples, not how many.
		if err := b.Add([]profile.FrameID{fn, lf}, profile.Labels{}, 0, e.vals[:]...); err != nil {
			return err
		}
		if k >= 0 {
			for j := range e.vals {
				covered[k][j] += e.vals[j]
			}
		}
	}
	for k := range f.Functions {
		e := &f.Functions[k]
		var rest [6]int64
		any := false
		for j := range e.vals {
			if d := e.vals[j] - covered[k][j]; d > 0 {
				rest[j], any = d, true
			}
		}
		if !any {
			continue
		}
		fn, err := fnFrame(k)
		if err != nil {
			return err
		}
		if err := b.Add([]profile.FrameID{fn}, profile.Labels{}, 0, rest[:]...); err != nil {
			return err
		}
	}
	return nil
}

// scale turns an entry's percentages and megabytes into the integer values.
func (e *entry) scale(path string, b *profile.Builder, elapsedNS float64) error {
	if e.Line == nil || e.Lineno == nil {
		return &profile.SyntaxError{Path: path, Msg: "want \"line\" and \"lineno\""}
	}
	if *e.Lineno < 0 || *e.Lineno > 1<<31 {
		return &profile.SyntaxError{Path: path + ".lineno", Msg: fmt.Sprintf("%d is not a line number", *e.Lineno)}
	}
	pct := func(v *float64, key string, i int) error {
		if v == nil {
			return nil
		}
		if math.IsNaN(*v) || *v < 0 || *v > 1e6 {
			return &profile.SyntaxError{Path: path + "." + key, Msg: fmt.Sprintf("%g is not a percentage", *v)}
		}
		e.vals[i] = int64(math.Round(*v / 100 * elapsedNS))
		return nil
	}
	if err := pct(e.Python, "n_cpu_percent_python", 0); err != nil {
		return err
	}
	if err := pct(e.Native, "n_cpu_percent_c", 1); err != nil {
		return err
	}
	if err := pct(e.Sys, "n_sys_percent", 2); err != nil {
		return err
	}
	for _, x := range []struct {
		v   float64
		key string
		i   int
		mul float64
	}{{e.MallocMB, "n_malloc_mb", 3, 1 << 20}, {e.Mallocs, "n_mallocs", 4, 1}, {e.PeakMB, "n_peak_mb", 5, 1 << 20}} {
		if math.IsNaN(x.v) || x.v < 0 || x.v*x.mul > 1<<52 {
			return &profile.SyntaxError{Path: path + "." + x.key, Msg: fmt.Sprintf("%g is out of range", x.v)}
		}
		e.vals[x.i] = int64(math.Round(x.v * x.mul))
	}
	return nil
}

// jsonError places a decoding error: syntax errors by line and column,
// type errors by their field.
func jsonError(name string, data []byte, err error, base string) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(data, se.Offset)
		msg := se.Error()
		if int(se.Offset) >= len(data) {
			msg += ": the file is cut"
		}
		return &profile.SyntaxError{File: name, Line: line, Col: col, Msg: msg}
	case errors.As(err, &te):
		path := te.Field
		if base != "" {
			path = base + "." + path
		}
		return &profile.SyntaxError{File: name, Path: path, Msg: fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(data, int64(len(data)))
		return &profile.SyntaxError{File: name, Line: line, Col: col, Msg: "unexpected end of JSON input: the file is cut"}
	}
	return &profile.SyntaxError{File: name, Path: base, Msg: err.Error()}
}

func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// depth is the deepest nesting of arrays and objects, outside strings.
func depth(data []byte) int {
	d, most, inStr, esc := 0, 0, false, false
	for _, c := range data {
		switch {
		case inStr:
			if esc {
				esc = false
			} else if c == '\\' {
				esc = true
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			d++
			most = max(most, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return most
}
