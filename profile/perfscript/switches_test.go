package perfscript

import (
	"compress/gzip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

// TestSwitchSplit: gil-digest-hold-py312-offfp (three workers in Rust that
// holds the GIL, on a loaded host). Counted independently with a Python
// script over the event lines (and the corpus MANIFEST): 1,280 switches
// with prev_state R (R+ once), 366 with S; each timed until the thread's next appearance as next_pid
// or as the switching thread: all 366 voluntary switches end in the
// recording, 3.724 s off the CPU, 1,278 involuntary ones, 1.490 s.
func TestSwitchSplit(t *testing.T) {
	p := readHoldOffFP(t)
	m := &p.Meta
	assert.Equal(t, "366", m.Attr("switches_voluntary"))
	assert.Equal(t, "1280", m.Attr("switches_involuntary"))
	assert.Equal(t, "366", m.Attr("offcpu_voluntary_timed"))
	assert.Equal(t, "1278", m.Attr("offcpu_involuntary_timed"))
	assert.InDelta(t, 3.724e9, parseAttr(t, m, "offcpu_voluntary_ns"), 1e6)
	assert.InDelta(t, 1.490e9, parseAttr(t, m, "offcpu_involuntary_ns"), 1e6)
	// Voluntary switches that ended 4.9-5.4 ms later, counted by the same
	// script: 90 of 366 here, 2 of 229 in the release control.
	assert.Equal(t, "90", m.Attr("offcpu_voluntary_at_5ms"))
}

// readHoldOffFP reads gil-digest-hold-py312-offfp, a frame-pointer
// recording of sched_switch events with timestamps.
func readHoldOffFP(t *testing.T) *profile.Profile {
	t.Helper()
	f, err := os.Open("../../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.perf.txt.gz")
	require.NoError(t, err)
	defer f.Close()
	z, err := gzip.NewReader(f)
	require.NoError(t, err)
	p, err := Read(z, "hold-offfp.perf.txt", profile.ReadOptions{})
	require.NoError(t, err)
	return p
}

func parseAttr(t *testing.T, m *profile.Meta, key string) float64 {
	t.Helper()
	var v int64
	for _, c := range m.Attr(key) {
		require.True(t, c >= '0' && c <= '9', "%s=%q", key, m.Attr(key))
		v = v*10 + int64(c-'0')
	}
	return float64(v)
}

// TestOffCPUTimePerStack: the same recording's switches, each timed until
// its thread runs again (its next appearance as next_pid or as the
// switching thread) or, for the 2 still open, until the last event, and
// summed per thread by an independent Python script over the event lines:
// 5.218 s in all. The reader puts each switch's time on the stack it
// switched out from, in the off-cpu value; a cpu-clock recording has none.
func TestOffCPUTimePerStack(t *testing.T) {
	p := readHoldOffFP(t)
	ti := slices.IndexFunc(p.SampleTypes, func(v profile.ValueType) bool { return v.Type == profile.OffCPUType })
	require.GreaterOrEqual(t, ti, 0, "types: %v", p.SampleTypes)
	assert.Equal(t, "nanoseconds", p.SampleTypes[ti].Unit)
	assert.Equal(t, 0, p.DefaultType, "the switch counts stay the default value")
	perThread := map[int64]int64{}
	var total int64
	for _, s := range p.Samples {
		perThread[s.Labels.TID] += s.Values[ti]
		total += s.Values[ti]
	}
	assert.Equal(t, int64(5_217_790_000), total)
	assert.Equal(t, map[int64]int64{20755: 1_359_988_000, 20757: 1_287_922_000, 20758: 1_287_121_000, 20759: 1_282_759_000}, perThread)

	cpu, err := Read(strings.NewReader("python3 7/7 1.000000: 1000000 cpu-clock:\n\t1000 main+0x1 (/bin/prog)\n\n"), "cpu.perf.txt", profile.ReadOptions{})
	require.NoError(t, err)
	for _, v := range cpu.SampleTypes {
		assert.NotEqual(t, profile.OffCPUType, v.Type)
	}
}
