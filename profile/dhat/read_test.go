package dhat_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/dhat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// small is a minimal heap-mode document without lifetimes or accesses.
const small = `{"dhatFileVersion":2,"mode":"heap","verb":"Allocated","bklt":false,"bkacc":false,
"tu":"instrs","Mtu":"Minstr","cmd":"./x 1","pid":7,"te":100,
"pps":[{"tb":10,"tbk":1,"fs":[1,2]},{"tb":5,"tbk":2,"acc":[1,-3,2],"fs":[3,2]},{"tb":1,"tbk":1,"fs":[1,2]}],
"ftbl":["[root]","0x1: f (a.c:1)","0x2: main (a.c:9)","0x3: g (in /lib/libx.so)"]}`

func read(t testing.TB, in string) *profile.Profile {
	t.Helper()
	p, err := dhat.Read(strings.NewReader(in), "t.json", profile.ReadOptions{})
	require.NoError(t, err)
	return p
}

func folded(t testing.TB, p *profile.Profile, value int) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: value}))
	return buf.String()
}

func totals(p *profile.Profile) []int64 {
	out := make([]int64, len(p.SampleTypes))
	for i := range out {
		out[i] = p.Total(i)
	}
	return out
}

func TestReadSmall(t *testing.T) {
	p := read(t, small)
	assert.Equal(t, []profile.ValueType{{Type: "alloc_space", Unit: "bytes"}, {Type: "alloc_objects", Unit: "count"}}, p.SampleTypes)
	assert.Equal(t, 0, p.DefaultType)
	assert.Equal(t, "main;f 11\nmain;g 5\n", folded(t, p, 0))
	assert.Equal(t, "main;f 2\nmain;g 2\n", folded(t, p, 1))
	assert.Equal(t, profile.Meta{
		Format: "dhat", Producer: "valgrind DHAT", Recording: "memory",
		Comments: []string{"command: ./x 1"},
		Attrs: []profile.Attr{
			{Key: "Mtu", Value: "Minstr"}, {Key: "cmd", Value: "./x 1"}, {Key: "mode", Value: "heap"},
			{Key: "pid", Value: "7"}, {Key: "te", Value: "100"}, {Key: "tu", Value: "instrs"}, {Key: "verb", Value: "Allocated"},
		},
	}, p.Meta)
	assert.True(t, dhat.Sniff([]byte(small)))

	bom := read(t, "\xEF\xBB\xBF"+small)
	assert.Equal(t, totals(p), totals(bom))
}

// Copy and ad-hoc modes count something other than allocations (issue
// 11); the profile says so.
const (
	copyNote  = "DHAT copy mode: the values are bytes copied (memcpy, memmove, strcpy and the like) and the copies made, not allocations"
	adHocNote = "DHAT ad-hoc mode: the values are the units and events the program reported itself, not allocations"
)

func TestReadModes(t *testing.T) {
	pp := `{"tb":8,"tbk":2,"tl":30,"mb":4,"mbk":1,"gb":3,"gbk":1,"eb":2,"ebk":1,"rb":5,"wb":6,"fs":[1]}`
	doc := func(header string) string {
		return `{"dhatFileVersion":2,` + header + `,"pps":[` + pp + `],"ftbl":["[root]","0x1: f (a.c:1)"]}`
	}
	tests := []struct {
		name     string
		header   string
		types    []profile.ValueType
		totals   []int64
		producer string
		duration int64
		warning  string // the mode's note; "" for heap modes
	}{
		{"valgrind heap", `"mode":"heap","bklt":true,"bkacc":true,"tu":"instrs"`,
			[]profile.ValueType{{Type: "alloc_space", Unit: "bytes"}, {Type: "alloc_objects", Unit: "count"},
				{Type: "peak_space", Unit: "bytes"}, {Type: "peak_objects", Unit: "count"},
				{Type: "end_space", Unit: "bytes"}, {Type: "end_objects", Unit: "count"},
				{Type: "lifetime", Unit: "instrs"}, {Type: "max_space", Unit: "bytes"},
				{Type: "read_bytes", Unit: "bytes"}, {Type: "write_bytes", Unit: "bytes"}},
			[]int64{8, 2, 3, 1, 2, 1, 30, 4, 5, 6}, "valgrind DHAT", 0, ""},
		{"dhat-rs heap", `"mode":"rust-heap","bklt":true,"bkacc":false,"tu":"µs","te":2000`,
			[]profile.ValueType{{Type: "alloc_space", Unit: "bytes"}, {Type: "alloc_objects", Unit: "count"},
				{Type: "peak_space", Unit: "bytes"}, {Type: "peak_objects", Unit: "count"},
				{Type: "end_space", Unit: "bytes"}, {Type: "end_objects", Unit: "count"},
				{Type: "lifetime", Unit: "µs"}, {Type: "max_space", Unit: "bytes"}},
			[]int64{8, 2, 3, 1, 2, 1, 30, 4}, "dhat-rs", 2_000_000, ""},
		{"lifetimes without a time unit", `"mode":"heap","bklt":true`,
			[]profile.ValueType{{Type: "alloc_space", Unit: "bytes"}, {Type: "alloc_objects", Unit: "count"},
				{Type: "peak_space", Unit: "bytes"}, {Type: "peak_objects", Unit: "count"},
				{Type: "end_space", Unit: "bytes"}, {Type: "end_objects", Unit: "count"},
				{Type: "lifetime", Unit: "instrs"}, {Type: "max_space", Unit: "bytes"}},
			[]int64{8, 2, 3, 1, 2, 1, 30, 4}, "valgrind DHAT", 0, ""},
		{"valgrind copy", `"mode":"copy","verb":"Copied","bklt":false,"bkacc":false`,
			[]profile.ValueType{{Type: "copy_space", Unit: "bytes"}, {Type: "copy_objects", Unit: "count"}},
			[]int64{8, 2}, "valgrind DHAT", 0, copyNote},
		{"valgrind ad-hoc", `"mode":"ad-hoc","verb":"Occurred","bklt":false,"bkacc":false,"bu":"unit","bsu":"units","bksu":"events"`,
			[]profile.ValueType{{Type: "units", Unit: "count"}, {Type: "events", Unit: "count"}},
			[]int64{8, 2}, "valgrind DHAT", 0, adHocNote},
		{"dhat-rs ad-hoc", `"mode":"rust-ad-hoc","bklt":false,"bkacc":false`,
			[]profile.ValueType{{Type: "units", Unit: "count"}, {Type: "events", Unit: "count"}},
			[]int64{8, 2}, "dhat-rs", 0, adHocNote},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := read(t, doc(tc.header))
			assert.Equal(t, tc.types, p.SampleTypes)
			assert.Equal(t, tc.totals, totals(p))
			assert.Equal(t, tc.producer, p.Meta.Producer)
			assert.Equal(t, tc.duration, p.Meta.DurationNanos)
			if tc.warning == "" {
				assert.Empty(t, p.Meta.Warnings)
			} else {
				assert.Equal(t, []string{tc.warning}, p.Meta.Warnings)
			}
		})
	}
	p := read(t, doc(`"mode":"future"`))
	assert.Equal(t, []string{`t.json: unknown DHAT mode "future": read as heap mode`}, p.Meta.Warnings)
	assert.Equal(t, "alloc_space", p.SampleTypes[0].Type)
}

func TestReadInlinedAndRoot(t *testing.T) {
	// ftbl[1] is inlined into ftbl[2] (same address); index 0, "[root]",
	// is not a frame even where fs names it.
	in := `{"dhatFileVersion":2,"mode":"heap","pps":[{"tb":4,"tbk":1,"fs":[1,2,3,0]}],
	"ftbl":["[root]","0x10: inner (a.h:3)","0x10: outer (a.c:7)","0x20: main (a.c:20)"]}`
	p := read(t, in)
	assert.Equal(t, "main;outer;inner 4\n", folded(t, p, 0))
	assert.Equal(t, []profile.Frame{
		{Name: "main", Display: "main", File: "a.c", Line: 20, Kind: profile.KindNative},
		{Name: "outer", Display: "outer", File: "a.c", Line: 7, Kind: profile.KindNative},
		{Name: "inner", Display: "inner", File: "a.h", Line: 3, Kind: profile.KindNative, Inlined: true},
	}, p.Frames)
}

func TestReadFrames(t *testing.T) {
	tests := []struct {
		in   string
		want profile.Frame
	}{
		{"0x1091B6: make_key (cmalloc.c:22)", profile.Frame{Name: "make_key", File: "cmalloc.c", Line: 22}},
		{"0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)", profile.Frame{Name: "malloc", Module: "/usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so"}},
		{"0x4A2B3C1: ???", profile.Frame{Name: "???", Addr: 0x4A2B3C1}},
		{"0x4A2B3C1: ??? (in /lib/libc.so.6)", profile.Frame{Name: "???", Module: "/lib/libc.so.6", Addr: 0x4A2B3C1}},
		{"0x48D0: (below main) (libc_start_call_main.h:58)", profile.Frame{Name: "(below main)", File: "libc_start_call_main.h", Line: 58}},
		{"0x5650a3089765: alloc::raw_vec::RawVec<T,A>::allocate_in (raw_vec.rs:203:45)", profile.Frame{Name: "alloc::raw_vec::RawVec<T,A>::allocate_in", File: "raw_vec.rs", Line: 203}},
		{"0x5650a309758d: __rust_try (???:0:0)", profile.Frame{Name: "__rust_try"}},
		{"0x1: ns::f(int, char const*) const (f.cc:9)", profile.Frame{Name: "ns::f(int, char const*) const", File: "f.cc", Line: 9}},
		{"0x2: _ZN4core3fmt5write17h0123456789abcdefE (fmt.rs:1)", profile.Frame{Name: "_ZN4core3fmt5write17h0123456789abcdefE", Display: "core::fmt::write", File: "fmt.rs", Line: 1}},
		{"0x3: f (weird)", profile.Frame{Name: "f (weird)"}},
		// C++ names that start with a parenthesis keep it (issue 11).
		{"0x4: (anonymous namespace)::grow(unsigned long) (buf.cc:7)", profile.Frame{Name: "(anonymous namespace)::grow(unsigned long)", File: "buf.cc", Line: 7}},
		{"0x5: (anonymous namespace)::Pool::take() (in /opt/lib/libpool.so)", profile.Frame{Name: "(anonymous namespace)::Pool::take()", Module: "/opt/lib/libpool.so"}},
		{"0x6: (anonymous namespace)::init()", profile.Frame{Name: "(anonymous namespace)::init()"}},
		{"no address at all", profile.Frame{Name: "no address at all"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			in := `{"dhatFileVersion":2,"mode":"heap","pps":[{"tb":1,"tbk":1,"fs":[1]}],"ftbl":["[root]",` + quote(tc.in) + `]}`
			p := read(t, in)
			want := tc.want
			want.Kind = profile.KindNative
			if want.Display == "" {
				want.Display = want.Name
			}
			assert.Equal(t, []profile.Frame{want}, p.Frames)
		})
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func TestReadEmpty(t *testing.T) {
	for _, in := range []string{"", " \n\t"} {
		p := read(t, in)
		assert.Empty(t, p.Samples)
		assert.Equal(t, "dhat", p.Meta.Format)
		assert.Equal(t, "alloc_space", p.SampleTypes[0].Type)
	}
	p := read(t, `{"dhatFileVersion":2,"mode":"heap","pps":[],"ftbl":["[root]"]}`)
	assert.Empty(t, p.Samples)
}

func TestReadBadInput(t *testing.T) {
	const head = `{"dhatFileVersion":2,"mode":"heap",`
	const ftbl = `"ftbl":["[root]","0x1: f (a.c:1)"]}`
	pps := func(pp string) string { return head + `"pps":[` + pp + `],` + ftbl }
	tests := []struct {
		name string
		in   string
		err  string
	}{
		{"truncated", small[:120], "t.json:2:39: unexpected end of input: the file is cut short"},
		{"truncated after the last value", strings.TrimSuffix(small, "}"), "t.json:4:82: unexpected end of input: the file is cut short"},
		{"JSON syntax error", head + "\n\"pps\":[{\"tb\":1,,}]", "t.json:2:16: invalid character ',' looking for beginning of object key string"},
		{"NaN count", pps(`{"tb":NaN,"tbk":1,"fs":[1]}`), "t.json:1:49: invalid character 'N' looking for beginning of value"},
		{"trailing data", small + " {}", "t.json:4:83: unexpected data after the DHAT object"},
		{"pps not an array", head + `"pps":{},` + ftbl, "t.json: pps: want an array, got an object"},
		{"program point not an object", pps(`[1]`), "t.json: pps[0]: want an object, got an array"},
		{"string count", pps(`{"tb":"10","tbk":1,"fs":[1]}`), `t.json: pps[0].tb: want a non-negative integer, got the string "10"`},
		{"null count", pps(`{"tb":null,"tbk":1,"fs":[1]}`), "t.json: pps[0].tb: want a non-negative integer, got null"},
		{"negative count", pps(`{"tb":1,"tbk":-1,"fs":[1]}`), "t.json: pps[0].tbk: negative value -1, want a non-negative integer"},
		{"fractional count", pps(`{"tb":1.5,"tbk":1,"fs":[1]}`), "t.json: pps[0].tb: want an integer, got 1.5"},
		{"overflowing count", pps(`{"tb":99999999999999999999,"tbk":1,"fs":[1]}`), "t.json: pps[0].tb: 99999999999999999999 overflows a 64-bit integer"},
		{"overflowing exponent", pps(`{"tb":1e300,"tbk":1,"fs":[1]}`), "t.json: pps[0].tb: 1e300 overflows a 64-bit integer"},
		{"overflowing total", pps(`{"tb":9223372036854775807,"tbk":1,"fs":[1]},{"tb":1,"tbk":1,"fs":[1]}`), `t.json: pps[1].tb: the total of "tb" over all program points overflows a 64-bit integer`},
		{"frame out of range", pps(`{"tb":1,"tbk":1,"fs":[1]},{"tb":1,"tbk":1,"fs":[1,1,5]}`), "t.json: pps[1].fs[2]: frame 5 out of range (2 entries in ftbl)"},
		{"huge frame index", pps(`{"tb":1,"tbk":1,"fs":[4294967296]}`), "t.json: pps[0].fs[0]: frame 4294967296 out of range"},
		{"negative frame index", pps(`{"tb":1,"tbk":1,"fs":[-1]}`), "t.json: pps[0].fs[0]: negative value -1, want a non-negative integer"},
		{"fs not an array", pps(`{"tb":1,"tbk":1,"fs":1}`), "t.json: pps[0].fs: want an array, got the number 1"},
		{"missing tb", pps(`{"tbk":1,"fs":[1]}`), `t.json: pps[0]: missing "tb"`},
		{"missing fs", pps(`{"tb":1,"tbk":1}`), `t.json: pps[0]: missing "fs"`},
		{"missing lifetime fields", `{"dhatFileVersion":2,"mode":"heap","bklt":true,"pps":[{"tb":1,"tbk":1,"fs":[1]}],` + ftbl, `t.json: pps[0]: missing "gb" (required when "bklt" is true)`},
		{"missing access fields", `{"dhatFileVersion":2,"mode":"heap","bkacc":true,"pps":[{"tb":1,"tbk":1,"fs":[1]}],` + ftbl, `t.json: pps[0]: missing "rb" (required when "bkacc" is true)`},
		{"duplicate key", pps(`{"tb":1,"tb":2,"tbk":1,"fs":[1]}`), "t.json: pps[0].tb: duplicate key"},
		{"duplicate pps", head + `"pps":[],"pps":[],` + ftbl, "t.json: pps: duplicate key"},
		{"ftbl entry not a string", head + `"pps":[],"ftbl":["[root]",3]}`, "t.json: ftbl[1]: want a string, got the number 3"},
		{"missing ftbl", head + `"pps":[]}`, "t.json: ftbl: missing (a required key)"},
		{"missing pps", head + ftbl, "t.json: pps: missing (a required key)"},
		{"missing mode", `{"dhatFileVersion":2,"pps":[],` + ftbl, "t.json: mode: missing (a required key)"},
		{"mode not a string", `{"dhatFileVersion":2,"mode":{"a":[1]},"pps":[],` + ftbl, `t.json: mode: want a string, got an object`},
		{"bklt not a bool", `{"dhatFileVersion":2,"mode":"heap","bklt":1,"pps":[],` + ftbl, `t.json: bklt: want true or false, got the number 1`},
		{"wrong version", `{"dhatFileVersion":3,"mode":"heap","pps":[],` + ftbl, "t.json: dhatFileVersion: unsupported version 3 (hotspot reads version 2)"},
		{"no version", `{"mode":"heap","pps":[],` + ftbl, `t.json: no "dhatFileVersion" key: unrecognized profile format`},
		{"not an object", `[1,2]`, "t.json: not a DHAT document (want a JSON object): unrecognized profile format"},
		{"bad string", head + "\n\"pps\":[],\"ftbl\":[\"a\x01\"]}", `t.json:2:20: invalid character '\x01' in string literal`},
		{"bad literal", head + "\"bklt\":tru}", "t.json:1:46: invalid character '}' in literal true (expecting 'e')"},
		{"not JSON", `a;b 1`, "t.json: not a DHAT document (want a JSON object): unrecognized profile format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dhat.Read(strings.NewReader(tc.in), "t.json", profile.ReadOptions{})
			require.Error(t, err)
			assert.Equal(t, tc.err, err.Error())
		})
	}
}

func TestReadUnrecognized(t *testing.T) {
	for _, in := range []string{`[1]`, `hello`, `{"mode":"heap","pps":[],"ftbl":[]}`} {
		_, err := dhat.Read(strings.NewReader(in), "t", profile.ReadOptions{})
		assert.ErrorIs(t, err, profile.ErrUnrecognized)
	}
}

func TestReadLimits(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		limits profile.Limits
		err    string
	}{
		{"stack depth", small, profile.Limits{MaxStackDepth: 1}, "t.json: pps[0].fs: stack depth exceeds the limit of 1 (raise it with --max-depth)"},
		{"distinct frames", small, profile.Limits{MaxFrames: 2}, "t.json: pps[1]: number of distinct frames exceeds the limit of 2 (raise it with --max-frames)"},
		{"distinct call paths", small, profile.Limits{MaxNodes: 3}, "t.json: pps[1]: number of distinct call paths exceeds the limit of 3 (raise it with --max-nodes)"},
		{"JSON depth", `{"dhatFileVersion":2,"x":[[[[1]]]]}`, profile.Limits{MaxJSONDepth: 3}, "t.json:1:29: JSON nesting depth exceeds the limit of 3 (raise it with --max-json-depth)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dhat.Read(strings.NewReader(tc.in), "t.json", profile.ReadOptions{Limits: tc.limits})
			require.Error(t, err)
			assert.Equal(t, tc.err, err.Error())
			assert.ErrorIs(t, err, profile.ErrLimit)
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, head string
		want       bool
	}{
		{"valgrind", "{\"dhatFileVersion\":2\n,\"mode\":\"heap\"", true},
		{"dhat-rs", "{\n  \"dhatFileVersion\": 2,\n", true},
		{"BOM and blanks", "\xEF\xBB\xBF \n{ \"dhatFileVersion\"", true},
		{"speedscope", `{"$schema": "https://www.speedscope.app/file-format-schema.json"}`, false},
		{"version later", `{"mode":"heap","dhatFileVersion":2}`, false},
		{"folded", "a;b 1\n", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, dhat.Sniff([]byte(tc.head)))
			assert.Equal(t, tc.want, dhat.Format{}.Sniff([]byte(tc.head)))
		})
	}
	assert.Equal(t, "dhat", dhat.Format{}.Name())
	p, err := dhat.Format{}.Read(strings.NewReader(small), "t", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(16), p.Total(0))
}
