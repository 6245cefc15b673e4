package speedscope

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFastFrameMatchesSlowPath checks the frame fast path against the
// encoding/json decoding it stands in for: wherever it accepts an entry,
// it must give what the slow path gives.
func TestFastFrameMatchesSlowPath(t *testing.T) {
	tests := []struct {
		in   string
		fast bool
		name string
		file string
		line int64
	}{
		{in: `{"name":"main"}`, fast: true, name: "main"},
		{in: ` { "name" : "f" , "file" : "a.py" , "line" : 12 , "col" : 3 } `, fast: true, name: "f", file: "a.py", line: 12},
		{in: `{"name":"f","file":null,"line":null,"col":null}`, fast: true, name: "f"},
		{in: `{"name":"\u003cmodule\u003e \"q\" \\ \/ \b\f\n\r\t","file":"x"}`, fast: true, name: "<module> \"q\" \\ / \b\f\n\r\t", file: "x"},
		{in: `{"name":"caf\u00e9 ∑ \u20ac"}`, fast: true, name: "café ∑ €"},
		{in: `{"name":"f","line":1.0}`, fast: true, name: "f", line: 1},
		{in: `{"name":"f","line":1e1}`, fast: true, name: "f", line: 10},
		// The slow way: surrogates, invalid UTF-8, other keys, other
		// cases, repeats, nulls and wrong types.
		{in: `{"name":"\ud83d\ude00"}`, name: "\U0001F600"},
		{in: `{"name":"\ud83d"}`, name: "\uFFFD"},
		{in: "{\"name\":\"a\xffb\"}", name: "a\uFFFDb"},
		{in: `{"name":"f","extra":[1,{"a":2}]}`, name: "f"},
		{in: `{"Name":"f"}`, name: "f"},
		{in: `{"n\u0061me":"f"}`, name: "f"},
		{in: `{"name":"f","name":"g"}`, name: "g"},
		{in: `{"name":"f","line":"12"}`, name: "f"},
		{in: `{"name":"f","line":-1}`, name: "f"},
		{in: `{"name":"f","line":1.5}`, name: "f"},
		{in: `{"name":"f","file":7}`, name: "f"},
		{in: `{"name":null}`},
		{in: `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := fastFrame([]byte(tc.in))
			assert.Equal(t, tc.fast, ok)
			if ok {
				assert.Equal(t, rawFrame{name: tc.name, file: tc.file, line: tc.line}, got)
			}
			// The expected names are checked against encoding/json, the slow
			// path; files and lines are written by hand (FuzzFastFrame compares
			// whole frames with the slow path).
			var fj frameJSON
			if err := json.Unmarshal([]byte(tc.in), &fj); err != nil {
				t.Fatal(err)
			}
			if name, err := rawString(fj.Name); err == nil && tc.name != "" {
				assert.Equal(t, tc.name, name)
			}
		})
	}
}

// FuzzFastFrame checks that wherever the fast path accepts a frame
// object, encoding/json decodes the same frame from it.
func FuzzFastFrame(f *testing.F) {
	f.Add(`{"name":"f","file":"a.py","line":3,"col":null}`)
	f.Add(`{"name":"\u003cmodule\u003e","file":null}`)
	f.Add(`{"file":"x","name":"caf\u00e9","line":1e2}`)
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) {
			return
		}
		got, ok := fastFrame([]byte(in))
		if !ok {
			return
		}
		var fj frameJSON
		if err := json.Unmarshal([]byte(in), &fj); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json: %v", in, err)
		}
		var want rawFrame
		var err1, err2 error
		want.name, err1 = rawString(fj.Name)
		want.file, err2 = rawString(fj.File)
		line, err3 := rawInt(fj.Line)
		_, err4 := rawInt(fj.Col)
		want.line = line
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || fj.Name == nil || isNull(fj.Name) {
			t.Fatalf("fast path accepted %q, which the slow path refuses", in)
		}
		if got != want {
			t.Fatalf("%q: fast path %+v, encoding/json %+v", in, got, want)
		}
	})
}
