package explain

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// countPerfSamples is an independent counter over raw perf script text:
// the number of samples (records) and how many of them have a frame line
// containing any of the given substrings. It shares no code with the
// importer or the engine.
func countPerfSamples(t *testing.T, path string, subs ...string) (all int, hit map[string]int) {
	t.Helper()
	recs := readPerfRecords(t, path)
	hit = map[string]int{}
	for _, r := range recs {
		for _, s := range subs {
			if r.has(s) {
				hit[s]++
			}
		}
	}
	return len(recs), hit
}

// The shares quoted by the top finding of the shared rpds/libcst recording
// are recounted from the raw text: copy-on-write (make_mut) samples and
// extension frees (tp_dealloc), each of all samples.
func TestQuotedSharesRecount(t *testing.T) {
	path := testutil.Shared(t, "fixtures/perf/py311-pyo3-dwarf.perf.txt")
	all, hit := countPerfSamples(t, path, "::make_mut", "tp_dealloc")
	require.Equal(t, 112, all, "the manifest's sample count")
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(load(t, path), cat, Options{Value: -1})
	require.NoError(t, err)
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "batch-ffi-calls", f.Hint)
	assert.Contains(t, f.Cause, "insert")
	cow := pct(float64(hit["::make_mut"]) / float64(all))
	free := pct(float64(hit["tp_dealloc"]) / float64(all))
	assert.Contains(t, f.Evidence, fmt.Sprintf("make_mut %s) in %s", cow, cow), "copy-on-write share recounted: %d of %d", hit["::make_mut"], all)
	assert.Contains(t, f.Evidence, fmt.Sprintf("in %s:", free), "frees recounted: %d of %d", hit["tp_dealloc"], all)
}

// The json-loop headline's share is recounted: samples with a frame in
// json's encoder or decoder (C accelerator or Python module) of all.
func TestHeadlineRecount(t *testing.T) {
	path := testutil.Fixture(t, "planted/python/json-loop.perf.txt")
	all, _ := countPerfSamples(t, path)
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(load(t, path), cat, Options{Value: -1})
	require.NoError(t, err)
	require.Equal(t, "faster-serialization", r.Findings[0].Hint)
	// Samples under json's Python modules or the _json accelerator: the
	// serializer's context, which the finding claims whole.
	union := countUnion(t, path, "json/", "_json")
	assert.Equal(t, int64(union), int64(r.Findings[0].ClaimedShare*float64(all)+0.5), "claimed samples recounted (%d of %d)", union, all)
}

// countUnion counts the samples with a frame line containing any of subs.
func countUnion(t *testing.T, path string, subs ...string) int {
	t.Helper()
	n := 0
	for _, r := range readPerfRecords(t, path) {
		for _, s := range subs {
			if r.has(s) {
				n++
				break
			}
		}
	}
	return n
}
