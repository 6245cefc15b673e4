package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGILRetakeInsideContendedLock: off-CPU, two threads take turns on one
// threading.Lock around work that releases the GIL (the shape of
// lock-hash-2threads-py313-offjit: 230 switches re-taking the GIL under
// the worker's acquire, 235 waiting for the lock itself, 150 preempted
// while hashing). CPython's acquire releases the GIL only when the lock is
// held, so the GIL waits inside it are the lock's: the lock is the one
// cause, not GIL contention beside it. A pool's idle worker woken from
// Condition.wait that then waits for the GIL (40) is waiting for the GIL,
// not for a contended lock, and stays the GIL's.
func TestGILRetakeInsideContendedLock(t *testing.T) {
	sched := ";entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;do_futex;futex_wait;__futex_wait;futex_do_wait;schedule;__schedule"
	preempt := ";asm_sysvec_apic_timer_interrupt;irqentry_exit_to_user_mode;schedule;__schedule"
	acquire := "python3.13;py::run_batch:/srv/app/hashjob.py;_PyEval_EvalFrameDefault;_PyObject_MakeTpCall;cfunction_call;lock_PyThread_acquire_lock;acquire_timed;PyThread_acquire_lock_timed_with_retries"
	retake := acquire + ";_PyThreadState_Attach;take_gil;PyCOND_TIMEDWAIT;___pthread_cond_timedwait64;__pthread_cond_wait_common;__futex_abstimed_wait_common" + sched + " 230\n"
	wait := acquire + ";PyThread_acquire_lock_timed;__new_sem_wait_slow64;__futex_abstimed_wait_common" + sched + " 235\n"
	work := "python3.13;py::run_batch:/srv/app/hashjob.py;_PyEval_EvalFrameDefault;_hashlib_HASH_update;EVP_DigestUpdate" + preempt + " 150\n"
	woken := "python3.13;py::wait:/usr/lib/python3.13/threading.py;_PyEval_EvalFrameDefault;lock_PyThread_acquire_lock;acquire_timed;PyThread_acquire_lock_timed_with_retries;_PyThreadState_Attach;take_gil;PyCOND_TIMEDWAIT;___pthread_cond_timedwait64;__pthread_cond_wait_common;__futex_abstimed_wait_common" + sched + " 40\n"

	r := explainText(t, "lockretake.folded", retake+wait+work+woken)
	cats := map[string]int64{}
	for _, c := range r.Categories {
		cats[c.Name] = c.Value
	}
	assert.Equal(t, int64(230+235), cats["lock"], "the lock's waits and the GIL re-taken inside its acquire")
	assert.Equal(t, int64(40), cats["gil"], "only the woken pool worker waits for the GIL")
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "lock-contention", r.Findings[0].Hint)
	assert.NotContains(t, hintsOf(r), "gil-contention")
	assert.Contains(t, r.Findings[0].Evidence, "the GIL changing hands inside the contended acquire")
	assert.Contains(t, r.Findings[0].Evidence, "35.1% of the active context switches is the GIL") // 230 of 655
	assert.Contains(t, r.Findings[0].Evidence, "reached from run_batch")
}
