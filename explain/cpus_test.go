package explain

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/pprof"
)

func TestCPUListLen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0}, {"0", 1}, {"0-1", 2}, {"0-3,8", 5}, {"2,4-5", 3},
		{"3-1", 0}, {"x", 0}, {"0,", 0}, {"-1", 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, cpuListLen(tc.in), tc.in)
	}
}

// The spin-threads recordings (fixtures/record-cpus.sh): one C program
// whose 4 worker threads spin for 3 s, pinned to CPU 0 and allowed CPUs 0
// and 1. Counted with awk over the event lines (fields 2 and 3): the
// one-CPU file has 758 samples, all on [000]; per tid 192, 185, 187 and
// 192 (each over 24%), and 2 for the main thread before it started them.
// The two-CPU file has 143 samples on [000] and 502 on [001].
func TestOneCPUThreadsRuledOut(t *testing.T) {
	one := explainFile(t, testutil.Fixture(t, "perf/spin-threads-1cpu.perf.txt"))
	assert.Equal(t, 1, one.Quality.CPUs)
	assert.Equal(t, "0", one.Quality.CPUList)
	ro := ruledOutByHint(one, "more-threads")
	require.NotNil(t, ro, "4 busy threads on one CPU")
	assert.Equal(t, "More threads or processes on this host", ro.Title)
	assert.Contains(t, ro.Reason, "Every sample ran on CPU 0 while 4 threads were busy")
	assert.True(t, hasPrefix(one.Quality.CannotSee, "what more CPUs would give: every sample ran on CPU 0, so its 4 busy threads"), "%q", one.Quality.CannotSee)

	two := explainFile(t, testutil.Fixture(t, "perf/spin-threads-2cpu.perf.txt"))
	assert.Equal(t, 2, two.Quality.CPUs)
	assert.Equal(t, "0-1", two.Quality.CPUList)
	assert.Nil(t, ruledOutByHint(two, "more-threads"), "the same program on two CPUs")
	assert.False(t, hasPrefix(two.Quality.CannotSee, "what more CPUs would give"))

	// Off-CPU: two CPUs in the switches (83 on [000], 362 on [001]).
	off := explainFile(t, testutil.Fixture(t, "perf/py312-xperf-threads-sched-switch-dwarf.perf.txt"))
	assert.Equal(t, 2, off.Quality.CPUs)

	// No CPU column: nothing said.
	none := explainFile(t, testutil.Fixture(t, "perf/py311-threads-fp.perf.txt"))
	assert.Equal(t, 0, none.Quality.CPUs)
	assert.Equal(t, "", none.Quality.CPUList)
}

// One busy thread on one CPU is what the scheduler does with a lone busy
// thread on any host: no evidence about the host. The one-CPU recording
// cut to the records of one worker (tid 28369, 192 records) and the main
// thread (tid 28353, 2) keeps the CPU fact and loses the entry.
func TestOneCPUOneBusyThreadNotRuledOut(t *testing.T) {
	data, err := os.ReadFile(testutil.Fixture(t, "perf/spin-threads-1cpu.perf.txt"))
	require.NoError(t, err)
	var keep []string
	for _, rec := range strings.Split(string(data), "\n\n") {
		if strings.HasPrefix(rec, "spin_threads 28369 ") || strings.HasPrefix(rec, "spin_threads 28353 ") {
			keep = append(keep, rec)
		}
	}
	require.Len(t, keep, 194)
	r := explainText(t, "one-thread.perf.txt", strings.Join(keep, "\n\n")+"\n")
	assert.Equal(t, 1, r.Quality.CPUs)
	assert.Nil(t, ruledOutByHint(r, "more-threads"))
}

// The CPU set is a Meta attribute, so it survives a pprof round trip.
func TestCPUsThroughPprof(t *testing.T) {
	p := load(t, testutil.Fixture(t, "perf/spin-threads-1cpu.perf.txt"))
	var buf bytes.Buffer
	require.NoError(t, pprof.Write(&buf, p))
	back, err := pprof.Read(&buf, "spin.pb.gz", profile.ReadOptions{})
	require.NoError(t, err)
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := Explain(back, cat, Options{Value: -1})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Quality.CPUs)
	assert.Equal(t, "0", r.Quality.CPUList)
}

func hasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
