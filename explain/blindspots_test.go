package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// TestFormatBlindSpots: each new format's report says what the recorder
// cannot show (issue 11's list), and no stack of a call graph counts as
// cut off by unwinding.
func TestFormatBlindSpots(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"../fixtures/pstats/per-item.pstats", "threads other than the one that started the profiler"},
		{"../fixtures/pstats/per-item.pstats", "native frames: C and Rust code has no entries"},
		{"../fixtures/callgrind/fanout.callgrind.out", "counts instructions executed (Ir) under valgrind, not time"},
		{"../fixtures/heaptrack/churn.heaptrack.zst", "CPU time: heaptrack records allocations"},
		{"../fixtures/scalene/crunch.scalene.json", "stacks: scalene reports lines and functions"},
		{"shared:fixtures/austin/py39-hot-loop.austin", "native frames: austin samples Python frames only"},
		{"shared:fixtures/massif/cmalloc.massif.out", "allocation churn: massif snapshots the live heap"},
		{"shared:fixtures/flamegraph-svg/py312-json.pyspy-options.inferno.svg", "frames narrower than the writer's minimum width"},
		{"shared:fixtures/callgrind/py311-hot-loop.callgrind.out", "Python function names: under CPython callgrind sees only"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			path := tc.path
			if rel, ok := strings.CutPrefix(path, "shared:"); ok {
				path = testutil.Shared(t, rel)
			}
			r := explainFile(t, path)
			assert.Contains(t, strings.Join(r.Quality.CannotSee, "\n"), tc.want)
			if strings.Contains(path, "pstats") || strings.Contains(path, "callgrind") {
				assert.Zero(t, r.Quality.Truncated)
			}
		})
	}
}

// TestAustinThreadRootsArePseudoFrames: austin's "Thread <hex id>" roots
// (and austin 3's "Process <pid>") are thread roots, not native code, so a
// recording of Python frames only has no native frames.
func TestAustinThreadRootsArePseudoFrames(t *testing.T) {
	for _, name := range []string{"Thread 55984eb8ab40", "Thread 0:7f3a2b1c0740", "Process 4242", "Thread 140234"} {
		fi := analyzeFrame(profile.Frame{Name: name})
		assert.True(t, fi.pseudo, name)
	}
	assert.False(t, analyzeFrame(profile.Frame{Name: "Thread::run"}).pseudo)
	p := load(t, testutil.Shared(t, "fixtures/austin/py39-hot-loop.austin"))
	a := newAnalysis(p, 0, DefaultRules())
	assert.False(t, a.cls.nativeFrames)
}

// TestCallgrindOfCPython: callgrind counts instructions (the report says
// so), and its call graph of CPython runs through recursion cycles (eval
// → import → eval: PyImport_ImportModuleLevelObject'2's inclusive Ir is
// the whole run's 540,094,125), so the import machinery's share cannot be
// read from stacks derived through them: import-overhead (20.9% before)
// no longer leads.
func TestCallgrindOfCPython(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/callgrind/py311-hot-loop.callgrind.out"))
	assert.Contains(t, r.Summary, "instructions")
	for _, f := range r.Findings {
		assert.NotEqual(t, "import-overhead", f.Hint, f.Evidence)
	}
}

// TestFlameGraphSVGRecording: an SVG says what it counts only through its
// count name: heaptrack's documented recipe counts allocations (memory);
// "samples" are read as on-CPU, with a note that the file does not say;
// austin drawn as an SVG reads like the austin file it came from (its
// boxes are not samples: 93.9% in collatz_len and checksum, both ways).
func TestFlameGraphSVGRecording(t *testing.T) {
	mem := explainFile(t, testutil.Shared(t, "fixtures/flamegraph-svg/cmalloc-heaptrack-allocations.svg"))
	assert.Equal(t, RecMemory, mem.Input.Recording)
	py := explainFile(t, testutil.Shared(t, "fixtures/flamegraph-svg/py312-json.pyspy-options.inferno.svg"))
	assert.Equal(t, RecOnCPU, py.Input.Recording)
	assert.Contains(t, strings.Join(py.Warnings, "\n"), "The flame graph does not say how it was recorded")
	svg := explainFile(t, testutil.Shared(t, "fixtures/flamegraph-svg/py39-hot-loop.austin.icicle.svg"))
	txt := explainFile(t, testutil.Shared(t, "fixtures/austin/py39-hot-loop.austin"))
	assert.Zero(t, svg.Samples)
	if assert.NotEmpty(t, svg.Findings) && assert.NotEmpty(t, txt.Findings) {
		assert.Equal(t, txt.Findings[0].Hint, svg.Findings[0].Hint)
		assert.InDelta(t, txt.Findings[0].ClaimedShare, svg.Findings[0].ClaimedShare, 0.001)
	}
}
