package explain

import "regexp"

// The classification rules, as data. This file is the one place that decides
// which frame signals which cost; docs/frames.md (shared) is the reference
// the patterns come from, and rules_test.go tests each rule on a real stack.
//
// How the table is used (classify.go):
//
//  1. Leaf layer. Walk from the leaf toward the root, stopping at the first
//     Python frame or CPython eval-loop frame; the first (deepest) frame that
//     matches a leaf rule decides the category. Rules are tried in table
//     order for each frame, first match wins. A Weak match (a kernel futex,
//     a syscall entry, a condvar) names only the mechanism: the next leaf
//     rule matched above it replaces it.
//  2. Overrides. Continue the walk up to the first Python frame (inclusive).
//     A leaf rule marked Override that matches there takes the sample from a
//     deeper "wait" match (lock, io, idle): a futex under take_gil is a GIL
//     wait, a semaphore wait under threading.py's wait() is an idle thread.
//  3. Context layer. Walking from the leaf to the root, the innermost frame
//     matching a context rule gives the sample's context (kept beside the
//     category for findings: "alloc under serialization"). A Thin context
//     (ffi, async) only counts when no work frame - user Python code or
//     unmatched native code - lies between it and the leaf: the PyO3
//     trampoline above a Rust function is not the cost of that function.
//  4. Category = the leaf-layer match; else the context; else the leaf's
//     own kind (see fallback in classify.go).
//  5. Recording-level facts come after the table (attribute.go): memory
//     profiles count every sample as alloc (the site's category becomes the
//     context), mutex profiles as lock, and in wall-clock profiles a thread
//     that sat on one Python line in 98% of 50+ samples is blocked in a call
//     the recorder cannot see into (time.sleep without --native): idle.

type layer uint8

const (
	leafLayer layer = iota
	contextLayer
)

// rtMask selects the runtimes a rule applies to.
type rtMask uint8

const (
	mPy     rtMask = 1 << rtPython
	mCPy    rtMask = 1 << rtCPython
	mLibc   rtMask = 1 << rtLibc
	mKernel rtMask = 1 << rtKernel
	mNative rtMask = 1 << rtNative
	mC      rtMask = mCPy | mLibc | mNative // any user-space native code
	mAnyC   rtMask = mC | mKernel
)

// cond is an extra condition a rule needs, checked on the stack.
type cond uint8

const (
	condNone       cond = iota
	condWaitBelow       // a futex, condvar or semaphore wait lies between this frame and the leaf
	condCPy             // the frame is CPython's (libpython/python binary), or has no module in a Python process
	condAllocAbove      // an allocator frame lies above (toward the root): page faults after an allocation
	condPyAbove         // the nearest ancestor outside libc is a Python frame (py-spy --native GIL wait)
	condGCAbove         // a garbage-collector frame lies above
	// condPyBlocked: the Python frame is the innermost frame (a recorder
	// without native frames shows the blocking C call as its caller's
	// line), or a wait, lock, I/O or idle frame lies below it. With native
	// frames below that do other work, the frame is not blocked.
	condPyBlocked
	// condOwnCaller: the nearest caller above that is not binding or Rust
	// std code is the extension's own native code (not the wrapper PyO3
	// generates around an entry point), and a call of an object runs a
	// class (type_call below): the extension building Python objects.
	condOwnCaller
)

// Rule is one classification rule.
type Rule struct {
	ID       string
	Cat      Category
	Layer    layer
	Thin     bool // context only: claims the sample only with no work frame below it
	Override bool // leaf only: wins over a deeper wait match (lock, io, idle)
	// Weak leaf rules name a mechanism, not a cause (a kernel futex wait, a
	// syscall entry, a condvar): the next leaf rule matched above them, on
	// the way to the nearest eval loop or Python frame, decides instead.
	Weak bool
	RT   rtMask
	Name *regexp.Regexp // normalised native name, or the Python function name
	File *regexp.Regexp // Python file, or native source file / module base name
	Cond cond
	// Encloses marks a context rule whose frame claims the boundary
	// contexts (ffi) matched below it, up to the nearest work frame: a
	// sequence converter's element conversions are its cost, though the
	// innermost frame is an element's converter.
	Encloses bool
	// OwnPath: Name must also hold on the frame's own path, without the
	// generic arguments it was instantiated with (frameInfo.ownPath), so
	// that a crate's code over PyO3 types (a drop of Node<Py<PyAny>>, a
	// trait of its own returning Py<PyAny>) is not taken for PyO3's.
	OwnPath bool
	// Has, when set, lists substrings one of which the name must contain
	// before Name is tried: a cheap filter that keeps classification fast
	// on profiles with tens of thousands of distinct symbols.
	Has []string
	// Kin, for a rule whose File keeps common names apart (save, load),
	// names a rule matching the same library's unmistakable names. In a
	// profile that names no modules, a bare C frame this rule's name and
	// runtime match counts without its file where some frame of the
	// profile matches the Kin rule (the library is loaded).
	Kin  string
	Note string
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// waitName matches the frames that mean "this thread is blocked": kernel
// futex and scheduler entries, glibc futex, condvar and semaphore waits.
var waitName = re(`^(futex_wait\w*|__futex_wait|futex_do_wait|do_futex|__x64_sys_futex|__arm64_sys_futex|__se_sys_futex|schedule|__schedule|__futex_abstimed_wait_common(64)?|__futex_abstimed_wait_cancelable64|(__GI_)?__lll_lock_wait(_private)?|pthread_cond_(timed|clock)?wait(@@GLIBC_[0-9.]+)?|__pthread_cond_(timed|clock)?wait(64)?|___pthread_cond_(timed|clock)?wait64|__pthread_cond_wait_common|_pthread_cond_wait|__psynch_cvwait|sem_(timed|clock)?wait|__new_sem_wait_slow(64)?|do_futex_wait|PyCOND_\w*WAIT|runtime\.futex|syscall)$`)

// allocName matches allocator frames (for condAllocAbove and crossings).
var allocName = re(`^(__libc_|__)?(malloc|calloc|realloc|free|memalign|posix_memalign|aligned_alloc)$|^(_int_(malloc|free|realloc|memalign)|_mid_memalign)|^(__rustc::)?(__rust_|__rdl_|__rg_)(alloc|realloc|alloc_zeroed)$|alloc::raw_vec::|^runtime\.(mallocgc|growslice|makeslice|newobject)|^(_PyObject_Malloc|PyObject_Malloc|_PyObject_Realloc|PyMem_\w*Malloc)$|^operator new`)

// gcName matches collector frames (for condGCAbove).
var gcName = re(`^(gc_collect_\w+|_PyGC_Collect\w*|PyGC_Collect|_Py_RunGC|collect_with_callback|collect_generations|collect)$`)

// DefaultRules returns the ordered rule table. It builds a fresh slice so
// callers may not mutate shared state.
func DefaultRules() []Rule {
	return []Rule{
		// ---- GIL (frames.md §2) ------------------------------------------------
		{ID: "gil.take", Cat: CatGIL, Override: true, RT: mCPy, Name: re(`^take_gil$`), Note: "waiting for the GIL or taking it back; static, may be inlined"},
		{ID: "gil.drop", Cat: CatGIL, Override: true, RT: mCPy, Name: re(`^drop_gil$`), Note: "handing the GIL over (and, with a wait below, waiting for the successor)"},
		{ID: "gil.entry", Cat: CatGIL, Override: true, RT: mCPy, Cond: condWaitBelow, Name: re(`^(PyEval_RestoreThread|PyEval_AcquireThread|PyEval_AcquireLock|_PyEval_AcquireLock|_PyThreadState_Attach|PyGILState_Ensure|_PyEval_ReInitThreads|tstate_wait_attach)$`), Note: "GIL entry points, with the condvar wait below them"},
		{ID: "gil.breaker", Cat: CatGIL, Override: true, RT: mCPy, Cond: condWaitBelow, Name: re(`^(_Py_HandlePending|eval_frame_handle_pending)$`), Note: "the eval breaker gave the GIL away and waits to get it back"},
		{ID: "gil.ext", Cat: CatGIL, Override: true, RT: mC, Cond: condWaitBelow, Name: re(`pyo3::gil::GILGuard::acquire|pyo3::internal::state::AttachGuard::attach|<pyo3::gil::SuspendGIL as core::ops::drop::Drop>::drop|<pyo3::internal::state::SuspendAttach as core::ops::drop::Drop>::drop|^__Pyx_FastGil_PyGILState_Ensure$|pybind11::gil_scoped_acquire::gil_scoped_acquire`), Has: []string{"pyo3", "Pyx", "pybind11"}, Note: "PyO3, Cython and pybind11 taking the GIL, with a wait below"},
		{ID: "gil.pyspy", Cat: CatGIL, Override: true, RT: mLibc | mNative, Cond: condPyAbove, Name: re(`^(pthread_cond_timedwait(@@GLIBC_[0-9.]+)?|__pthread_cond_timedwait(64)?|___pthread_cond_timedwait64|pthread_cond_clockwait)$`), Note: "py-spy --native hides take_gil: a timed condvar wait right under a Python frame is a GIL wait (inferred)"},

		// ---- idle markers that claim the waits below them (frames.md §9, §14) --
		{ID: "idle.py_wait", Cat: CatIdle, Override: true, Cond: condPyBlocked, RT: mPy, File: re(`(^|/)(threading|queue|selectors|sched|socketserver|concurrent/futures/\w+|multiprocessing/(connection|queues|synchronize|pool|managers|popen_\w+|resource_sharer|process)|asyncio/(base_events|queues|locks|windows_events|unix_events|selector_events|runners)|subprocess|telnetlib)\.py$|^<frozen (threading|queue|selectors)>$`), Name: re(`^(wait\w*|_wait\w*|join|_join\w*|get|get_nowait|put|select|poll|_poll|recv|_recv|recv_bytes|_recv_bytes|accept|acquire|result|exception|_worker|worker|_handle_(tasks|results|workers)|_help_stuff_finish|_feed|_after_fork|serve_forever|handle_request|_handle_request_noblock|communicate|_communicate|_try_wait|_run_once|sleep|_sleep|_process_worker|_queue_management_worker|_add_call_item_to_queue|shutdown)$`), Note: "a Python thread that sits, as the innermost Python frame, in the blocking calls of threading, queue, selectors, multiprocessing (pool handler threads, connections, queues), concurrent.futures workers, subprocess and asyncio's loop: the C call below (a lock, semaphore, select, waitpid) waits; idle, not work"},
		{ID: "io.py_wait", Cat: CatIO, Override: true, Cond: condPyBlocked, RT: mPy, File: re(`(^|/)(socket|ssl|http/client|asyncio/(streams|sslproto))\.py$|^<frozen (socket|ssl)>$`), Name: re(`^(accept|_accept|recv\w*|readinto|read|readline|sendall|send|connect|create_connection|do_handshake|_real_connect|getaddrinfo|begin|_read_status|wrap_socket|_create)$`), Note: "a Python thread whose innermost Python frame is a socket or TLS read, write, connect or handshake: blocked on the network (the C call below waits), I/O, not Python work"},
		{ID: "idle.tokio_park", Cat: CatIdle, Override: true, RT: mNative, Name: re(`tokio::runtime::(scheduler::multi_thread|thread_pool)::worker::Context::(park|park_internal|park_timeout|park_yield)|tokio::runtime::(scheduler::multi_thread|thread_pool)::park::(Parker|Inner)::(park|park_timeout|park_condvar|park_driver)|tokio::runtime::scheduler::current_thread::(Context|CoreGuard)::(park|park_yield)|tokio::runtime::park::(CachedParkThread|Inner)::park|tokio::runtime::blocking::pool::Inner::run|mio::poll::Poll::poll|mio::sys::unix::selector::(epoll::)?Selector::select|^uv__io_poll$`), Has: []string{"tokio", "mio", "uv__"}, Note: "an async runtime worker parked with nothing to run"},
		{ID: "idle.kernel", Cat: CatIdle, RT: mKernel, Name: re(`^(do_idle|cpu_idle\w*|default_idle\w*|intel_idle\w*|acpi_idle\w*|poll_idle|cpuidle_enter\w*|arch_cpu_idle\w*|native_safe_halt|mwait_idle\w*)$`), Note: "the CPU idle loop (system-wide recordings)"},
		{ID: "idle.sleep", Cat: CatIdle, RT: mAnyC, Name: re(`^(clock_nanosleep|__clock_nanosleep\w*|nanosleep|__nanosleep|usleep|pause|time_sleep|pysleep|__x64_sys_(clock_)?nanosleep|hrtimer_nanosleep|do_nanosleep|std::thread::sleep\w*|std::sys::pal::unix::thread::Thread::sleep|std::sys::\w+::thread::Thread::sleep|runtime\.usleep|time\.Sleep|time\.sleep|<built-in method time\.sleep>)$`), Note: "sleeping"},
		{ID: "idle.poll", Cat: CatIdle, RT: mAnyC, Name: re(`^(epoll_wait|epoll_pwait2?|__GI_epoll_wait|__x64_sys_epoll_(p)?wait\w*|do_epoll_wait|ep_poll|poll|__poll|ppoll|select|__select|pselect6?|kevent|select_epoll_poll(_impl)?|select_select(_impl)?|select_poll_poll\w*|runtime\.netpoll\w*)$`), Note: "waiting for readiness with nothing to do: an idle event loop"},

		// ---- locks (frames.md §6) -----------------------------------------------
		{ID: "lock.cpython", Cat: CatLock, RT: mC, Cond: condCPy, Name: re(`^(PyThread_acquire_lock(_timed)?|PyThread_acquire_lock_timed_with_retries|lock_PyThread_acquire_lock|rlock_acquire|acquire_timed|lock_acquire_parse_args|_PyMutex_LockTimed|_PyMutex_LockSlow|PyMutex_Lock|_PyParkingLot_Park|_PySemaphore_Wait|_PyRecursiveMutex_Lock\w*|_PyRWMutex_R?Lock|PyEvent_Wait(Timed)?|_PyCriticalSection2?_BeginSlow|_PyCriticalSection_Resume|_PyOnceFlag_CallOnceSlow)$`), Note: "threading.Lock and CPython's internal locks"},
		{ID: "lock.rust", Cat: CatLock, RT: mNative, Name: re(`std::sys::(sync|pal::unix::locks|unix::locks)::.*(lock_contended|read_contended|write_contended|::wait|wait_timeout|spin)|std::sys::(pal::unix|unix)::futex::futex_wait|std::sync::(mutex|poison|poison::mutex)::Mutex<[^>]*>::lock|std::sync::(rwlock|poison|poison::rwlock)::RwLock<[^>]*>::(read|write)|parking_lot::raw_mutex::RawMutex::lock_slow|parking_lot::raw_rwlock::RawRwLock::\w+_slow|parking_lot_core::word_lock::WordLock::lock_slow|tokio::sync::(mutex|rwlock|semaphore|batch_semaphore)::`), Has: []string{"std::", "parking_lot", "crossbeam", "tokio::"}, Note: "Rust std, parking_lot, crossbeam and tokio lock waits"},
		{ID: "lock.builtin", Cat: CatLock, RT: mC, Name: re(`^(<method 'acquire' of '_thread\.(lock|RLock)' objects>|_thread\.(lock|RLock)\.acquire)$`), Note: "threading's lock acquire as deterministic profilers (cProfile, profile) name the builtin: a wait on the lock, or idle under threading's own waits"},
		{ID: "idle.go_park", Cat: CatIdle, Weak: true, RT: mNative, Name: re(`^runtime\.(gopark|goparkunlock)$`), Note: "a parked goroutine (blocked on a channel, select, timer, lock or the network poller) is not running: the frames above say what it waits for (Go goroutine and wall-clock profiles sample parked goroutines)"},
		{ID: "lock.go", Cat: CatLock, RT: mNative, Name: re(`^(sync\.\(\*(Mutex|RWMutex)\)\.(lockSlow|Lock|RLock|Unlock|unlockSlow|rUnlockSlow)|sync\.runtime_Semacquire(Mutex|RWMutex\w*)|runtime\.lock2|runtime\.lockWithRank|runtime\.futexsleep)$`), Has: []string{"sync.", "runtime."}, Note: "Go mutexes and semaphores"},
		{ID: "idle.wait", Cat: CatIdle, RT: mNative, Has: []string{"Condvar", "park", "wait_until", "Wait", "notesleep", "stopm"}, Name: re(`std::sync::condvar::Condvar::wait\w*|std::sync::poison::condvar::Condvar::wait\w*|std::thread::park(_timeout)?$|parking_lot::condvar::Condvar::wait\w*|parking_lot_core::parking_lot::park|crossbeam_channel::context::Context::wait_until|std::sync::mpmc::context::Context::wait_until|^sync\.\(\*(WaitGroup|Cond)\)\.Wait$|^runtime\.(notesleep|stopm|mPark)$`), Note: "Rust and Go threads parked on a condvar, channel or wait group: waiting for work"},
		{ID: "lock.spin", Cat: CatLock, RT: mAnyC, Name: re(`^(sched_yield|__sched_yield|_Py_yield|__x64_sys_sched_yield|do_sched_yield)$|core::hint::spin_loop|^runtime\.(procyield|osyield)$`), Note: "spinning"},
		{ID: "lock.pthread", Cat: CatLock, RT: mAnyC, Name: re(`^(pthread_mutex_(lock|timedlock|clocklock)|___pthread_mutex_lock|__pthread_mutex_lock(_full)?|__pthread_mutex_cond_lock|pthread_rwlock_(rd|wr)lock|__pthread_rwlock_(rd|wr)lock(_full)?|(__GI_)?__lll_lock_wait(_private)?|(__GI_)?__lll_lock_wake\w*|lll_mutex_lock\w*|std::mutex::lock|std::__1::mutex::lock|std::shared_mutex::lock\w*)$`), Note: "pthread and C++ mutexes and rwlocks, slow paths included (glibc's internal __GI_ aliases too): lock contention"},
		{ID: "lock.wake", Cat: CatLock, RT: mAnyC, Name: re(`^((__new_)?sem_post|___?pthread_cond_(signal|broadcast)\w*|pthread_cond_(signal|broadcast)|(___?|__GI___)?pthread_mutex_unlock\w*|lll_mutex_unlock\w*)$`), Note: "the releasing side of a semaphore, condition variable or mutex: handing it to a waiter (the futex wake syscall runs only when a thread waits), never I/O; drop_gil above says GIL"},
		{ID: "idle.condvar", Cat: CatIdle, Weak: true, RT: mAnyC, Name: re(`^(pthread_cond_(timed|clock)?wait(@@GLIBC_[0-9.]+)?|__pthread_cond_(timed|clock)?wait(64)?|___pthread_cond_(timed|clock)?wait64|__pthread_cond_wait_common|_pthread_cond_wait|__psynch_cvwait|sem_(timed|clock)?wait|__new_sem_wait_slow(64)?|do_futex_wait|std::condition_variable::wait\w*|std::__1::condition_variable::wait\w*)$`), Note: "waiting on a condition variable or semaphore: a parked worker unless a caller above says lock (threading.Lock) or GIL"},
		{ID: "lock.futex", Cat: CatLock, Weak: true, RT: mAnyC, Name: re(`^(futex_wait\w*|__futex_wait|futex_do_wait|futex_wake|do_futex|__x64_sys_futex|__arm64_sys_futex|__se_sys_futex|futex_q_lock|__futex_abstimed_wait_common(64)?|__futex_abstimed_wait_cancelable64|lll_futex_\w+|syscall)$`), Note: "the kernel futex and glibc's futex helpers: the mechanism under every blocking lock and condvar, decided by the caller above"},

		// ---- garbage collection (frames.md §5) ----------------------------------
		{ID: "gc.cpython", Cat: CatGC, RT: mC, Cond: condCPy, Name: re(`^(gc_collect_main|gc_collect_with_callback|gc_collect_generations|gc_collect_region|gc_collect_young|gc_collect_increment|gc_collect_full|gc_collect_impl|_PyGC_Collect|_PyGC_CollectNoFail|PyGC_Collect|_Py_RunGC|collect_with_callback|collect_generations|collect|update_refs|subtract_refs|move_unreachable|move_legacy_finalizers|move_legacy_finalizer_reachable|handle_legacy_finalizers|finalize_garbage|delete_garbage|deduce_unreachable|handle_weakrefs|visit_reachable|visit_decref|gc_list_merge|untrack_tuples|untrack_dicts|_Py_qsbr_\w+|_Py_brc_merge_refcounts|_PyMem_ProcessDelayed\w*)$`), Note: "CPython's cyclic collector"},
		{ID: "gc.traverse", Cat: CatGC, RT: mC, Cond: condGCAbove, Name: re(`_traverse$`), Note: "tp_traverse under a collection"},
		{ID: "gc.go", Cat: CatGC, RT: mNative, Name: re(`^runtime\.(gcBgMarkWorker|gcDrain\w*|scanobject|scanblock|scanstack|scanframeworker|markroot\w*|gcAssistAlloc\w*|greyobject|findObject|gcMarkDone|gcSweep|sweepone|bgsweep|bgscavenge|\(\*mspan\)\.sweep|\(\*gcWork\)\.\w+|wbBufFlush\w*|gcWriteBarrier\w*|gcStart|markBits\w*|\(\*gcControllerState\)\.\w+)$`), Has: []string{"runtime."}, Note: "Go's garbage collector, assists included"},
		{ID: "gc.jvm_dotnet", Cat: CatGC, RT: mNative, Name: re(`^(GC_\w+|G1\w+::\w+|ParallelGC\w*|WKS::gc_heap::\w+|SVR::gc_heap::\w+|v8::internal::(Heap::CollectGarbage|Heap::PerformGarbageCollection|MarkCompactCollector|Scavenger|ScavengerCollector|ConcurrentMarking|IncrementalMarking|MinorMarkCompactCollector)\w*)`), Has: []string{"GC", "G1", "gc_heap", "Parallel", "v8::internal::"}, Note: "other collectors (Boehm, HotSpot, .NET, V8)"},

		// ---- allocation (frames.md §4) ------------------------------------------
		{ID: "alloc.clone", Cat: CatAlloc, RT: mNative, Name: re(`<alloc::(vec::Vec|string::String|boxed::Box|collections::\w+::\w+)(<.*>)? as core::clone::Clone>::clone|alloc::fmt::format(::format_inner)?$|alloc::str::<impl str>::to_(owned|string|lowercase|uppercase)|<str as alloc::string::ToString>::to_string|<(T|alloc::string::String) as alloc::string::ToString>::to_string|alloc::slice::<impl \[T\]>::to_vec|<\[T\] as alloc::slice::hack::ConvertVec>::to_vec|<T as alloc::borrow::ToOwned>::to_owned|alloc::slice::hack::\w+::to_vec`), Has: []string{"clone", "format", "to_", "ToOwned", "ConvertVec"}, Note: "copies made for ownership: clone, to_string, to_owned, format!"},
		{ID: "alloc.rust_growth", Cat: CatAlloc, RT: mNative, Name: re(`alloc::raw_vec::(RawVec|RawVecInner)(<[^>]*>)?::(grow_one|grow_amortized|grow_exact|reserve|reserve_for_push|try_reserve\w*|shrink\w*|allocate_in|try_allocate_in|with_capacity\w*)|alloc::raw_vec::finish_grow|::do_reserve_and_handle|alloc::raw_vec::\w+::grow`), Has: []string{"raw_vec", "reserve"}, Note: "container growth: Vec/String reallocation"},
		{ID: "alloc.rust", Cat: CatAlloc, RT: mNative | mLibc, Name: re(`^(__rustc::)?(__rust_(alloc|dealloc|realloc|alloc_zeroed)|__rdl_(alloc|dealloc|realloc|alloc_zeroed)|__rg_(alloc|dealloc|realloc|alloc_zeroed)|__rust_no_alloc_shim_is_unstable\w*)$|^alloc::alloc::(exchange_malloc|alloc|realloc|dealloc|box_free)|<alloc::alloc::Global as core::alloc::Allocator>::(allocate|grow|shrink|deallocate)|alloc::alloc::Global::(alloc_impl|grow_impl)`), Has: []string{"__r", "alloc::"}, Note: "Rust's global allocator shims"},
		{ID: "alloc.cpython", Cat: CatAlloc, RT: mC, Cond: condCPy, Name: re(`^(PyObject_(Malloc|Calloc|Realloc|Free)|_PyObject_(Malloc|Calloc|Realloc|Free)|pymalloc_(alloc|free|realloc)|allocate_from_new_pool|insert_to_(used|free)pool|new_arena|_PyObject_ArenaMmap|_PyObject_ArenaMunmap|_PyMem_Arena(Alloc|Free)|PyMem_(Raw)?(Malloc|Calloc|Realloc|Free)|_PyMem_(Raw)?(Malloc|Calloc|Realloc|Free)|_PyMem_Debug\w+|_PyObject_MiMalloc|_PyObject_MiFree|_PyMem_MiMalloc|_PyMem_MiFree|_PyObject_GC_New|_PyObject_GC_NewVar|_PyObject_GC_Malloc|_PyObject_GC_Calloc|_PyObject_GC_Alloc|gc_alloc|_PyObject_GC_Link|_PyType_AllocNoTrack|PyType_GenericAlloc|_PyObject_New|_PyObject_NewVar|PyTuple_New|tuple_alloc|_PyLong_New|PyUnicode_New|resize_compact|_PyUnicodeWriter_(Prepare|Resize)\w*|PyList_New|list_resize|list_preallocate_exact|PyDict_New|new_dict|new_keys_object|dictresize|insertion_resize|_PyDict_NewPresized|PyBytes_FromStringAndSize|_PyBytes_Resize|_PyFrame_New_NoTrack|frame_alloc|_PyFrame_MakeAndSetFrameObject|_PyObject_GC_Resize|_PyTuple_Resize|PyByteArray_Resize|bytearray_resize)$`), Note: "pymalloc and CPython object creation / container growth"},
		{ID: "alloc.libc", Cat: CatAlloc, RT: mLibc | mNative, Name: re(`^(__libc_|__)?(malloc|calloc|realloc|free|memalign|posix_memalign|aligned_alloc|valloc|pvalloc)$|^(cfree|__GI___libc_(malloc|free|realloc|calloc)|__malloc_\w+)$|^(__bin_chunk|__expand_heap|__malloc0|__libc_malloc_impl)$|^(_int_(malloc|free|realloc|memalign)|_mid_memalign|_int_free_(merge_chunk|create_chunk|maybe_consolidate)|malloc_consolidate|sysmalloc|systrim|tcache_(init|get|put)\w*|arena_get2|unlink_chunk|alloc_perturb|free_perturb|__default_morecore|_IO_file_doallocate)$|^(_rjem_|je_)?(mallocx|rallocx|xallocx|sdallocx|dallocx|nallocx)$|^_rjem_\w+|^je_\w+|^_?mi_(malloc|free|calloc|realloc|heap_\w+|page_\w+|segment_\w+)\w*$|^(operator new|operator delete)|^tc_(malloc|free|new|delete)\w*|^(std::)?__new_allocator|^std::vector<.*>::_M_realloc_insert|^std::vector<.*>::reserve`), Note: "C allocators: glibc, musl, jemalloc, mimalloc, tcmalloc, C++ new/delete"},
		{ID: "alloc.go", Cat: CatAlloc, RT: mNative, Name: re(`^runtime\.(mallocgc\w*|newobject|newarray|makeslice\w*|growslice|makemap\w*|rawstring\w*|rawbyteslice|rawruneslice|concatstring\w*|slicebytetostring|stringtoslicebyte|memclrNoHeapPointers|\(\*mcache\)\.\w+|\(\*mcentral\)\.\w+|\(\*mheap\)\.\w+|nextFreeFast|heapBitsSetType|\(\*mspan\)\.(init|nextFreeIndex)|persistentalloc\w*|mProf_Malloc|profilealloc|convT\w*|mapassign\w*grow|hashGrow|growWork\w*|evacuate\w*)$`), Has: []string{"runtime."}, Note: "Go heap allocation and map/slice growth"},
		{ID: "alloc.first_touch", Cat: CatAlloc, RT: mKernel, Name: re(`^(do_anonymous_page|do_huge_pmd_anonymous_page|clear_huge_page|folio_zero_user)$`), Note: "the kernel zeroing fresh anonymous memory at its first write (never file I/O: anonymous pages have no file): the cost of new or large allocations, whichever code touches them first"},
		{ID: "alloc.fault", Cat: CatAlloc, RT: mKernel, Cond: condAllocAbove, Name: re(`^(asm_exc_page_fault|exc_page_fault|do_user_addr_fault|handle_mm_fault|__handle_mm_fault|do_anonymous_page|clear_page_erms|clear_page\w*|__x64_sys_(mmap|munmap|brk|madvise|mremap)|do_mmap|__do_munmap|do_brk_flags)$`), Note: "page faults and mmap/brk on behalf of an allocator above"},

		// ---- system calls and I/O (frames.md §7) --------------------------------
		{ID: "io.cpython", Cat: CatIO, RT: mC, Cond: condCPy, Name: re(`^(_Py_read|_Py_write|_Py_write_noraise|_Py_open\w*|_bufferedreader_\w+|_bufferedwriter_\w+|_io__Buffered\w+|_io_FileIO_\w+|_io_TextIOWrapper_\w+|textiowrapper_\w+|_io__IOBase_\w+|sock_recv\w*|sock_send\w*|sock_call(_ex)?|sock_accept\w*|sock_connect\w*|os_read_impl|os_write_impl|os_\w+_impl|_posix_listdir|internal_connect|_ssl__SSLSocket_\w+)$`), Note: "the C side of Python I/O"},
		{ID: "io.libc", Cat: CatIO, RT: mLibc | mNative, Name: re(`^(__libc_)?(read|write|pread64|pwrite64|readv|writev|recv|recvfrom|recvmsg|send|sendto|sendmsg|accept4?|connect|open(at)?(64)?|close|fsync|fdatasync|sendfile(64)?|splice|stat(64)?|fstat(at)?(64)?|lstat(64)?|statx|getdents(64)?|__GI___libc_(read|write|open|close)\w*|__(read|write|open|close)_nocancel|__GI___(read|write|open|close)_nocancel|_IO_\w+|fwrite|fflush|fputs|fputc|fread|fgets|puts)$|^(syscall\.(Syscall\w*|RawSyscall\w*|read|write)|internal/poll\.\(\*FD\)\.\w+|os\.\(\*File\)\.(Read|Write)\w*)$`), Note: "libc and Go I/O calls"},
		{ID: "io.kernel_unknown", Cat: CatIO, Weak: true, RT: mKernel, Name: re(`^(\[unknown\]|\[+kernel\.kallsyms\]+|\[+k\]+|(0x)?[0-9a-fA-F]{8,})$`), Note: "an unsymbolized kernel frame (user-only recordings, kptr_restrict): the kernel entry of a syscall or fault, decided by the caller above when one matches"},
		{ID: "io.kernel", Cat: CatIO, Weak: true, RT: mKernel, Name: re(`^(entry_SYSCALL_64(_after_hwframe)?|do_syscall_64|x64_sys_call|el0_svc|el0_svc_common|invoke_syscall|__x64_sys_\w+|__arm64_sys_\w+|__se_sys_\w+|ksys_\w+|vfs_\w+|io_schedule\w*)$`), Note: "a syscall in the kernel; futex, mmap/brk and sleeps are caught by the rules above first"},

		// ---- serialization (frames.md §8); context ------------------------------
		{ID: "ser.json_py", Cat: CatSerialization, Layer: contextLayer, RT: mPy, File: re(`(^|/)(json/(encoder|decoder|__init__|scanner)\.py|simplejson/\w+\.py|pickle\.py|copyreg\.py|_compat_pickle\.py|yaml/\w+\.py)$`), Note: "stdlib json and pickle, simplejson, pure-Python PyYAML: the slow codecs a faster one replaces"},
		{ID: "ser.xml_py", Cat: CatSerialization, Layer: contextLayer, RT: mPy, File: re(`(^|/)xml/(etree|dom|sax|parsers)/\w+\.py$`), Note: "the standard library's XML (ElementTree, minidom, SAX): ElementTree serializes in pure Python, one call per element, attribute and text"},
		{ID: "ser.xml_c", Cat: CatSerialization, Layer: contextLayer, RT: mC | mNative, Name: re(`^(XML_Parse\w*|doContent|doProlog|doCdataSection|storeAtts|contentProcessor|prologProcessor|prologInitProcessor|epilogProcessor|pyexpat_xmlparser_\w+|_elementtree_\w+|treebuilder_handle_\w+|expat_(start|end|data|default|comment|pi)_handler)$`), Note: "expat (libexpat, pyexpat) and ElementTree's C accelerator: parsing XML"},
		{ID: "ser.csv_py", Cat: CatSerialization, Layer: contextLayer, RT: mPy, File: re(`(^|/)csv\.py$`), Note: "the standard library's csv.DictWriter and DictReader: a dict turned into a list (and back) in Python for every row"},
		{ID: "ser.csv_c", Cat: CatSerialization, Layer: contextLayer, RT: mC | mNative, Name: re(`^(csv_writerows?|csv_reader|csv_writer|_csv_\w+|Reader_iternext|parse_(process_char|add_char|save_field|grow_buff|reset)|join_(append|append_data|append_lineterminator|check_rec_size|reset))$`), Note: "CPython's _csv module: the C reader and writer"},
		{ID: "ser.py_other", Cat: CatSerialization, Layer: contextLayer, RT: mPy, File: re(`(^|/)(msgpack/\w+\.py|google/protobuf/.*\.py|marshmallow/.*\.py|xml/.*\.py|plistlib\.py|tomllib/.*\.py|toml/.*\.py|configparser\.py|email/(feedparser|parser|generator|_header_value_parser|header|_encoded_words|message|contentmanager|_policybase|policy)\.py|xdrlib\.py|quopri\.py|uu\.py)$`), Note: "other codecs and formats written in Python (the standard library's plistlib, tomllib, configparser, email parsing and generation; msgpack's and protobuf's pure-Python implementations, marshmallow): a Python call per object and field, several times the cost of a codec in C; not a case for msgspec/orjson unless the format is the program's own"},
		{ID: "ser.pydantic", Cat: CatSerialization, Layer: contextLayer, RT: mPy, File: re(`(^|/)(pydantic|pydantic_core|orjson|msgspec|ujson|rapidjson)/`), Note: "pydantic validation and fast codecs at the Python level"},
		{ID: "ser.json_c", Cat: CatSerialization, Layer: contextLayer, RT: mC, Name: re(`^(encoder_call|encoder_listencode_(obj|dict|list)|encoder_encode_(string|float|key_value)|py_encode_basestring(_ascii)?|escape_unicode|ascii_escape_unicode|write_escaped_(ascii|unicode)|scanner_call|scan_once_unicode|_parse_object_unicode|_parse_array_unicode|scanstring_unicode|_match_number_unicode|py_scanstring|_json_\w+)$`), Note: "CPython's _json accelerator"},
		{ID: "ser.pickle_c", Cat: CatSerialization, Layer: contextLayer, RT: mC, File: re(`(^|/)_pickle(\.c|\.cpython[^/]*\.so)$`), Name: re(`^(save\w*|batch_(dict|list)\w*|load\w*|_pickle_\w+|_Pickler_\w+|_Unpickler_\w+|Pickler_\w+|Unpickler_\w+|dump|memo_\w+)$`), Kin: "ser.pickle_named", Note: "CPython's _pickle accelerator (module checked: save/load are common names; without modules, where _Pickler_/Unpickler_ frames show _pickle is loaded)"},
		{ID: "ser.pickle_named", Cat: CatSerialization, Layer: contextLayer, RT: mC, Name: re(`^(_pickle_\w+|_Pickler_\w+|_Unpickler_\w+|Pickler_\w+|Unpickler_\w+)$`), Note: "_pickle entry points (names unique enough without the module)"},
		{ID: "ser.rust", Cat: CatSerialization, Layer: contextLayer, RT: mNative, Name: re(`serde_json::|^orjson::|<[^>]+ as serde::(ser::Serialize|de::Deserialize)>::(serialize|deserialize)|serde::(ser|de)::|rmp_serde::|bincode::|serde_yaml::|simd_json::|sonic_rs::|prost::(encoding|Message)|^yyjson_\w+|^msgspec_\w+|^(mpack|json)_(encode|decode)\w*$`), Has: []string{"serde", "orjson", "bincode", "simd_json", "sonic", "prost", "yyjson", "msgspec", "mpack", "json_"}, Note: "serde, orjson, msgspec, prost"},
		{ID: "ser.go_std", Cat: CatSerialization, Layer: contextLayer, RT: mNative, Name: re(`^encoding/(json|xml|gob)\.`), Has: []string{"encoding/"}, Note: "Go's reflection-based standard codecs (encoding/json, xml, gob): the slow codecs typed or generated ones replace"},
		{ID: "ser.go", Cat: CatSerialization, Layer: contextLayer, RT: mNative, Name: re(`^(encoding/(csv|asn1|binary)\.|google\.golang\.org/protobuf/|github\.com/golang/protobuf/|gopkg\.in/yaml|github\.com/(json-iterator|goccy/go-json|bytedance/sonic|vmihailenco/msgpack|mailru/easyjson))`), Has: []string{"encoding/", "protobuf", "yaml", "json", "msgpack", "sonic"}, Note: "other Go codecs: serialization, but already fast or not a case for a codec swap"},

		// ---- logging (frames.md §10); context -----------------------------------
		{ID: "log.py", Cat: CatLogging, Layer: contextLayer, RT: mPy, File: re(`(^|/)(logging/(__init__|handlers|config)\.py|structlog/.*\.py|loguru/.*\.py|pythonjsonlogger/.*\.py|warnings\.py)$`), Note: "Python logging, structlog, loguru"},
		{ID: "log.native", Cat: CatLogging, Layer: contextLayer, RT: mNative, Name: re(`^tracing::|^tracing_core::|tracing_subscriber::|<tracing_subscriber::[^>]+ as tracing_core::subscriber::Subscriber>::|^log::(__private_api\w*|logger|Log)|<[^>]+ as log::Log>::log|env_logger::|pyo3_log::|^log\.\(\*Logger\)\.|^log\.(Print|Printf|Println|Output)|^log/slog\.|^go\.uber\.org/zap|^github\.com/(sirupsen/logrus|rs/zerolog)|^(syslog|__vsyslog_internal|spdlog::|google::LogMessage)`), Has: []string{"tracing", "log", "zap", "zerolog", "logrus", "spdlog", "LogMessage"}, Note: "Rust tracing/log, Go log/slog/zap, C syslog"},

		// ---- import (frames.md §12); context ------------------------------------
		{ID: "import.py", Cat: CatImport, Layer: contextLayer, RT: mPy, File: re(`^<frozen importlib\._bootstrap(_external)?>$|(^|/)importlib/(_bootstrap|_bootstrap_external|__init__|metadata/.*|resources/.*)\.py$|(^|/)(pkg_resources|importlib_metadata)/|(^|/)(pkgutil|zipimport|site)\.py$`), Note: "importlib machinery and entry-point scans; not runpy, whose _run_code runs the main program (python -m) and would make all of it import"},
		{ID: "import.c", Cat: CatImport, Layer: contextLayer, RT: mC, Name: re(`^(PyImport_ImportModuleLevelObject|PyImport_ImportModule\w*|import_find_and_load|PyImport_Import|_PyImport_LoadDynamicModuleWithSpec|_PyImport_FindSharedFuncptr|_imp_create_dynamic\w*|_imp_exec_dynamic\w*|exec_builtin_or_dynamic|PyMarshal_ReadObjectFromString|marshal_loads\w*|_dl_open|dl_open_worker\w*|_dl_map_object\w*|_dl_relocate_object|_dl_lookup_symbol_x|do_lookup_x|_dl_catch_exception|dlopen\w*)$`), Note: "C import, unmarshal, dlopen"},

		// ---- I/O context from Python libraries ----------------------------------
		{ID: "io.py", Cat: CatIO, Layer: contextLayer, RT: mPy, File: re(`(^|/)(socket|ssl|subprocess|shutil|tempfile|http/client|urllib/request|ftplib|smtplib|asyncio/streams|asyncio/selector_events)\.py$|(^|/)(urllib3|requests|httpx|httpcore|aiohttp|botocore|boto3|psycopg2?|pymysql|redis)/`), Note: "network, process and file libraries"},

		// ---- async runtimes (frames.md §9); thin context -------------------------
		{ID: "async.asyncio", Cat: CatAsync, Layer: contextLayer, Thin: true, RT: mPy, File: re(`(^|/)asyncio/(base_events|events|runners|tasks|futures|queues|locks|timeouts)\.py$|(^|/)(uvloop|anyio|trio)/`), Note: "asyncio's loop, handles and tasks: scheduling unless user code runs below"},
		{ID: "async.c", Cat: CatAsync, Layer: contextLayer, Thin: true, RT: mC, Name: re(`^(task_step|task_step_impl|task_wakeup|future_schedule_callbacks|_asyncio_\w+|FutureObj_\w+|TaskObj_\w+|TaskStepMethWrapper_call|uv_run|uv__run_\w+|uv__io_\w+)$`), Note: "CPython _asyncio and libuv"},
		{ID: "async.tokio", Cat: CatAsync, Layer: contextLayer, Thin: true, RT: mNative, Name: re(`^tokio::|^<tokio::|^async_std::|^smol::|^async_executor::|^futures_util::|^futures_executor::|^runtime\.(schedule|findRunnable|findrunnable|stealWork|runqsteal|runqget\w*|park_m|goschedImpl|goready|ready|execute|wakep|startm|stopm|notewakeup)$`), Has: []string{"tokio", "async_", "smol", "futures_", "runtime."}, Note: "tokio and other executors' scheduling (Go's scheduler too)"},

		// ---- the boundary (frames.md §3); thin context --------------------------
		{ID: "ffi.build", Cat: CatConvert, Layer: contextLayer, Encloses: true, OwnPath: true, RT: mNative, Cond: condOwnCaller, Name: re(`pyo3::types::any::PyAny::(call|call0|call1|getattr|setattr)$|PyAnyMethods>::(call|call0|call1|getattr|setattr)$|IntoPyDict>::into_py_dict\w*$|pyo3::types::(dict::PyDict|list::PyList|tuple::PyTuple|string::PyString|set::PySet)::(new|new_bound|set_item|append|intern|intern_bound|empty|empty_bound)$|Py(Dict|List|Set)Methods>::(set_item|append|add)$|pyo3::types::module::PyModule::import\w*$`), Has: []string{"pyo3"}, Note: "the extension's own code building Python objects through PyO3 (calling a class, filling dicts, lists, tuples and strings, looking up a class by name): its result converted object by object, as opposed to the per-call wrapper around an entry point"},
		{ID: "ffi.elements", Cat: CatConvert, Layer: contextLayer, Thin: true, Encloses: true, RT: mNative, Name: re(`pyo3::types::(sequence|list|iterator|set|frozenset)::|pyo3::types::dict::\w*Iterator|extract_sequence|PyIterator|Bound(List|Set|FrozenSet|Dict)Iterator|Py(List|Set|FrozenSet|Dict)Iterator|pyo3::conversions::std::(vec|array|slice|map|set)::|(FromPyObject|IntoPy\w*|ToPyObject|IntoPyObject\w*)(<[^>]*>)? for (alloc::vec::Vec|\[|&\[|std::collections::|hashbrown::|alloc::collections::)|^__pyx_convert_(vector|map|set|unordered_map|unordered_set|list)_\w*(from|to)_py|^__Pyx_carray_(from|to)_py|pybind11::detail::(list|map|set|array)_caster`), Has: []string{"pyo3", "pyx", "Pyx", "pybind11"}, Note: "converting a sequence, set or mapping element by element at the boundary (PyO3 extract_sequence / Vec<T> and list iterators, Cython's vector/map converters, pybind11's STL casters): per-element conversion, as opposed to the per-call wrapper"},
		{ID: "ffi.convert", Cat: CatFFI, Layer: contextLayer, Thin: true, OwnPath: true, RT: mNative, Name: re(`pyo3::conversion::(FromPyObject|IntoPyObject|IntoPy|ToPyObject|IntoPyObjectExt)|pyo3::conversions::|pyo3::types::(list|dict|tuple|string|bytes|set|frozenset|float|num|boolobject|sequence|mapping)::|as pyo3::conversion::|as pyo3::types::(list|dict|tuple|string|bytes)::|pyo3::impl_::(extract_argument|frompyobject)::|<[^>]+ as pyo3::conversion::\w+[^>]*>::(extract\w*|into_py\w*|to_object)`), Has: []string{"pyo3"}, Note: "PyO3 conversions between Rust and Python objects, argument extraction, container building"},
		{ID: "ffi.wrapper", Cat: CatFFI, Layer: contextLayer, Thin: true, RT: mNative, Name: re(`(^|::)__py(function|method)_\w+`), Has: []string{"__py"}, Note: "PyO3's macro-generated wrapper of a #[pyfunction] or #[pymethods] method (frames.md 3.2 pyo3.wrapper): the per-call wrapper, and the native entry point's name (__pyfunction_score_one is score_one)"},
		{ID: "ffi.pyo3", Cat: CatFFI, Layer: contextLayer, Thin: true, OwnPath: true, RT: mNative, Name: re(`pyo3::impl_::(trampoline|extract_argument|pymethods|pyclass|pyclass_init|wrap|callback|frompyobject|pyfunction|pymodule|panic|coroutine)::|pyo3::conversion::(FromPyObject|IntoPyObject|IntoPy|ToPyObject|IntoPyObjectExt)|pyo3::conversions::|pyo3::types::|pyo3::instance::|pyo3::(gil|internal::state)::|pyo3::marker::Python::|pyo3::err::|pyo3::pycell::|pyo3::pyclass::|pyo3::callback::|pyo3::sync::|as pyo3::(conversion|types|instance)|::py_methods::ITEMS::trampoline|pyo3::impl_::`), Has: []string{"pyo3"}, Note: "PyO3 trampolines, extraction and conversion"},
		{ID: "ffi.bindings", Cat: CatFFI, Layer: contextLayer, Thin: true, RT: mNative, Name: re(`^__pyx_(pw|pf|f|tp|getprop|setprop|pymod)_|^__Pyx_|pybind11::cpp_function::|pybind11::detail::|nanobind::detail::nb_func|^cffi_|_cffi_f_|^ffi_call\w*$`), Has: []string{"pyx", "Pyx", "pybind11", "nanobind", "cffi", "ffi_call"}, Note: "Cython, pybind11, nanobind, cffi glue"},
	}
}

// ---- Frame sets ------------------------------------------------------------
//
// Named sets of frames that mean one thing, for the questions the analysis
// asks besides "which category": is this a thread's entry, a context switch,
// a lock's releasing side, a read or a write, the interpreter's own code?
// The classifier answers each set once per distinct frame (frameRoles and
// analyzeFrame in frameinfo.go store the answers as facts on the frame info);
// detectors read those facts and compile no frame patterns of their own
// (TestNoPrivateFramePatterns). A set matches the frame's normalised name
// unless its comment says it matches the module or the file.

// frameSet is one named set: a pattern and its literal prefilter.
type frameSet struct {
	re    *regexp.Regexp
	needs needs
	// lit is the pattern as a literal set (literal.go), nil when it is
	// not of that shape.
	lit *literalSet
}

func frames(s string) frameSet {
	r := re(s)
	fs := frameSet{re: r, needs: needsOf(r)}
	if ls, ok := compileLiteral(r); ok {
		fs.lit = ls
	}
	return fs
}

// has reports whether s (a name, module or file, as the set says) is in the set.
func (s frameSet) has(x string) bool {
	if s.lit != nil {
		return s.lit.match(x)
	}
	return s.needs.match(s.re, x)
}

var (
	// The frames a new thread starts in: the C library's and the runtimes'
	// thread trampolines, CPython's thread bootstrap (pythread_wrapper,
	// thread_run) and threading.Thread._bootstrap (by function name for Python
	// frames). A stack passing through one is a worker thread's (frames.md §2.1
	// shows them under every worker's GIL wait).
	threadEntryFrames = frames(`^(start_thread|clone3?|__clone\w*|thread_start|_thread_start|pythread_wrapper|thread_run|std::sys::pal::unix::thread::Thread::new::thread_start|std::sys::unix::thread::Thread::new::thread_start|_bootstrap|_bootstrap_inner|RtlUserThreadStart|BaseThreadInitThunk)$`)
	// The frames a whole stack starts at: process and thread entries of C, Go,
	// Rust and Windows programs, the kernel's own threads, CPython's main, and
	// (by function name for Python frames) a module body or a thread's
	// bootstrap. A stack whose root is none of these lost its callers.
	processTopFrames = frames(`^(_start|__libc_start_main\w*|__libc_start_call_main|start_thread|clone3?|__clone\w*|thread_start|_thread_start|runtime\.goexit(\.abi0)?|runtime\.main|runtime\.mstart\w*|runtime\.rt0_go\w*|runtime\.mcall|runtime\.morestack(\.abi0)?|runtime\.systemstack(\.abi0)?|runtime\.gcBgMarkWorker|main|wmain|WinMain|RtlUserThreadStart|BaseThreadInitThunk|ret_from_fork\w*|kthread|start_kernel|secondary_startup_64\w*|cpu_startup_entry|common_startup_64|x86_64_start_\w+|rest_init|std::rt::lang_start\w*|std::sys::pal::unix::thread::Thread::new::thread_start|std::sys::unix::thread::Thread::new::thread_start|pythread_wrapper|Py_BytesMain|Py_Main|pymain_main|<module>|_bootstrap|_bootstrap_inner|run|_run_module_as_main|_run_code|start|main)$`)
	// Runtime start-up: the frames every stack of a process or thread starts
	// with before the program's own code (the C runtime's entry, CPython's main
	// and file runner, runpy, thread bootstraps, Rust's and Go's runtime
	// entries). The hot path skips them (issue 7: "the hot path skips runtime
	// start-up frames").
	startupFrames = frames(`^(_start|__libc_start_main\w*|__libc_start_call_main|main|Py_BytesMain|Py_Main|pymain_\w+|Py_RunMain|_PyRun_\w+|PyRun_\w+|pyrun_\w+|run_mod|run_eval_code_obj|PyEval_EvalCode|_run_module_as_main|_run_code|<module>|start_thread|clone3?|__clone\w*|thread_run|pythread_wrapper|_bootstrap|_bootstrap_inner|run|std::rt::lang_start\w*|std::sys::\S*thread_start|core::ops::function::FnOnce::call_once(\{\{vtable\.shim\}\})?\w*|std::sys(_common)?::backtrace::__rust_begin_short_backtrace|runtime\.main|runtime\.goexit\w*)$`)
	// Python functions that are start-up where their file says so (see
	// startupFrame): a module body, runpy's runners, threading's bootstrap and a
	// Thread's run.
	pyStartupFunctions = frames(`^(<module>|run|_bootstrap|_bootstrap_inner|_run_module_as_main|_run_code)$`)
	// A context switch: a stack whose leaf is the scheduler was switched out,
	// Go's in-process profiler writing or serving its own profiles
	// (runtime/pprof's CPU profile writer, heap and count profile writers
	// and profile builder; net/http/pprof's handlers): the cost of being
	// profiled, not the program's work. Not runtime/pprof.Do and the other
	// label functions, under which the program's own code runs.
	profilerFrames = frames(`^(runtime/pprof\.(StartCPUProfile|StopCPUProfile|profileWriter|write\w*|print\w*|allFrames|newProfileBuilder|\(\*profileBuilder\)\.\w+|\(\*Profile\)\.WriteTo|\(\*protobuf\)\.\w+|runtime_\w*[pP]rofile\w*)|net/http/pprof\.(Index|Profile|Trace|Cmdline|Symbol|handler\.ServeHTTP))$`)
	// an off-CPU event (frames.md §6, the kernel side of a futex wait).
	schedLeafFrames = frames(`^(__schedule|schedule|finish_task_switch\w*|__switch_to\w*|context_switch)$`)
	// The releasing side of a lock or condition variable: the kernel's and
	// glibc's futex wake, semaphore post, condvar signal, mutex unlock,
	// CPython's lock release (frames.md §6). A thread switched out here was
	// handing a lock over, not waiting for one.
	lockWakeFrames = frames(`^(futex_wake\w*|(__GI_)?__lll_lock_wake\w*|lll_mutex_unlock\w*|(__new_)?sem_post|___?pthread_cond_(signal|broadcast)\w*|pthread_cond_(signal|broadcast)|(___?|__GI___)?pthread_mutex_unlock\w*|PyThread_release_lock|lock_PyThread_release_lock|rlock_release|_PyMutex_Unlock\w*|_PySemaphore_Wakeup|_PyParkingLot_Unpark)$`)
	// System calls and their C library, kernel and CPython frames that read
	// (frames.md §7): the direction of a transfer. Matched anywhere in the name.
	readCallFrames = frames(`(^|_)(read|readv|pread64|recv|recvfrom|recvmsg|readinto|ksys_read|vfs_read)(64)?$|sys_(read|recvfrom|recvmsg|readv|pread64)$|tcp_recvmsg|_Py_read`)
	// The same for writes; a name in both sets counts as a write.
	writeCallFrames = frames(`(^|_)(write|writev|pwrite64|send|sendto|sendmsg|sendall|ksys_write|vfs_write)(64)?$|sys_(write|sendto|sendmsg|writev|pwrite64)$|tcp_sendmsg|_Py_write`)
	// Go runtime frames every Go program has: the program is Go.
	goRuntimeFrames = frames(`^runtime\.(goexit|main|mcall|morestack\w*|mallocgc\w*|gcBgMarkWorker|schedule|mstart\w*|goexit\d*)$`)
	// Code a runtime enters at any instruction of the function it interrupts
	// (Go's asynchronous preemption, a goroutine's stack growth): its
	// samples are overhead landing on that function, not work of its own.
	trampolineFrames = frames(`^(runtime\.)?(asyncPreempt2?|morestack\w*)$`)
	// Rust's core/alloc/std paths, closures and allocator shims: the program
	// has Rust code.
	rustStdFrames = frames(`^(core|alloc|std)::|::\{\{closure\}\}|^<(core|alloc|std)::|^__rust_`)
	// C++'s standard library spells std:: too; its names carry marks no
	// Rust name has: libstdc++'s reserved _M_ and _S_ members and __ namespaces,
	// destructors, its class templates by name.
	// A list shifting its elements to take one from or put one at the
	// front (list.pop(0), insert(0, x), del a[0]: CPython's list_pop,
	// ins1, list_ass_slice), and the memory move that does it.
	listShiftFrames = frames(`^(list_pop(_impl)?|list_ass_slice\w*|list_ass_item|ins1|list_insert(_impl)?)$`)
	memMoveFrames   = frames(`^(__)?(memmove|memcpy)(_\w+)?$`)
	// CPython's list insert moving the elements itself, in its own loop
	// (no memmove under it).
	listShiftLoopFrames = frames(`^ins1$`)
	// CPython concatenating two immutable sequences into a new one (a + b,
	// and a += b where the left side cannot grow in place: bytes, str held
	// elsewhere, tuple), which copies both operands; list's and
	// bytearray's own += extend in place and are not here.
	// A free, or the dealloc of an object that frees it: with a
	// concatenation, the previous result let go of.
	freeFrames   = frames(`^(free|cfree|__libc_free|__GI___libc_free|_int_free|PyObject_Free|_PyObject_Free|PyMem_Free|PyMem_RawFree|_PyMem_RawFree|_Py_Dealloc|unicode_dealloc|bytes_dealloc|tuple_dealloc|list_dealloc|bytearray_dealloc)$`)
	concatFrames = frames(`^(bytes_concat|PyBytes_Concat(AndDel)?|PyUnicode_Concat|tuple_concat|list_concat|bytearray_concat|PySequence_Concat)$`)
	// CPython's builtins that fold a whole sequence into one value (sum,
	// min, max, any, all, math.fsum, math.prod): over a slice copied for
	// the call, each call copies and reads the slice again.
	reduceFrames = frames(`^(builtin_sum(_impl)?|min_max|builtin_min|builtin_max|builtin_any|builtin_all|math_fsum(_impl)?|math_prod(_impl)?)$`)
	// Calls a source line makes into a codec, by the name the program
	// calls (line evidence, hotline.go): what a line profiler charges to
	// the line is then the codec's work.
	lineCodecCalls = frames(`^(json|simplejson|ujson|orjson|pickle|marshal|tomllib|tomli|tomli_w|toml|plistlib|yaml|csv|configparser|ET|ElementTree|xml\.etree\.ElementTree|msgpack|cbor2|bson)\.(dumps?|loads?|parse|fromstring|tostring|safe_load|safe_dump|reader|writer|DictReader|DictWriter)$`)
	// The methods logging calls on a program's own subclasses once per
	// record (a Handler's emit, a Formatter's format, a Filter's filter),
	// by their qualified names in a line profile: their lines' time is
	// logging's.
	loggingProtocolFunctions = frames(`^\w*(Handler\.(emit|handle|flush|format)|Formatter\.(format|formatTime|formatMessage|formatException|formatStack)|Filter\.filter)$`)
	// CPython copying part of a sequence into a new one (a[i:j]).
	sliceCopyFrames = frames(`^(list_subscript|list_slice\w*|_?PyList_GetSlice|tuple_subscript|tuple_slice|PyTuple_GetSlice|PySequence_GetSlice|bytes_subscript)$`)
	cppStdFrames    = frames(`^std::(__|_[A-Z]|basic_|vector<|map<|set<|unordered_|deque<|list<|allocator|char_traits|ostream|istream|ios_base|locale|function<|shared_ptr|unique_ptr|thread::_)|::_[A-Z]|::~|\(anonymous namespace\)|^operator `)
	// Runtime helpers printed without their package (Go assembly stubs) and
	// Rust std trait impls on primitive or generic types: a language runtime's
	// code, never the place a user changes.
	runtimeMiscFrames = frames(`^(gcWriteBarrier\w*|morestack\w*|asyncPreempt\w*|wbBufFlush\w*)$|^<(T|str|\[.*\]|u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize|f32|f64|bool|char|&str|&T|&\[.*\]) as (alloc|core|std)::`)
	// Files: base names of Rust std source files that memory profilers print
	// without their library/ path (valgrind DHAT).
	rustStdFiles = frames(`(^|/)(alloc|raw_vec|mod|slice|string|str|boxed|spec_\w+|iterator|map|fmt|clone|borrow|vec|function|rt|panicking|panic|unwind_safe|accum|range|collect|extend|cmp|option|result|ptr|arc|rc|btree\w*|node|hash|sip|macros)\.rs$`)
	// Allocator entry points as memory profilers print them (valgrind's
	// preload library, glibc internals, Go's runtime; frames.md §4).
	allocShortFrames = frames(`^(malloc|calloc|realloc|free|cfree|memalign|posix_memalign|__posix_memalign|aligned_alloc|valloc|operator new(\[\])?|operator delete(\[\])?|_Znwm|_Znam|__rust_(alloc|realloc|alloc_zeroed)|__rdl_\w+|__rg_\w+|runtime\.(mallocgc\w*|newobject|makeslice\w*|growslice|makemap\w*|rawstring\w*|rawbyteslice|slicebytetostring|concatstring\w*|convT\w*|newarray|malg|mcommoninit|allocm))$`)
	// CPython's eval loop (frames.md §11): the frame that runs Python code.
	evalFrames = frames(`^(_PyEval_EvalFrameDefault|_PyEval_EvalFrame|PyEval_EvalFrameEx|_PyEval_EvalFrameDefault\.cold|_TAIL_CALL_\w+)$`)
	// Modules: libpython or the python binary (frames.md §1.2): CPython's own C.
	cpythonModules = frames(`^(libpython\d[\d.]*t?(d|m)?\.so.*|libpython\d[\d.]*\.dylib|python\d?[\d.]*t?(d)?|Python|python\d*\.dll)$`)
	// Modules: the C library, its loader and the vDSO.
	// libcNames are glibc's internal aliases and entry points, for frames
	// with no module (folded files): no program defines these names.
	libcNames   = frames(`^(__GI_\w+|__libc_\w+)$`)
	libcModules = frames(`^(libc[.-].*|libc\.so.*|libpthread.*|ld-linux.*|ld-musl.*|libm\.so.*|libdl.*|\[vdso\]|libsystem_\w+\.dylib|libdyld\.dylib)$`)
	// CPython's C API and the interpreter's internal names (frames.md §3.1):
	// CPython's own code when the input names no module, and never a native
	// entry point whatever module it was compiled into (inline helpers).
	cpythonNames = frames(`^(_?Py[A-Z_][A-Za-z]*_\w+|_Py\w+|Py_\w+|take_gil|drop_gil|pymain_\w+|pyrun_\w+|run_mod|run_eval_code_obj|cfunction_\w+|method_vectorcall_\w+|slot_tp_\w+|pythread_wrapper|thread_run|eval_frame_handle_pending|PyCOND_\w+|_TAIL_CALL_\w+)$`)
	// PyO3's own code, and its traits' code generic over a program's
	// types: it calls C only through pyo3-ffi, CPython's C API, so a bare
	// C name it calls is CPython's (dict inserts under PyDict::set_item).
	pyo3Frames = frames(`^<?pyo3::| as pyo3::`)
	// rustLibPaths are Rust's core, alloc and std by a frame's own path
	// (frameInfo.ownPath): iterator adaptors and closures that sit between
	// an extension's code and the binding calls it makes.
	rustLibPaths = frames(`^<?(core|alloc|std)::`)
	// objectCreateFrames are CPython creating an instance of the class it
	// was called on: a call of a class, not of a function.
	objectCreateFrames = frames(`^type_call$`)
	// What an extension's code asks PyO3 for while it builds Python
	// objects (rule ffi.build), by the frame's own path: calling an object,
	// filling a dict (keyword arguments among them), looking a name up.
	pyCallFrames   = frames(`(pyo3::types::any::PyAny::|PyAnyMethods>::)(call|call0|call1)$`)
	pyDictFrames   = frames(`IntoPyDict>::into_py_dict\w*$|pyo3::types::dict::PyDict::|PyDictMethods>::`)
	pyLookupFrames = frames(`(pyo3::types::any::PyAny::|PyAnyMethods>::)getattr$|pyo3::types::module::PyModule::import\w*$`)
	// Kernel entry, scheduler, futex and fault functions, for inputs that
	// carry no module or [k] annotation (folded stacks): unambiguous kernel
	// names only.
	// The kernel's entry for a fault or an interrupt taken while user
	// code ran (x86's asm_exc_*/asm_sysvec_*, arm64's el0 entries): what
	// it does is on behalf of the instruction that faulted or was
	// interrupted, not a call the program made (a syscall enters at
	// entry_SYSCALL_64 or el0_svc instead).
	trapEntryFrames = frames(`^(asm_exc_\w+|asm_sysvec_\w+|asm_common_interrupt|common_interrupt|ret_from_intr|page_fault|async_page_fault|apic_timer_interrupt|el0_(da|ia|irq|fiq)\w*|el0t_64_(irq|fiq)\w*)$`)
	kernelNames     = frames(`^(entry_SYSCALL_64\w*|do_syscall_64|x64_sys_call|__x64_sys_\w+|__arm64_sys_\w+|__se_sys_\w+|__do_sys_\w+|irqentry_\w+|exit_to_user_mode\w*|syscall_exit_to_user_mode\w*|asm_(sysvec|exc|common_interrupt)_\w+|sysvec_\w+|__schedule|schedule_(timeout|hrtimeout)\w*|finish_task_switch\w*|futex_wait\w*|futex_wake\w*|__futex_wait\w*|futex_do_wait|do_futex|hrtimer_\w+|do_nanosleep|ep_poll|do_epoll_wait|__handle_mm_fault|do_user_addr_fault|exc_page_fault|try_to_wake_up|ret_from_fork\w*|__irq_exit_rcu|native_write_msr\w*|pick_next_task\w*|__pick_next_task\w*|dequeue_task\w*|enqueue_task\w*)$`)
	// Thread, process and comm pseudo-frames that converters add as roots
	// (py-spy's "thread (0x..)", austin's "Thread ..", stackcollapse's comm-tid).
	pseudoFrames = frames(`^(thread \(\d+\)(: .*)?|process \d+:.*|Thread \d+ ".*"|Thread (0x)?[0-9a-fA-F]+(:[0-9a-fA-F]+)?|Process \d+|\S+-\d+(/\d+)?|\S+-\?(/\d+)?)$`)
	// An executable's name as perf prints a comm (python3.11, goalloc):
	// candidates for a folded file's comm root.
	commLikeNames = frames(`^[A-Za-z_][\w+~-]*(\.\d+)*$`)
	// Modules or files: CPython's accelerator modules shipped in lib-dynload
	// (_json, _pickle): the standard library's C, not an extension.
	stdlibModules = frames(`(^|/)lib-dynload/`)
	// Files: the std sources of Rust's allocation layer (alloc.rs, raw_vec.rs),
	// for memory profilers that print only a short name and the file.
	rustAllocFiles = frames(`(^|/)(alloc\.rs|raw_vec\.rs|raw_vec/mod\.rs|alloc/src/alloc\.rs)$`)
	// CPython's rich comparisons and the byte comparisons under them: the
	// per-element work of a list scan (list_contains compares each item it
	// passes), of a sort and of a hash lookup that collides.
	compareFrames = frames(`^(PyObject_RichCompare|PyObject_RichCompareBool|do_richcompare|PyUnicode_RichCompare|_PyUnicode_Equal|_PyUnicode_EQ|unicode_compare(_eq)?|unicode_eq|long_richcompare|float_richcompare|tuple_richcompare|bytes_richcompare|memcmp|bcmp|__memcmp_\w+|__bcmp_\w+)$`)
	// CPython's callers of rich comparisons other than the list scans: the
	// sort, bisect, min/max, dict and set lookups, and the eval loop's
	// comparison opcodes.
	compareCallerFrames = frames(`^(list_sort_impl|list_sort|unsafe_\w+_compare|safe_object_compare|count_run|binarysort|gallop_(left|right)|merge_(lo|hi|at|collapse|force_collapse)|min_max|builtin_(min|max)|internal_bisect_(left|right)|_bisect_\w+|lookdict\w*|_Py_dict_lookup\w*|unicodekeys_lookup_\w+|dictkeys_generic_lookup|set_lookkey|set_contains_key|set_add_entry|_PyEval_EvalFrameDefault|_PyEval_EvalFrameDefault\.cold)$`)
	// A bare address: the frame was not symbolized.
	unsymbolizedNames = frames(`^(0x)?[0-9a-fA-F]{6,}$`)
)

// stdLibPrefixes start the names of the languages' standard libraries
// (Rust std/alloc/core, libstdc++) and of frames a compiler made up.
var stdLibPrefixes = []string{"<alloc::", "<core::", "<std::", "alloc::", "core::", "std::", "__gnu_cxx::", "<&", "<[", "UnknownInlinedFun"}

// jvmStdLibPrefixes start the JVM's own class library and the Scala and
// Kotlin standard libraries, as JFR and async-profiler print them (slashes)
// and as Java stack traces do (dots): a lock's park, a queue's poll, a
// collection's growth, never the program's code. Not for Python frames,
// whose qualified names could start so.
var jvmStdLibPrefixes = []string{"java/", "javax/", "jdk/", "sun/", "com/sun/", "scala/", "kotlin/", "java.", "javax.", "jdk.internal.", "sun.misc.", "sun.nio.", "scala.collection.", "kotlin.collections."}

// ---- Signals ---------------------------------------------------------------
//
// signals is the table of extra evidence patterns (signals.go): frames a
// finding counts as evidence for one hint without deciding a category.
var signals = []signal{
	{id: sigAllowThreads, rt: mC, has: []string{"pyo3", "PyEval_SaveThread", "PyEval_RestoreThread", "pybind11"}, name: re(`pyo3::marker::Python::(allow_threads|detach)|pyo3::gil::SuspendGIL|pyo3::internal::state::SuspendAttach|^PyEval_(Save|Restore)Thread$|^__Pyx_FastGil_PyEval_SaveThread|pybind11::gil_scoped_release`)},
	// json's pure-Python encoder and decoder: CPython runs them only when
	// its C accelerator is off for the call (indent= before 3.13, a
	// JSONEncoder subclass overriding the C path, _json missing).
	{id: sigPyJSON, rt: mPy, name: re(`^(_iterencode|_iterencode_dict|_iterencode_list|py_encode_basestring(_ascii)?|py_scanstring|JSONObject|JSONArray|_scan_once|py_make_scanner)$`), file: re(`(^|/)json/(encoder|decoder|scanner)\.py$`)},
	// Copy-on-write of shared data (Arc/Rc::make_mut, Cow::to_mut): the
	// copy a persistent structure makes when it is changed while shared.
	{id: sigCopyOnWrite, rt: mNative, has: []string{"make_mut", "to_mut"}, name: re(`::make_mut$|::to_mut$`)},
	// An extension object's deallocator: PyO3's tp_dealloc, pybind11's
	// dealloc, a Cython class's tp_dealloc.
	{id: sigExtDealloc, rt: mNative, has: []string{"tp_dealloc", "dealloc"}, name: re(`pyo3::impl_::pyclass::tp_dealloc|>::tp_dealloc$|pybind11::detail::clear_instance|^__pyx_tp_dealloc_`)},
	// PyO3 up to 0.20 creates and drains a GILPool around every call;
	// the Bound API (0.21+) has none, 0.23 removed it.
	{id: sigGILPool, rt: mNative, has: []string{"GILPool"}, name: re(`pyo3::gil::GILPool`)},
	{id: sigGILAcquire, rt: mC, has: []string{"pyo3", "GILState", "pybind11"}, name: re(`pyo3::gil::GILGuard::acquire|pyo3::internal::state::AttachGuard::(attach|try_attach)|pyo3::marker::Python::(with_gil|attach)$|^PyGILState_Ensure$|^__Pyx_FastGil_PyGILState_Ensure$|pybind11::gil_scoped_acquire`)},
	{id: sigRegex, rt: mPy, name: re(`^(compile|_compile|parse|_parse\w*|_code|_compile_info)$`), file: re(`(^|/)(re/__init__|re/_compiler|re/_parser|sre_compile|sre_parse|re)\.py$`)},
	{id: sigRegex, rt: mPy, name: re(`^(_strptime|_strptime_datetime|_calc_date_time|__calc_weekday|__calc_month)$`), file: re(`(^|/)_strptime\.py$`)},
	{id: sigRegex, rt: mNative, has: []string{"regex", "regcomp", "pcre", "sre"}, name: re(`^regex::(Regex::new|builders::|regex::string::Regex::new)|^regex_automata::(meta::|hybrid::dfa::Builder|nfa::thompson::compiler::)|^regex_syntax::(ast::parse|hir::translate)|^regexp\.(Compile|MustCompile|compile)$|^regexp/syntax\.(Parse|Compile)|^(pcre2?_compile\w*|regcomp)$|^sre_compile$|^_sre_compile$`)},
	// CPython's sort (list.sort, sorted): timsort's runs, merges and the
	// typed comparisons it picks for uniform lists.
	{id: sigSort, rt: mC, has: []string{"sort", "merge_", "gallop_", "count_run", "_compare"}, name: re(`^(list_sort_impl|list_sort|builtin_sorted|binarysort|merge_(at|collapse|force_collapse|lo|hi)|gallop_(left|right)|count_run|unsafe_(tuple|long|latin|float|object)_compare|safe_object_compare)$`)},
	{id: sigLinearSearch, rt: mC, has: []string{"contains", "index", "remove", "count", "Index", "Contains", "position", "find", "Search"}, name: re(`^(list_contains|list___contains__|_PySequence_IterSearch|list_index\w*|list_remove\w*|PySequence_Contains|PySequence_Index|tuple_contains|list_count\w*|bytes_find\w*)$|core::slice::<impl \[T\]>::contains|<core::slice::iter::Iter<T> as core::iter::traits::iterator::Iterator>::position|^slices\.(Contains|Index)\w*$`)},
	{id: sigLinearSearch, rt: mPy, name: re(`^(__contains__|index|remove|count)$`), file: re(`(^|/)collections/__init__\.py$`)},
	{id: sigClone, rt: mNative, has: []string{"clone", "format", "to_"}, name: re(`as core::clone::Clone>::clone|alloc::fmt::format|<str as alloc::string::ToString>::to_string|alloc::str::<impl str>::to_(owned|string)|as alloc::borrow::ToOwned>::to_owned|::to_vec$`)},
	// valgrind DHAT prints Rust frames by short name with the std source
	// file: recognise clones and growth by name and file together.
	{id: sigClone, rt: mNative, name: re(`^(clone|to_string|to_owned|to_vec|format|format_inner|clone_from_ref\w*|try_clone_from_ref_in\w*|clone_from|spec_to_string)(<.*>)?$`), file: re(`(^|/)(clone|string|str|slice|borrow|fmt|boxed|mod)\.rs$`)},
	{id: sigGrowth, rt: mNative, name: re(`^(grow_one|grow_amortized|grow_exact|finish_grow|reserve|reserve_for_push|do_reserve_and_handle|try_reserve\w*)(<.*>)?$`), file: re(`(^|/)(raw_vec|mod|vec)\.rs$`)},
	{id: sigGrowth, rt: mC, has: []string{"raw_vec", "reserve", "resize", "Resize", "realloc", "grow", "Grow"}, name: re(`alloc::raw_vec::|::do_reserve_and_handle|^(list_resize|dictresize|insertion_resize|resize_compact|_PyBytes_Resize|_PyUnicodeWriter_\w*Resize\w*|realloc|__libc_realloc|_int_realloc|runtime\.growslice|runtime\.hashGrow|std::vector<.*>::_M_realloc_insert)$`)},
}

// What a source line's calls mean (line evidence, hotline.go):
// reLineLogCall is a logging call (a logger method with a message
// literal first), reLineFoldSlice a builtin fold over a slice copied for
// the call (sum(values[:i + 1])).
var (
	reLineLogCall   = regexp.MustCompile(`(?:^|[^\w])([A-Za-z_][\w.]*\.(?:debug|info|warning|warn|error|exception|critical))\(\s*[rbfuRBFU]?["']`)
	reLineFoldSlice = regexp.MustCompile(`(?:^|[^\w.])(sum|min|max|any|all|fsum|prod)\(\s*[A-Za-z_][\w.]*\[[^\]]*:`)
)

// ---- Library calls with a native equivalent ---------------------------------

// libraryFlagsArg is where a library function takes flags that belong to
// the statement a nativeCall hoists: re's module-level functions take
// flags after their other arguments (re.match(pattern, string, flags),
// re.sub(pattern, repl, string, count, flags)), and re.compile takes
// them with the pattern. Python's re documentation is the source.
var libraryFlagsArg = map[string]int{
	"re.match": 2, "re.fullmatch": 2, "re.search": 2, "re.findall": 2, "re.finditer": 2,
	"re.split": 3, "re.sub": 4, "re.subn": 4,
}

// nativeCall is a routine in C that gives a library function's result:
// form is the call with {args} for the program's arguments ({first} and
// {rest} for the first and the others), why the difference a reader
// should check, and hoist a statement made once, before the calls.
type nativeCall struct{ form, why, hoist string }

// libraryNativeCalls are library functions written in Python, keyed by
// module and name (qualifiedPyName), with a routine in C for the same
// result (move-hot-loop-native's library variant). Python's own
// documentation for each module is the source.
var libraryNativeCalls = map[string]nativeCall{
	"statistics.mean":              {"statistics.fmean({args})", "fmean adds floats in C (math.fsum) and returns a float; mean turns every value into an exact fraction with Python calls, which matters only for Fractions and Decimals", ""},
	"statistics.variance":          {"numpy.var({args}, ddof=1)", "NumPy sums a float array in C; statistics keeps exact fractions with Python calls per value, so the last digits can differ", ""},
	"statistics.pvariance":         {"numpy.var({args})", "NumPy sums a float array in C; statistics keeps exact fractions with Python calls per value, so the last digits can differ", ""},
	"statistics.stdev":             {"numpy.std({args}, ddof=1)", "NumPy sums a float array in C; statistics keeps exact fractions with Python calls per value, so the last digits can differ", ""},
	"statistics.pstdev":            {"numpy.std({args})", "NumPy sums a float array in C; statistics keeps exact fractions with Python calls per value, so the last digits can differ", ""},
	"copy.deepcopy":                {"pickle.loads(pickle.dumps({args}, pickle.HIGHEST_PROTOCOL))", "pickle walks plain data (dicts, lists, numbers, strings) in C; deepcopy dispatches on every object in Python. Better still, copy only the parts the caller changes", ""},
	"pprint.pformat":               {"repr({args})", "repr formats in C; pformat measures and lays out every nested value in Python, which only a reader of the text needs", ""},
	"pprint.pprint":                {"print(repr({args}))", "repr formats in C; pprint measures and lays out every nested value in Python, which only a reader of the text needs", ""},
	"inspect.stack":                {"sys._getframe(1)", "sys._getframe returns the caller's frame; inspect.stack builds a record of every frame on the stack and reads their source lines", ""},
	"_strptime._strptime_datetime": {"datetime.datetime.fromisoformat({args})", "for ISO 8601 text, fromisoformat parses in C; strptime runs _strptime's regular expression and field conversion in Python on every call", ""},
	"_strptime._strptime":          {"datetime.datetime.fromisoformat({args})", "for ISO 8601 text, fromisoformat parses in C; strptime runs _strptime's regular expression and field conversion in Python on every call", ""},
	"re.match":                     {"PATTERN.match({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
	"re.fullmatch":                 {"PATTERN.fullmatch({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
	"re.search":                    {"PATTERN.search({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
	"re.sub":                       {"PATTERN.sub({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
	"re.subn":                      {"PATTERN.subn({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
	"re.findall":                   {"PATTERN.findall({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
	"re.finditer":                  {"PATTERN.finditer({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
	"re.split":                     {"PATTERN.split({rest})", "the module-level function looks the pattern up in re's cache in Python (re._compile, its type checks and a dict lookup) on every call before the C matcher runs; a compiled pattern's method goes straight to it", "PATTERN = re.compile({first})"},
}

// stdlibCModules name the modules and builtin types whose functions are
// CPython's own C code, as cProfile names a builtin's callee
// ("unicodedata.category", "dict.get", "builtins.len"): the program calls
// them but cannot add an entry point beside them. A first component that
// starts with an underscore (_json, _random.Random) is a C accelerator of
// the standard library too.
var stdlibCModules = map[string]bool{
	"builtins": true, "str": true, "bytes": true, "bytearray": true, "list": true, "dict": true, "set": true,
	"frozenset": true, "tuple": true, "int": true, "float": true, "complex": true, "object": true, "type": true,
	"memoryview": true, "range": true, "slice": true, "enumerate": true, "zip": true, "map": true, "filter": true,
	"unicodedata": true, "math": true, "cmath": true, "zlib": true, "binascii": true, "itertools": true,
	"operator": true, "functools": true, "collections": true, "time": true, "struct": true, "array": true,
	"marshal": true, "posix": true, "nt": true, "select": true, "mmap": true, "sys": true, "gc": true,
	"pyexpat": true, "fcntl": true, "errno": true, "atexit": true, "faulthandler": true, "re": true,
}

// builtinType names the builtin types whose methods cProfile names as
// type.method (dict.get, str.strip).
var builtinType = map[string]bool{
	"str": true, "bytes": true, "bytearray": true, "list": true, "dict": true, "set": true, "frozenset": true,
	"tuple": true, "int": true, "float": true, "complex": true, "object": true, "type": true, "memoryview": true,
}
