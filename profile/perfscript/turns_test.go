package perfscript

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

// holdTurns is ten samples of gil-digest-hold-py312-fp.perf.txt (three
// threads calling Rust that holds the GIL): thread 18152 three times,
// 18153 four, 18152 three again. Three runs; the gaps inside them are
// 2016, 2003, 2004, 2001, 2004, 7562 and 2003 µs, 2799 µs on average.
const holdTurns = `python3.12 18152  7016.233988:    2004008 cpu-clock:ppp: 
	           1b3b5 corpust::mix_rounds+0x1a5 (/opt/bench/py312/corpust.so)
	          1c60ed cfunction_vectorcall_FASTCALL_KEYWORDS+0x5d (/opt/python/3.12.1/lib/libpython3.12.so.1.0)
	    7f85744b36c8 [unknown] ([unknown])

python3.12 18152  7016.236004:    2004008 cpu-clock:ppp: 
	           1b361 corpust::mix_rounds+0x151 (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18152  7016.238007:    2004008 cpu-clock:ppp: 
	           1b38b corpust::mix_rounds+0x17b (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18153  7016.240026:    2004008 cpu-clock:ppp: 
	           1b3b5 corpust::mix_rounds+0x1a5 (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18153  7016.242030:    2004008 cpu-clock:ppp: 
	           1b371 corpust::mix_rounds+0x161 (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18153  7016.244031:    2004008 cpu-clock:ppp: 
	           1b3ba corpust::mix_rounds+0x1aa (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18153  7016.246035:    2004008 cpu-clock:ppp: 
	           1b2d9 corpust::mix_rounds+0xc9 (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18152  7016.249707:    2004008 cpu-clock:ppp: 
	           1b38b corpust::mix_rounds+0x17b (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18152  7016.257269:    2004008 cpu-clock:ppp: 
	           1b2ee corpust::mix_rounds+0xde (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)

python3.12 18152  7016.259272:    2004008 cpu-clock:ppp: 
	           1b3de corpust::mix_rounds+0x1ce (/opt/bench/py312/corpust.so)
	          1117e4 _PyEval_EvalFrameDefault+0x5a24 (/opt/python/3.12.1/lib/libpython3.12.so.1.0)
`

func TestThreadTurns(t *testing.T) {
	p := read(t, holdTurns, profile.ReadOptions{})
	assert.Equal(t, "3", p.Meta.Attr("thread_runs"))
	assert.Equal(t, "10", p.Meta.Attr("thread_run_samples"))
	assert.Equal(t, "2799000", p.Meta.Attr("thread_run_gap_ns"))
	// Every sample's cpu-clock period is 2004008 ns.
	assert.Equal(t, "2004008", p.Meta.Attr("thread_run_period_ns"))
}

// TestThreadTurnsCorpus: the whole recording, against an awk count over
// its event lines (runs = 1 + changes of tid between consecutive lines):
// 604 samples in 183 runs, 2.489 ms between samples inside a run.
func TestThreadTurnsCorpus(t *testing.T) {
	f, err := os.Open("../../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-fp.perf.txt")
	require.NoError(t, err)
	defer f.Close()
	p, err := Read(f, "hold.perf.txt", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "183", p.Meta.Attr("thread_runs"))
	assert.Equal(t, "604", p.Meta.Attr("thread_run_samples"))
	assert.Equal(t, "2488833", p.Meta.Attr("thread_run_gap_ns"))
}

// TestThreadTurnsOneThread: one thread has no turns to take.
func TestThreadTurnsOneThread(t *testing.T) {
	p := read(t, twoEvents, profile.ReadOptions{})
	assert.Equal(t, "", p.Meta.Attr("thread_runs"))
}
