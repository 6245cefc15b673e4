package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

func ruledOutByHint(r *Report, hint string) *RuledOut {
	for i := range r.RuledOut {
		if r.RuledOut[i].Hint == hint {
			return &r.RuledOut[i]
		}
	}
	return nil
}

// The usual suspects the example reports list under "what I would not
// recommend", from the profile's structure: one thread that no one waits
// for the GIL beside argues against threads and against releasing the GIL;
// a collector visible at a few samples argues against GC tuning.
func TestUsualSuspectsRuledOut(t *testing.T) {
	// py-spy raw, no thread ids, every stack from <module>: pure Python
	// and stdlib json, no extension.
	r := explainFile(t, testutil.Shared(t, "fixtures/pyspy/py312-json.raw.txt"))
	th := ruledOutByHint(r, "gil-contention")
	require.NotNil(t, th, "threads ruled out for one thread of Python work")
	assert.Equal(t, "More threads, or asyncio, for this work", th.Title)
	assert.Contains(t, th.Reason, "the file has no thread ids")
	assert.Nil(t, ruledOutByHint(r, "release-gil"), "no extension whose GIL could be released")

	// perf DWARF of rpds/libcst under CPython 3.11: one tid, PyO3 entries,
	// gc_collect_main in 5 of 112 samples (the example report's count).
	r = explainFile(t, testutil.Shared(t, "fixtures/perf/py311-pyo3-dwarf.perf.txt"))
	gil := ruledOutByHint(r, "release-gil")
	require.NotNil(t, gil)
	assert.Contains(t, gil.Reason, "One thread ran 100.0% of the active time")
	gc := ruledOutByHint(r, "gc-pressure")
	require.NotNil(t, gc)
	assert.Equal(t, "GC tuning", gc.Title)
	assert.Contains(t, gc.Reason, "(5 of 112 samples;")

	// Three GIL-bound worker threads sharing a core: threads are the
	// question there, not a settled no.
	r = explainFile(t, testutil.Shared(t, "fixtures/pyspy/py311-threads.speedscope.json"))
	for _, h := range []string{"gil-contention", "release-gil"} {
		if ro := ruledOutByHint(r, h); ro != nil {
			assert.False(t, strings.Contains(ro.Reason, "no thread waited"), "%s: %s", h, ro.Reason)
		}
	}
}

// cProfile records only the thread that started it: a pstats file of a
// four-thread program shows one thread, which argues nothing about threads.
// Its main thread waiting in join is idle, not work.
func TestUsualSuspectsNotFromOneThreadRecorders(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/pstats/py311-threads-gil.pstats"))
	assert.Nil(t, ruledOutByHint(r, "release-gil"))
	assert.Nil(t, ruledOutByHint(r, "gil-contention"))
	assert.Greater(t, float64(r.Idle)/float64(r.Total), 0.95, "MANIFEST: 99% of tottime is the lock acquire of MainThread waiting in join")
}

// TestGCTuningNeedsNativeFrames: a py-spy recording with Python frames
// only cannot show the collector (it runs inside the line that started
// it), so GC tuning is set aside until a recording with native frames
// shows its cost; a recording with native frames and no collector frame
// says nothing about it.
func TestGCTuningNeedsNativeFrames(t *testing.T) {
	gcEntry := func(r *Report) string {
		for _, o := range r.RuledOut {
			if o.Title == "GC tuning" {
				return o.Reason
			}
		}
		return ""
	}
	py := explainText(t, "pyonly.folded", "<module> (app.py:30);main (app.py:20);work (app.py:10) 80\n<module> (app.py:30);main (app.py:21) 20\n")
	assert.Contains(t, gcEntry(py), "Python frames only")
	assert.Contains(t, gcEntry(py), "cannot be told from this file")

	var b strings.Builder
	add := eventsOf(&b, 7)
	add(100, "work "+extSO, "_PyEval_EvalFrameDefault "+libpy)
	native := explainText(t, "native.perf.txt", b.String())
	assert.Empty(t, gcEntry(native))
}
