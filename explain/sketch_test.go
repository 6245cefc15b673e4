package explain

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
)

// TestOwnSketchesUseTheProgramsNames: the first sketch of a finding is in
// the program's own names. Expected names from the example report on the
// py-spy json fixture (pretty_dump at json_loop.py:54 sends json.dumps to
// the pure-Python encoder) and from the corpus label of the per-item
// recording (score_one called once per float).
func TestOwnSketchesUseTheProgramsNames(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	sketchOf := func(path, hint, mention string) Sketch {
		t.Helper()
		r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1})
		require.NoError(t, err)
		for _, f := range r.Findings {
			if f.Hint == hint && strings.Contains(f.Cause, mention) {
				require.NotEmpty(t, f.Sketches, "%s has no sketch", hint)
				return f.Sketches[0]
			}
		}
		t.Fatalf("%s: no %s finding naming %s", path, hint, mention)
		return Sketch{}
	}
	const pyspyJSON = "../../shared/fixtures/pyspy/py312-json.raw.txt"
	if _, err := os.Stat(pyspyJSON); err == nil {
		s := sketchOf(pyspyJSON, "faster-serialization", "pure-Python")
		assert.Contains(t, s.Before, "json_loop.py:54")
		assert.Contains(t, s.Before, "def pretty_dump(")
		assert.Contains(t, s.After, "def pretty_dump(")
	} else {
		t.Logf("skipping the py-spy json case: %s is absent (../shared beside the repository)", pyspyJSON)
	}
	s := sketchOf("../fixtures/corpus/tuning/ffi-scores/ffi-scores-per-item-py312-dwarf.perf.txt.gz", "batch-ffi-calls", "score_one")
	assert.Equal(t, "python", s.Language)
	assert.Contains(t, s.Before, "score_one(x) for x in items")
	assert.NotContains(t, s.Before+s.After, "::", "Python code names the function as Python calls it")
}

// TestRuledOutSaysWhy: the controls of the buffer-io programs say why
// buffer-io is not recommended. Labels: io-rpc-thread makes request/response
// round trips over a socketpair; io-bigwrite writes each file in one call.
func TestRuledOutSaysWhy(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	reason := func(path, hint string) string {
		t.Helper()
		r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1})
		require.NoError(t, err)
		for _, f := range r.Findings {
			require.NotEqual(t, hint, f.Hint, "%s is a finding", hint)
		}
		for _, x := range r.RuledOut {
			if x.Hint == hint {
				return x.Reason
			}
		}
		t.Fatalf("%s: %s is not in ruled_out", path, hint)
		return ""
	}
	assert.Contains(t, reason("../fixtures/corpus/tuning/io-rpc-thread/io-rpc-thread-py312-dwarf.perf.txt.gz", "buffer-io"), "round trips")
	assert.Contains(t, reason("../fixtures/corpus/tuning/io-bigwrite/io-bigwrite-py312-dwarf.perf.txt.gz", "buffer-io"), "under its floor")
}

// TestLineEvidenceSpread: in a Python-only py-spy recording, a hot
// function whose own time spreads over several lines is interpreted work,
// and the hot-loop finding keeps its confidence. The spread is counted here
// from the raw folded text, independently of the engine.
func TestLineEvidenceSpread(t *testing.T) {
	const path = "../../shared/fixtures/pyspy/py311-subprocesses.raw.txt"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s is absent (../shared beside the repository): %v", path, err)
	}
	byLine := map[string]int{}
	total := 0
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		sp := strings.LastIndexByte(line, ' ')
		frames := strings.Split(line[:sp], ";")
		leaf := frames[len(frames)-1]
		if !strings.HasPrefix(leaf, "is_prime (") {
			continue
		}
		n, err := strconv.Atoi(line[sp+1:])
		require.NoError(t, err)
		byLine[leaf[strings.LastIndexByte(leaf, ':')+1:]] += n
		total += n
	}
	require.Positive(t, total)
	big, largest := 0, 0
	for _, n := range byLine {
		if n*20 >= total {
			big++
		}
		largest = max(largest, n)
	}
	require.GreaterOrEqual(t, big, 3, "is_prime's lines: %v", byLine)
	require.Less(t, largest*2, total)

	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1})
	require.NoError(t, err)
	for _, f := range r.Findings {
		if f.Hint == "move-hot-loop-native" {
			assert.NotEqual(t, "low", f.Confidence)
			assert.Contains(t, f.Evidence, "is_prime's own time spreads over")
			return
		}
	}
	t.Fatal("no hot-loop finding")
}

// TestQualityRuntime: capture quality names the program's runtime, so a C
// program's report is not asked whether it names Python functions.
func TestQualityRuntime(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	for path, want := range map[string]string{
		"../fixtures/dhat/cmalloc-heap.dhat.json":       "c",
		"../fixtures/planted/python/json-loop.perf.txt": "python",
	} {
		r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1})
		require.NoError(t, err)
		assert.Equal(t, want, r.Quality.Runtime, path)
	}
}

// TestTargetsForAWholeProfileClaim: a claim that is nearly the whole
// profile gets its pass line as an amount, not as a share that cannot move
// (cmalloc-heap's allocation finding claims all of its bytes).
func TestTargetsForAWholeProfileClaim(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	const path = "../fixtures/dhat/cmalloc-heap.dhat.json"
	r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1})
	require.NoError(t, err)
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	require.Greater(t, f.ClaimedShare, 0.95)
	require.NotEmpty(t, f.Targets)
	assert.Contains(t, f.Targets[0], "falls by at least")
	assert.NotContains(t, f.Targets[0], "to at most")
}

// TestCausesHaveTheirOwnTradeoffs: the json fixture's causes under
// faster-serialization carry their own tradeoffs, as the model report
// (pyspy-py312-json.md) words them: putting the call back on C costs an
// interpreter upgrade or orjson's bytes output and fixed indentation;
// converting once costs a second copy kept in step with the first. The
// codec swap keeps the hint's main tradeoffs.
func TestCausesHaveTheirOwnTradeoffs(t *testing.T) {
	r := explainShared(t, "fixtures/pyspy/py312-json.raw.txt")
	byCause := map[string]Finding{}
	for _, f := range r.Findings {
		switch {
		case strings.Contains(f.Cause, "pure-Python"):
			byCause["c-encoder"] = f
		case strings.Contains(f.Cause, "calls back"):
			byCause["hooks"] = f
		case strings.Contains(f.Cause, "standard library"):
			byCause["codec"] = f
		}
	}
	require.Len(t, byCause, 3, "the three causes of the model report")
	assert.Contains(t, byCause["c-encoder"].Tradeoffs, "interpreter upgrade")
	assert.Contains(t, byCause["c-encoder"].Tradeoffs, "bytes")
	assert.NotContains(t, byCause["c-encoder"].Tradeoffs, "typed schemas")
	assert.Contains(t, byCause["hooks"].Tradeoffs, "in step")
	assert.Contains(t, byCause["codec"].Tradeoffs, "typed schemas")
}

// TestPersistentInsertCause: the rpds recording's per-insert copies and
// frees are the copy-on-write cause under batch-ffi-calls, with that
// cause's title, fix and tradeoffs; the model report
// (perf-py311-pyo3.md) words its tradeoff as "if some caller does keep
// old versions, leave insert there" and its fix as one call that builds
// the structure.
func TestPersistentInsertCause(t *testing.T) {
	r := explainShared(t, "fixtures/perf/py311-pyo3-dwarf.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "batch-ffi-calls", f.Hint)
	assert.Contains(t, f.Title, "persistent structure in one call")
	assert.Contains(t, f.Fix, "Build each structure in one call")
	assert.Contains(t, f.Tradeoffs, "keeps an older version")
	assert.NotContains(t, f.Tradeoffs, "which item failed", "the generic batching tradeoffs are not this cause's")
}
