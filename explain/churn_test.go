package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
)

func explainFile(t *testing.T, path string) *Report {
	t.Helper()
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(load(t, path), cat, Options{Value: -1})
	require.NoError(t, err)
	return r
}

// TestHeaptrackTemporaries: the planted churn recording. heaptrack_print's
// summary (fixtures/heaptrack/churn.heaptrack.summary.txt) says 22004
// calls to allocation functions, 20000 temporary, 8.19K leaked (8192
// bytes: churn.c's malloc(4096) and stdio's 4096-byte buffer); churn.c
// makes its temporaries in format_id, one per item.
func TestHeaptrackTemporaries(t *testing.T) {
	r := explainFile(t, "../fixtures/heaptrack/churn.heaptrack.zst")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "reduce-allocations", f.Hint)
	assert.Contains(t, f.Evidence, "20,000 of the 22,004 allocations (90.9%) are temporary")
	assert.Contains(t, f.Evidence, "format_id 20,000 of its 20,000 allocations")
	assert.Equal(t, []string{"format_id"}, f.Functions)
	assert.Contains(t, strings.Join(r.Warnings, "\n"), "8.00 KiB were still allocated when the program exited")
}

// TestHeaptrackFewTemporaries: cmalloc frees its blocks in bulk at the
// end (heaptrack_print: 260 temporaries of 160242 calls), so no
// temporary-allocation finding.
func TestHeaptrackFewTemporaries(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/heaptrack/cmalloc.heaptrack.zst"))
	for _, f := range r.Findings {
		assert.NotContains(t, f.Evidence, "are temporary", f.Hint)
	}
}

// TestDhatCopyAndAdHocAreNotAllocations: DHAT's copy mode counts bytes
// copied, its ad-hoc mode the program's own units: no category is
// allocation, no allocation hint is raised, and the notes say what the
// values are.
func TestDhatCopyAndAdHocAreNotAllocations(t *testing.T) {
	for _, tc := range []struct{ file, noun string }{
		{"gungraun_dhat.copy_mode.out", "bytes copied"},
		{"gungraun_dhat.ad_hoc_mode.out", "units counted"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := explainFile(t, testutil.Shared(t, "fixtures/public2/dhat/"+tc.file))
			for _, c := range r.Categories {
				assert.NotEqual(t, string(CatAlloc), c.Name)
			}
			for _, f := range r.Findings {
				assert.NotContains(t, []string{"reduce-allocations", "avoid-clones"}, f.Hint)
			}
			notes := strings.Join(r.Warnings, "\n")
			assert.Contains(t, notes, "The values are "+tc.noun+", not allocations and not time")
			assert.NotContains(t, notes, "Memory profile: values are bytes (or blocks) allocated")
			assert.NotContains(t, r.Summary, "allocating")
		})
	}
}

// TestHeaptrackTemporariesNameTheCaller: under CPython without Python
// frames (heaptrack sees malloc), the allocating function is the code that
// asked for memory, not CPython's allocator: _PyObject_Malloc (pymalloc's
// path to malloc) is never named. The MANIFEST's 4933 temporaries of 10042
// calls in 5.04 s (about 2,000 a second; pymalloc serves the small objects
// without malloc) are no allocation finding: under half of a volume too
// small to matter.
func TestHeaptrackTemporariesNameTheCaller(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/heaptrack/py311-json-rounds.heaptrack.zst"))
	for _, f := range r.Findings {
		assert.NotContains(t, []string{"reduce-allocations", "avoid-clones"}, f.Hint)
	}
	require.NotEmpty(t, r.Hotspots)
	assert.Equal(t, "encoder_listencode_dict", r.Hotspots[0].Function, "json's C encoder builds its buffers itself")
	for _, h := range r.Hotspots {
		assert.NotEqual(t, "_PyObject_Malloc", h.Function)
	}
	assert.NotContains(t, r.Summary, "_PyObject_Malloc")
	assert.Contains(t, r.Summary, "The profile's blocks allocated: 10,042 allocations in all")
	var why string
	for _, x := range r.RuledOut {
		if x.Hint == "reduce-allocations" {
			why = x.Reason
		}
	}
	assert.Contains(t, why, "10,042 blocks", "the report says why allocation is no finding")
	assert.Contains(t, why, "too little for fewer allocations to change the run")
}

// TestAllocatorIsNeverTheSite: in a real Rust program's folded stacks
// (pyrism, public), glibc's __posix_memalign under matrixmultiply's
// gemm_loop is the allocator, and gemm_loop the code that asked for the
// memory: the allocator must not be named as an allocation site.
func TestAllocatorIsNeverTheSite(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public2/folded/pyrism_stacks.folded"))
	var f *Finding
	for i := range r.Findings {
		if r.Findings[i].Hint == "reduce-allocations" {
			f = &r.Findings[i]
		}
	}
	require.NotNil(t, f, "findings %v", hintsOf(r))
	for _, fn := range f.Functions {
		assert.NotContains(t, fn, "memalign")
	}
	assert.NotContains(t, f.Evidence, "__posix_memalign")
}

// TestFirstTouchIsAllocation: in a public perf recording of a static C++
// program (loat, Z3 inside), the kernel zeroing fresh anonymous pages at
// their first write (do_anonymous_page, do_huge_pmd_anonymous_page) holds
// 18.9% of the cycles (an independent count over the folded stacks:
// 637,193,246 of 3,367,592,301), and musl's free path (__bin_chunk) 9.5%:
// both are the cost of allocating, which now leads, where the profile
// was called flat with the page zeroing counted as the program's own.
func TestFirstTouchIsAllocation(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public2/perf/loat_out.perf"))
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "reduce-allocations", r.Findings[0].Hint, "findings %v", hintsOf(r))
	var alloc float64
	for _, c := range r.Categories {
		if c.Name == "alloc" {
			alloc = c.Share
		}
	}
	assert.InDelta(t, 0.37, alloc, 0.01, "first-touch 18.9%% + musl's allocator + the rest")
}

// TestCppIsNotRust: C++'s standard library is std:: too; a C++ program
// (loat, public, with libstdc++'s std::any::_Manager_external<...>::_S_manage
// among its frames) gets C and C++ advice, never Rust's Vec::with_capacity.
func TestCppIsNotRust(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public2/perf/loat_out.perf"))
	f := findingOf(r, "reduce-allocations")
	require.NotNil(t, f, "findings %v", hintsOf(r))
	assert.NotContains(t, f.Fix, "Vec::with_capacity")
	for _, s := range f.Sketches {
		assert.NotEqual(t, "rust", s.Language)
	}
}

// TestHeaptrackClonesAndControl: heaptrack recordings of the validation
// set's rs-v. heaptrack_print: the clones run made 381,877 allocations
// (63,838 temporary), the control 21,887 (3,868 temporary, most of them
// building the records once at start-up). A clone dropped right away is a
// temporary too: the copies, 99% of the allocations, are the finding, not
// the temporaries among them; and a few thousand temporaries in 0.51 s,
// under a fifth of a small allocation volume, are no finding at all.
func TestHeaptrackClonesAndControl(t *testing.T) {
	r := explainFile(t, "../fixtures/corpus/validation/rs-v/rs-v-clones.heaptrack.gz")
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "avoid-clones", r.Findings[0].Hint)
	assert.Contains(t, r.Findings[0].Claim, "of 381,877 allocations")
	assert.NotContains(t, r.Findings[0].Fix, "Python", "a Rust program gets the Rust wording")

	r = explainFile(t, "../fixtures/corpus/validation/rs-v/rs-v-control.heaptrack")
	for _, f := range r.Findings {
		assert.NotContains(t, []string{"reduce-allocations", "avoid-clones"}, f.Hint)
	}
}
