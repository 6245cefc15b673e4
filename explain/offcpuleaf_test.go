package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
)

// innermostUserFrames counts, over the records of a perf script text,
// the innermost frame of each that is neither the kernel's nor [unknown],
// by symbol with its ELF version cut: an independent count of where
// off-CPU stacks leave user space.
func innermostUserFrames(t *testing.T, path string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, r := range readPerfRecords(t, path) {
		for _, f := range r.frames {
			if strings.Contains(f.dso, "kernel.kallsyms") || f.sym == "[unknown]" {
				continue
			}
			name, _, _ := strings.Cut(f.sym, "@")
			counts[name]++
			break
		}
	}
	return counts
}

// An off-CPU recording unwound with frame pointers stops in libc: every
// switch's stack is the scheduler, the futex call and nothing above.
// Hotspots then name the libc call each thread blocked or was preempted in
// (the futex wait, the semaphore post that woke a waiter), not the
// scheduler all of them end in; and the wake side of a lock hand-off is
// the lock's cost, never I/O.
func TestOffCPUSelfLeavesTheScheduler(t *testing.T) {
	const path = "../fixtures/corpus/validation/lock-hash/lock-hash-2threads-py312-offfp.perf.txt.gz"
	want := innermostUserFrames(t, path)
	require.Equal(t, 478, want["__futex_abstimed_wait_common"], "independent count")

	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(load(t, path), cat, Options{Path: path, Value: -1, Top: 12})
	require.NoError(t, err)
	self := map[string]int64{}
	cats := map[string]string{}
	for _, h := range r.Hotspots {
		self[h.Function] = h.Self
		cats[h.Function] = h.Category
	}
	assert.NotContains(t, self, "__schedule", "the scheduler is where every switch ends, not a hotspot")
	for _, fn := range []string{"__futex_abstimed_wait_common", "sem_post", "pthread_cond_signal", "__GI___lll_lock_wait", "__GI___lll_lock_wake"} {
		assert.EqualValues(t, want[fn], self[fn], fn)
		assert.Equal(t, "lock", cats[fn], fn)
	}
}
