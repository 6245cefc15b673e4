package pprof

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadSized: the bytes read are the input's whatever the hint, too
// small, exact, too large or none, and a reader's error comes through.
func TestReadSized(t *testing.T) {
	in := bytes.Repeat([]byte("0123456789"), 100_000) // 1 MB
	for _, hint := range []int64{-1, 0, 1, 4096, int64(len(in)) - 1, int64(len(in)), int64(len(in)) + 1, 8 << 20} {
		got, err := readSized(iotest.HalfReader(bytes.NewReader(in)), hint)
		require.NoError(t, err, "hint %d", hint)
		assert.True(t, bytes.Equal(in, got), "hint %d: %d bytes back", hint, len(got))
	}
	_, err := readSized(io.MultiReader(bytes.NewReader(in[:10]), iotest.ErrReader(io.ErrUnexpectedEOF)), 100)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}
