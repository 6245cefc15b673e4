package explain

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// TestSwitchEventsAreNotTime: a recording of sched_switch events counts
// context switches, each the same weight however long the thread stayed
// off the CPU, so explain calls its values switches, never time. And a
// switch taken while a thread ran code (no blocking call below it) is a
// preemption: the thread was runnable, so the summary says CPU contention,
// not "most of the off-CPU time goes to native". The share is counted here
// from the folded lines: the switches whose stack passes through the
// extension's mix_rounds.
func TestSwitchEventsAreNotTime(t *testing.T) {
	const path = "../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.folded"
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var total, running int64
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		sp := strings.LastIndexByte(line, ' ')
		n, err := strconv.ParseInt(line[sp+1:], 10, 64)
		require.NoError(t, err)
		total += n
		if strings.Contains(line[:sp], ";corpust::mix_rounds;") {
			running += n
		}
	}
	require.NoError(t, sc.Err())
	require.Equal(t, int64(1646), total)

	f2, err := os.Open(path)
	require.NoError(t, err)
	defer f2.Close()
	p, err := folded.Read(f2, path, profile.ReadOptions{})
	require.NoError(t, err)
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(p, cat, Options{Value: -1})
	require.NoError(t, err)

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
