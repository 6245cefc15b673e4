package explain

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSwitchEventsAreNotTime: a recording of sched_switch events counts
// context switches, each the same weight however long the thread stayed
// off the CPU, so explain calls its values switches, never time. And a
// switch taken while a thread ran code (no blocking call below it) is a
// preemption: the thread was runnable, so the summary says CPU contention,
// not "most of the off-CPU time goes to native". The share is counted here
// from the folded lines: the switches whose stack passes through the
// extension's mix_rounds, and those taken while glibc ran its own thread
// bookkeeping (freeing a thread's stack, re-enabling cancellation), which
// is native code running too.
func TestSwitchEventsAreNotTime(t *testing.T) {
	const path = "../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.folded"
	var total, running int
	forRawStacks(t, path, func(frames []string, count int) {
		total += count
		if slices.Contains(frames, "corpust::mix_rounds") ||
			slices.Contains(frames, "__GI___nptl_deallocate_stack") || slices.Contains(frames, "__GI___pthread_enable_asynccancel") {
			running += count
		}
	})
	require.Equal(t, 1646, total)
	r := explainFile(t, path)

	share := fmt.Sprintf("%.1f%%", 100*float64(running)/float64(total))
	assert.Contains(t, r.Summary, "context switches ("+share+")")
	assert.Contains(t, r.Summary, "preempted while runnable")
	for _, text := range append([]string{r.Summary}, r.Quality.CannotSee...) {
		assert.NotContains(t, text, "off-CPU time", "switch counts are not time")
	}
	for _, fd := range r.Findings {
		assert.NotContains(t, fd.Evidence, "off-CPU time")
		assert.NotContains(t, fd.Evidence, " samples;")
	}
}
