package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type wrapper struct{ r io.Reader }

func (w wrapper) Read(p []byte) (int, error) { return w.r.Read(p) }
func (w wrapper) Unwrap() io.Reader          { return w.r }

// TestGzipSizeHint: the hint is the trailer's size for an honest file,
// found through readers that unwrap to it; a trailer that claims more than
// the compressed bytes could hold is cut to that bound; a pipe, a short
// file or no file gives none.
func TestGzipSizeHint(t *testing.T) {
	dir := t.TempDir()
	payload := strings.Repeat("main;work 1\n", 5000) // 60,000 bytes
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write([]byte(payload))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	honest := filepath.Join(dir, "p.gz")
	require.NoError(t, os.WriteFile(honest, buf.Bytes(), 0o644))
	f, err := os.Open(honest)
	require.NoError(t, err)
	defer f.Close()
	size := regularSize(wrapper{f})
	assert.Equal(t, int64(buf.Len()), size)
	assert.Equal(t, int64(len(payload)), gzipSizeHint(wrapper{wrapper{f}}, size, 1<<30))
	assert.Equal(t, int64(1000), gzipSizeHint(f, size, 1000), "bounded by the limit")
	off, err := f.Seek(0, io.SeekCurrent)
	require.NoError(t, err)
	assert.Zero(t, off, "reading the trailer leaves the offset alone")

	lying := append([]byte(nil), buf.Bytes()...)
	binary.LittleEndian.PutUint32(lying[len(lying)-4:], 0xffffffff)
	liar := filepath.Join(dir, "liar.gz")
	require.NoError(t, os.WriteFile(liar, lying, 0o644))
	g, err := os.Open(liar)
	require.NoError(t, err)
	defer g.Close()
	assert.Equal(t, int64(len(lying))*maxDeflateRatio, gzipSizeHint(g, int64(len(lying)), 1<<40))

	assert.Equal(t, int64(-1), gzipSizeHint(bytes.NewReader(buf.Bytes()), int64(buf.Len()), 1<<30))
	assert.Equal(t, int64(-1), regularSize(bytes.NewReader(nil)))
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	defer pr.Close()
	defer pw.Close()
	assert.Equal(t, int64(-1), regularSize(pr))
}
