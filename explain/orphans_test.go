package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orphanRecording writes a frame-pointer recording of a Python program
// whose stacks break in libpython: 60 samples of comparisons with nothing
// but an unsymbolized frame above them, 10 of caller's own loop alone, 10
// of the eval loop and 20 of an extension's work. caller is list_contains
// (a scan) or list_sort_impl (not one).
func orphanRecording(caller string) string {
	var b strings.Builder
	add := eventsOf(&b, 7)
	add(40, "PyObject_RichCompare "+libpy, "[unknown] ([unknown])")
	add(20, "__memcmp_evex_movbe "+libc, "[unknown] ([unknown])")
	add(10, caller+" "+libpy)
	add(10, "_PyEval_EvalFrameDefault "+libpy, "[unknown] ([unknown])")
	add(20, "mix "+extSO, "[unknown] ([unknown])")
	return b.String()
}

// TestOrphanComparisonsGoToTheScans: the scan (10) and the eval loop (10)
// are the comparison callers the recording shows, so half of the 60
// orphaned comparisons count as the scan's: the finding claims 10 + 30 of
// the 100 samples (worked by hand).
func TestOrphanComparisonsGoToTheScans(t *testing.T) {
	r := explainText(t, "orphans.perf.txt", orphanRecording("list_contains"))
	var f *Finding
	for i := range r.Findings {
		if r.Findings[i].Hint == "algorithmic" {
			f = &r.Findings[i]
		}
	}
	require.NotNil(t, f, "findings: %v", hintsOf(r))
	assert.InDelta(t, 0.40, f.ClaimedShare, 1e-9)
	assert.Contains(t, f.Evidence, "take another 60.0% in stacks cut off right above them")
	assert.Contains(t, f.Evidence, "the scans hold 50.0% (10.0% against 10.0% for _PyEval_EvalFrameDefault 10.0%)")
	assert.Contains(t, f.Evidence, "counts that part of them, 30.0%")
}

// TestOrphanComparisonsNeedAScan: the same comparisons under a sort that
// the recording shows are no evidence of a linear scan.
func TestOrphanComparisonsNeedAScan(t *testing.T) {
	r := explainText(t, "orphans.perf.txt", orphanRecording("list_sort_impl"))
	assert.NotContains(t, hintsOf(r), "algorithmic")
}

// TestRustSketchOnlyWithRustCode: a Python program gets the catalogue's
// Rust sketch only when some frame is Rust code (an extension in Rust).
func TestRustSketchOnlyWithRustCode(t *testing.T) {
	langs := func(text string) []string {
		r := explainText(t, "orphans.perf.txt", text)
		var out []string
		for _, f := range r.Findings {
			if f.Hint == "algorithmic" {
				for _, s := range f.Sketches {
					out = append(out, s.Language)
				}
			}
		}
		return out
	}
	text := orphanRecording("list_contains")
	assert.Equal(t, []string{"python"}, langs(text))
	withRust := strings.ReplaceAll(text, " mix+0x1 ", " <alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop+0x1 ")
	require.True(t, text != withRust, "no frame replaced")
	assert.Equal(t, []string{"python", "rust"}, langs(withRust))
}

// orphanAllocRecording writes a frame-pointer recording of a Rust program
// whose stacks stop inside glibc's malloc (built without frame pointers):
// 30 samples of allocation under a String clone, 10 of allocation its
// caller makes directly, 40 of malloc's internals with nothing but an
// unsymbolized frame above them, and 20 of other work. With clones false
// the clone frame is left out.
func orphanAllocRecording(clones bool) string {
	const app = "(/opt/bench/rsapp)"
	var b strings.Builder
	add := eventsOf(&b, 7)
	root := []string{"rsapp::main " + app, "main " + app, "__libc_start_call_main " + libc}
	under := func(frames ...string) []string { return append(frames, root...) }
	copyFrames := under("malloc "+libc, "<alloc::string::String as core::clone::Clone>::clone "+app, "rsapp::build_keys "+app)
	if !clones {
		copyFrames = under("malloc "+libc, "rsapp::build_keys "+app)
	}
	add(30, copyFrames...)
	add(10, under("malloc "+libc, "rsapp::parse_line "+app)...)
	add(40, "_int_malloc "+libc, "[unknown] ([unknown])")
	add(20, under("rsapp::score "+app)...)
	return b.String()
}

// TestOrphanAllocationsSharedByWhatTheStacksShow: of the allocation the
// recording shows with callers, clones hold 30 of 40, so 3/4 of the 40
// orphaned samples count as copies: avoid-clones claims 30 + 30 of the
// 100 samples and reduce-allocations the other 10 + 10 (worked by hand).
func TestOrphanAllocationsSharedByWhatTheStacksShow(t *testing.T) {
	r := explainText(t, "orphanalloc.perf.txt", orphanAllocRecording(true))
	byHint := map[string]*Finding{}
	for i := range r.Findings {
		byHint[r.Findings[i].Hint] = &r.Findings[i]
	}
	require.Contains(t, byHint, "avoid-clones", "findings: %v", hintsOf(r))
	require.Contains(t, byHint, "reduce-allocations", "findings: %v", hintsOf(r))
	assert.Equal(t, "avoid-clones", r.Findings[0].Hint)
	assert.InDelta(t, 0.60, byHint["avoid-clones"].ClaimedShare, 1e-9)
	assert.InDelta(t, 0.20, byHint["reduce-allocations"].ClaimedShare, 1e-9)
	assert.Contains(t, byHint["avoid-clones"].Evidence, "takes another 40.0% in stacks cut off right above it")
	assert.Contains(t, byHint["avoid-clones"].Evidence, "copies hold 75.0% (30.0% against 10.0%)")
	assert.Contains(t, byHint["avoid-clones"].Evidence, "counts that part of it, 30.0%: 60.0% in all")
}

// TestOrphanAllocationsNeedSeenClones: with no clone on any stack, the
// orphaned allocation stays with reduce-allocations (10 + 30 + 40).
func TestOrphanAllocationsNeedSeenClones(t *testing.T) {
	r := explainText(t, "orphanalloc.perf.txt", orphanAllocRecording(false))
	assert.NotContains(t, hintsOf(r), "avoid-clones")
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "reduce-allocations", r.Findings[0].Hint)
	assert.InDelta(t, 0.80, r.Findings[0].ClaimedShare, 1e-9)
}
