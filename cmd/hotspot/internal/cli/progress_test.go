package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readProgress reads size bytes through a progressReader in 1 MiB reads
// while a fake clock moves step per read, and returns what it drew.
func readProgress(t *testing.T, size, known int64, step time.Duration) string {
	t.Helper()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	p := &progressReader{
		r:     iotest.HalfReader(bytes.NewReader(make([]byte, size))),
		w:     &out,
		name:  "big.perf.txt",
		size:  known,
		start: clock,
		now: func() time.Time {
			clock = clock.Add(step)
			return clock
		},
	}
	buf := make([]byte, 2<<20) // HalfReader makes these 1 MiB reads
	var got int64
	for {
		n, err := p.Read(buf)
		got += int64(n)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	assert.Equal(t, size, got, "the data passes through unchanged")
	return out.String()
}

// updates splits drawn progress into its redraws, without the line
// clearing.
func updates(t *testing.T, s string) []string {
	t.Helper()
	require.True(t, strings.HasSuffix(s, "\n"), "finished with a newline: %q", s)
	assert.Equal(t, 1, strings.Count(s, "\n"))
	var out []string
	for _, u := range strings.Split(strings.TrimSuffix(s, "\n"), "\r")[1:] {
		out = append(out, strings.TrimSuffix(u, "\x1b[K"))
	}
	return out
}

// TestProgressReader reads 10 MiB at 1 MiB per 250 ms: nothing is drawn in
// the first second, then progress is redrawn in place with the rate (4
// MiB/s) and the time left, and ended with one newline.
func TestProgressReader(t *testing.T) {
	got := updates(t, readProgress(t, 10<<20, 10<<20, 250*time.Millisecond))
	assert.Equal(t, []string{
		"reading big.perf.txt: 40% (4 of 10 MiB, 4 MiB/s, 2s left)",
		"reading big.perf.txt: 50% (5 of 10 MiB, 4 MiB/s, 1s left)",
		"reading big.perf.txt: 60% (6 of 10 MiB, 4 MiB/s, 1s left)",
		"reading big.perf.txt: 70% (7 of 10 MiB, 4 MiB/s, 1s left)",
		"reading big.perf.txt: 80% (8 of 10 MiB, 4 MiB/s, 1s left)",
		"reading big.perf.txt: 90% (9 of 10 MiB, 4 MiB/s, 1s left)",
		"reading big.perf.txt: 100% (10 of 10 MiB, 4 MiB/s)",
	}, got)
}

// TestProgressUnknownSize: from a pipe, progress shows bytes and rate only.
func TestProgressUnknownSize(t *testing.T) {
	got := updates(t, readProgress(t, 4<<20, -1, 500*time.Millisecond))
	assert.Equal(t, []string{
		"reading big.perf.txt: 2 MiB (2 MiB/s)",
		"reading big.perf.txt: 3 MiB (2 MiB/s)",
		"reading big.perf.txt: 4 MiB (2 MiB/s)",
	}, got)
}

// TestProgressQuickReadDrawsNothing: an input read within the first second
// leaves stderr untouched, newline included.
func TestProgressQuickReadDrawsNothing(t *testing.T) {
	assert.Equal(t, "", readProgress(t, 10<<20, 10<<20, time.Millisecond))
}

func TestFormatETA(t *testing.T) {
	assert.Equal(t, "1s", formatETA(200*time.Millisecond))
	assert.Equal(t, "59s", formatETA(59*time.Second))
	assert.Equal(t, "2m05s", formatETA(125*time.Second))
}

// TestProgressOnlyOnATerminal: progress goes to stderr only when it is a
// terminal and --quiet is not given; otherwise the reader is returned as
// it is.
func TestProgressOnlyOnATerminal(t *testing.T) {
	r := strings.NewReader("x")
	io, _, _ := term.Test("")
	assert.Same(t, r, withProgress(r, 1<<30, "f", io), "not a terminal")
	io.ErrTTY = true
	_, ok := withProgress(r, 1<<30, "f", io).(*progressReader)
	assert.True(t, ok, "on a terminal")
	io.Quiet = true
	assert.Same(t, r, withProgress(r, 1<<30, "f", io), "--quiet")
}

// TestQuietFlag: --quiet (-q) is accepted by every command that reads.
func TestQuietFlag(t *testing.T) {
	for _, args := range [][]string{
		{"convert", "--quiet", "../../../../fixtures/perf/goalloc-fp.perf.txt", "--to", "folded"},
		{"-q", "explain", "../../../../fixtures/perf/goalloc-fp.perf.txt"},
	} {
		io, out, errb := term.Test("")
		assert.Equal(t, exitOK, Main(args, io), "%v: %s", args, errb)
		assert.NotEmpty(t, out.String())
		assert.Empty(t, errb.String())
	}
}

// TestInputSize: a regular file (also as standard input) has a size; a
// pipe or a buffer does not.
func TestInputSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in")
	require.NoError(t, os.WriteFile(path, []byte("12345"), 0o644))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, int64(5), inputSize(f))
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	defer pr.Close()
	defer pw.Close()
	assert.Equal(t, int64(-1), inputSize(pr))
	assert.Equal(t, int64(-1), inputSize(strings.NewReader("x")))
}
