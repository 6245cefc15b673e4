package cli

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"testing"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutputIsDeterministic runs every command output on fixtures of each
// input format under different GOMAXPROCS settings and requires the same
// bytes each time: map order, goroutine scheduling and the core count must
// not show in a report or a conversion. pprof output is gzip, whose header
// would carry a timestamp if one were set.
func TestOutputIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command several times on real fixtures")
	}
	inputs := []string{
		"planted/python/json-loop.perf.txt",
		"pyspy/py311-threads.speedscope.json",
		"pyspy/py311-subprocesses.raw.txt",
		"dhat/cmalloc-heap.dhat.json",
		"pprof/gobench-cpu.pb.gz",
	}
	commands := [][]string{
		{"explain", "--format", "text"},
		{"explain", "--format", "markdown"},
		{"explain", "--format", "json"},
		{"convert", "--to", "folded"},
		{"convert", "--to", "speedscope"},
		{"convert", "--to", "pprof"},
	}
	procs := []int{1, 2, 8}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, rel := range inputs {
		in := testutil.Fixture(t, rel)
		for _, cmd := range commands {
			t.Run(rel+"/"+cmd[0]+"-"+cmd[2], func(t *testing.T) {
				args := append([]string{cmd[0], in}, cmd[1:]...)
				var first []byte
				for _, n := range procs {
					runtime.GOMAXPROCS(n)
					io, out, errb := term.Test("")
					code := Main(args, io)
					require.Equal(t, 0, code, errb.String())
					require.NotZero(t, out.Len())
					if first == nil {
						first = bytes.Clone(out.Bytes())
						continue
					}
					assert.True(t, bytes.Equal(first, out.Bytes()), "GOMAXPROCS=%d gives different bytes than GOMAXPROCS=%d", n, procs[0])
				}
			})
		}
	}
}

// TestPprofOutputHasNoTimestamp checks the gzip header of pprof output: a
// modification time there would make two conversions of one input differ.
func TestPprofOutputHasNoTimestamp(t *testing.T) {
	io, out, errb := term.Test("")
	code := Main([]string{"convert", testutil.Fixture(t, "pprof/gobench-cpu.pb.gz"), "--to", "pprof"}, io)
	require.Equal(t, 0, code, errb.String())
	zr, err := gzip.NewReader(bytes.NewReader(out.Bytes()))
	require.NoError(t, err)
	assert.True(t, zr.ModTime.IsZero(), "gzip header time %v", zr.ModTime)
	assert.Empty(t, zr.Name)
}
