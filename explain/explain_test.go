package explain

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// testCatalogue is a small catalogue built in code, so engine tests do not
// depend on the prose in catalogue.json.
func testCatalogue() *hints.Catalogue {
	c := &hints.Catalogue{Schema: "hotspot.hints/v1", UnitCosts: []hints.UnitCost{
		{ID: "python-call", What: "a Python call", LowNS: 50, HighNS: 100, Source: "test"},
		{ID: "pyo3-crossing", What: "a PyO3 crossing", LowNS: 20, HighNS: 70, Source: "test"},
		{ID: "gil-handover", What: "a GIL hand-over", LowNS: 100, HighNS: 500, Source: "test"},
		{ID: "rust-alloc", What: "a Rust allocation", LowNS: 20, HighNS: 50, Source: "test"},
		{ID: "py-alloc", What: "a Python allocation", LowNS: 20, HighNS: 60, Source: "test"},
		{ID: "syscall", What: "a syscall", LowNS: 100, HighNS: 1000, Source: "test"},
		{ID: "json-stdlib-per-kb", What: "1 KB of stdlib json", LowNS: 50000, HighNS: 100000, Source: "test"},
		{ID: "mutex-uncontended", What: "a mutex", LowNS: 15, HighNS: 25, Source: "test"},
		{ID: "tokio-spawn", What: "a task spawn", LowNS: 200, HighNS: 500, Source: "test"},
		{ID: "dict-lookup", What: "a dict lookup", LowNS: 20, HighNS: 50, Source: "test"},
	}}
	// The prose is the test's own; the decision rules (specs) and the
	// risks ranking divides by are the catalogue's, which explain's
	// decisions depend on.
	real, err := hints.Default()
	if err != nil {
		panic(err)
	}
	for _, id := range []string{"batch-ffi-calls", "zero-copy-boundary", "release-gil", "gil-contention", "reduce-allocations", "avoid-clones", "faster-serialization", "hot-logging", "move-hot-loop-native", "algorithmic", "lock-contention", "gc-pressure", "buffer-io", "async-overhead", "cache-results", "import-overhead", "gil-reacquire", "blocking-in-async", "dual-implementation", "flat-profile", "binding-upgrade"} {
		c.Hints = append(c.Hints, hints.Hint{ID: id, Title: "title of " + id, Category: "python", Signals: []string{"s"}, Why: "w", Fix: "fix " + id, Impact: "i", Tradeoffs: "t", Measure: "measure " + id + ".", UnitCosts: []string{"python-call"}})
		h, _ := real.Lookup(id)
		c.Hints[len(c.Hints)-1].Spec = h.Spec
		c.Hints[len(c.Hints)-1].Risk = h.Risk
	}
	return c
}

// fixtureFiles lists every profile under the repository's fixtures and the
// shared fixtures (when present).
func fixtureFiles(t *testing.T) []string {
	var files []string
	for _, root := range []string{"../fixtures", "../../shared/fixtures"} {
		_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return nil
			}
			switch {
			case strings.Contains(p, "conformance"), strings.Contains(p, "workloads"), strings.Contains(p, "/testdata/"):
				return nil
			case strings.HasSuffix(p, ".json"), strings.HasSuffix(p, ".txt"), strings.HasSuffix(p, ".folded"), strings.HasSuffix(p, ".pb.gz"),
				strings.HasSuffix(p, ".json.gz"), strings.HasSuffix(p, ".txt.gz"), strings.HasSuffix(p, ".folded.gz"):
				files = append(files, p)
			}
			return nil
		})
	}
	sort.Strings(files)
	return files
}

// TestEveryFixtureExplains explains every fixture the importers read and
// checks the report's invariants: categories add up to the total, shares
// are fractions, lists are sorted, and the same input gives the same bytes.
func TestEveryFixtureExplains(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	files := fixtureFiles(t)
	if len(files) == 0 {
		t.Skip("no fixtures found")
	}
	explained := 0
	for _, f := range files {
		p := loadQuiet(f)
		if p == nil {
			continue // not a profile the importers accept (invalid inputs are the importers' tests)
		}
		t.Run(strings.TrimLeft(f, "./"), func(t *testing.T) {
			r, err := Explain(p, cat, Options{Path: f, Value: -1})
			if errors.Is(err, profile.ErrNoSamples) {
				return
			}
			require.NoError(t, err)
			explained++
			checkReport(t, r)
			r2, err := Explain(p, cat, Options{Path: f, Value: -1})
			require.NoError(t, err)
			b1, _ := json.Marshal(r)
			b2, _ := json.Marshal(r2)
			assert.Equal(t, string(b1), string(b2), "not deterministic")
		})
	}
	assert.Greater(t, explained, 20)
}

func checkReport(t *testing.T, r *Report) {
	t.Helper()
	assert.Equal(t, Schema, r.Schema)
	var sum int64
	var shares float64
	for i, c := range r.Categories {
		sum += c.Value
		shares += c.Share
		assert.GreaterOrEqual(t, catIndex(Category(c.Name)), 0, c.Name)
		if i > 0 {
			assert.GreaterOrEqual(t, r.Categories[i-1].Value, c.Value, "categories sorted")
		}
	}
	assert.Equal(t, r.Total, sum, "category values add up to the total")
	assert.InDelta(t, 1, shares, 1e-9, "category shares add up to 1")
	assert.Equal(t, r.Total, r.Idle+r.ActiveTotal)
	for i, h := range r.Hotspots {
		assert.True(t, h.SelfShare >= 0 && h.SelfShare <= 1 && h.TotalShare <= 1+1e-9, "hotspot shares %v", h)
		if i > 0 {
			assert.GreaterOrEqual(t, r.Hotspots[i-1].Self, h.Self, "hotspots sorted")
		}
	}
	for i, f := range r.Findings {
		assert.True(t, f.Share >= 0 && f.Share <= 1, "finding share %v", f.Share)
		assert.Contains(t, []string{"high", "medium", "low"}, f.Severity)
		assert.Contains(t, []string{"high", "medium", "low"}, f.Risk, "every hint declares its risk")
		assert.NotEmpty(t, f.Evidence)
		assert.NotEmpty(t, f.ExpectedImpact)
		if (i > 1 || (i == 1 && !r.Flat)) && r.Findings[i-1].Confidence == f.Confidence {
			prev := r.Findings[i-1]
			assert.GreaterOrEqual(t, prev.Share/hints.RiskUnits(prev.Risk), f.Share/hints.RiskUnits(f.Risk), "findings sorted by share per unit of risk (after flat-profile, which leads a flat report; low confidence after direct evidence)")
		}
		if i > 0 && !(i == 1 && r.Flat) {
			assert.False(t, r.Findings[i-1].Confidence == "low" && f.Confidence != "low", "a low-confidence finding ranks below those with direct evidence")
		}
		if r.Flat {
			assert.Equal(t, "flat-profile", r.Findings[0].Hint)
		}
	}
	// Exclusive claims: no unit of cost is claimed by two findings, so the
	// claimed shares (and what the fixes could remove) add up to at most 1.
	var claimed, removable float64
	for _, f := range r.Findings {
		claimed += f.ClaimedShare
		removable += f.Share
		assert.LessOrEqual(t, f.RemoveLow, f.RemoveHigh)
	}
	assert.LessOrEqual(t, claimed, 1+1e-9, "claimed shares add up to at most 100%%")
	assert.LessOrEqual(t, removable, claimed+1e-9)
	assert.Contains(t, []string{RecOnCPU, RecOffCPU, RecWall, RecMemory}, r.Input.Recording)
	assert.NotEmpty(t, r.Summary)
	assert.False(t, math.IsNaN(r.Quality.Truncated) || math.IsNaN(r.Quality.Unsymbolized))
}

// TestPlanted checks the planted-cause recordings against
// fixtures/expectations.tsv (path, planted_hint, must_not, recording,
// expect): with expect "top" the planted hint is the top finding, with
// "present" it is among the findings; must_not hints never appear (controls
// carry planted hint "none"); the recording kind is the one recorded.
func TestPlanted(t *testing.T) {
	data, err := os.ReadFile("../fixtures/expectations.tsv")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("fixtures/expectations.tsv not recorded yet")
	}
	require.NoError(t, err)
	cat, err := hints.Default()
	require.NoError(t, err)
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "path\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		for len(cols) < 5 {
			cols = append(cols, "-")
		}
		path, planted, recording, expect := cols[0], cols[1], cols[3], cols[4]
		var mustNot []string
		for _, h := range strings.Split(cols[2], ",") {
			if h = strings.TrimSpace(h); h != "" && h != "-" {
				mustNot = append(mustNot, h)
			}
		}
		t.Run(path, func(t *testing.T) {
			p := load(t, filepath.Join("../fixtures", strings.TrimPrefix(path, "fixtures/")))
			r, err := Explain(p, cat, Options{Path: path, Value: -1})
			require.NoError(t, err, "expectations.tsv:%d", n+1)
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Hint)
			}
			if recording != "-" && recording != "" {
				assert.Equal(t, recording, r.Input.Recording, "recording")
			}
			switch {
			case planted == "none" || planted == "-":
			case expect == "top":
				require.NotEmpty(t, r.Findings, "no findings; want %s on top", planted)
				assert.Equal(t, planted, r.Findings[0].Hint, "top finding (all: %v)", got)
			default:
				assert.Contains(t, got, planted, "planted hint among the findings")
			}
			for _, h := range mustNot {
				assert.NotContains(t, got, h, "must not raise %s (all: %v)", h, got)
			}
		})
	}
}

// sampleProfile builds a small profile from real stacks (perf -X perf,
// fixtures/perf/py312-xperf-threads-dwarf.perf.txt) in two threads.
func sampleProfile(t *testing.T) *profile.Profile {
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "cpu-clock", Unit: "nanoseconds"}}, profile.Limits{})
	lib := "/opt/python/3.12.1/lib/libpython3.12.so.1.0"
	py := func(name, file string) profile.Frame {
		return profile.Frame{Name: "py::" + name + ":" + file, Display: name, File: file, Module: "/tmp/perf-20932.map", Kind: profile.KindPython}
	}
	c := func(name string) profile.Frame {
		return profile.Frame{Name: name, Module: lib, Kind: profile.KindNative}
	}
	add := func(tid int64, thread string, n int64, fs ...profile.Frame) {
		require.NoError(t, b.AddFrames(fs, profile.Labels{TID: tid, HasTID: true, Thread: thread}, n, n*20_000_000))
	}
	add(1, "fibber", 60, py("fib", "py_threads.py"), c("_PyEval_EvalFrameDefault"))
	add(1, "fibber", 10, py("fib", "py_threads.py"), c("_PyEval_EvalFrameDefault"), c("long_add"))
	add(2, "cruncher", 25, py("crunch_numbers", "py_threads.py"), c("_PyEval_EvalFrameDefault"))
	add(2, "cruncher", 5, py("crunch_numbers", "py_threads.py"), c("_PyEval_EvalFrameDefault"), c("_Py_HandlePending"), c("drop_gil"))
	p := b.Profile()
	require.NoError(t, p.Validate())
	return p
}

func TestExplainSmall(t *testing.T) {
	r, err := Explain(sampleProfile(t), testCatalogue(), Options{Value: -1, Items: 1000})
	require.NoError(t, err)
	checkReport(t, r)
	assert.Equal(t, int64(100*20_000_000), r.Total)
	assert.Equal(t, []CategoryShare{
		{Name: "python", Value: 95 * 20_000_000, Share: 0.95},
		{Name: "gil", Value: 5 * 20_000_000, Share: 0.05},
	}, r.Categories)
	require.NotEmpty(t, r.Hotspots)
	assert.Equal(t, "fib", r.Hotspots[0].Function)
	assert.InDelta(t, 0.70, r.Hotspots[0].SelfShare, 1e-9)
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Hint)
	}
	// Two CPU-bound Python threads: the loops themselves are the lever (95%
	// Python). The 5 GIL hand-over samples are under the 10-sample floor of
	// gil-contention's spec, and the parallelism the GIL costs is time the
	// loop finding claims first (it is the loop's CPU time).
	assert.Equal(t, []string{"move-hot-loop-native"}, got)
	assert.InDelta(t, 0.95, r.Findings[0].ClaimedShare, 1e-9)
	assert.Contains(t, r.Findings[0].ExpectedImpact, "per item at 1,000 items")
}

func TestFilters(t *testing.T) {
	p := sampleProfile(t)
	cat := testCatalogue()
	tests := []struct {
		name  string
		opt   Options
		total int64
	}{
		{"focus", Options{Value: -1, Focus: regexp.MustCompile(`^crunch`)}, 30 * 20_000_000},
		{"ignore", Options{Value: -1, Ignore: regexp.MustCompile(`long_add|drop_gil`)}, 85 * 20_000_000},
		{"focus file", Options{Value: -1, Focus: regexp.MustCompile(`py_threads\.py`)}, 100 * 20_000_000},
		{"thread name", Options{Value: -1, Thread: "fib"}, 70 * 20_000_000},
		{"thread tid", Options{Value: -1, Thread: "^2$"}, 30 * 20_000_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Explain(p, cat, tc.opt)
			require.NoError(t, err)
			assert.Equal(t, tc.total, r.Total)
		})
	}
}

func TestNoSamples(t *testing.T) {
	p := sampleProfile(t)
	cat := testCatalogue()
	_, err := Explain(p, cat, Options{Path: "x.perf", Value: -1, Focus: regexp.MustCompile(`nothing-matches`)})
	require.ErrorIs(t, err, profile.ErrNoSamples)
	assert.EqualError(t, err, "explain x.perf: no samples are left after --focus/--ignore/--thread: profile has no samples")

	empty := profile.NewBuilder("e", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{}).Profile()
	_, err = Explain(empty, cat, Options{Value: -1})
	require.ErrorIs(t, err, profile.ErrNoSamples)
	assert.EqualError(t, err, "explain profile: the profile has no samples: profile has no samples")

	_, err = Explain(p, cat, Options{Value: 3})
	assert.EqualError(t, err, "explain: value type 3 out of range (1 types)")
	_, err = Explain(p, cat, Options{Value: -1, Thread: "("})
	assert.ErrorContains(t, err, "explain: --thread: error parsing regexp")
}

// TestOddProfiles: inputs at the edges of the model explain without panics.
func TestOddProfiles(t *testing.T) {
	cat := testCatalogue()
	vt := []profile.ValueType{{Type: "wall", Unit: "nanoseconds"}}
	tests := []struct {
		name    string
		stacks  [][]profile.Frame
		summary string
	}{
		{"all idle (py-spy --idle, fixtures/pyspy/py312-threads-idle.speedscope.json waiter thread)", [][]profile.Frame{{
			{Name: "wait_for_jobs", File: "/opt/bench/threads_pure.py", Kind: profile.KindPython},
			{Name: "get", File: "/opt/python/3.12.1/lib/python3.12/queue.py", Kind: profile.KindPython},
			{Name: "wait", File: "/opt/python/3.12.1/lib/python3.12/threading.py", Kind: profile.KindPython},
		}}, "Every sample is idle"},
		{"empty stack", [][]profile.Frame{{}}, "Most of the active time goes to native"},
		{"unnamed frames", [][]profile.Frame{{{Kind: profile.KindUnknown}, {Name: "0x7f00deadbeef", Kind: profile.KindNative}}}, "Most of the active time goes to native"},
		{"pseudo frames only", [][]profile.Frame{{{Name: "thread (15289): fibber"}}}, "Most of the active time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := profile.NewBuilder("odd", vt, profile.Limits{})
			for _, s := range tc.stacks {
				require.NoError(t, b.AddFrames(s, profile.Labels{}, 1, 10_000_000))
			}
			p := b.Profile()
			require.NoError(t, p.Validate())
			r, err := Explain(p, cat, Options{Value: -1, Items: 10})
			require.NoError(t, err)
			checkReport(t, r)
			assert.Contains(t, r.Summary, tc.summary)
		})
	}
}

// TestBlockedThreadIsIdle: in a wall-clock py-spy profile a thread that sits
// on one line (fixtures/pyspy/py312-threads-idle.speedscope.json: the
// sleeper in nap, line 59, in time.sleep) is blocked, not running Python;
// two CPU-bound threads on varying lines contend for the GIL.
func TestBlockedThreadIsIdle(t *testing.T) {
	b := profile.NewBuilder("wall", []profile.ValueType{{Type: "wall", Unit: "nanoseconds"}}, profile.Limits{})
	b.Meta().Producer, b.Meta().Recording = "py-spy@0.4.0", RecWall
	f := func(name string, line int64) profile.Frame {
		return profile.Frame{Name: name, File: "/opt/bench/threads_pure.py", Line: line, Kind: profile.KindPython}
	}
	waiter := profile.Frame{Name: "wait", File: "/opt/python/3.12.1/lib/python3.12/threading.py", Line: 359, Kind: profile.KindPython}
	add := func(tid, n int64, fs ...profile.Frame) {
		require.NoError(t, b.AddFrames(fs, profile.Labels{TID: tid, HasTID: true}, n, n*10_000_000))
	}
	add(1, 100, f("nap", 58), f("nap", 59))
	add(2, 60, f("crunch_numbers", 33))
	add(2, 40, f("crunch_numbers", 34))
	add(3, 55, f("fib", 19))
	add(3, 45, f("fib", 20))
	add(4, 100, f("wait_for_jobs", 50), waiter)
	p := b.Profile()
	require.NoError(t, p.Validate())
	r, err := Explain(p, testCatalogue(), Options{Value: -1})
	require.NoError(t, err)
	assert.Equal(t, int64(200*10_000_000), r.Idle, "the sleeper and the queue waiter are idle")
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "gil-contention", r.Findings[0].Hint)
	assert.Contains(t, r.Findings[0].Evidence, "2 threads ran Python code")
	for _, h := range r.Hotspots {
		assert.NotEqual(t, "nap", h.Function)
	}
}
