package explain

import (
	"bufio"
	"fmt"
	"os"
	"strings"
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
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	hit = map[string]int{}
	seen := map[string]bool{}
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	flush := func() {
		for s := range seen {
			hit[s]++
		}
		seen = map[string]bool{}
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			if in {
				flush()
			}
			in = false
		case line[0] != ' ' && line[0] != '\t':
			all++
			in = true
		default:
			for _, s := range subs {
				if strings.Contains(line, s) {
					seen[s] = true
				}
			}
		}
	}
	if in {
		flush()
	}
	require.NoError(t, sc.Err())
	return all, hit
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
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	n, in, hit := 0, false, false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			if in && hit {
				n++
			}
			in, hit = false, false
		case line[0] != ' ' && line[0] != '\t':
			in = true
		default:
			for _, s := range subs {
				if strings.Contains(line, s) {
					hit = true
				}
			}
		}
	}
	if in && hit {
		n++
	}
	return n
}
