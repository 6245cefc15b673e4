package explain

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// Stacks that start at an inner Python function lost their callers: a
// Python-level stack is whole only from a module body or a thread's
// bootstrap. The example report for the shared py-spy json recording counts
// one such stack of 642 samples (`_iterencode_dict` alone); scalene has no
// stacks to cut; perf's DWARF unwinding stops at CPython 3.12's -X perf
// trampolines, so the shared -X perf recording's stacks start at a py::
// frame, counted here from the perf text (each record's outermost frame).
func TestTruncatedAtPythonFrames(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/pyspy/py312-json.raw.txt"))
	assert.InDelta(t, 1.0/642, r.Quality.Truncated, 1e-9)
	assert.InDelta(t, 1.0/642, r.Quality.TruncatedAtPython, 1e-9)

	r = explainFile(t, testutil.Shared(t, "fixtures/scalene/deb311-hot-loop.scalene.json"))
	assert.Zero(t, r.Quality.Truncated, "scalene reports no callers: nothing is cut")

	path := testutil.Shared(t, "fixtures/perf/py312-xperf-threads-dwarf.perf.txt")
	all, atPy := outermostPyFrames(t, path)
	require.Positive(t, all)
	r = explainFile(t, path)
	assert.InDelta(t, float64(atPy)/float64(all), r.Quality.TruncatedAtPython, 0.01)
	assert.GreaterOrEqual(t, r.Quality.Truncated, r.Quality.TruncatedAtPython)
	var next string
	for _, n := range r.Quality.Next {
		if strings.Contains(n, "perf_jit") {
			next = n
		}
	}
	assert.NotEmpty(t, next, "stacks cut at -X perf's trampolines: record with perf_jit")
}

// outermostPyFrames counts a perf script file's records and those whose
// outermost frame is a -X perf trampoline (py::...).
func outermostPyFrames(t *testing.T, path string) (all, atPy int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	last := ""
	flush := func() {
		if last != "" {
			all++
			if fs := strings.Fields(last); len(fs) >= 2 && strings.HasPrefix(fs[1], "py::") {
				atPy++
			}
		}
		last = ""
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case line[0] == ' ' || line[0] == '\t':
			last = line
		}
	}
	flush()
	require.NoError(t, sc.Err())
	return all, atPy
}

// How a perf recording unwound decides the record command a measurement
// plan gives: CPython calling CPython shows only under DWARF (CPython is
// built without frame pointers). Truth from the MANIFEST's and the corpus
// recipe's record commands (-g against --call-graph dwarf), for the Python
// recordings.
func TestDWARFUnwoundFromCPythonCalls(t *testing.T) {
	cases := map[string]bool{
		testutil.Shared(t, "fixtures/perf/py311-threads-fp.perf.txt"):          false,
		testutil.Shared(t, "fixtures/perf/py311-pyo3-dwarf.perf.txt"):          true,
		testutil.Shared(t, "fixtures/perf/py312-xperf-threads-dwarf.perf.txt"): true,
	}
	corpus, _ := filepath.Glob("../fixtures/corpus/*/*/*-py312-*.perf.txt*")
	for _, f := range corpus {
		switch {
		case strings.Contains(f, "-py312-fp.") || strings.Contains(f, "-py312-offfp."):
			cases[f] = false
		case strings.Contains(f, "-py312-dwarf.") || strings.Contains(f, "-py312-offcpu."):
			cases[f] = true
		}
	}
	require.Greater(t, len(cases), 20)
	for f, want := range cases {
		a := newAnalysis(load(t, f), 0, DefaultRules())
		a.filter(nil, nil, nil)
		a.recording = inferRecording(a)
		a.attribute()
		assert.Equal(t, want, a.dwarfUnwound(), f)
	}
}
