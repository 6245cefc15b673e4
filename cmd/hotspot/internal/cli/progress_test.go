package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgressReader reads 10 MiB in 1 MiB reads while a fake clock moves
// 100 ms per read: progress is redrawn when more than 200 ms have passed,
// in place (carriage return), never twice for the same count, and finished
// with one newline at the end of the input.
func TestProgressReader(t *testing.T) {
	const size = 10 << 20
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	p := &progressReader{
		r:    iotest.HalfReader(bytes.NewReader(make([]byte, size))),
		w:    &out,
		name: "big.perf.txt",
		size: size,
		now: func() time.Time {
			clock = clock.Add(100 * time.Millisecond)
			return clock
		},
	}
	buf := make([]byte, 2<<20) // HalfReader makes these 1 MiB reads
	var got int
	for {
		n, err := p.Read(buf)
		got += n
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	assert.Equal(t, size, got, "the data passes through unchanged")
	s := out.String()
	require.True(t, strings.HasSuffix(s, "\n"), "finished with a newline: %q", s)
	assert.Equal(t, 1, strings.Count(s, "\n"))
	updates := strings.Split(strings.TrimSuffix(s, "\n"), "\r")[1:]
	assert.Equal(t, []string{
		"reading big.perf.txt: 10% (1 of 10 MiB)",
		"reading big.perf.txt: 40% (4 of 10 MiB)",
		"reading big.perf.txt: 70% (7 of 10 MiB)",
		"reading big.perf.txt: 100% (10 of 10 MiB)",
	}, updates)
}

// TestProgressOnlyOnATerminalForLargeInputs: progress goes to stderr only
// when it is a terminal and the input is large; otherwise the reader is
// returned as it is.
func TestProgressOnlyOnATerminalForLargeInputs(t *testing.T) {
	r := strings.NewReader("x")
	io, _, _ := term.Test("")
	assert.Same(t, r, withProgress(r, progressThreshold*2, "f", io), "not a terminal")
	io.ErrTTY = true
	assert.Same(t, r, withProgress(r, progressThreshold-1, "f", io), "small input")
	_, ok := withProgress(r, progressThreshold, "f", io).(*progressReader)
	assert.True(t, ok, "large input on a terminal")
}
