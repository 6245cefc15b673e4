package folded_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadCanonical(t *testing.T) {
	tests := []struct {
		name, in, want string
		total          int64
	}{
		{"sums repeated stacks", "a;b;c 1\na;b;c 1\na;b;d 4\na;b;c 3\na;b 5", "a;b 5\na;b;c 5\na;b;d 4\n", 14},
		{"spaces in frames; only the last whitespace splits", "main;Foo::bar(int) const;x y  7\n", "main;Foo::bar(int) const;x y  7\n", 7},
		{"tab separator and trailing blanks", "a;b\t3 \t\n", "a;b 3\n", 3},
		{"CRLF", "a;b 1\r\na 2\r\n", "a 2\na;b 1\n", 3},
		{"blank lines and comments", "# collapsed by hand\n\n  \na 1\n", "a 1\n", 1},
		{"empty frame names survive", "a;;b 2\n", "a;;b 2\n", 2},
		{"zero count adds the stack with no weight", "a;b 0\na 1\n", "a 1\n", 1},
		{"annotations come back", "perl_[j];foo_[k] 3\nx_[i];y_[w] 1\n", "perl_[j];foo_[k] 3\nx_[i];y_[w] 1\n", 4},
		{"recursion", "a;b;a;b 1\na;b;a;b 1\n", "a;b;a;b 2\n", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := read(t, tc.in)
			assert.Equal(t, tc.want, writeFolded(t, p))
			assert.Equal(t, tc.total, p.Total(0))
			assert.Equal(t, []profile.ValueType{{Type: "samples", Unit: "count"}}, p.SampleTypes)
			assert.Equal(t, "folded", p.Meta.Format)
			assert.Empty(t, p.Meta.Warnings)
		})
	}
}

func TestReadComments(t *testing.T) {
	p := read(t, "# one\na 1\n# two\n")
	assert.Equal(t, []string{"# one", "# two"}, p.Meta.Comments)
}

func TestReadDecimals(t *testing.T) {
	tests := []struct {
		name, in, want string
		scale, total   int64
	}{
		{"one decimal", "a 1.5\nb 2\n", "a 1.5\nb 2\n", 10, 35},
		{"longer decimal later rescales earlier values", "a 1.5\nb 2\na;c 0.125\nb 1.25\n", "a 1.5\na;c 0.125\nb 3.25\n", 1000, 4875},
		{"trailing zeros do not widen the scale", "a 1.50\nb 2.\n", "a 1.5\nb 2\n", 10, 35},
		{"all zero fractions stay integers", "a 1.000\n", "a 1\n", 0, 1},
		{"eighteen decimals", "a 0.000000000000000001\nb 1\n", "a 0.000000000000000001\nb 1\n", 1_000_000_000_000_000_000, 1_000_000_000_000_000_001},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := read(t, tc.in)
			require.Len(t, p.SampleTypes, 1)
			assert.Equal(t, profile.ValueType{Type: "samples", Unit: "count", Scale: tc.scale}, p.SampleTypes[0])
			assert.Equal(t, tc.total, p.Total(0))
			assert.Equal(t, tc.want, writeFolded(t, p))
			for _, s := range p.Samples {
				assert.Len(t, s.Values, 1)
			}
		})
	}
}

func TestReadFrames(t *testing.T) {
	tests := []struct {
		frame string
		want  profile.Frame
	}{
		{"main", profile.Frame{Name: "main", Display: "main", Kind: profile.KindUnknown}},
		{"padded ", profile.Frame{Name: "padded ", Display: "padded", Kind: profile.KindUnknown}},
		{"schedule_[k]", profile.Frame{Name: "schedule", Display: "schedule", Kind: profile.KindKernel}},
		{"LInterp;.run_[j]", profile.Frame{Name: ".run", Display: ".run", Kind: profile.KindJIT}},
		{"inl_[i]", profile.Frame{Name: "inl_[i]", Display: "inl", Kind: profile.KindUnknown, Inlined: true}},
		{"waker_[w]", profile.Frame{Name: "waker_[w]", Display: "waker", Kind: profile.KindUnknown}},
		{"_ZN4core3fmt5write17h0123456789abcdefE", profile.Frame{Name: "_ZN4core3fmt5write17h0123456789abcdefE", Display: "core::fmt::write", Kind: profile.KindUnknown}},
		{"encode (json/encoder.py:200)", profile.Frame{Name: "encode (json/encoder.py:200)", Display: "encode", File: "json/encoder.py", Line: 200, Kind: profile.KindPython}},
		{"<module> (app.py)", profile.Frame{Name: "<module> (app.py)", Display: "<module>", File: "app.py", Kind: profile.KindPython}},
		{"_find_and_load (<frozen importlib._bootstrap>:1176)", profile.Frame{Name: "_find_and_load (<frozen importlib._bootstrap>:1176)", Display: "_find_and_load", File: "<frozen importlib._bootstrap>", Line: 1176, Kind: profile.KindPython}},
		{"malloc (libc.so.6)", profile.Frame{Name: "malloc (libc.so.6)", Display: "malloc", Module: "libc.so.6", Kind: profile.KindNative}},
		{"0x7f5935ab5b05 (libc.so.6)", profile.Frame{Name: "0x7f5935ab5b05 (libc.so.6)", Display: "0x7f5935ab5b05", Module: "libc.so.6", Kind: profile.KindNative, Addr: 0x7f5935ab5b05}},
		{"0x55d0 (?)", profile.Frame{Name: "0x55d0 (?)", Display: "0x55d0", Kind: profile.KindNative, Addr: 0x55d0}},
		{"triomphe::arc::Arc$LT$T$GT$::drop_slow::h17b94b8b88417d0a (rpds/rpds.cpython-311-x86_64-linux-gnu.so)", profile.Frame{
			Name:    "triomphe::arc::Arc$LT$T$GT$::drop_slow::h17b94b8b88417d0a (rpds/rpds.cpython-311-x86_64-linux-gnu.so)",
			Display: "triomphe::arc::Arc<T>::drop_slow", Module: "rpds/rpds.cpython-311-x86_64-linux-gnu.so", Kind: profile.KindNative}},
		{"unicode_decode_utf8 (libpython3.11.so.1.0)", profile.Frame{Name: "unicode_decode_utf8 (libpython3.11.so.1.0)", Display: "unicode_decode_utf8", Module: "libpython3.11.so.1.0", Kind: profile.KindNative}},
		{"encoder_listencode_dict (_json.c:512)", profile.Frame{Name: "encoder_listencode_dict (_json.c:512)", Display: "encoder_listencode_dict", File: "_json.c", Line: 512, Kind: profile.KindNative}},
		{"f(int) (anonymous namespace)", profile.Frame{Name: "f(int) (anonymous namespace)", Display: "f(int) (anonymous namespace)", Kind: profile.KindUnknown}},
		{"(anonymous namespace)::parse", profile.Frame{Name: "(anonymous namespace)::parse", Display: "(anonymous namespace)::parse", Kind: profile.KindUnknown}},
		{"(anonymous namespace)::Worker::step(int)", profile.Frame{Name: "(anonymous namespace)::Worker::step(int)", Display: "(anonymous namespace)::Worker::step(int)", Kind: profile.KindUnknown}},
		{"operator() (x:y)", profile.Frame{Name: "operator() (x:y)", Display: "operator() (x:y)", Kind: profile.KindUnknown}},
		{"call (a (b).py:3)", profile.Frame{Name: "call (a (b).py:3)", Display: "call", File: "a (b).py", Line: 3, Kind: profile.KindPython}},
		{"thread (2961): MainThread", profile.Frame{Name: "thread (2961): MainThread", Display: "thread (2961): MainThread", Kind: profile.KindUnknown}},
		{`process 15748:""`, profile.Frame{Name: `process 15748:""`, Display: `process 15748:""`, Kind: profile.KindUnknown}},
	}
	for _, tc := range tests {
		t.Run(tc.frame, func(t *testing.T) {
			p := read(t, tc.frame+" 1\n")
			leaf := p.Frames[p.Nodes[p.Samples[0].Node].Frame]
			assert.Equal(t, tc.want, leaf)
		})
	}
}

func TestReadPySpyLabels(t *testing.T) {
	in := `process 15748:"";process 15753:"python3 child.py";thread (15289): fibber;fib (t.py:20) 3
process 15748:"";<module> (parent.py:37) 1
thread (0x16DF7B000): ;run (t.py:1) 2
run (t.py:1);thread (7): x 1
`
	p := read(t, in)
	assert.Equal(t, "py-spy", p.Meta.Producer)
	got := map[string]profile.Labels{}
	for _, s := range p.Samples {
		got[p.Frames[p.Nodes[s.Node].Frame].Name] = *s.Labels
	}
	assert.Equal(t, map[string]profile.Labels{
		"fib (t.py:20)":           {PID: 15753, HasPID: true, TID: 15289, HasTID: true, Thread: "fibber"},
		"<module> (parent.py:37)": {PID: 15748, HasPID: true},
		"run (t.py:1)":            {TID: 0x16DF7B000, HasTID: true},
		"thread (7): x":           {},
	}, got)
	// The synthetic frames stay in the stacks, so conversion writes them back
	// (and WriteFolded adds no comm frame, since Labels.Comm is empty).
	assert.Equal(t, `process 15748:"";<module> (parent.py:37) 1
process 15748:"";process 15753:"python3 child.py";thread (15289): fibber;fib (t.py:20) 3
run (t.py:1);thread (7): x 1
thread (0x16DF7B000): ;run (t.py:1) 2
`, writeFolded(t, p))
}

func TestReadEncodings(t *testing.T) {
	want := "a;b 5\na;b;c 5\na;b;d 4\n"
	plain := "a;b;c 1\r\na;b;c 1\r\na;b;d 4\r\na;b;c 3\r\na;b 5"
	tests := []struct {
		name string
		in   []byte
	}{
		{"UTF-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, plain...)},
		{"UTF-16 LE", utf16(plain, true)},
		{"UTF-16 BE", utf16(plain, false)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := read(t, string(tc.in))
			assert.Equal(t, want, writeFolded(t, p))
			assert.True(t, folded.Sniff(tc.in))
		})
	}
}

func TestReadUTF16Damage(t *testing.T) {
	// A lone high surrogate, a lone low surrogate, a pair (U+1F600) and an
	// odd trailing byte.
	in := []byte{0xFF, 0xFE, 'a', 0, 0x00, 0xD8, 'b', 0, 0x00, 0xDC, ';', 0, 0x3D, 0xD8, 0x00, 0xDE, ' ', 0, '1', 0, '\n', 0, 'x'}
	p, err := folded.Read(strings.NewReader(string(in)), "t", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "a\uFFFDb\uFFFD;\U0001F600 1\n", writeFolded(t, p))
	assert.Equal(t, []string{"t:2: want 'stack count', got no count"}, p.Meta.Warnings)
}

func utf16(s string, little bool) []byte {
	out := []byte{0xFE, 0xFF}
	if little {
		out = []byte{0xFF, 0xFE}
	}
	for _, r := range s { // ASCII only in these tests
		if little {
			out = append(out, byte(r), 0)
		} else {
			out = append(out, 0, byte(r))
		}
	}
	return out
}

func TestReadEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n", "# only a comment\n", "\xEF\xBB\xBF"} {
		p := read(t, in)
		assert.Empty(t, p.Samples)
		assert.Equal(t, int64(0), p.Total(0))
	}
}

func TestReadBadInput(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		warnings []string // non-strict: the lines skipped
		err      string   // non-strict error, if the whole read fails
		strict   string   // error under Strict; "" means same as err
	}{
		{name: "no count", in: "a;b 1\na;b\n", warnings: []string{"t:2: want 'stack count', got no count"}, strict: "t:2: want 'stack count', got no count"},
		{name: "truncated line", in: "a;b 1\na;b;c 2\na;b", warnings: []string{"t:3: want 'stack count', got no count"}, strict: "t:3: want 'stack count', got no count"},
		{name: "non-numeric count", in: "a 1\na x\n", warnings: []string{`t:2:3: want 'stack count', got "x" where the count should be`}, strict: `t:2:3: want 'stack count', got "x" where the count should be`},
		{name: "negative count", in: "a 1\nb -3\n", warnings: []string{"t:2:3: negative count -3, want a non-negative number"}, strict: "t:2:3: negative count -3, want a non-negative number"},
		{name: "NaN count", in: "a 1\nb NaN\n", warnings: []string{`t:2:3: want 'stack count', got "NaN" where the count should be`}, strict: `t:2:3: want 'stack count', got "NaN" where the count should be`},
		{name: "exponent count", in: "a 1\nb 1e3\n", warnings: []string{`t:2:3: want 'stack count', got "1e3" where the count should be`}, strict: `t:2:3: want 'stack count', got "1e3" where the count should be`},
		{name: "leading point", in: "a 1\nb .5\n", warnings: []string{`t:2:3: want 'stack count', got ".5" where the count should be`}, strict: `t:2:3: want 'stack count', got ".5" where the count should be`},
		{name: "long garbage token", in: "a 1\nb " + strings.Repeat("z", 50) + "\n", warnings: []string{`t:2:3: want 'stack count', got "` + strings.Repeat("z", 40) + `"... where the count should be`}, strict: `t:2:3: want 'stack count', got "` + strings.Repeat("z", 40) + `"... where the count should be`},
		{name: "only bad lines", in: "hello\nworld\n", err: "t:1: want 'stack count', got no count (no line in the input has the form 'stack count')", strict: "t:1: want 'stack count', got no count"},
		{name: "differential", in: "a;b 1\na;b 3 5\n", err: "t:2: two counts (3 and 5): differential folded input (before and after) cannot be read as one profile"},
		{name: "count overflows", in: "a 9223372036854775808\n", err: "t:1:3: count 9223372036854775808 overflows a 64-bit integer, want at most 9223372036854775807"},
		{name: "sum overflows", in: "a 9223372036854775807\nb 1\n", err: "t:2: the sum of the counts overflows a 64-bit integer, want a total of at most 9223372036854775807"},
		{name: "rescaled sum overflows", in: "a 9223372036854775\nb 0.0001\n", err: "t:2: the sum of the counts overflows a 64-bit integer at scale 1e-4 (the most decimals in the input), want fewer decimals or smaller counts"},
		{name: "too many decimals", in: "a 0.1234567890123456789\n", err: "t:1:3: count 0.1234567890123456789 has more than 18 decimals, want at most 18"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := folded.Read(strings.NewReader(tc.in), "t", profile.ReadOptions{})
			if tc.err != "" {
				require.Error(t, err)
				assert.Equal(t, tc.err, err.Error())
				var se *profile.SyntaxError
				assert.ErrorAs(t, err, &se)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.warnings, p.Meta.Warnings)
				assert.Equal(t, len(tc.warnings), p.Meta.Skipped)
				assert.NoError(t, p.Validate())
			}
			strict := tc.strict
			if strict == "" {
				strict = tc.err
			}
			_, err = folded.Read(strings.NewReader(tc.in), "t", profile.ReadOptions{Strict: true})
			require.Error(t, err)
			assert.Equal(t, strict, err.Error())
		})
	}
}

func TestReadWarningsBounded(t *testing.T) {
	in := "a 1\n" + strings.Repeat("bad\n", 100)
	p := read(t, in)
	assert.Len(t, p.Meta.Warnings, profile.MaxWarnings)
	assert.Equal(t, 100, p.Meta.Skipped)
}

func TestReadLimits(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		limits profile.Limits
		err    string
	}{
		{"stack depth", "a 1\na;b;c;d 1\n", profile.Limits{MaxStackDepth: 3}, "t:2: stack depth exceeds the limit of 3 (raise it with --max-depth)"},
		{"distinct frames", "a;b 1\nc 1\n", profile.Limits{MaxFrames: 2}, "t:2: number of distinct frames exceeds the limit of 2 (raise it with --max-frames)"},
		{"distinct call paths", "a;b 1\na;c 1\n", profile.Limits{MaxNodes: 3}, "t:2: number of distinct call paths exceeds the limit of 3 (raise it with --max-nodes)"},
		{"line length", "a 1\n" + strings.Repeat("x", 100) + " 1\n", profile.Limits{MaxLineBytes: 50}, "t:2: line length exceeds the limit of 50 (raise it with --max-line)"},
		{"long line beyond the read buffer", "a 1\n" + strings.Repeat("x;", 80<<10) + " 1\n", profile.Limits{MaxLineBytes: 100 << 10}, "t:2: line length exceeds the limit of 102400 (raise it with --max-line)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := folded.Read(strings.NewReader(tc.in), "t", profile.ReadOptions{Limits: tc.limits})
			require.Error(t, err)
			assert.Equal(t, tc.err, err.Error())
			assert.ErrorIs(t, err, profile.ErrLimit)
		})
	}
}

func TestReadLongLine(t *testing.T) {
	// A line far longer than the 64 KiB read buffer still parses.
	stack := strings.TrimSuffix(strings.Repeat("f;", 50_000), ";")
	p := read(t, "a 1\n"+stack+" 7\n")
	assert.Equal(t, int64(8), p.Total(0))
	assert.Len(t, p.Nodes, 1+1+50_000)
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"folded", "a;b 1\na 2\n", true},
		{"decimal counts", "a;b 1.5\n", true},
		{"py-spy raw", "<module> (a.py:1);f (a.py:2) 3\n", true},
		{"comments and a minority of junk", "# hi\n// note\na 1\nb 2\n", true},
		{"mostly junk", "hello\nworld\na 1\n", false},
		{"perf script", "python3 1234 100.123456: 1 cycles:\n\t7f00 main (/bin/x)\n", false},
		{"perf script with period last", "go 6157 1224.147545: 250000\n", false},
		{"perf script pid/tid and cpu", "V8 WorkerThread 24636/25607 [000] 94564.109216: 100\n", false},
		{"JSON", "{\n  \"count\": 1\n}\n", false},
		{"JSON array", "[1, 2]\n", false},
		{"JSON array of objects", "[{\"name\": \"a\", \"ts\": 12}]\n", false},
		{"pretty JSON array", "[\n  {\n    \"ts\": 12\n  }\n]\n", false},
		{"nested JSON arrays", "[ [1, 2],\n  [3, 4] ]\n", false},
		{"JSON array of literals", "[true, 1]\n", false},
		// inferno-collapse-vtune's root frame.
		{"first frame starts with [", "[Unknown]`Total;ntdll.dll`RtlUserThreadStart 5\n[Unknown]`Total;a 3\n", true},
		{"first frame is [unknown]", "[unknown];[libc.so.6];main 2\n", true},
		{"first frame is an address in brackets", "[0x7f00];main 2\n", true},
		{"first frame is a nested bracket name", "[[heap]];main 2\n", true},
		{"empty", "", false},
		{"blank", "\n \n", false},
		{"cut last line ignored", strings.Repeat("a;b 1\n", 1000) + "a;b;c", true},
		{"one cut line of a very deep stack", strings.Repeat("module::function_name;", 3000), true},
		{"a short cut line is not enough", strings.Repeat("f;", 1000), false},
		{"one long line without frames", strings.Repeat("x", 64<<10), false},
		{"one long binary line", strings.Repeat("f;\x00", 20000), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, folded.Sniff([]byte(tc.head)))
			assert.Equal(t, tc.want, folded.Format{}.Sniff([]byte(tc.head)))
		})
	}
}

func TestFormat(t *testing.T) {
	f := folded.Format{}
	assert.Equal(t, "folded", f.Name())
	p, err := f.Read(strings.NewReader("a 1\n"), "t", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.Total(0))
}

// TestIssue12TrailingSemicolon: heaptrack_print -F ends every stack with ';'
// before the count. flamegraph.pl drops the empty leaf that leaves; so do
// we, and a "name (file.c)" frame is no evidence of py-spy.
func TestIssue12TrailingSemicolon(t *testing.T) {
	p := read(t, "main (c.c);work (c.c); 200000\nmain (c.c); 5\nmain (c.c);;x (c.c); 1\n")
	assert.Equal(t, "main (c.c) 5\nmain (c.c);;x (c.c) 1\nmain (c.c);work (c.c) 200000\n", writeFolded(t, p))
	assert.Equal(t, "heaptrack_print", p.Meta.Producer, "C frames with a file do not make py-spy; every line ending in ';' is heaptrack_print -F")

	py := read(t, "<module> (x.py:3);f (x.py:5) 2\n")
	assert.Equal(t, "py-spy", py.Meta.Producer)
	th := read(t, "thread (15289): fibber;main (c.c) 2\n")
	assert.Equal(t, "py-spy", th.Meta.Producer)
}

func TestIssue12HeaptrackFlamegraph(t *testing.T) {
	path := testutil.Shared(t, "fixtures/heaptrack/cmalloc.heaptrack.flamegraph.txt")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := folded.Read(f, path, profile.ReadOptions{})
	require.NoError(t, err)
	// The manifest's heaptrack_print total: 160242 calls to allocation functions.
	assert.Equal(t, int64(160242), p.Total(0))
	for _, fr := range p.Frames {
		assert.NotEmpty(t, fr.Name)
	}
	assert.Equal(t, "heaptrack_print", p.Meta.Producer, "every line has heaptrack_print -F's ';' before the count")
	assert.Equal(t, "allocations", p.SampleTypes[0].Type)
}

// TestIssue11EmptyStack: a sample with no frames at all (py-spy's idle
// samples, an empty "[]" in its speedscope output) is written as a line
// with no stack, " count", and read back as such, as flamegraph.pl reads
// it; a line of separators only is still malformed.
func TestIssue11EmptyStack(t *testing.T) {
	p := read(t, "a;b 3\n   42\n\t7\n")
	assert.Equal(t, int64(52), p.Total(0))
	assert.Empty(t, p.Meta.Warnings)
	assert.Equal(t, " 49\na;b 3\n", writeFolded(t, p))

	p = read(t, "a 1\n;; 5\n")
	assert.Equal(t, []string{"t.folded:2: want 'stack count', got a count with no frames"}, p.Meta.Warnings)
	_, err := folded.Read(strings.NewReader("a 1\n ;; 5\n"), "t", profile.ReadOptions{Strict: true})
	assert.EqualError(t, err, "t:2: want 'stack count', got a count with no frames")

	// py-spy 0.3.14's speedscope file from the public corpus: its empty
	// samples survive speedscope -> folded -> folded.
	path := testutil.Shared(t, "fixtures/public2/speedscope/pyspy0314-deepdrr.speedscope.json")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sp, err := speedscope.Read(f, "deepdrr.json", profile.ReadOptions{})
	require.NoError(t, err)
	var first bytes.Buffer
	require.NoError(t, profile.WriteFolded(&first, sp, profile.FoldedOptions{Value: -1}))
	require.True(t, strings.HasPrefix(first.String(), " 600000000\n"), "the idle samples are written as an empty stack, first")
	back, err := folded.Read(bytes.NewReader(first.Bytes()), "deepdrr.folded", profile.ReadOptions{Strict: true})
	require.NoError(t, err)
	assert.Equal(t, sp.Total(sp.DefaultType), back.Total(0))
	assert.Equal(t, first.String(), writeFolded(t, back))
}

// TestReadSharedPrefixes covers lines that share leading bytes with the
// line before them, cut inside a frame, at a ';' or at the end: the reader
// reuses the previous line's frames only where whole frames are shared.
func TestReadSharedPrefixes(t *testing.T) {
	in := "ab;cd 1\nab;c 2\nab 3\nabc;d 4\na;b 5\na;bc 6\na;b;c 7\na;b;c 8\n;a 9\na;b; 10\nab;cd;e 11\nab;cd 12\nab;cd_[k] 13\nab;cd 14\nxy 15\n"
	want := ";a 9\na;b 15\na;b;c 15\na;bc 6\nab 3\nab;c 2\nab;cd 27\nab;cd;e 11\nab;cd_[k] 13\nabc;d 4\nxy 15\n"
	p := read(t, in)
	assert.Equal(t, want, writeFolded(t, p))
	assert.Equal(t, int64(1+2+3+4+5+6+7+8+9+10+11+12+13+14+15), p.Total(0))
}

// TestPerfTaskRootLabels: stackcollapse-perf --tid writes each stack's
// first frame as "<comm>-<pid>/<tid>" and --pid as "<comm>-<pid>"
// (formats.md, perf-collapsed specifics); they become the sample's labels
// and stay in the stack. The same text deeper in a stack is only a frame.
func TestPerfTaskRootLabels(t *testing.T) {
	in := "iperf-27409/28741;__libc_recv;tcp_recvmsg 7\n" +
		"iperf-28735/28736;__libc_write;tcp_sendmsg 8\n" +
		"my-daemon-12;main 3\n" +
		"kworker/u8:2-?/511;worker_thread 2\n" +
		"main;split-3/4 1\n"
	p, err := folded.Read(strings.NewReader(in), "tasks.folded", profile.ReadOptions{})
	require.NoError(t, err)
	got := map[string]profile.Labels{}
	for _, s := range p.Samples {
		n := s.Node
		for p.Nodes[n].Parent != profile.RootNode {
			n = p.Nodes[n].Parent
		}
		got[p.Frames[p.Nodes[n].Frame].Name] = *s.Labels
	}
	assert.Equal(t, profile.Labels{PID: 27409, TID: 28741, HasPID: true, HasTID: true}, got["iperf-27409/28741"])
	assert.Equal(t, profile.Labels{PID: 28735, TID: 28736, HasPID: true, HasTID: true}, got["iperf-28735/28736"])
	assert.Equal(t, profile.Labels{PID: 12, HasPID: true}, got["my-daemon-12"])
	assert.Equal(t, profile.Labels{TID: 511, HasTID: true}, got["kworker/u8:2-?/511"])
	assert.Equal(t, profile.Labels{}, got["main"])
	var buf strings.Builder
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{}))
	assert.Contains(t, buf.String(), "iperf-27409/28741;__libc_recv;tcp_recvmsg 7\n", "the task frame is written back")
}

// heaptrack_print -F writes every stack with a ';' before its count and
// counts allocations (its default cost type): read as such, so explain
// treats the file as a memory profile, not time. One line without the ';'
// (a file edited or merged by hand) keeps the samples reading.
func TestHeaptrackFlamegraphOutput(t *testing.T) {
	p, err := folded.Read(strings.NewReader("main (c.c);work (c.c); 200000\nmain (c.c); 12\n"), "h.txt", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "heaptrack_print", p.Meta.Producer)
	assert.Equal(t, "allocations", p.SampleTypes[0].Type)

	p, err = folded.Read(strings.NewReader("main (c.c);work (c.c); 200000\nmain;other 12\n"), "h.txt", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, p.Meta.Producer)
	assert.Equal(t, "samples", p.SampleTypes[0].Type)
}

// TestPeriodWeightsReadAsSamples: a folded file collapsed from a perf
// recording carries each stack's summed sampling period. py311-pyo3-dwarf
// was recorded at 49 Hz (period 20,408,163 ns) and has 112 samples (the
// shared MANIFEST, and the model report's count); its values stay as
// written, and its samples are counted as samples. A py-spy file's counts
// share no such unit and stay counts; so does a file of fewer lines than
// it takes to tell a unit from chance.
func TestPeriodWeightsReadAsSamples(t *testing.T) {
	p, _ := readFile(t, testutil.Fixture(t, "folded/py311-pyo3-dwarf.folded"))
	assert.Equal(t, int64(112), p.SampleCount())
	assert.Equal(t, int64(112*20408163), p.Total(0))
	assert.Equal(t, "weight", p.SampleTypes[0].Type)
	require.Len(t, p.Meta.Warnings, 1)
	assert.Contains(t, p.Meta.Warnings[0], "multiple of 20408163")

	p, _ = readFile(t, testutil.Fixture(t, "pyspy/py312-json.raw.txt"))
	assert.Equal(t, int64(642), p.SampleCount())
	assert.Equal(t, "samples", p.SampleTypes[0].Type)

	few := "a;b 2000\na;c 4000\na;d 6000\n"
	p, err := folded.Read(strings.NewReader(few), "few.folded", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(12000), p.SampleCount())
	assert.Empty(t, p.Meta.Warnings)
}

// TestLargeWeightsWithoutUnit: a public folded file (caliby) sums perf's
// frequency-mode periods: 180 stacks, the smallest 1,401, 219,511,295,598
// in all, and no common unit. Those are weights whose sample count the
// file does not hold: counts become unknown (0), the values stay. Fewer
// stacks, or one small count among them, stay sample counts.
func TestLargeWeightsWithoutUnit(t *testing.T) {
	p, _ := readFile(t, testutil.Shared(t, "fixtures/public2/folded/caliby_out.folded"))
	assert.Equal(t, "weight", p.SampleTypes[0].Type)
	assert.Equal(t, int64(219511295598), p.Total(0))
	assert.Equal(t, int64(0), p.SampleCount())
	require.NotEmpty(t, p.Meta.Warnings)
	assert.Contains(t, p.Meta.Warnings[0], "every one of the 180 stacks counts 1401 or more")

	var b strings.Builder
	for i := 0; i < 64; i++ {
		fmt.Fprintf(&b, "main;f%d %d\n", i, 1000+7*i)
	}
	p, err := folded.Read(strings.NewReader(b.String()), "w.folded", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(0), p.SampleCount())

	small := b.String() + "main;rare 3\n"
	p, err = folded.Read(strings.NewReader(small), "s.folded", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "samples", p.SampleTypes[0].Type)
	assert.Positive(t, p.SampleCount())

	var few strings.Builder
	for i := 0; i < 63; i++ {
		fmt.Fprintf(&few, "main;f%d %d\n", i, 1000+7*i)
	}
	p, err = folded.Read(strings.NewReader(few.String()), "f.folded", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Positive(t, p.SampleCount())
}
