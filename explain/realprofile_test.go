package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
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
