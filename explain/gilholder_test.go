package explain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/perfscript"
)

func explainText(t *testing.T, name, text string) *Report {
	t.Helper()
	var p *profile.Profile
	var err error
	if strings.HasSuffix(name, ".folded") {
		p, err = folded.Read(strings.NewReader(text), name, profile.ReadOptions{})
	} else {
		p, err = perfscript.Read(strings.NewReader(text), name, profile.ReadOptions{})
	}
	require.NoError(t, err)
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(p, cat, Options{Value: -1})
	require.NoError(t, err)
	return r
}

// perfEvent writes one perf script cpu-clock event, leaf first: frames are
// "symbol (dso)".
func perfEvent(b *strings.Builder, tid int, at float64, frames ...string) {
	fmt.Fprintf(b, "python3.12 %d %.6f: 2004008 cpu-clock:ppp:\n", tid, at)
	for i, f := range frames {
		// The binary is the last word: a symbol may hold spaces.
		sym, dso := f, ""
		if cut := strings.LastIndex(f, " "); cut >= 0 {
			sym, dso = f[:cut], f[cut+1:]
		}
		fmt.Fprintf(b, "\t%x %s+0x1 %s\n", 0x1000+i, sym, dso)
	}
	b.WriteString("\n")
}

// eventsOf returns a function that writes n cpu-clock events of one
// thread with the same stack, 2 ms apart, after those it wrote before.
func eventsOf(b *strings.Builder, tid int) func(n int, frames ...string) {
	at := 1.0
	return func(n int, frames ...string) {
		for range n {
			perfEvent(b, tid, at, frames...)
			at += 0.002
		}
	}
}

const (
	libpy  = "(/opt/python/3.12.1/lib/libpython3.12.so.1.0)"
	queue  = "(/opt/python/3.12.1/lib/python3.12/lib-dynload/_queue.cpython-312-x86_64-linux-gnu.so)"
	extSO  = "(/opt/bench/corpusv.cpython-312-x86_64-linux-gnu.so)"
	libc   = "(/usr/lib/x86_64-linux-gnu/libc.so.6)"
	perfPy = "(/tmp/perf-1.map)"
)

// TestStdlibReleaseIsNotTheExtensions: a thread pool whose workers run an
// extension's loop without releasing the GIL (the shape of
// gil-mandel-hold-py312-dwarf: 4 workers in corpusv's mandel_row, the
// pool's queue.get releasing the GIL around its wait). CPython's _queue
// module releasing and re-taking the GIL (PyEval_SaveThread and
// PyEval_RestoreThread under _queue_SimpleQueue_get) says nothing about
// the extension: release-gil must still be found. The same program whose
// extension calls PyEval_RestoreThread itself releases: no release-gil.
func TestStdlibReleaseIsNotTheExtensions(t *testing.T) {
	build := func(extReleases bool) string {
		var b strings.Builder
		at := 1.0
		for i := 0; i < 400; i++ {
			tid := 11 + (i/10)%4 // runs of 10 samples (20 ms) per thread: turns
			at += 0.002004
			perfEvent(&b, tid, at, "corpusv::mandel_row "+extSO, "corpusv::_::__pyfunction_mandel_count "+extSO,
				"_PyEval_EvalFrameDefault "+libpy, "py::work:/opt/bench/pool.py "+perfPy, "py::_worker:/opt/python/3.12.1/lib/python3.12/concurrent/futures/thread.py "+perfPy)
		}
		for i := 0; i < 40; i++ {
			at += 0.0001
			perfEvent(&b, 11+i%4, at, "take_gil "+libpy, "PyEval_RestoreThread "+libpy, "_queue_SimpleQueue_get_impl "+queue, "_queue_SimpleQueue_get "+queue,
				"_PyEval_EvalFrameDefault "+libpy, "py::_worker:/opt/python/3.12.1/lib/python3.12/concurrent/futures/thread.py "+perfPy)
			perfEvent(&b, 11+i%4, at, "drop_gil "+libpy, "PyEval_SaveThread "+libpy, "_queue_SimpleQueue_get_impl "+queue, "_queue_SimpleQueue_get "+queue,
				"_PyEval_EvalFrameDefault "+libpy, "py::_worker:/opt/python/3.12.1/lib/python3.12/concurrent/futures/thread.py "+perfPy)
			if extReleases {
				perfEvent(&b, 11+i%4, at, "take_gil "+libpy, "PyEval_RestoreThread "+libpy, "corpusv::_::__pyfunction_mandel_count "+extSO,
					"_PyEval_EvalFrameDefault "+libpy, "py::work:/opt/bench/pool.py "+perfPy)
			}
		}
		return b.String()
	}
	hold := explainText(t, "hold.perf.txt", build(false))
	require.NotEmpty(t, hold.Findings)
	assert.Equal(t, "release-gil", hold.Findings[0].Hint, "findings %v", hintsOf(hold))

	released := explainText(t, "released.perf.txt", build(true))
	assert.NotContains(t, hintsOf(released), "release-gil")
}

// TestOffCPUHolderIsWhatRuns: an off-CPU recording of workers holding the
// GIL in an extension (the shape of gil-mandel-hold-py312-offcpu.folded:
// 77 preemptions in mandel_row, 323 GIL waits, 11 other running
// switches). The native work is 19% of the switches (77 of 411) but 88% of the code
// seen running when preempted: that, not its share of the waits, says what
// holds the GIL.
func TestOffCPUHolderIsWhatRuns(t *testing.T) {
	sched := ";entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;do_futex;futex_wait;__futex_wait;futex_do_wait;schedule;__schedule"
	preempt := ";asm_sysvec_apic_timer_interrupt;irqentry_exit_to_user_mode;schedule;__schedule"
	text := "python3.12;py::_worker:/usr/lib/python3.12/concurrent/futures/thread.py;py::run:/usr/lib/python3.12/concurrent/futures/thread.py;_PyEval_EvalFrameDefault;corpusv::_::__pyfunction_mandel_count;corpusv::mandel_row" + preempt + " 77\n" +
		"python3.12;py::_worker:/usr/lib/python3.12/concurrent/futures/thread.py;_PyEval_EvalFrameDefault;_queue_SimpleQueue_get;_queue_SimpleQueue_get_impl;PyEval_RestoreThread;take_gil;PyCOND_TIMEDWAIT;___pthread_cond_timedwait64;__futex_abstimed_wait_common" + sched + " 150\n" +
		"python3.12;py::_worker:/usr/lib/python3.12/concurrent/futures/thread.py;py::run:/usr/lib/python3.12/concurrent/futures/thread.py;_PyEval_EvalFrameDefault;_Py_HandlePending;take_gil;PyCOND_TIMEDWAIT;___pthread_cond_timedwait64;__futex_abstimed_wait_common" + sched + " 173\n" +
		"python3.12;py::_worker:/usr/lib/python3.12/concurrent/futures/thread.py;_PyEval_EvalFrameDefault;dict_subscript" + preempt + " 11\n"
	r := explainText(t, "hold-offcpu.folded", text)
	require.Equal(t, RecOffCPU, r.Quality.Kind)
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "release-gil", r.Findings[0].Hint, "findings %v", hintsOf(r))
}

// TestLibraryUnderCPythonModule: in a module-less profile, OpenSSL under
// _hashlib's plain-C functions is CPython's own module at work (hashlib
// releases the GIL around it), not a third-party extension holding the
// GIL (the shape of lock-hash-2threads-py312-offcpu.folded: 228
// preemptions in libcrypto under _hashlib, 194 GIL waits after a lock
// wait, 1,100 lock waits).
func TestLibraryUnderCPythonModule(t *testing.T) {
	sched := ";entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;do_futex;futex_wait;__futex_wait;futex_do_wait;schedule;__schedule"
	preempt := ";asm_sysvec_apic_timer_interrupt;irqentry_exit_to_user_mode;schedule;__schedule"
	text := "python3.12;py::worker:/opt/bench/lh.py;_PyEval_EvalFrameDefault;_hashlib_openssl_sha256;_hashlib_openssl_sha256_impl;py_evp_fromname;EVP_hash;SHA256_Update;[libcrypto.so.3]" + preempt + " 228\n" +
		"python3.12;py::worker:/opt/bench/lh.py;_PyEval_EvalFrameDefault;lock_PyThread_acquire_lock;acquire_timed;PyEval_RestoreThread;take_gil;PyCOND_TIMEDWAIT;___pthread_cond_timedwait64;__futex_abstimed_wait_common" + sched + " 194\n" +
		"python3.12;py::worker:/opt/bench/lh.py;_PyEval_EvalFrameDefault;lock_PyThread_acquire_lock;acquire_timed;PyThread_acquire_lock_timed;__new_sem_wait_slow64;__futex_abstimed_wait_common" + sched + " 1100\n"
	r := explainText(t, "lockhash-offcpu.folded", text)
	require.NotEmpty(t, r.Findings)
	assert.NotContains(t, hintsOf(r), "release-gil")
}

// TestBracketedEntryInProse: an unsymbolized library placeholder is named
// by its library, not cut at its last dot ("3]").
func TestBracketedEntryInProse(t *testing.T) {
	a := &analysis{}
	assert.Equal(t, "code in libcrypto.so.3", a.pyVisible("[libcrypto.so.3]"))
}
