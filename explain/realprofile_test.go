package explain

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// explainShared explains a fixture from the shared folder (skipping when it
// is absent) with the real catalogue.
func explainShared(t *testing.T, rel string) *Report {
	t.Helper()
	p := load(t, testutil.Shared(t, rel))
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(p, cat, Options{Value: -1})
	require.NoError(t, err)
	checkReport(t, r)
	return r
}

func findingOf(r *Report, hint string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].Hint == hint {
			return &r.Findings[i]
		}
	}
	return nil
}

// TestPoolHandlerThreadIsIdle: py-spy --idle on macOS, no native frames. A
// multiprocessing pool's task-handler thread sits in taskqueue.get (a C
// call, so _handle_tasks in pool.py is the innermost frame) for the whole
// run; the result handler in connection.py's _recv; the main thread in
// pool.join. None of that is Python work, and no hot-loop finding may name
// the handler.
func TestPoolHandlerThreadIsIdle(t *testing.T) {
	r := explainShared(t, "fixtures/public/speedscope/pyspy-0.4.2-macos-multithread.speedscope.json")
	assert.Equal(t, RecWall, r.Input.Recording)
	assert.Greater(t, float64(r.Idle)/float64(r.Total), 0.9, "the three pool threads and the joining main thread wait")
	for _, h := range r.Hotspots {
		assert.NotContains(t, []string{"_handle_tasks", "_handle_results", "_recv", "join"}, h.Function)
	}
	for _, f := range r.Findings {
		assert.NotContains(t, f.Evidence, "_handle_tasks")
		assert.NotContains(t, f.Functions, "_handle_tasks")
	}
}

// explainRepo explains a fixture of the repository with the real catalogue.
func explainRepo(t *testing.T, rel string) *Report {
	t.Helper()
	p := load(t, testutil.Fixture(t, rel))
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(p, cat, Options{Value: -1})
	require.NoError(t, err)
	checkReport(t, r)
	return r
}

var (
	rePct     = regexp.MustCompile(`\d+\.\d%`)
	reRemains = regexp.MustCompile(`(\d+\.\d)% remains for this finding`)
	reTakenBy = regexp.MustCompile(`(\d+\.\d)% by [a-z-]+`)
)

// TestImpactTracesToEvidence: the expected impact's share is a number the
// evidence states, or a stated fraction of one, and a share that includes
// a context layer says what it is made of (json-loop: the categories table
// has serialization itself; the evidence the whole time under the codec).
func TestImpactTracesToEvidence(t *testing.T) {
	r := explainRepo(t, "planted/python/json-loop.perf.txt")
	f := findingOf(r, "faster-serialization")
	require.NotNil(t, f)
	ser, alloc := catShare(r, "serialization"), 0.0
	for _, c := range r.Categories {
		if c.Name == "alloc" {
			alloc = c.Share
		}
	}
	require.Greater(t, ser, 0.5)
	require.Greater(t, alloc, 0.2)
	assert.Contains(t, f.Evidence, pctOf(ser)+" is serialization itself", "the categories table's number appears in the evidence")
	assert.Regexp(t, `% alloc under it`, f.Evidence)
	cat, err := hints.Default()
	require.NoError(t, err)
	for _, fx := range fixtureFiles(t) {
		p := loadQuiet(fx)
		if p == nil {
			continue // the broken fixtures
		}
		r, err := Explain(p, cat, Options{Value: -1})
		if err != nil {
			continue // no samples
		}
		for _, f := range r.Findings {
			if f.Hint == "flat-profile" {
				continue
			}
			// "...: this finding claims X% of the ...; the fix removes L–H% of it".
			m := regexp.MustCompile(`claims (\d+\.\d%) of the [^;]*; the fix removes (\d+\.\d)(?:–(\d+\.\d))?% of it`).FindStringSubmatch(f.ExpectedImpact)
			require.NotNil(t, m, "%s %s: %s", fx, f.Hint, f.ExpectedImpact)
			base := m[1]
			assert.Contains(t, rePct.FindAllString(f.Evidence, -1), base, "%s %s: impact base %s not in evidence %q", fx, f.Hint, base, f.Evidence)
			assert.Equal(t, base, pctOf(f.ClaimedShare), "%s %s: claimed share field and impact sentence agree", fx, f.Hint)
			hi := m[3]
			if hi == "" {
				hi = m[2]
			}
			assert.Equal(t, hi+"%", pctOf(f.RemoveHigh), "%s %s: removal range and field agree", fx, f.Hint)
			assert.InDelta(t, f.ClaimedShare*f.RemoveHigh, f.Share, 1e-9, "%s %s: share is the claim times the high end of the removal", fx, f.Hint)
			// "X% remains for this finding" is what it asks for; what it
			// claims is that less what the findings that cause it took.
			if rm := reRemains.FindStringSubmatch(f.Evidence); rm != nil {
				asked, _ := strconv.ParseFloat(rm[1], 64)
				var taken float64
				for _, tb := range reTakenBy.FindAllStringSubmatch(f.Evidence, -1) {
					v, _ := strconv.ParseFloat(tb[1], 64)
					taken += v
				}
				assert.InDelta(t, asked-taken, 100*f.ClaimedShare, 0.16, "%s %s: remains %s%%, taken %.1f%%, claims %s", fx, f.Hint, rm[1], taken, pctOf(f.ClaimedShare))
			}
		}
	}
}

func catShare(r *Report, name string) float64 {
	for _, c := range r.Categories {
		if c.Name == name {
			return c.Share
		}
	}
	return 0
}

func pctOf(f float64) string { return pct(f) }

// TestCrossingEntriesAreExtensionFunctions: perf expands inline frames, so
// CPython's inline helpers compiled into _json (Py_DECREF, PyUnicode_DATA,
// PyType_HasFeature) sit between the Python side and the work; the entry
// point is the extension function that encloses them, and rows with no glue
// and trivial work are left out.
func TestCrossingEntriesAreExtensionFunctions(t *testing.T) {
	r := explainRepo(t, "planted/python/json-loop.perf.txt")
	require.NotEmpty(t, r.Crossings.Entries)
	assert.Equal(t, "encoder_call", r.Crossings.Entries[0].Function)
	for _, e := range r.Crossings.Entries {
		assert.False(t, cpythonNames.has(e.Function), "CPython API helper %s listed as an entry point", e.Function)
		if e.Glue == 0 {
			assert.GreaterOrEqual(t, float64(e.Work)/float64(r.ActiveTotal), minEntryWork, "%s: no glue and trivial work", e.Function)
		}
	}
}

// TestGoProgramsGetGoAdvice: Go profiles (perf on a Go binary, Go's own
// pprof) raise gc-pressure and faster-serialization worded for Go's
// collector and encoding/json, never for CPython's gc or Python codecs.
func TestGoProgramsGetGoAdvice(t *testing.T) {
	python := regexp.MustCompile(`msgspec|orjson|gc\.freeze|CPython|pymalloc|stdlib json`)
	for _, tc := range []struct{ fixture, hint, title string }{
		{"perf/goalloc-fp.perf.txt", "gc-pressure", "Go's garbage collector"},
		{"pprof/gobench-cpu.pb.gz", "gc-pressure", "Go's garbage collector"},
		{"pprof/gobench-cpu.pb.gz", "faster-serialization", "encoding/json"},
	} {
		t.Run(tc.fixture+"/"+tc.hint, func(t *testing.T) {
			r := explainRepo(t, tc.fixture)
			f := findingOf(r, tc.hint)
			require.NotNil(t, f, "the Go profile raises %s", tc.hint)
			assert.Contains(t, f.Title, tc.title)
			for _, s := range []string{f.Title, f.Evidence, f.Fix, f.ExpectedImpact, f.Measure, f.Tradeoffs} {
				assert.NotRegexp(t, python, s)
			}
			for _, s := range f.Sketches {
				assert.Equal(t, "go", s.Language)
			}
			for _, f := range r.Findings {
				assert.NotRegexp(t, python, f.Title+f.Fix+f.ExpectedImpact, "%s", f.Hint)
			}
		})
	}
}

// TestWorkAtImportTimeIsNotImportCost: stacks built from the frames of
// fixtures/public/speedscope/pyspy-0.4.1-linux-3threads.speedscope.json
// (the hydra program's call chain and the importlib frames above its
// package __init__), re-rooted as if the program had been started with
// python -c "import experiment.cli": the importlib frames at the root do
// not make the program's work import cost; a nested import below it stays
// import; and runpy.py (Python <= 3.10 spells it as a file) running the
// main module is not import either.
func TestWorkAtImportTimeIsNotImportCost(t *testing.T) {
	const (
		venv = "/home/masa/e2e_aichallenge_playground/.venv/lib/python3.12/site-packages/"
		src  = "/home/masa/e2e_aichallenge_playground/experiment/src/experiment/"
	)
	fr := func(name, file string) profile.Frame {
		return profile.Frame{Name: name, File: file, Kind: profile.KindPython}
	}
	importing := func(module string) []profile.Frame {
		return []profile.Frame{
			fr("_find_and_load", "<frozen importlib._bootstrap>"), fr("_find_and_load_unlocked", "<frozen importlib._bootstrap>"),
			fr("_load_unlocked", "<frozen importlib._bootstrap>"), fr("exec_module", "<frozen importlib._bootstrap_external>"),
			fr("_call_with_frames_removed", "<frozen importlib._bootstrap>"), fr("<module>", module),
		}
	}
	work := []profile.Frame{
		fr("decorated_main", venv+"hydra/main.py"), fr("_run_hydra", venv+"hydra/_internal/utils.py"),
		fr("run_from_hydra", src+"runner/orchestrator.py"), fr("run", src+"runner/evaluation_runner.py"),
		fr("on_run", src+"simulator/simulator.py"), fr("scan", src+"simulator/sensor.py"),
		fr("_vectorized_ray_segment_intersection", src+"simulator/sensor.py"),
	}
	cat, err := hints.Default()
	require.NoError(t, err)
	t.Run("python -c import", func(t *testing.T) {
		b := profile.NewBuilder("import-time", []profile.ValueType{{Type: "cpu", Unit: "nanoseconds"}}, profile.Limits{})
		b.Meta().Producer = "py-spy@0.4.1"
		root := append([]profile.Frame{fr("<module>", "<string>")}, importing(src+"cli.py")...)
		program := append(append([]profile.Frame{}, root...), work...)
		nested := append(append([]profile.Frame{}, root...), importing(src+"runner/orchestrator.py")...)
		require.NoError(t, b.AddFrames(program, profile.Labels{}, 80, 80*10_000_000))
		require.NoError(t, b.AddFrames(nested, profile.Labels{}, 20, 20*10_000_000))
		p := b.Profile()
		require.NoError(t, p.Validate())
		r, err := Explain(p, cat, Options{Value: -1})
		require.NoError(t, err)
		assert.InDelta(t, 0.2, catShare(r, "import"), 1e-9, "only the nested import is import cost")
		assert.InDelta(t, 0.8, catShare(r, "python"), 1e-9)
	})
	t.Run("runpy.py runs the main module", func(t *testing.T) {
		b := profile.NewBuilder("runpy", []profile.ValueType{{Type: "cpu", Unit: "nanoseconds"}}, profile.Limits{})
		b.Meta().Producer = "py-spy@0.4.1"
		stack := append([]profile.Frame{fr("_run_module_as_main", "/usr/lib/python3.10/runpy.py"), fr("_run_code", "/usr/lib/python3.10/runpy.py"), fr("<module>", src+"cli.py")}, work...)
		require.NoError(t, b.AddFrames(stack, profile.Labels{}, 50, 50*10_000_000))
		p := b.Profile()
		require.NoError(t, p.Validate())
		r, err := Explain(p, cat, Options{Value: -1})
		require.NoError(t, err)
		assert.Zero(t, catShare(r, "import"))
		assert.Nil(t, findingOf(r, "import-overhead"))
	})
	t.Run("start-up imports stay import", func(t *testing.T) {
		r := explainShared(t, "fixtures/public/speedscope/pyspy-0.4.1-linux-3threads.speedscope.json")
		assert.Greater(t, catShare(r, "import"), 0.3, "the package import under runpy's _get_module_details is real start-up cost")
	})
}

// TestFoldedCommRootIsALabel: stackcollapse-perf puts the command name
// first ("python3.11-?" with no pid, "goalloc", "cmalloc"). It is not code:
// CPython frames under it are not called from native code (no ffi), and it
// heads no hot path and names no caller.
func TestFoldedCommRootIsALabel(t *testing.T) {
	for _, tc := range []struct{ fixture, comm string }{
		{"fixtures/folded/py311-threads-fp.pid.folded", "python3.11-?"},
		{"fixtures/folded/goalloc-fp.all.folded", "goalloc"},
		{"fixtures/folded/cmalloc-fp-fields.kernel.folded", "cmalloc"},
		{"fixtures/folded/py312-xperf-threads-dwarf.folded", "python3.12"},
	} {
		t.Run(tc.comm, func(t *testing.T) {
			r := explainShared(t, tc.fixture)
			if len(r.HotPath) > 0 {
				assert.NotEqual(t, tc.comm, r.HotPath[0].Function)
			}
			for _, f := range r.Findings {
				assert.NotContains(t, f.Evidence, tc.comm+" ", "%s", f.Hint)
				assert.NotContains(t, f.Functions, tc.comm)
			}
			assert.Zero(t, r.Crossings.NativeToPython, "the comm label is not native code calling Python")
		})
	}
	r := explainShared(t, "fixtures/folded/py311-threads-fp.pid.folded")
	assert.Zero(t, catShare(r, "ffi"), "interpreter frames under the comm label are not boundary glue")
}

// TestUnsymbolizedNames: perf's [unknown] in [kernel.kallsyms], shown by
// converters as [[kernel.kallsyms]], reads as one bracket pair, and a top
// function without a name is called unsymbolized in the summary (the
// forks fixture; pprof's cppbench with bare addresses).
func TestUnsymbolizedNames(t *testing.T) {
	r := explainShared(t, "fixtures/public/perf/speedscope-repo_forks.linux-perf.txt")
	require.NotEmpty(t, r.Hotspots)
	assert.Equal(t, "[kernel.kallsyms]", r.Hotspots[0].Function)
	assert.Contains(t, r.Summary, "unsymbolized")
	r = explainShared(t, "fixtures/public/pprof/google-pprof_cppbench.cpu_no_samples_type.pb.gz")
	assert.Contains(t, r.Summary, "0x42ed43 (76.1%), unsymbolized")
	assert.NotEmpty(t, r.Warnings)
}

// TestParkedGoroutinesAreNotScheduling: fgprof and goroutine profiles
// sample every goroutine, and a parked one (runtime.gopark at the leaf,
// under select, a channel or a sleep) is waiting, not scheduling work. In
// fgprof's wall-clock profile of parca 2,037 s of the 2,104 s are parked
// goroutines (the sum of the gopark-leaf stacks of its folded conversion):
// idle, and no async-overhead finding.
func TestParkedGoroutinesAreNotScheduling(t *testing.T) {
	r := explainShared(t, "fixtures/public2/pprof/parca_fgprof.pb.gz")
	assert.Nil(t, findingOf(r, "async-overhead"))
	assert.InDelta(t, 0.968, float64(r.Idle)/float64(r.Total), 0.001)
}

// TestPoolSpinIsNotLockContention: in pyrism's folded profile (Rust with
// rayon and OpenBLAS) worker threads yield in their own loops between jobs.
// Those stacks (start_thread → libopenblas → __sched_yield, and rayon's
// wait_until_cold → __sched_yield under Rust's thread start-up shims) sum
// to 14,155 of the 29,315 active samples, 48.3% (counted with awk on the
// file): left out of lock-contention, which keeps 54.5 - 48.3 = 6.2%, and
// adds the wake side of a contended mutex: 834 samples (2.8%) have
// pthread_mutex_unlock, __lll_lock_wake, sem_post or pthread_cond_signal
// on the stack (awk), nearly all OpenBLAS's blas_memory_alloc handing its
// lock to a waiting thread; 6 of them also wait or spin.
func TestPoolSpinIsNotLockContention(t *testing.T) {
	r := explainShared(t, "fixtures/public2/folded/pyrism_stacks.folded")
	f := findingOf(r, "lock-contention")
	require.NotNil(t, f)
	assert.InDelta(t, 0.545-0.483+float64(834-6)/29315, f.ClaimedShare, 0.002)
	assert.Contains(t, f.Evidence, "leaving out 48.3% of the active time is worker threads spinning")
	require.NotEmpty(t, r.Findings)
	assert.NotEqual(t, "lock-contention", r.Findings[0].Hint)
}

// TestRuledOutSaysWhoTookItsEvidence: in py311-pyo3-dwarf the Vec::clone
// under Arc::make_mut is the persistent trie's copy-on-write, which the
// batching finding claims as its cause: 22 of the 112 samples (19.6%, the
// model report's path-copy row). avoid-clones keeps 1 sample; its reason
// says where the rest went instead of calling 0.9% all its evidence.
func TestRuledOutSaysWhoTookItsEvidence(t *testing.T) {
	r := explainRepo(t, "perf/py311-pyo3-dwarf.perf.txt")
	var reason string
	for _, ro := range r.RuledOut {
		if ro.Hint == "avoid-clones" {
			reason = ro.Reason
		}
	}
	assert.Contains(t, reason, "Most of its evidence (19.6% of the active time) is counted under batch-ffi-calls")
	assert.Contains(t, reason, "0.9% of the active time (1 sample), is under its floor")
}

// TestTakenByNamesTheVariant: in py312-json three findings share the hint
// faster-serialization; the codec swap's claim note names the other two
// by their variant, not by the hint it has itself.
func TestTakenByNamesTheVariant(t *testing.T) {
	r := explainShared(t, "fixtures/pyspy/py312-json.raw.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	require.Equal(t, "faster-serialization", f.Hint)
	assert.Contains(t, f.Evidence, "counted under the findings that cause it (")
	assert.Contains(t, f.Evidence, "by faster-serialization (json-pure-python)")
	assert.Contains(t, f.Evidence, "by faster-serialization (json-hook-encode)")
}

// TestFunctionsFromWhatTheFindingHolds: in py311-pyo3 the allocations
// under Arc::make_mut are the copy-on-write the batching finding claims,
// and those under libcst's PyDict::set_item the conversion of its result
// to Python objects: what is left for reduce-allocations (9 samples, 8.0%)
// is under its floor, so it is set aside with that reason, as the model
// report sets the allocator aside (remove the sharing, not the clone).
func TestFunctionsFromWhatTheFindingHolds(t *testing.T) {
	r := explainRepo(t, "perf/py311-pyo3-dwarf.perf.txt")
	assert.Nil(t, findingOf(r, "reduce-allocations"))
	var why string
	for _, o := range r.RuledOut {
		if o.Hint == "reduce-allocations" {
			why = o.Reason
		}
	}
	assert.Contains(t, why, "under its floor")
	conv := findingOf(r, "zero-copy-boundary")
	require.NotNil(t, conv)
	assert.Equal(t, []string{"libcst_native::py::libcst_native::_::__pyfunction_parse_module"}, conv.Functions)
	// libcst's TryIntoPy calls each node's Python class with a keyword
	// dict: its result built object by object, the fix is in how.
	assert.True(t, strings.HasPrefix(conv.Title, "Build fewer Python objects"), conv.Title)
	assert.Contains(t, conv.Cause, "parse_module builds its result as Python objects")
	assert.Contains(t, conv.Evidence, "calling Python classes")
	assert.Contains(t, conv.Fix, "GILOnceCell")
}

// TestGoXMLIsNotJSON: pyroscope's Go profile serializes with encoding/xml
// (the AWS SDK's smithy-go decoder): the finding is worded for XML, with
// no encoding/json advice and no JSON sketch.
func TestGoXMLIsNotJSON(t *testing.T) {
	r := explainShared(t, "fixtures/public2/pprof/pyroscope_cpu_go_truncated_1.pb.gz")
	f := findingOf(r, "faster-serialization")
	require.NotNil(t, f)
	assert.Contains(t, f.Title, "encoding/xml")
	assert.Contains(t, f.Cause, "Go's reflection-based encoding/xml")
	for _, s := range []string{f.Title, f.Cause, f.Fix, f.ExpectedImpact} {
		assert.NotContains(t, s, "encoding/json")
	}
	assert.Empty(t, f.Sketches)
}

// TestFewClonesStayInTheAllocationClaim: firefox-profiler's folded
// flame graph has clone frames on 3.3% of its stacks, too few for
// avoid-clones and none of them allocating; reduce-allocations claims the
// whole 20.3% and its evidence no longer says it leaves 3.3% out.
func TestFewClonesStayInTheAllocationClaim(t *testing.T) {
	r := explainShared(t, "fixtures/public2/folded/firefox-profiler_flamegraph.txt")
	f := findingOf(r, "reduce-allocations")
	require.NotNil(t, f)
	assert.Equal(t, "20.3%", pctOf(f.ClaimedShare))
	assert.NotContains(t, f.Evidence, "leaving out")
	assert.NotContains(t, f.Evidence, "remains for this finding")
}
