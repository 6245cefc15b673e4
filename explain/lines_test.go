package explain

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/source"
)

// TestFindingLinesFromPySpy: the lines of the py-spy json fixture's
// findings carry the counts the model report
// (../shared/docs/example-reports/pyspy-py312-json.md) gives for them:
// pretty_dump's line 54 holds 129 samples, encode_extra's line 33 40,
// to_order's def line 39 25 and line 41 22. With --source the lines are
// quoted from the workload, and the pure-Python encoder finding's sketch
// shows pretty_dump as the file has it.
func TestFindingLinesFromPySpy(t *testing.T) {
	const path = "../../shared/fixtures/pyspy/py312-json.raw.txt"
	const workloads = "../../shared/fixtures/pyspy/workloads"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is absent (../shared beside the repository)", path)
	}
	cat, err := hints.Default()
	require.NoError(t, err)
	find := func(r *Report, fn string) []SourceLine {
		t.Helper()
		for _, f := range r.Findings {
			if len(f.Lines) > 0 && f.Lines[0].Function == fn {
				return f.Lines
			}
		}
		t.Fatalf("no finding quotes %s first", fn)
		return nil
	}
	r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1})
	require.NoError(t, err)
	pretty := find(r, "pretty_dump")
	assert.Equal(t, SourceLine{Function: "pretty_dump", File: "json_loop.py", Line: 54, Value: 129, Share: 129.0 / 642}, pretty[0])
	hooks := find(r, "encode_extra")
	require.Len(t, hooks, 3)
	assert.Equal(t, [3]int64{33, 39, 41}, [3]int64{hooks[0].Line, hooks[1].Line, hooks[2].Line})
	assert.Equal(t, [3]int64{40, 25, 22}, [3]int64{hooks[0].Value, hooks[1].Value, hooks[2].Value})
	assert.Contains(t, strings.Join(r.Quality.Next, "\n"), "--source DIR", "the report says how to quote the lines")

	if _, err := os.Stat(workloads); err != nil {
		t.Skipf("%s is absent", workloads)
	}
	r, err = Explain(load(t, path), cat, Options{Path: path, Value: -1, Source: source.Dir(workloads)})
	require.NoError(t, err)
	pretty = find(r, "pretty_dump")
	assert.Equal(t, "    return json.dumps(orders[:200], default=encode_extra, indent=2, sort_keys=True)", pretty[0].Text)
	assert.NotContains(t, strings.Join(r.Quality.Next, "\n"), "--source DIR")
	for _, f := range r.Findings {
		if strings.Contains(f.Cause, "pure-Python") {
			require.NotEmpty(t, f.Sketches)
			assert.Contains(t, f.Sketches[0].Before, "# json_loop.py:54:")
			assert.Contains(t, f.Sketches[0].Before, "def pretty_dump(orders):\n    return json.dumps(orders[:200], default=encode_extra, indent=2, sort_keys=True)")
			// The model report's "after (b)", in the program's arguments.
			assert.Contains(t, f.Sketches[0].After, "def pretty_dump(orders):\n    return orjson.dumps(orders[:200], default=encode_extra, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()")
			return
		}
	}
	t.Fatal("no pure-Python encoder finding")
}

// TestLinesCountRecursionOnce: a function that recurses is charged at its
// outermost frame's line only, so its lines never add up to more than the
// samples under it; a second line is quoted only with a fifth of the
// function's cost. Counts by hand from the text below.
func TestLinesCountRecursionOnce(t *testing.T) {
	text := "main (app.py:30);walk (app.py:12);walk (app.py:14);leaf (app.py:3) 60\n" +
		"main (app.py:30);walk (app.py:12);leaf (app.py:3) 20\n" +
		"main (app.py:31);walk (app.py:16) 15\n" +
		"main (app.py:31);walk (app.py:14) 5\n"
	p, err := folded.Read(strings.NewReader(text), "t.folded", profile.ReadOptions{})
	require.NoError(t, err)
	a := newAnalysis(p, 0, DefaultRules())
	a.filter(nil, nil, nil)
	a.recording = inferRecording(a)
	a.attribute()
	fs := []Finding{{Functions: []string{"walk", "main"}}, {Functions: []string{"nothing"}}}
	a.attachLines(fs, nil)
	// walk: line 12 holds 80 (60 + 20; the inner line 14 of the first stack
	// is not counted again), line 16 15 (under a fifth of 100: left out);
	// main: line 30 80, line 31 20 (a fifth: kept). Four at most.
	got := make([]string, len(fs[0].Lines))
	for i, l := range fs[0].Lines {
		got[i] = fmt.Sprintf("%s %s:%d=%d", l.Function, l.File, l.Line, l.Value)
	}
	assert.Equal(t, []string{"walk app.py:12=80", "main app.py:30=80", "main app.py:31=20"}, got)
	assert.Empty(t, fs[1].Lines)
}

// TestQuoteFunction: the quote is the def line, "..." and the statement
// with its continuation lines; a line in a nested function or in another
// function quotes nothing.
func TestQuoteFunction(t *testing.T) {
	dir := t.TempDir()
	src := "class Agent:\n" + // 1
		"    def step(self, world):\n" + // 2
		"        x = 1\n" + // 3
		"        return world.apply(self,\n" + // 4
		"                           (x, ')'))\n" + // 5
		"\n" + // 6
		"def outer():\n" + // 7
		"    def inner():\n" + // 8
		"        pass\n" + // 9
		"    return inner\n" // 10
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sim.py"), []byte(src), 0o644))
	tr := source.Dir(dir)
	code, first, ok := quoteFunction(tr, "/opt/app/sim.py", 4, "Agent.step")
	require.True(t, ok)
	assert.Equal(t, 2, first)
	assert.Equal(t, "def step(self, world):\n    ...\n    return world.apply(self,\n                       (x, ')'))", code)
	code, _, ok = quoteFunction(tr, "sim.py", 2, "Agent.step")
	require.True(t, ok)
	assert.Equal(t, "def step(self, world):", code)
	code, _, ok = quoteFunction(tr, "sim.py", 10, "outer")
	require.True(t, ok)
	assert.Equal(t, "def outer():\n    ...\n    return inner", code)
	_, _, ok = quoteFunction(tr, "sim.py", 9, "outer")
	assert.False(t, ok, "line 9 is inner's")
	_, _, ok = quoteFunction(tr, "sim.py", 4, "walk")
	assert.False(t, ok, "line 4 is not walk's")
	_, _, ok = quoteFunction(nil, "sim.py", 4, "Agent.step")
	assert.False(t, ok)
}

// memSource is a SourceReader over one file's text, for the fuzzer.
type memSource []string

func (m memSource) Line(_ string, n int) (string, bool) {
	if n < 1 || n > len(m) || strings.TrimSpace(m[n-1]) == "" {
		return "", false
	}
	return m[n-1], true
}

// FuzzQuoteFunction: any file text and line give a quote or nothing,
// never a panic; a quote starts at a def of the function asked for.
func FuzzQuoteFunction(f *testing.F) {
	f.Add("class A:\n    def step(self):\n        return f(1,\n   2)\n", 3, "A.step")
	f.Add("def g(\n", 1, "g")
	f.Add("  def h():\nx = (')'\n", 2, "h")
	f.Fuzz(func(t *testing.T, text string, n int, fn string) {
		code, first, ok := quoteFunction(memSource(strings.Split(text, "\n")), "app.py", n, fn)
		if !ok {
			return
		}
		name := fn[strings.LastIndexByte(fn, '.')+1:]
		if first < 1 || first > n || !reDef.MatchString(code) || reDef.FindStringSubmatch(code)[2] != name {
			t.Fatalf("quote of %q at %d from line %d: %q", fn, n, first, code)
		}
	})
}

// TestCallCountsLimit: a py-spy recording whose findings are about calls
// says it has no call counts and how to count them (cProfile, which
// hotspot reads); --items, or a profile made from call counts (pstats),
// says nothing of the kind.
func TestCallCountsLimit(t *testing.T) {
	r := explainShared(t, "fixtures/pyspy/py312-json.raw.txt")
	assert.Contains(t, strings.Join(r.Quality.CannotSee, "\n"), "how many calls decode_orders, encode_orders and pretty_dump made")
	assert.Contains(t, strings.Join(r.Quality.Next, "\n"), "python -m cProfile -o calls.pstats")
	cat, err := hints.Default()
	require.NoError(t, err)
	const path = "../../shared/fixtures/pyspy/py312-json.raw.txt"
	r, err = Explain(load(t, path), cat, Options{Path: path, Value: -1, Items: 2000})
	require.NoError(t, err)
	assert.NotContains(t, strings.Join(r.Quality.Next, "\n"), "cProfile")
	for _, f := range []string{"../fixtures/pstats/per-item.pstats"} {
		r, err = Explain(load(t, f), cat, Options{Path: f, Value: -1})
		require.NoError(t, err)
		assert.NotContains(t, strings.Join(r.Quality.CannotSee, "\n"), "how many calls", f)
	}
}

// TestCompilingRuledOut: hashing in native code called from Python
// (gil-digest-release: 6 of its 605 samples have a libpython or Python
// frame as leaf, or as the frame a fault or interrupt entry was taken in,
// counted from the perf text by their DSOs, 1.0%) rules
// out compiling the Python; a pure-Python simulation (flat-sim, Python
// frames on top almost throughout) does not.
func TestCompilingRuledOut(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	reason := func(path string) string {
		r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1})
		require.NoError(t, err)
		for _, x := range r.RuledOut {
			if strings.HasPrefix(x.Title, "Compiling") {
				return x.Reason
			}
		}
		return ""
	}
	assert.Contains(t, reason("../fixtures/corpus/tuning/gil-digest/gil-digest-release-py312-fp.perf.txt"), "Only 1.0% of the active time has Python code or the interpreter on top")
	assert.Empty(t, reason("../fixtures/corpus/validation/flat-sim/flat-sim-py313-jit.perf.txt.gz"))
}
