package explain

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// explainFolded explains a folded excerpt from testdata.
func explainFolded(t *testing.T, name string) *Report {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	p, err := folded.Read(f, name, profile.ReadOptions{})
	require.NoError(t, err)
	r, err := Explain(p, testCatalogue(), Options{Value: -1})
	require.NoError(t, err)
	checkReport(t, r)
	return r
}

func hintsOf(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Hint)
	}
	return out
}

// TestPerItemCallsStrayPythonFrame: a frame-pointer recording of
// corpust.score_one called once per float (the 24 heaviest stacks of the
// corpus file ffi-scores-per-item-py312-fp.folded, and its one stray
// Python frame, which must not make the profile count as one that names
// the entry's callers). The stacks stop at the first libpython frame, so no
// Python function calls the entry; the caller side is the interpreter
// above it (frames.md §11: _PyEval_EvalFrameDefault self time with no
// Python function in sight is interpreter), 161 of the excerpt's 515
// samples. The wrapper's own cost (GILPool, ReferencePool, argument
// extraction, float conversion: §3.2) is as large as the work it wraps
// (exp, logistic): one call per item.
func TestPerItemCallsStrayPythonFrame(t *testing.T) {
	r := explainFolded(t, "ffi-per-item-fp.folded")
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "batch-ffi-calls", r.Findings[0].Hint, "findings %v", hintsOf(r))
	assert.Contains(t, r.Findings[0].Evidence, unnamedCaller)
	assert.True(t, strings.HasPrefix(r.Headline.Cause, "The Python loop (not named"), "cause %q starts a sentence", r.Headline.Cause)
	// Counted from the excerpt: 92 + 61 + 8 samples of the eval loop
	// with no entry point below.
	assert.InDelta(t, 161.0/515, catShare(r, "interpreter"), 0.002)
}

// TestMainThreadBatchIsNotReleaseGIL: one batched call per round from the
// main thread (ffi-scores-batch-py313-jit.folded: its 12 heaviest stacks,
// all from _start, and the two start-up stacks that take the GIL while
// the interpreter initialises). A folded file has no thread ids, but
// stacks that start at the process entry are the main thread's: one
// thread runs the extension, so releasing the GIL cannot help.
func TestMainThreadBatchIsNotReleaseGIL(t *testing.T) {
	r := explainFolded(t, "ffi-batch-main-thread.folded")
	assert.Greater(t, catShare(r, "gil"), 0.0, "the start-up take_gil stacks are in the excerpt")
	assert.NotContains(t, hintsOf(r), "release-gil")
	assert.NotContains(t, hintsOf(r), "gil-contention")
}

// TestEntryDecomposition: the crossings table splits each native entry's
// boundary cost into the per-call wrapper and per-element conversion
// (frames.md §3.2: trampoline, GIL pool and argument extraction are the
// wrapper; a list walked by extract_sequence is conversion). The planted
// pair calls the same work once per string (checksum_one) and once per
// batch (checksum_many): per item, all wrapper and no conversion; batched,
// the reverse. Counted from the perf text: 223 of the batch run's 406
// samples have extract_sequence on the stack, an upper bound for its
// conversion.
func TestEntryDecomposition(t *testing.T) {
	entry := func(r *Report, name string) NativeEntry {
		for _, e := range r.Crossings.Entries {
			if e.Function == name {
				return e
			}
		}
		t.Fatalf("no crossings row for %s", name)
		return NativeEntry{}
	}
	one := entry(explainRepo(t, "planted/pyo3/ffi-per-item.perf.txt"), "plantedffi::_::__pyfunction_checksum_one")
	assert.Zero(t, one.Convert)
	assert.Greater(t, one.GlueRatio, 0.4)
	many := entry(explainRepo(t, "planted/pyo3/ffi-batch-control.perf.txt"), "plantedffi::_::__pyfunction_checksum_many")
	assert.Greater(t, many.Convert, 5*many.Glue)
	assert.Less(t, many.GlueRatio, 0.1)
	assert.LessOrEqual(t, many.Convert, int64(223*5025125))
}
