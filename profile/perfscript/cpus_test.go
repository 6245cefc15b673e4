package perfscript

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

func TestCPUSetList(t *testing.T) {
	tests := []struct {
		cpus []int32
		want string
	}{
		{nil, ""},
		{[]int32{0}, "0"},
		{[]int32{2, 0, 1, 2}, "0-2"},
		{[]int32{8, 0, 3, 1, 2}, "0-3,8"},
		{[]int32{63, 64, 65, 127, 200}, "63-65,127,200"},
	}
	for _, tc := range tests {
		var s cpuSet
		for _, c := range tc.cpus {
			s.add(c)
		}
		assert.Equal(t, tc.want, s.list(), "%v", tc.cpus)
	}
}

func TestEventLineCPU(t *testing.T) {
	tests := []struct {
		line string
		cpu  int32
		has  bool
	}{
		{"spin_threads 3657 [002] 75794.926262:    5025125 cpu-clock:ppp: ", 2, true},
		{"python3.12  4021/4022 [013] 12.5: sched:sched_switch: prev_comm=x", 13, true},
		{"python3.11 20815   497.847679:   10101010 cpu-clock:pppH: ", 0, false},
		{"big 1 [99999999] 1.0: 1 cycles: ", 0, false}, // past maxCPU: a CPU column, not counted
	}
	for _, tc := range tests {
		ev, ok := parseEventLine([]byte(tc.line))
		require.True(t, ok, tc.line)
		assert.Equal(t, tc.has, ev.hasCPU, tc.line)
		assert.Equal(t, tc.cpu, ev.cpu, tc.line)
	}
}

// TestReadCPUs reads the CPUs of real recordings. Expected values come from
// counting the CPU column of the event lines with awk, not from the reader:
//
//	awk '$0 !~ /^[ \t]/ && match($0, / \[[0-9]+\] /) {print substr($0, RSTART+1, RLENGTH-2)}' FILE | sort | uniq -c
//
// spin-threads-1cpu: 758 samples, all [000]; spin-threads-2cpu: 143 on
// [000], 502 on [001]; the sched_switch recording: 83 on [000], 362 on
// [001]. py311-threads-fp has no CPU column (perf script's default fields
// of a per-process recording without --sample-cpu).
func TestReadCPUs(t *testing.T) {
	tests := []struct{ file, want string }{
		{"perf/spin-threads-1cpu.perf.txt", "0"},
		{"perf/spin-threads-2cpu.perf.txt", "0-1"},
		{"perf/py312-xperf-threads-sched-switch-dwarf.perf.txt", "0-1"},
		{"perf/py311-threads-fp.perf.txt", ""},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(testutil.Fixture(t, tc.file))
			require.NoError(t, err)
			// Serially and in parallel with small chunks: the set must not
			// depend on how the input was cut.
			for _, workers := range []int{0, 3} {
				p, err := readWith(data, profile.ReadOptions{}, workers, 4096)
				require.NoError(t, err)
				assert.Equal(t, tc.want, p.Meta.Attr("cpus"), "workers %d", workers)
			}
		})
	}
}
