package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOrjsonCall: json.dumps calls put on orjson keep the object and the
// default= hook and turn indent= and sort_keys=True into options; calls
// with options orjson has no equivalent for are left alone.
func TestOrjsonCall(t *testing.T) {
	tests := []struct {
		name, code, want, note string
		ok                     bool
	}{
		{"indent and sort", "def f(o):\n    return json.dumps(o[:2], default=hook, indent=2, sort_keys=True)",
			"def f(o):\n    return orjson.dumps(o[:2], default=hook, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()", "", true},
		{"indent 4", "s = json.dumps(data, indent=4)", "s = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()", "  # orjson indents by two spaces only (indent=4 before)", true},
		{"spans lines", "return json.dumps(\n    {'a': f(x, ')')},\n    indent=2,\n)", "return orjson.dumps({'a': f(x, ')')}, option=orjson.OPT_INDENT_2).decode()", "", true},
		{"lambda hook", "json.dumps(x, default=lambda v: str(v))", "orjson.dumps(x, default=lambda v: str(v)).decode()", "", true},
		{"separators", "json.dumps(x, separators=(',', ':'))", "", "", false},
		{"encoder class", "json.dumps(x, cls=Enc, indent=2)", "", "", false},
		{"sort_keys from a variable", "json.dumps(x, sort_keys=flag)", "", "", false},
		{"another module", "ujson.dumps(x, indent=2)", "", "", false},
		{"no call", "return json.loads(s)", "", "", false},
		{"unclosed", "return json.dumps(x, indent=2", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, note, ok := orjsonCall(tc.code)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.note, note)
		})
	}
}

// FuzzOrjsonCall: any code gives a rewrite or nothing, never a panic, and
// a rewrite calls orjson where json.dumps was.
func FuzzOrjsonCall(f *testing.F) {
	f.Add("return json.dumps(o, default=h, indent=2, sort_keys=True)")
	f.Add("json.dumps(\"\\\")\", indent=2)")
	f.Add("json.dumps(")
	f.Fuzz(func(t *testing.T, code string) {
		out, _, ok := orjsonCall(code)
		if ok && !strings.Contains(out, "orjson.dumps(") {
			t.Fatalf("%q -> %q", code, out)
		}
	})
}
