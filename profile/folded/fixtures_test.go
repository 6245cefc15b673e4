package folded_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFile(t testing.TB, path string) (*profile.Profile, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	p, err := folded.Read(bytes.NewReader(data), filepath.Base(path), profile.ReadOptions{})
	require.NoError(t, err)
	return p, data
}

// TestReadFixtures checks totals against what the recording tools reported:
// py-spy's "Samples N" summary for the raw files, and the sum of the counts
// stackcollapse-perf.pl printed for the collapsed perf files.
func TestReadFixtures(t *testing.T) {
	tests := []struct {
		path      string
		total     int64
		producer  string
		canonical bool // sorted and unique: WriteFolded gives the bytes back
		frame     profile.Frame
	}{
		{"folded/cmalloc-fp-fields.kernel.folded", 372745488, "", true,
			profile.Frame{Name: "asm_sysvec_apic_timer_interrupt", Display: "asm_sysvec_apic_timer_interrupt", Kind: profile.KindKernel}},
		{"folded/goalloc-fp.all.folded", 949748625, "", true,
			profile.Frame{Name: "main.(*tree).checksum", Display: "main.(*tree).checksum", Kind: profile.KindUnknown}},
		{"folded/py311-pyo3-dwarf.folded", 2285714256, "", true,
			profile.Frame{Name: "<alloc::vec::Vec<T,A> as core::clone::Clone>::clone", Display: "<alloc::vec::Vec<T,A> as core::clone::Clone>::clone", Kind: profile.KindUnknown}},
		{"folded/py311-threads-fp.pid.folded", 1323232310, "", true,
			profile.Frame{Name: "[unknown]", Display: "[unknown]", Kind: profile.KindUnknown}},
		{"folded/py312-xperf-threads-dwarf.folded", 1020408150, "", true,
			profile.Frame{Name: "py::fib:py_threads.py", Display: "py::fib:py_threads.py", Kind: profile.KindUnknown}},
		{"folded/py312-xperf-threads-sched-switch-dwarf.tid.folded", 445, "", true,
			profile.Frame{Name: "PyCOND_TIMEDWAIT", Display: "PyCOND_TIMEDWAIT", Kind: profile.KindUnknown}},
		{"pyspy/py311-rpds-native.raw.txt", 557, "py-spy", false,
			profile.Frame{Name: "pyo3::types::tuple::PyTuple::new::hbbd685c86506b8e7 (rpds/rpds.cpython-311-x86_64-linux-gnu.so)", Display: "pyo3::types::tuple::PyTuple::new", Module: "rpds/rpds.cpython-311-x86_64-linux-gnu.so", Kind: profile.KindNative}},
		{"pyspy/py311-subprocesses.raw.txt", 797, "py-spy", false,
			profile.Frame{Name: "is_prime (spawn_child.py:16)", Display: "is_prime", File: "spawn_child.py", Line: 16, Kind: profile.KindPython}},
		{"pyspy/py312-json.raw.txt", 642, "py-spy", false,
			profile.Frame{Name: "raw_decode (json/decoder.py:353)", Display: "raw_decode", File: "json/decoder.py", Line: 353, Kind: profile.KindPython}},
		{"pyspy/py313-threads-idle-tid.raw.txt", 3179, "py-spy", false,
			profile.Frame{Name: "thread (15289): fibber", Display: "thread (15289): fibber", Kind: profile.KindUnknown}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			p, data := readFile(t, testutil.Fixture(t, tc.path))
			assert.Equal(t, tc.total, p.Total(0))
			assert.Equal(t, tc.producer, p.Meta.Producer)
			assert.Equal(t, "folded", p.Meta.Format)
			for _, w := range p.Meta.Warnings {
				assert.Contains(t, w, "read as weights", "only the note on period-weighted counts")
			}
			assert.Contains(t, p.Frames, tc.frame)
			assert.True(t, folded.Sniff(data))
			if tc.canonical {
				assert.Equal(t, string(data), writeFolded(t, p))
			}
			assertRoundTrip(t, p)
		})
	}
}

// assertRoundTrip checks read -> WriteFolded -> read gives the same tree.
func assertRoundTrip(t *testing.T, p *profile.Profile) {
	t.Helper()
	text := writeFolded(t, p)
	q, err := folded.Read(strings.NewReader(text), "rewritten", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, tree(p), tree(q))
	assert.Equal(t, text, writeFolded(t, q))
}

func TestReadPySpyThreads(t *testing.T) {
	p, _ := readFile(t, testutil.Fixture(t, "pyspy/py313-threads-idle-tid.raw.txt"))
	threads := map[string]int64{}
	for _, s := range p.Samples {
		require.True(t, s.Labels.HasTID)
		threads[s.Labels.Thread] += s.Values[0]
	}
	// Six threads, plus one py-spy could not name (an empty name).
	assert.Len(t, threads, 7)
	assert.Contains(t, threads, "")
	assert.Contains(t, threads, "fibber")
	assert.Contains(t, threads, "MainThread")
}

func TestReadPySpySubprocesses(t *testing.T) {
	p, _ := readFile(t, testutil.Fixture(t, "pyspy/py311-subprocesses.raw.txt"))
	pids := map[int64]int64{}
	for _, s := range p.Samples {
		require.True(t, s.Labels.HasPID)
		pids[s.Labels.PID] += s.Values[0]
	}
	assert.Len(t, pids, 3)
	assert.Contains(t, pids, int64(15748))
	assert.Contains(t, pids, int64(15753))
}

// TestReadSpeedscopeSamples reads speedscope's folded samples (CRLF, UTF-16
// in both byte orders, invalid lines, recursion, tall stacks) and compares
// with the stacks speedscope itself imports from them.
func TestReadSpeedscopeSamples(t *testing.T) {
	tests := []struct {
		file     string
		warnings []string
	}{
		{"alternating.txt", nil},
		{"recursion.txt", nil},
		{"simple-crlf.txt", nil},
		{"simple-utf16-be.txt", nil},
		{"simple-utf16-le.txt", nil},
		{"simple-with-invalids.txt", []string{
			`speedscope-repo_simple-with-invalids.txt:2:15: want 'stack count', got "comment" where the count should be`,
			`speedscope-repo_simple-with-invalids.txt:8:9: want 'stack count', got "line" where the count should be`,
		}},
		{"simple.txt", nil},
		{"tall.txt", nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p, data := readFile(t, testutil.Shared(t, "fixtures/public/folded/speedscope-repo_"+tc.file))
			assert.Equal(t, tc.warnings, p.Meta.Warnings)
			assert.True(t, folded.Sniff(data))
			want := expectedStacks(t, testutil.Shared(t, "fixtures/conformance/speedscope-import/folded/expected/"+tc.file+".expected"))
			assert.Equal(t, want, writeFolded(t, p))
			assertRoundTrip(t, p)
		})
	}
}

// expectedStacks reads the stack lines of a speedscope-import .expected file
// as folded text.
func expectedStacks(t *testing.T, path string) string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out strings.Builder
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "stacks\t") {
			in = true
			continue
		}
		if in && line != "" {
			out.WriteString(strings.Replace(line, "\t", " ", 1) + "\n")
		}
	}
	require.NoError(t, sc.Err())
	return out.String()
}

// TestReadCollapsePerfResults reads every expected output of FlameGraph's
// and inferno's collapse tests (kernel, JIT and inline annotations, pid and
// tid root frames, addresses): each is canonical, so writing it back must
// give the same bytes, and the tree must survive the round trip.
func TestReadCollapsePerfResults(t *testing.T) {
	dir := testutil.Shared(t, "fixtures/conformance/collapse-perf")
	files, err := filepath.Glob(filepath.Join(dir, "*", "results", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(filepath.Dir(filepath.Dir(path)))+"/"+filepath.Base(path), func(t *testing.T) {
			p, data := readFile(t, path)
			for _, w := range p.Meta.Warnings {
				assert.Contains(t, w, "read as weights", "only the note on period-weighted counts")
			}
			if len(data) > 0 {
				assert.True(t, folded.Sniff(data))
			}
			assert.Equal(t, string(data), writeFolded(t, p))
			assertRoundTrip(t, p)
		})
	}
}
