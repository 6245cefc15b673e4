package explain

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// Bytes still live at exit are not "allocated": each DHAT value type says
// what it counts (issue 12).
func TestDhatValueTypesHaveTheirOwnWords(t *testing.T) {
	p := load(t, testutil.Fixture(t, "planted/rust/rustalloc-grow.dhat.json"))
	cat, err := hints.Default()
	require.NoError(t, err)
	want := map[string]string{
		"end_space":   "bytes still live at exit",
		"peak_space":  "bytes live at the global peak",
		"alloc_space": "bytes allocated",
	}
	for i, vt := range p.SampleTypes {
		noun, ok := want[vt.Type]
		if !ok {
			continue
		}
		r, err := Explain(p, cat, Options{Value: i})
		if err != nil {
			continue // every site freed before exit: nothing to explain
		}
		b, _ := json.Marshal(r)
		text := string(b)
		assert.Contains(t, text, noun, vt.Type)
		if vt.Type != "alloc_space" {
			assert.NotContains(t, text, "bytes allocated", "%s must not be called allocated", vt.Type)
		}
	}
}

// Advice about Python's allocators follows the program's runtime: a Go
// heap profile and a C program's DHAT get none of it (issue 12).
func TestMemoryAdviceFollowsTheRuntime(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	for _, f := range []string{"planted/go/goalloc-bench-alloc-mem.pb.gz", "planted/c/permalloc-malloc.dhat.json", "planted/rust/rustalloc-grow.dhat.json"} {
		r, err := Explain(load(t, testutil.Fixture(t, f)), cat, Options{Value: -1})
		require.NoError(t, err)
		b, _ := json.Marshal(r)
		for _, word := range []string{"tracemalloc", "memray", "PYTHONMALLOC", "Python frames"} {
			assert.False(t, strings.Contains(string(b), word), "%s: %q in a non-Python report", f, word)
		}
	}
}

// TestLowConfidenceLoopClaimsNoBytecode: with Python frames only, a hot
// function's own time holds the C it calls (deepdrr's array_for_new_object
// spends all of it on one line, a call): the cause must not call it
// bytecode work, which the recording cannot show.
func TestLowConfidenceLoopClaimsNoBytecode(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public2/speedscope/pyspy0314-deepdrr.speedscope.json"))
	f := findingOf(r, "move-hot-loop-native")
	require.NotNil(t, f, "findings %v", hintsOf(r))
	assert.NotContains(t, f.Cause, "bytecode work")
	assert.Contains(t, f.Cause, "cannot tell")
}

// TestStdlibXMLIsASlowCodec: a planted recording of xml.dom.minidom
// building, pretty-printing and re-parsing a feed every round (388 of 408
// samples with an xml/dom or expat frame, counted over the perf text): the
// standard library's XML is a slow codec, with its own advice (lxml, fewer
// documents, another format), not json's; it led with gc-pressure before.
func TestStdlibXMLIsASlowCodec(t *testing.T) {
	r := explainFile(t, testutil.Fixture(t, "planted/python/xml-feed.perf.txt"))
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "faster-serialization", f.Hint)
	assert.Contains(t, f.Evidence, "388 of 408 samples")
	assert.Contains(t, f.Fix, "lxml")
	assert.NotContains(t, f.Fix, "orjson.loads")
	assert.Contains(t, r.Headline.Cause, "XML")
}

// TestExpatInACProgramIsNoCodecToSwap: in a public perf recording of
// graphviz, fontconfig parses its XML configuration through expat (9.3%):
// that is serialization, but no Python codec to swap for lxml.
func TestExpatInACProgramIsNoCodecToSwap(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public2/perf/firefox-profiler_graphviz.perf.gz"))
	assert.Nil(t, findingOf(r, "faster-serialization"), "findings %v", hintsOf(r))
}

// TestListAsQueue: a planted breadth-first walk pops the front of a list
// per node; CPython's list_pop moves every queued item: 147 of 267
// samples have a memory move right under list_pop (counted over the perf
// text). That is the algorithmic finding's front-shift cause, with a deque
// as its fix, not a hot loop to move to native code.
func TestListAsQueue(t *testing.T) {
	r := explainFile(t, testutil.Fixture(t, "planted/python/bfs-tree.perf.txt"))
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "algorithmic", f.Hint, "findings %v", hintsOf(r))
	assert.Contains(t, f.Evidence, "147 of 267 samples")
	assert.Contains(t, f.Fix, "deque")
	require.NotEmpty(t, f.Sketches)
	assert.Contains(t, f.Sketches[0].After, "popleft")
}
