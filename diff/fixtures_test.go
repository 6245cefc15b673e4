package diff_test

import (
	"regexp"

	"testing"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The before/after pairs of issue 8, recorded here (fixtures/diff,
// record-diff.sh) or reused from fixtures/planted. Expected numbers come
// from fixtures/MANIFEST.md, counted from the perf script text.

func hints0(rows []diff.FindingDiff) []string {
	out := []string{}
	for _, f := range rows {
		out = append(out, f.Hint)
	}
	return out
}

func noSignificant(t *testing.T, rows []diff.Row) {
	t.Helper()
	for _, r := range rows {
		assert.False(t, r.Significant, "%s changed %+.3f, called significant", r.Label(), r.Delta)
	}
}

func TestPyO3PerItemThenBatched(t *testing.T) {
	r := compare(t, load(t, "planted/pyo3/ffi-per-item.perf.txt"), load(t, "planted/pyo3/ffi-batch-control.perf.txt"), diff.Options{Top: 1000})
	assert.Equal(t, diff.Shares, r.Normalization)
	assert.Equal(t, "whole", r.Comparable.Mode)
	assert.Contains(t, hints0(r.Findings.Resolved), "batch-ffi-calls")
	assert.NotContains(t, hints0(r.Findings.New), "batch-ffi-calls")
	// The cost the batch finding claims (the per-item calls and their
	// per-call glue) falls from most of the run to none.
	for _, f := range r.Findings.Resolved {
		if f.Hint == "batch-ffi-calls" {
			assert.Greater(t, f.BeforeShare, 0.5)
			assert.Zero(t, f.AfterShare)
		}
	}

	// MANIFEST: 43.5% under __pyfunction_checksum_one per item; the batch
	// run calls it never, and spends 96.8% under checksum_many.
	one, ok := row(r.Functions, "plantedffi::_::__pyfunction_checksum_one (plantedffi.so)")
	require.True(t, ok)
	assert.InDelta(t, 0.435, *one.BeforeTotalShare, 0.001)
	assert.Zero(t, *one.AfterTotalShare)
	many, ok := row(r.Functions, "plantedffi::_::__pyfunction_checksum_many (plantedffi.so)")
	require.True(t, ok)
	assert.Zero(t, *many.BeforeTotalShare)
	assert.InDelta(t, 0.968, *many.AfterTotalShare, 0.001)

	// The Python loop calling per item and its allocations fall, beyond noise.
	for _, c := range []string{"python", "alloc"} {
		cr, ok := row(r.Categories, c)
		require.True(t, ok, c)
		assert.True(t, cr.Significant, c)
		assert.Less(t, cr.Delta, -0.2, c)
	}

	// Per-call glue (the wrapper each call pays: trampoline, GIL pool,
	// argument extraction) falls after batching, significantly; walking
	// the list element by element is conversion, a category of its own,
	// and rises. Counted from the perf text: 223 of the batch run's 406
	// samples have extract_sequence on the stack (54.9%), an upper bound
	// for the conversion (some leaves under it are the extension's own
	// code or allocation); the per-item run has none.
	glue, ok := row(r.Categories, "ffi")
	require.True(t, ok)
	assert.True(t, glue.Significant, "ffi %+.3f", glue.Delta)
	assert.Less(t, glue.Delta, -0.05)
	conv, ok := row(r.Categories, "convert")
	require.True(t, ok)
	assert.True(t, conv.Significant, "convert %+.3f", conv.Delta)
	assert.Zero(t, conv.BeforeShare)
	assert.Greater(t, conv.AfterShare, 0.30)
	assert.LessOrEqual(t, conv.AfterShare, 223.0/406)
}

func TestPythonLoopMovedToNative(t *testing.T) {
	r := compare(t, load(t, "planted/python/crunch.perf.txt"), load(t, "diff/crunch-native.perf.txt"), diff.Options{Top: 1000})
	assert.Equal(t, []string{"move-hot-loop-native"}, hints0(r.Findings.Resolved))
	assert.Empty(t, r.Findings.New)

	// MANIFEST: 98.8% under py::pairwise_energy before; after, 384 of
	// 402 samples have the C pairwise_energy as their leaf.
	py, ok := row(r.Functions, "pairwise_energy (crunch.py)")
	require.True(t, ok, "the Python pairwise_energy row")
	assert.InDelta(t, 0.988, *py.BeforeTotalShare, 0.002)
	assert.Zero(t, *py.AfterTotalShare)
	c, ok := row(r.Functions, "pairwise_energy (libcrunch.so)")
	require.True(t, ok)
	assert.InDelta(t, 384.0/402, c.AfterShare, 0.002)
	assert.True(t, c.Significant)
	assert.Contains(t, labels(r.Hotspots.Appeared), "pairwise_energy (libcrunch.so)")

	pyCat, _ := row(r.Categories, "python")
	nat, _ := row(r.Categories, "native")
	assert.True(t, pyCat.Significant && pyCat.Delta < -0.9, "python category %+.3f", pyCat.Delta)
	assert.True(t, nat.Significant && nat.Delta > 0.9, "native category %+.3f", nat.Delta)
}

func labels(rows []diff.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Label())
	}
	return out
}

func TestSameWorkloadTwice(t *testing.T) {
	r := compare(t, load(t, "diff/crunch-repeat-a.perf.txt"), load(t, "diff/crunch-repeat-b.perf.txt"),
		diff.Options{Top: 1000, Gate: &diff.Gate{Threshold: 0.01}})
	noSignificant(t, r.Categories)
	noSignificant(t, r.Functions)
	assert.False(t, r.Regression)
	assert.Empty(t, r.Gate.Tripped)
	assert.Equal(t, []string{"move-hot-loop-native"}, hints0(r.Findings.Persisting))
	assert.Empty(t, r.Hotspots.Appeared)
	assert.Empty(t, r.Hotspots.Vanished)
	// Counted from the files: 402 and 401 samples.
	assert.Equal(t, int64(402), r.Before.Samples)
	assert.Equal(t, int64(401), r.After.Samples)
}

func TestPairSwappedIsARegression(t *testing.T) {
	r := compare(t, load(t, "planted/pyo3/ffi-batch-control.perf.txt"), load(t, "planted/pyo3/ffi-per-item.perf.txt"),
		diff.Options{Gate: &diff.Gate{Threshold: 0.02}})
	assert.True(t, r.Regression)
	require.NotEmpty(t, r.Gate.Tripped)
	for _, tr := range r.Gate.Tripped {
		assert.True(t, tr.Significant)
		assert.Greater(t, tr.Delta, 0.02)
	}
	assert.Contains(t, hints0(r.Findings.New), "batch-ffi-calls")

	// Limited to one category that rose (python: the per-item loop).
	r = compare(t, load(t, "planted/pyo3/ffi-batch-control.perf.txt"), load(t, "planted/pyo3/ffi-per-item.perf.txt"),
		diff.Options{Gate: &diff.Gate{Threshold: 0.02, Category: "python"}})
	assert.True(t, r.Regression)
	assert.Equal(t, []string{"python"}, []string{r.Gate.Tripped[0].Name})
	// ...and to one that fell (native work: batching did more of it).
	r = compare(t, load(t, "planted/pyo3/ffi-batch-control.perf.txt"), load(t, "planted/pyo3/ffi-per-item.perf.txt"),
		diff.Options{Gate: &diff.Gate{Threshold: 0.02, Category: "native"}})
	assert.False(t, r.Regression)
}

func TestDifferentSamplingRates(t *testing.T) {
	before, after := load(t, "diff/crunch-rate-99.perf.txt"), load(t, "diff/crunch-rate-499.perf.txt")
	r := compare(t, before, after, diff.Options{Top: 1000})
	assert.Equal(t, diff.Shares, r.Normalization)
	assert.InDelta(t, 99, r.Before.RateHz, 1)
	assert.InDelta(t, 499, r.After.RateHz, 1)
	require.NotEmpty(t, r.Warnings)
	assert.Contains(t, r.Warnings[0], "different rates")
	noSignificant(t, r.Categories)
	noSignificant(t, r.Functions)

	// cpu-clock values are nanoseconds: --absolute compares time.
	r = compare(t, before, after, diff.Options{Absolute: true})
	assert.Equal(t, diff.Time, r.Normalization)
	assert.InDelta(t, 0, r.Total.Delta, 0.01) // both ran 2 s of CPU
}

func TestAbsoluteRefusedAtUnknownRate(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	b := load(t, "folded/py312-xperf-threads-dwarf.folded")
	a := load(t, "diff/crunch-rate-99.perf.txt")
	_, err = diff.Compare(b, a, cat, diff.Options{Absolute: true})
	require.Error(t, err)
	assert.Equal(t, "--absolute: folded/py312-xperf-threads-dwarf.folded (weight, count) counts samples at an unknown rate, so its raw values cannot be compared with diff/crunch-rate-99.perf.txt (cpu-clock, nanoseconds); compare shares (the default)", err.Error())
}

func TestOnlyUnwindingDiffers(t *testing.T) {
	r := compare(t, load(t, "diff/crunch-repeat-a.perf.txt"), load(t, "diff/crunch-unwind-fp.perf.txt"),
		diff.Options{Top: 1000, Gate: &diff.Gate{Threshold: 0.01}})
	assert.Equal(t, "leaf", r.Comparable.Mode)
	assert.Zero(t, r.Comparable.BeforeBroken)
	assert.Equal(t, 1.0, r.Comparable.AfterBroken)
	noSignificant(t, r.Categories)
	noSignificant(t, r.Functions)
	assert.False(t, r.Findings.Compared)
	assert.False(t, r.Regression)

	// Compared as recorded, the same pair shows the unwinding as change.
	w := compare(t, load(t, "diff/crunch-repeat-a.perf.txt"), load(t, "diff/crunch-unwind-fp.perf.txt"), diff.Options{Whole: true})
	assert.Equal(t, "whole", w.Comparable.Mode)
	assert.Contains(t, hints0(w.Findings.Resolved), "move-hot-loop-native")
}

func TestDhatClonesRemoved(t *testing.T) {
	before, after := load(t, "planted/rust/rustalloc-clones.dhat.json"), load(t, "planted/rust/rustalloc-control.dhat.json")
	blocks := func(in []diff.Input) []diff.Input {
		in[0].Value = in[0].Profile.TypeIndex("alloc_objects")
		require.GreaterOrEqual(t, in[0].Value, 0)
		return in
	}
	r := compare(t, blocks(before), blocks(after), diff.Options{Absolute: true, Top: 1000})
	assert.Equal(t, diff.Absolute, r.Normalization)
	assert.Equal(t, diff.Exact, r.Noise.Method)
	// MANIFEST: 512,016 blocks with clones, 2,017 without.
	assert.Equal(t, int64(512016), r.Total.Before)
	assert.Equal(t, int64(2017), r.Total.After)
	fn, ok := row(r.Functions, "rustalloc::index_with_clones")
	require.True(t, ok)
	assert.Equal(t, int64(0), fn.AfterValue)
	assert.True(t, fn.Significant)

	r = compare(t, load(t, "planted/rust/rustalloc-clones.dhat.json"), load(t, "planted/rust/rustalloc-control.dhat.json"), diff.Options{})
	assert.Contains(t, hints0(r.Findings.Resolved), "avoid-clones")
}

func TestRefusals(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	_, err = diff.Compare(load(t, "planted/rust/rustalloc-clones.dhat.json"), load(t, "diff/crunch-repeat-a.perf.txt"), cat, diff.Options{})
	require.Error(t, err)
	assert.Equal(t, "cannot compare planted/rust/rustalloc-clones.dhat.json (alloc_space, bytes) with diff/crunch-repeat-a.perf.txt (cpu-clock, nanoseconds): one measures bytes, the other time", err.Error())

	_, err = diff.Compare(load(t, "diff/crunch-repeat-a.perf.txt"), nil, cat, diff.Options{})
	require.Error(t, err)
	assert.Equal(t, "the after side has no profile", err.Error())

	_, err = diff.Compare(load(t, "diff/crunch-repeat-a.perf.txt"), load(t, "planted/rust/rustalloc-clones.perf.txt", "planted/rust/rustalloc-clones.dhat.json"), cat, diff.Options{})
	require.Error(t, err)
	assert.Equal(t, "cannot merge planted/rust/rustalloc-clones.perf.txt (cpu-clock, nanoseconds) with planted/rust/rustalloc-clones.dhat.json (alloc_space, bytes) on the after side: different value types", err.Error())
}

func TestRepeatedRunsMerge(t *testing.T) {
	r := compare(t, load(t, "diff/crunch-repeat-a.perf.txt", "diff/crunch-repeat-b.perf.txt"), load(t, "diff/crunch-rate-99.perf.txt", "diff/crunch-rate-499.perf.txt"), diff.Options{})
	assert.Equal(t, int64(402+401), r.Before.Samples)
	assert.Equal(t, int64(199+1004), r.After.Samples)
	assert.Equal(t, []string{"diff/crunch-repeat-a.perf.txt", "diff/crunch-repeat-b.perf.txt"}, r.Before.Paths)
	noSignificant(t, r.Categories)
}

// The same workload under two recorders: austin (Python frames only,
// CPython 3.9) and perf -X perf (Python and native frames, CPython 3.12).
// Names are spelled differently ("pairwise_energy (/opt/bench/crunch.py)"
// with line frames, "py::pairwise_energy:/opt/bench/crunch.py"); they match,
// and perf's native frames below Python are folded into it.
func TestAcrossRecorders(t *testing.T) {
	r := compare(t, load(t, "diff/crunch-austin.txt"), load(t, "diff/crunch-repeat-a.perf.txt"),
		diff.Options{Top: 1000, Gate: &diff.Gate{Threshold: 0.01}})
	assert.Equal(t, "python", r.Comparable.Mode)
	f, ok := row(r.Functions, "pairwise_energy (crunch.py)")
	require.True(t, ok)
	// awk over the files: every austin sample's cost is under
	// pairwise_energy; 400 of perf's 402 samples are.
	assert.InDelta(t, 1.0, f.BeforeShare, 1e-9)
	assert.InDelta(t, 400.0/402, f.AfterShare, 0.002)
	assert.False(t, f.Significant)
	noSignificant(t, r.Categories)
	noSignificant(t, r.Functions)
	assert.False(t, r.Regression)
	assert.Equal(t, []string{"move-hot-loop-native"}, hints0(r.Findings.Persisting))
}

// --focus keeps shares of the whole: the focused part itself can shrink.
func TestFocusPart(t *testing.T) {
	r := compare(t, load(t, "planted/python/crunch.perf.txt"), load(t, "diff/crunch-native.perf.txt"),
		diff.Options{Focus: regexp.MustCompile(`^pairwise_energy$`)})
	require.NotNil(t, r.Focus)
	// Python's and C's pairwise_energy both match: MANIFEST 98.8% under
	// py::pairwise_energy before; after, 95.5% are C leaves (384 of 402)
	// and a sample or so more is under it. The ctypes call around it is
	// outside the focus, so the part shrinks, beyond noise.
	assert.InDelta(t, 0.988, r.Focus.BeforeShare, 0.001)
	assert.InDelta(t, 384.0/402, r.Focus.AfterShare, 0.005)
	assert.True(t, r.Focus.Significant)
	assert.Equal(t, int64(403), r.Before.Samples) // shares stay of the whole
}

func TestEmptySide(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	_, err = diff.Compare(load(t, "diff/crunch-repeat-a.perf.txt"), load(t, "diff/crunch-repeat-b.perf.txt"), cat,
		diff.Options{Thread: regexp.MustCompile(`^no-such-thread$`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the before side (diff/crunch-repeat-a.perf.txt) is empty: ")
}
