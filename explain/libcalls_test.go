package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The library variant of move-hot-loop-native: the cost is a library's
// own Python code, and the finding names the program's call into it.
// Expected numbers are pstats.Stats' (cProfile) and counts over the perf
// text (the samples whose innermost py:: frame is in copy.py), not this
// code's.

// TestLibraryCallFromCallGraph: order_snapshots.py under cProfile.
// pstats.Stats: apply_update calls copy.py:118(deepcopy) 3,328 times
// (primitive calls; 332,800 with its recursion), deepcopy's cumtime is
// 96.57% of the 0.5296 s total, the copy module's functions' own time
// 71.15% (deepcopy 45.67%, _deepcopy_dict 14.49%), dict.get under
// deepcopy 15.47%.
func TestLibraryCallFromCallGraph(t *testing.T) {
	r := explainFile(t, "../fixtures/pstats/order-snapshots.pstats")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Contains(t, f.Cause, "apply_update's calls to copy.deepcopy are the cost")
	assert.Contains(t, f.Evidence, "apply_update calling copy.deepcopy (3,328 calls) 96.6% in all, 71.2% of it the library's Python code (deepcopy 45.7%, _deepcopy_dict 14.5%")
	assert.Contains(t, f.Evidence, "dict.get 15.5%")
	// The recursion's derived stacks stop where deepcopy comes round
	// again: their part still counts at apply_update's call.
	assert.InDelta(t, 0.7115, f.ClaimedShare, 0.001)
	assert.Contains(t, f.Fix, "In apply_update, call pickle.loads(pickle.dumps(")
	assert.NotContains(t, f.Fix, "Move ")
	assert.Equal(t, "medium", f.Risk)
}

// TestLibraryCallStdlibLoop: sensor_means.py under cProfile. pstats:
// main calls statistics.mean 20 times; mean's cumtime is 83.20% of
// 0.3750 s; _sum's own time 34.27%, _exact_ratio's 14.67%. The call
// graph derives 2.2 ms of _sum's cost through the import machinery's
// exec (builtins.exec is called by both), which counts as import: the
// claim is the module's Python code less that, 47.5-49.5%.
func TestLibraryCallStdlibLoop(t *testing.T) {
	r := explainFile(t, "../fixtures/pstats/sensor-means.pstats")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Contains(t, f.Cause, "main's calls to statistics.mean are the cost")
	assert.Contains(t, f.Evidence, "main calling statistics.mean (20 calls) 83.2% in all")
	assert.Contains(t, f.Evidence, "float.as_integer_ratio 24.0%")
	assert.True(t, f.ClaimedShare > 0.475 && f.ClaimedShare < 0.495, "claimed %.4f", f.ClaimedShare)
	assert.Contains(t, f.Fix, "In main, call statistics.fmean(...) instead of statistics.mean")
	require.NotEmpty(t, f.Sketches)
	assert.Contains(t, f.Sketches[0].After, "statistics.fmean(data)")
}

// TestLibraryCallFullStacks: the same program under perf with 3.13
// -X perf_jit (whole stacks): 285 of 308 samples have their innermost
// Python frame in copy.py, every one under apply_update.
func TestLibraryCallFullStacks(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/order-snapshots-py313-jit.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Contains(t, f.Cause, "apply_update's calls to copy.deepcopy are the cost")
	assert.InDelta(t, 285.0/308, f.ClaimedShare, 0.0005)
}

// TestLibraryCallCallersHidden: 3.12 -X perf with DWARF stacks stop at
// the innermost Python frame, so apply_update is on no stack with
// deepcopy: 376 of 406 samples have their innermost Python frame in
// copy.py, one of them in the collector (visit_decref), so 375 are the
// module's Python work. The finding names the module and says the
// callers are not shown, and with what recording they are.
func TestLibraryCallCallersHidden(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/order-snapshots.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Contains(t, f.Cause, "Python code of the copy module is the cost")
	assert.Contains(t, f.Evidence, "(92.6% with what it calls)")
	assert.Contains(t, f.Evidence, "perf_jit")
	assert.InDelta(t, 375.0/406, f.ClaimedShare, 0.0005)
	assert.Contains(t, f.Fix, "Where the program calls copy.deepcopy")
}

func TestModulePath(t *testing.T) {
	for file, want := range map[string]string{
		"/opt/python/3.12.1/lib/python3.12/statistics.py":               "statistics",
		"/usr/lib/python3.11/json/encoder.py":                           "json.encoder",
		"/usr/lib/python3/dist-packages/requests/__init__.py":           "requests",
		"/venv/lib/python3.13t/site-packages/numpy/core/fromnumeric.py": "numpy.core.fromnumeric",
		"/home/u/app/main.py":                                           "",
	} {
		assert.Equal(t, want, modulePath(file), file)
	}
	assert.Equal(t, "statistics.mean", qualifiedPyName("mean", "/usr/lib/python3.12/statistics.py"))
	assert.Equal(t, "json.encoder.JSONEncoder.encode", qualifiedPyName("JSONEncoder.encode", "/usr/lib/python3.12/json/encoder.py"))
	assert.Equal(t, "copy.deepcopy", qualifiedPyName("copy.deepcopy", "/usr/lib/python3.12/copy.py"))
}

// TestPerItemCallsIntoCPython: letters.py's generator expression at line
// 26 calls unicodedata.category 239,988 times (pstats.Stats), and
// per_item.py's count_words calls dict.get 100,000 times: CPython's own C
// functions, beside which no batch entry point can be added. The finding
// says so, names the generator by file and line, and fixes the loop.
func TestPerItemCallsIntoCPython(t *testing.T) {
	r := explainFile(t, "../fixtures/pstats/letters-per-item.pstats")
	f := findingOf(r, "batch-ffi-calls")
	require.NotNil(t, f)
	assert.Contains(t, f.Cause, "<genexpr> at letters.py:26 calls unicodedata.category, CPython's own C code, once per item")
	assert.Contains(t, f.Fix, "no batch entry point can be added")
	assert.NotContains(t, f.Fix, "category_many")
	assert.Equal(t, "low", f.Risk)

	r = explainFile(t, "../fixtures/pstats/per-item.pstats")
	f = findingOf(r, "batch-ffi-calls")
	require.NotNil(t, f)
	assert.Contains(t, f.Cause, "count_words calls dict.get, CPython's own C code")
	assert.Contains(t, f.Fix, "collections.Counter(items)")
	assert.NotContains(t, f.Fix, "get_many")
}

func TestStdlibBuiltin(t *testing.T) {
	for name, want := range map[string]bool{
		"unicodedata.category": true, "dict.get": true, "builtins.len": true, "_json.scanstring": true,
		"_random.Random.random": true, "corpuss.luhn_ok": false, "rpds.HashTrieMap.insert": false, "len": false,
	} {
		assert.Equal(t, want, stdlibBuiltin(name), name)
	}
}

// TestLibraryCallOnAHotLine: scalene measures only the program's files,
// so copy.deepcopy's Python time is order_snapshots.py:33's (its JSON:
// python 88.48 + native 1.42 + system 0.43 = 90.32% of the time). The
// finding names the call, and its sketch is that line calling pickle.
func TestLibraryCallOnAHotLine(t *testing.T) {
	r := explainFile(t, "../fixtures/scalene/order_snapshots.scalene.json")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Contains(t, f.Cause, "apply_update's calls to copy.deepcopy are the cost")
	assert.Contains(t, f.Evidence, "90.3% of all the time measured")
	require.NotEmpty(t, f.Sketches)
	assert.Equal(t, "# order_snapshots.py:33: copy.deepcopy runs its module's Python code on every call\norder[\"history\"].append(copy.deepcopy(snapshot))", f.Sketches[0].Before)
	assert.Contains(t, f.Sketches[0].After, `order["history"].append(pickle.loads(pickle.dumps(snapshot, pickle.HIGHEST_PROTOCOL)))`)

	// sensor_means.py:17 under scalene: 82.27% of the time.
	r = explainFile(t, "../fixtures/scalene/sensor_means.scalene.json")
	require.NotEmpty(t, r.Findings)
	f = r.Findings[0]
	assert.Contains(t, f.Cause, "main's calls to statistics.mean are the cost")
	assert.Contains(t, f.Fix, "statistics.fmean")
	require.NotEmpty(t, f.Sketches)
	assert.Contains(t, f.Sketches[0].After, "means = [statistics.fmean(readings(h)) for h in range(hours)]")
}

func TestWithNativeCall(t *testing.T) {
	for _, c := range []struct{ code, entry, want string }{
		{"x = statistics.mean(f(a, b))", "statistics.mean", "x = statistics.fmean(f(a, b))"},
		{"y = copy.deepcopy(d[')'])", "copy.deepcopy", "y = pickle.loads(pickle.dumps(d[')'], pickle.HIGHEST_PROTOCOL))"},
		{"a = my_copy.deepcopy(x) + copy.deepcopy(y)", "copy.deepcopy", "a = my_copy.deepcopy(x) + pickle.loads(pickle.dumps(y, pickle.HIGHEST_PROTOCOL))"},
	} {
		got, ok := withNativeCall(c.code, c.entry)
		assert.True(t, ok, c.code)
		assert.Equal(t, c.want, got)
	}
	got, ok := withNativeCall(`if re.match(r"\d+", a) or re.match(r"\w+", b, re.I) or re.match(r"\d+", c):`, "re.match")
	assert.True(t, ok)
	assert.Equal(t, "PATTERN = re.compile(r\"\\d+\")\nPATTERN2 = re.compile(r\"\\w+\", re.I)\n\nif PATTERN.match(a) or PATTERN2.match(b) or PATTERN.match(c):", got)
	_, ok = withNativeCall("z = mean(x)", "statistics.mean")
	assert.False(t, ok)
	_, ok = withNativeCall("z = json.dumps(x)", "json.dumps")
	assert.False(t, ok)
}

// TestLibraryCallRePatterns: token_scan.py's classify calls re.fullmatch,
// re.match and re.search with string patterns 285,000 times (pstats:
// each looks its pattern up in re._compile, tottime 0.1488 s; the re
// package's own time is 40.02% of 0.8706 s). The cost is re's per-call
// cache lookup, which memoizing in the program cannot remove: the
// finding is the calls' (compile once), and cache-results is ruled out.
func TestLibraryCallRePatterns(t *testing.T) {
	r := explainFile(t, "../fixtures/pstats/token-scan.pstats")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Contains(t, f.Cause, "classify's calls to re.fullmatch, re.match and re.search are the cost")
	assert.InDelta(t, 0.4002, f.ClaimedShare, 0.001)
	assert.Contains(t, f.Evidence, "classify calling re.fullmatch (120,000 calls)")
	assert.Contains(t, f.Fix, "make PATTERN = re.compile(...) once")
	assert.Nil(t, findingOf(r, "cache-results"))
	assert.False(t, r.Flat, "one library's calls are not a flat profile")
	require.NotEmpty(t, f.Sketches)
	assert.Contains(t, f.Sketches[0].After, "PATTERN = re.compile(pattern)\n\nresult = PATTERN.fullmatch(text)")
}
