package folded_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// sameRead requires reading data cut into chunks of size bytes to give
// what reading it in one piece (the inputs here are under 1 MiB: one
// worker, in order) gives: the same
// error, or the same frames in the same order, the same tree with its
// nodes in the same order, and the same metadata.
func sameRead(t *testing.T, data []byte, size int, opt profile.ReadOptions) {
	t.Helper()
	want, werr := folded.ReadChunked(bytes.NewReader(data), "t", opt, 1<<20)
	got, gerr := folded.ReadChunked(bytes.NewReader(data), "t", opt, size)
	if werr != nil || gerr != nil {
		require.Error(t, gerr, "chunks of %d: want error %v", size, werr)
		require.Error(t, werr, "chunks of %d: got error %v", size, gerr)
		require.Equal(t, werr.Error(), gerr.Error(), "chunks of %d", size)
		return
	}
	require.Equal(t, want.Frames, got.Frames, "chunks of %d", size)
	require.Equal(t, want.Nodes, got.Nodes, "chunks of %d", size)
	require.Equal(t, want.Samples, got.Samples, "chunks of %d", size)
	require.Equal(t, want.Meta, got.Meta, "chunks of %d", size)
	require.Equal(t, want.SampleTypes, got.SampleTypes, "chunks of %d", size)
}

// TestReadChunks cuts inputs at every kind of place: inside frames, at
// line ends, inside counts, with lines longer than a chunk.
func TestReadChunks(t *testing.T) {
	files, err := filepath.Glob(testutil.Fixture(t, "folded/*.folded"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		t.Run(filepath.Base(path), func(t *testing.T) {
			for _, size := range []int{7, 100, 4096} {
				sameRead(t, data, size, profile.ReadOptions{})
			}
		})
	}
	var bad strings.Builder
	for i := range 200 {
		fmt.Fprintf(&bad, "# comment %d\nroot;f%d;g 1\nroot;f%d;h 2.5\nnot a line\n thread (%d): t;x 3\n", i, i%7, i%5, i)
	}
	for _, size := range []int{1, 3, 50, 1000} {
		sameRead(t, []byte(bad.String()), size, profile.ReadOptions{})
		sameRead(t, []byte(bad.String()), size, profile.ReadOptions{Strict: true})
		sameRead(t, []byte(bad.String()+"a;b 1 2\n"), size, profile.ReadOptions{})
		sameRead(t, []byte(bad.String()), size, profile.ReadOptions{Limits: profile.Limits{MaxFrames: 300}})
		sameRead(t, []byte(bad.String()), size, profile.ReadOptions{Limits: profile.Limits{MaxNodes: 500}})
		sameRead(t, []byte(bad.String()+strings.Repeat("x;", 40)+" 1\n"), size, profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 60}})
		sameRead(t, []byte(bad.String()+strings.Repeat("x;", 40)+" 1\n"), size, profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 20}})
	}
}

// TestReadChunksLineNumbers checks the line numbers of messages after
// many chunks against lines counted here.
func TestReadChunksLineNumbers(t *testing.T) {
	in := strings.Repeat("a;b 1\n", 1000) + "bad\n" + strings.Repeat("a;c 1\n", 1000) + "a -1\n"
	p, err := folded.ReadChunked(strings.NewReader(in), "t", profile.ReadOptions{}, 16)
	require.NoError(t, err)
	assert.Equal(t, []string{"t:1001: want 'stack count', got no count", "t:2002:3: negative count -1, want a non-negative number"}, p.Meta.Warnings)
	_, err = folded.ReadChunked(strings.NewReader(in+strings.Repeat("z", 100)+"\n"), "t", profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 50}}, 16)
	require.Error(t, err)
	assert.Equal(t, "t:2003: line length exceeds the limit of 50 (raise it with --max-line)", err.Error())
}

// errAfter is a reader whose data ends in a read error.
type errAfter struct{ r *strings.Reader }

func (e errAfter) Read(p []byte) (int, error) {
	if e.r.Len() == 0 {
		return 0, fmt.Errorf("disk on fire")
	}
	return e.r.Read(p[:min(len(p), 5)])
}

func TestReadChunksReadError(t *testing.T) {
	for _, size := range []int{4, 1 << 20} {
		_, err := folded.ReadChunked(errAfter{strings.NewReader("a 1\nb x\nc 2\n")}, "t", profile.ReadOptions{Strict: true}, size)
		require.Error(t, err)
		assert.Equal(t, `t:2:3: want 'stack count', got "x" where the count should be`, err.Error())
		_, err = folded.ReadChunked(errAfter{strings.NewReader("a 1\nc 2\nd")}, "t", profile.ReadOptions{}, size)
		require.Error(t, err)
		assert.Equal(t, "reading t: disk on fire", err.Error())
	}
}
