package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// zeroBomb is a multi-member gzip stream of mib MiB of zero bytes, built
// from one compressed MiB so the test spends nothing on compression.
func zeroBomb(t *testing.T, mib int) []byte {
	var one bytes.Buffer
	zw, err := gzip.NewWriterLevel(&one, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(make([]byte, 1<<20))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return bytes.Repeat(one.Bytes(), mib)
}

// TestIssue12GzipBomb: gzip content of one repeated byte is refused from
// the bounded head, naming --max-decompressed, without decompressing (or
// reading) the rest of the stream.
func TestIssue12GzipBomb(t *testing.T) {
	bomb := zeroBomb(t, 256)
	require.Greater(t, len(bomb), 2*HeadSize, "the compressed bomb must be larger than what detection reads")
	cr := &countingReader{r: bytes.NewReader(bomb)}
	_, err := Read(cr, "bomb.gz", DefaultFormats(), Options{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrUnrecognized), "%v", err)
	assert.Contains(t, err.Error(), "bomb.gz: ")
	assert.Contains(t, err.Error(), "--max-decompressed")
	assert.LessOrEqual(t, cr.n, int64(2*HeadSize), "compressed bytes read: %d of %d", cr.n, len(bomb))
}

// TestIssue12GzipNotProtobuf: gzip around text no format claims is not
// handed to pprof (which would read it whole) but refused at once.
func TestIssue12GzipNotProtobuf(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for range 20000 {
		zw.Write([]byte("this is a log line, not a profile\n"))
	}
	require.NoError(t, zw.Close())
	_, err := Read(bytes.NewReader(b.Bytes()), "log.gz", DefaultFormats(), Options{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrUnrecognized), "%v", err)
	assert.Contains(t, err.Error(), "log.gz: unrecognized profile format: the gzip stream holds none of the formats")
}

// TestIssue12KnownKinds: files hotspot recognises but cannot read yet get
// a message naming what they are and what to run.
func TestIssue12KnownKinds(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"perf.data", []byte("PERFILE2h\x00\x00\x00\x00\x00\x00\x00"), "this is a perf.data recording (perf's binary format), which hotspot does not read yet; convert it to text first: perf script -i perf.data > perf.txt"},
		{"x.zst", []byte("\x28\xb5\x2f\xfd\x04\x58\x2c"), "zstd-compressed data"},
		{"x.xz", []byte("\xfd7zXZ\x00\x00\x04"), "xz -dk x.xz"},
		{"x.bz2", []byte("BZh91AY&SY"), "bzip2 -dk x.bz2"},
		{"f.svg", []byte("<?xml version=\"1.0\" standalone=\"no\"?>\n<!DOCTYPE svg PUBLIC>\n<svg version=\"1.1\">"), "an SVG image"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.head), tc.name, DefaultFormats(), Options{})
			require.Error(t, err)
			assert.True(t, errors.Is(err, profile.ErrUnrecognized), "%v", err)
			assert.Contains(t, err.Error(), tc.name+": unrecognized profile format: ")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestIssue12KnownKindsOnRealFiles matches the table against real
// recordings: the committed perf.data and the shared turn-2 formats. It
// calls the table directly, so it keeps testing an entry after an
// importer for that kind lands (the entry is then deleted with its test).
func TestIssue12KnownKindsOnRealFiles(t *testing.T) {
	files := map[string]string{
		testutil.Fixture(t, "perf/fields.perf.data"): "perf.data",
	}
	if _, err := os.Stat(testutil.RepoRoot(t) + "/../shared/fixtures"); err != nil {
		t.Log("shared fixtures absent: checking the committed perf.data only")
	} else {
		for rel, want := range map[string]string{
			"fixtures/heaptrack/cmalloc.heaptrack.zst":             "zstd",
			"fixtures/flamegraph-svg/py311-pyo3-dwarf.inferno.svg": "SVG",
		} {
			files[testutil.Shared(t, rel)] = want
		}
	}
	for path, want := range files {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		head := b[:min(len(b), HeadSize)]
		for _, f := range DefaultFormats() {
			if f.Sniff(head) {
				t.Logf("%s: now read by the %s importer", path, f.Name())
			}
		}
		err = unreadable(head, path, KnownUnreadable())
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
	}
}
