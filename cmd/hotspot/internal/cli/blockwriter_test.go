package cli

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBlockWriterKeepsOrder(t *testing.T) {
	// Writes of every size around the block size, so blocks fill and
	// wrap mid-write; the expected text is built independently.
	var want, got bytes.Buffer
	bw := newBlockWriter(&got)
	for i, n := range []int{1, blockSize - 1, 2, blockSize, 3 * blockSize, 0, 17} {
		p := bytes.Repeat([]byte{byte('a' + i)}, n)
		want.Write(p)
		k, err := bw.Write(p)
		require.NoError(t, err)
		assert.Equal(t, n, k)
	}
	require.NoError(t, bw.Close())
	assert.Equal(t, want.Len(), got.Len())
	assert.True(t, bytes.Equal(want.Bytes(), got.Bytes()))
	assert.NoError(t, bw.Close(), "closing again")
}

type failAfter struct {
	n   int
	err error
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	f.n--
	return len(p), nil
}

func TestBlockWriterReportsTheFirstError(t *testing.T) {
	full := errors.New("no space left on device")
	bw := newBlockWriter(&failAfter{n: 1, err: full})
	var err error
	for i := 0; i < 10*blockCount && err == nil; i++ {
		_, err = bw.Write(make([]byte, blockSize))
	}
	assert.ErrorIs(t, err, full, "Write stops once the writer fails")
	assert.ErrorIs(t, bw.Close(), full)
	_, err = bw.Write([]byte("x"))
	assert.ErrorIs(t, err, full)
}

func TestBlockWriterSmallOutput(t *testing.T) {
	var got bytes.Buffer
	bw := newBlockWriter(&got)
	_, err := bw.Write([]byte("main;f 1\n"))
	require.NoError(t, err)
	require.NoError(t, bw.Close())
	assert.Equal(t, "main;f 1\n", got.String())
}
