package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLockWakesAreNotWaits: off-CPU, a pool's producer switched out in
// Condition.notify's futex wake (the shape of
// gil-mandel-release-py312-offcpu: 59 switches in futex_wake under
// Condition.notify, no thread waiting on a lock) hands work over; it is
// not lock contention. The same recording with threads blocked acquiring
// a lock (200 switches) is.
func TestLockWakesAreNotWaits(t *testing.T) {
	sched := ";entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;do_futex;futex_wait;__futex_wait;futex_do_wait;schedule;__schedule"
	preempt := ";entry_SYSCALL_64_after_hwframe;do_syscall_64;exit_to_user_mode_loop;schedule;__schedule"
	wake := "python3.12;py::submit:/usr/lib/python3.12/concurrent/futures/thread.py;py::notify:/usr/lib/python3.12/threading.py;_PyEval_EvalFrameDefault;lock_PyThread_release_lock;PyThread_release_lock;__new_sem_post;futex_wake" + preempt + " 59\n"
	work := "python3.12;py::run:/opt/bench/w.py;_PyEval_EvalFrameDefault;corpusv::_::__pyfunction_mandel_count_free;pyo3::marker::Python::allow_threads;corpusv::mandel_row;asm_sysvec_apic_timer_interrupt;irqentry_exit_to_user_mode;schedule;__schedule 300\n"
	idle := "python3.12;py::_worker:/usr/lib/python3.12/concurrent/futures/thread.py;_PyEval_EvalFrameDefault;_queue_SimpleQueue_get;_queue_SimpleQueue_get_impl;PyEval_RestoreThread;take_gil;PyCOND_TIMEDWAIT;___pthread_cond_timedwait64;__futex_abstimed_wait_common" + sched + " 250\n"
	waits := "python3.12;py::worker:/opt/bench/w.py;py::acquire:/opt/bench/w.py;_PyEval_EvalFrameDefault;lock_PyThread_acquire_lock;acquire_timed;PyThread_acquire_lock_timed;__new_sem_wait_slow64;__futex_abstimed_wait_common" + sched + " 200\n"

	handover := explainText(t, "handover.folded", wake+work+idle)
	assert.NotContains(t, hintsOf(handover), "lock-contention")
	var why string
	for _, o := range handover.RuledOut {
		if o.Hint == "lock-contention" {
			why = o.Reason
		}
	}
	assert.Contains(t, why, "waking a waiter")

	contended := explainText(t, "contended.folded", wake+work+idle+waits)
	assert.Contains(t, hintsOf(contended), "lock-contention")
}
