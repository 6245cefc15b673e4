package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// TestCallerlessWait: a frame-pointer off-CPU stack stops at glibc's futex
// wait (lock-sleep-2threads-py312-offfp.folded, 1,593 switches; glibc's
// mutex wait under an unsymbolized caller, gil-digest-hold-py312-offfp.folded,
// 2): nothing says who waits. The DWARF recording of the same program
// (lock-sleep-2threads-py312-offcpu.folded, 904 switches) shows
// threading.Lock.acquire above the same call.
func TestCallerlessWait(t *testing.T) {
	text := "python3.12;__futex_abstimed_wait_common;entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;do_futex;futex_wait;__futex_wait;futex_do_wait;schedule;__schedule 1593\n" +
		"python3.12;[unknown];__GI___lll_lock_wait;entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;do_futex;futex_wait;__futex_wait;futex_do_wait;schedule;__schedule 2\n" +
		"python3.12;py::worker:/opt/bench/lock_sleep.py;_PyEval_EvalFrameDefault;_PyObject_CallNoArgs;_PyObject_VectorcallTstate;_PyObject_MakeTpCall;cfunction_call;lock_PyThread_acquire_lock;acquire_timed;PyThread_acquire_lock_timed;__new_sem_wait_slow64;__futex_abstimed_wait_common;__futex_abstimed_wait_common64;entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;do_futex;futex_wait;__futex_wait;futex_do_wait;schedule;__schedule 904\n"
	p, err := folded.Read(strings.NewReader(text), "t.folded", profile.ReadOptions{})
	require.NoError(t, err)
	c := newClassifier(p, DefaultRules())
	got := map[int64]Class{}
	for _, s := range p.Samples {
		got[s.Values[0]] = c.classifyNode(s.Node)
	}
	require.Len(t, got, 3)
	assert.Equal(t, Class{Cat: CatLock, Rule: "lock.futex", Callerless: true}, got[1593])
	assert.Equal(t, Class{Cat: CatLock, Rule: "lock.pthread", Callerless: true}, got[2], "an unsymbolized caller names nobody")
	assert.Equal(t, CatLock, got[904].Cat)
	assert.Equal(t, "lock.cpython", got[904].Rule)
	assert.False(t, got[904].Callerless)
}

// TestWaitsGILOrLock: two off-CPU frame-pointer recordings whose waits
// look the same. In lock-sleep (the lock holder sleeps) 3 of the 2,974
// active switches preempt running code (_Py_ResetForceASCII, siphash13,
// r_long: one each), so the waits are on the lock. In gil-digest hold
// (workers run Rust holding the GIL) the 989 + 22 preemptions in
// corpust::mix_rounds alone are 61% of the 1,646 switches: the waits may
// be the GIL's, and no finding may call them lock contention.
func TestWaitsGILOrLock(t *testing.T) {
	lock := explainFile(t, "../fixtures/corpus/tuning/lock-sleep/lock-sleep-2threads-py312-offfp.folded")
	require.NotEmpty(t, lock.Findings)
	assert.Equal(t, "lock-contention", lock.Findings[0].Hint)
	assert.NotContains(t, strings.Join(lock.Quality.CannotSee, "\n"), "GIL or for a lock")

	gil := explainFile(t, "../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.folded")
	for _, f := range gil.Findings {
		assert.NotEqual(t, "lock-contention", f.Hint)
	}
	assert.Contains(t, strings.Join(gil.Quality.CannotSee, "\n"), "waits for the GIL or for a lock")
}

// TestOffCPUNeverFlat: an off-CPU recording's waits spread over a few
// stacks are not a flat CPU profile (lock-sleep-1thread-py312-offfp.folded:
// 935 of 954 switches are the one thread's sleeps).
func TestOffCPUNeverFlat(t *testing.T) {
	r := explainFile(t, "../fixtures/corpus/tuning/lock-sleep/lock-sleep-1thread-py312-offfp.folded")
	assert.Equal(t, RecOffCPU, r.Quality.Kind)
	assert.False(t, r.Flat)
	for _, f := range r.Findings {
		assert.NotEqual(t, "flat-profile", f.Hint)
	}
}

// TestGILFromTurns: frame-pointer recordings show neither GIL frames nor
// the inlined allow_threads; both files read mix_rounds under the eval
// loop in three threads. Timing tells them apart: holding the GIL, the
// threads run 604 samples in 183 runs (3.3 samples of 2.49 ms, 8.2 ms a
// run: at least the 5 ms switch interval); releasing it, 605 samples in
// 499 runs (1.2 samples, 2.7 ms). Counts by awk over the event lines.
func TestGILFromTurns(t *testing.T) {
	hold := explainFile(t, "../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-fp.perf.txt")
	require.NotEmpty(t, hold.Findings)
	assert.Equal(t, "release-gil", hold.Findings[0].Hint)
	assert.Contains(t, hold.Findings[0].Evidence, "taking turns, 8.2 ms on one thread")

	release := explainFile(t, "../fixtures/corpus/tuning/gil-digest/gil-digest-release-py312-fp.perf.txt")
	for _, f := range release.Findings {
		assert.NotEqual(t, "release-gil", f.Hint)
	}
}

// TestSwitchSplitInQuality: the off-CPU perf text says how its switches
// split (MANIFEST: prev_state R 1,280, S/D 366) and that its shares count
// events; the folded twin, without prev_state, says nothing of it.
func TestSwitchSplitInQuality(t *testing.T) {
	r := explainFile(t, "../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.perf.txt.gz")
	can := strings.Join(r.Quality.CanSee, "\n")
	assert.Contains(t, can, "366 voluntary (blocked")
	assert.Contains(t, can, "1,280 involuntary (preempted")
	assert.Contains(t, can, "count switch events, not time")
	f := explainFile(t, "../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.folded")
	assert.NotContains(t, strings.Join(f.Quality.CanSee, "\n"), "voluntary")
}

// loadedTurns is an on-CPU recording on a loaded host: three threads run an
// extension's loop under the eval loop, 2 ms of CPU a sample, but 6.5 ms
// pass between one thread's samples while it waits for a CPU (the shape of
// gil-primes-hold-py312-fp: 653 samples in 204 runs, 6.49 ms gaps). run is
// how many samples in a row each thread gets before the next one.
func loadedTurns(run int) string {
	var b strings.Builder
	at := 1.0
	for i := 0; i < 600; i++ {
		at += 0.0065
		tid := 31 + (i/run)%3
		perfEvent(&b, tid, at, "primes_in "+extSO, "cfunction_vectorcall_FASTCALL_KEYWORDS "+libpy, "_PyEval_EvalFrameDefault "+libpy)
	}
	return b.String()
}

// TestGILFromTurnsOnLoadedHost: where the gaps between a run's samples
// outgrow the switch interval, a run is timed by the CPU time its samples
// stand for. Three samples of 2 ms in a row per thread (6 ms of CPU, more
// than the 5 ms interval) is the GIL's hand-over; threads that alternate
// sample by sample, at the same gaps, run side by side.
func TestGILFromTurnsOnLoadedHost(t *testing.T) {
	hold := explainText(t, "hold.perf.txt", loadedTurns(3))
	require.NotEmpty(t, hold.Findings)
	assert.Equal(t, "release-gil", hold.Findings[0].Hint)
	assert.Contains(t, hold.Findings[0].Evidence, "3.0 samples in a row on one thread on average before another runs, 6.0 ms of its CPU time at 2.0 ms a sample")

	side := explainText(t, "side.perf.txt", loadedTurns(1))
	assert.NotContains(t, hintsOf(side), "release-gil")
}

// TestJVMLibraryIsNoCaller: in Pyroscope's JFR lock profile of a Kafka
// broker (435 contentions) every stack ends in the JDK's lock machinery
// (ReentrantLock, AbstractQueuedSynchronizer, LockSupport.park,
// Unsafe.park): the waits are reached from Kafka's code, not from
// Unsafe.park. Counted over `hotspot convert --to folded` of the file, by
// the innermost frame outside java/, jdk/, sun/ and scala/:
// DelayedOperation.safeTryComplete 242, RequestChannel.receiveRequest
// 108, RequestChannel.sendRequest 72.
func TestJVMLibraryIsNoCaller(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public2/pprof/pyroscope_jfr-kafka-block-contentions.pb.gz"))
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	require.Equal(t, "lock-contention", f.Hint)
	assert.Equal(t, []string{"kafka/server/DelayedOperation.safeTryComplete", "kafka/network/RequestChannel.receiveRequest", "kafka/network/RequestChannel.sendRequest"}, f.Functions)
	assert.Contains(t, f.Evidence, "kafka/server/DelayedOperation.safeTryComplete 55.6%") // 242 of 435
	assert.Contains(t, r.Headline.Cause, "DelayedOperation.safeTryComplete")
	assert.NotContains(t, r.Headline.Cause, "Unsafe.park")
}

// TestProfilerOwnCost: allocation made by Go's profiler writing its own
// profiles is named as such. Counted over `hotspot convert --to folded`
// of each file, the stacks with a runtime/pprof or net/http/pprof frame
// that writes or serves a profile: Parca's heap profile 94,817,939,292 of
// 116,044,559,690 bytes (81.7%: its /debug/pprof endpoint, gzip under
// it); the planted Go benchmark's control 1,212,696 of 4,034,654 bytes
// (30.1%, StartCPUProfile's buffers). Pyroscope's labelled CPU profile
// runs the program under runtime/pprof.Do, which sets labels and profiles
// nothing: no note.
func TestProfilerOwnCost(t *testing.T) {
	note := func(r *Report) string {
		for _, w := range r.Warnings {
			if strings.Contains(w, "profiler itself") {
				return w
			}
		}
		return ""
	}
	parca := explainFile(t, testutil.Shared(t, "fixtures/public2/pprof/parca_alloc_objects.pb.gz"))
	assert.True(t, strings.HasPrefix(note(parca), "81.7% of the bytes allocated is Go's profiler itself"), note(parca))
	require.NotEmpty(t, parca.Findings)
	assert.Contains(t, parca.Findings[0].Evidence, "81.7% is under Go's profiler itself")

	control := explainFile(t, "../fixtures/planted/go/goalloc-bench-control-mem.pb.gz")
	assert.True(t, strings.HasPrefix(note(control), "30.1% of the bytes allocated"), note(control))

	labels := explainFile(t, testutil.Shared(t, "fixtures/public2/pprof/pyroscope_go.cpu.labels.pprof"))
	assert.Empty(t, note(labels), "runtime/pprof.Do only sets labels")
}

// TestCSVCodec: the planted csv-ledger recording (CPython 3.12, DWARF)
// reads and writes with csv.DictReader and csv.DictWriter. Counted over
// the perf text: 289 of its 415 samples have a csv.py or _csv C frame,
// and none shows a caller above the codec (the stacks stop at the
// innermost Python frame), so no caller is named as where the work is.
func TestCSVCodec(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/csv-ledger.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "faster-serialization", f.Hint)
	assert.Equal(t, "Make CSV cheaper: rows as lists instead of dicts, or whole tables in C", f.Title)
	assert.Contains(t, f.Claim, "289 of 415 samples")
	assert.Contains(t, r.Headline.Cause, "the standard library's csv module:")
	assert.Contains(t, f.Fix, "csv.writer and csv.reader")
	assert.Empty(t, f.Functions, "no caller above the codec shows")
}

// TestRepeatedSort: the planted top-sellers recording (CPython 3.12,
// DWARF) re-ranks every product with sorted() after each sale. Counted
// over the perf text: 301 of its 414 samples have a frame of CPython's
// sort. The finding is the sorting, with the caveat that a profile cannot
// tell one large sort from many.
func TestRepeatedSort(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/top-sellers.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "algorithmic", f.Hint)
	assert.Contains(t, f.Claim, "301 of 414 samples")
	assert.Equal(t, []string{"dashboard"}, f.Functions)
	assert.Contains(t, f.Evidence, "a profile cannot count the calls")
	assert.Contains(t, f.Fix, "heapq")
}

// TestPythonWording: a Python program without Rust code gets the
// catalogue's Python wording of a fix, not the clause for Rust (the
// planted json-loop: stdlib json, CPython 3.12); a Python process running
// an extension's Rust code keeps both.
func TestPythonWording(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/json-loop.perf.txt")
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "faster-serialization", r.Findings[0].Hint)
	assert.Contains(t, r.Findings[0].Fix, "msgspec")
	assert.NotContains(t, r.Findings[0].Fix, "Rust")
	assert.NotContains(t, r.Headline.Fix, "serde")
}

// TestGrowingConcat: the planted audit-trail recording (CPython 3.12,
// DWARF) appends each event to a str attribute with self.text = self.text
// + line, which copies the whole log every time. Counted over the perf
// text: 286 of its 413 samples have PyUnicode_Concat, and 103 more free
// the replaced string straight from AuditTrail.record (a free or dealloc
// frame under it, no concatenation). The finding is the growing result,
// with the frees as part of its claim, not reduce-allocations beside it.
func TestGrowingConcat(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/audit-trail.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "algorithmic", f.Hint)
	assert.Contains(t, f.Claim, "389 of 413 samples")
	assert.Contains(t, f.Evidence, "≈ 286 of 413 samples")
	assert.Contains(t, f.Evidence, "≈ 103 of 413 samples")
	assert.Equal(t, []string{"AuditTrail.record"}, f.Functions)
	assert.Contains(t, f.Fix, `"".join(parts)`)
	assert.Nil(t, findingOf(r, "reduce-allocations"), "the frees are the concatenation's")
}

// TestRescanSlices: the planted price-bands recording (CPython 3.12,
// DWARF) takes max() and min() of a fresh slice of the last 600 closes at
// every tick. Counted over the perf text (the frames below the innermost
// Python frame, breakouts): 323 of its 376 samples are in min_max, 13
// more copy the slice (list_subscript) and 21 more free it (list_dealloc
// and the frees under it). The finding is the re-folded slice, with the
// copies and frees in its claim, not a Python loop or a linear search.
func TestRescanSlices(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/price-bands.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "algorithmic", f.Hint)
	assert.Contains(t, f.Claim, "357 of 376 samples")
	assert.Contains(t, f.Evidence, "≈ 323 of 376 samples")
	assert.Contains(t, f.Evidence, "≈ 13 of 376 samples")
	assert.Contains(t, f.Evidence, "≈ 21 of 376 samples")
	assert.Equal(t, []string{"breakouts"}, f.Functions)
	assert.Contains(t, f.Fix, "monotonic deque")
	assert.NotContains(t, f.Cause, "Linear search")
	assert.Nil(t, findingOf(r, "move-hot-loop-native"), "the loop's time is the folds'")
}

// TestCodecWrittenInPython: the planted fleet-config recording (CPython
// 3.12, DWARF) renders 300 hosts as INI with configparser and parses them
// back every round. Counted over the perf text: 351 of its 411 samples
// have a configparser.py frame. configparser is a codec written in Python:
// the finding names it, with advice that does not pretend orjson reads INI.
func TestCodecWrittenInPython(t *testing.T) {
	r := explainFile(t, "../fixtures/planted/python/fleet-config.perf.txt")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "faster-serialization", f.Hint)
	assert.Contains(t, f.Claim, "351 of 411 samples")
	assert.Contains(t, f.Cause, "configparser (written in Python)")
	assert.Contains(t, f.Fix, "with configparser, which runs in Python")
	assert.Contains(t, f.Title, "codec written in Python")
}
