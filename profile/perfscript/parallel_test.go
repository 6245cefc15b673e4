package perfscript

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// readWith reads data serially (workers 0) or in parallel with the given
// workers and chunk size, and returns the profile's folded text with its
// metadata, or the error.
func readWith(data []byte, opt profile.ReadOptions, workers, size int) (*profile.Profile, error) {
	rd := newReader(bytes.NewReader(data), "t.perf", opt)
	var err error
	if workers == 0 {
		err = rd.run()
	} else {
		err = rd.runParallel(rd.br, workers, size)
	}
	if err != nil {
		return nil, err
	}
	return rd.finish()
}

// parallelInputs are every perf script text the tests have: the
// repository's fixtures, the shared recordings and conformance inputs, and
// hand-made edge cases (stackless events, callchains cut off by a blank
// line, srclines, inlined entries, a missing final newline, CRLF).
func parallelInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := map[string][]byte{
		"stackless then orphans": []byte("a 1 1.0: 1 cycles:\n\n\t1 f (/x)\n\nb 2 2.0: 1 cycles:\n\t2 g (/x)\n"),
		"no final newline":       []byte("a 1 1.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)"),
		"crlf":                   []byte("a 1 1.0: 1 cycles:\r\n\t1 f (/x)\r\n\r\na 1 2.0: 1 cycles:\r\n\t1 f (/x)\r\n"),
		"srcline and inlined":    []byte("a 1 1.0: 1 cycles:\n\t1 g (inlined)\n\t2 f (/x)\n  f.c:3\n\t3 main (/x)\n\n"),
		"garbage between":        []byte("a 1 1.0: 1 cycles:\n\t1 f (/x)\nnot a line\n\nzz\n\na 1 2.0: 1 cpu-clock:\n\t1 f (/x)\n"),
		"header":                 []byte("# ========\n# perf version : 6.1\n# cmdline : perf record -g\n#\na 1 1.0: 1 cycles:\n\t1 f (/x)\n"),
		"empty":                  nil,
	}
	var paths []string
	for _, glob := range []string{
		filepath.Join(testutil.RepoRoot(t), "fixtures", "*", "*.perf.txt"),
		filepath.Join(testutil.RepoRoot(t), "fixtures", "planted", "*", "*.perf.txt"),
		filepath.Join(testutil.RepoRoot(t), "fixtures", "broken", "*.perf.txt"),
		filepath.Join(testutil.RepoRoot(t), "..", "shared", "fixtures", "conformance", "collapse-perf", "*", "*.txt*"),
	} {
		m, err := filepath.Glob(glob)
		require.NoError(t, err)
		paths = append(paths, m...)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		if strings.HasSuffix(p, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			require.NoError(t, err)
			data, err = io.ReadAll(zr)
			require.NoError(t, err)
		}
		in[filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p)] = data
	}
	return in
}

// TestParallelReadIsSerialRead: the parallel reader gives the serial
// reader's profile (or error) for every input, however the input is cut
// into chunks and with any number of workers.
func TestParallelReadIsSerialRead(t *testing.T) {
	inputs := parallelInputs(t)
	require.Greater(t, len(inputs), 10)
	t.Logf("%d inputs", len(inputs))
	opts := map[string]profile.ReadOptions{
		"default": {},
		"strict":  {Strict: true},
		"addrs":   {Addrs: true},
		"limits":  {Limits: profile.Limits{MaxLineBytes: 100, MaxStackDepth: 20}},
	}
	for name, data := range inputs {
		for oname, opt := range opts {
			want, wantErr := readWith(data, opt, 0, 0)
			for _, cut := range []struct{ workers, size int }{{1, chunkSize}, {3, 4096}, {2, 61}} {
				got, err := readWith(data, opt, cut.workers, cut.size)
				if wantErr != nil {
					require.Error(t, err, "%s %s %v", name, oname, cut)
					assert.Equal(t, wantErr.Error(), err.Error(), "%s %s %v", name, oname, cut)
					continue
				}
				require.NoError(t, err, "%s %s %v", name, oname, cut)
				if !assert.Equal(t, want, got, "%s %s %v", name, oname, cut) {
					return
				}
			}
		}
	}
}

// TestParallelReadSameFolded: the folded text, the bytes convert writes,
// is the same either way on the shared bench seeds, the largest real
// recordings there are.
func TestParallelReadSameFolded(t *testing.T) {
	dir := testutil.Shared(t, "bench/seeds")
	paths, err := filepath.Glob(filepath.Join(dir, "perf-*.txt.gz"))
	require.NoError(t, err)
	if len(paths) == 0 {
		t.Skipf("no perf seeds in %s", dir)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		require.NoError(t, err)
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		data, err := io.ReadAll(zr)
		f.Close()
		require.NoError(t, err)
		var folded [2]bytes.Buffer
		for i, workers := range []int{0, 2} {
			p, err := readWith(data, profile.ReadOptions{}, workers, 64<<10)
			require.NoError(t, err)
			require.NoError(t, profile.WriteFolded(&folded[i], p, profile.FoldedOptions{Value: -1}))
		}
		assert.Greater(t, folded[0].Len(), 0)
		assert.True(t, bytes.Equal(folded[0].Bytes(), folded[1].Bytes()), "%s: folded output differs", p)
	}
}

// FuzzParallelRead checks that the parallel reader agrees with the serial
// one on any input, cut into chunks of a few dozen bytes.
func FuzzParallelRead(f *testing.F) {
	f.Add([]byte("a 1 1.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n"), uint8(16))
	f.Add([]byte("a 1 1.0: 1 cycles:\n\n\t1 f (/x)\n\nb 2 2.0: 1 cycles:\n\t2 g (inlined)\n\t3 h (/x)\n  h.c:3\n"), uint8(5))
	opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 200, MaxFrames: 10_000}}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		want, wantErr := readWith(data, opt, 0, 0)
		got, err := readWith(data, opt, 2, int(size)+1)
		if (wantErr == nil) != (err == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("errors differ: serial %v, parallel %v", wantErr, err)
		}
		if err == nil && !reflect.DeepEqual(want, got) {
			t.Fatalf("profiles differ")
		}
	})
}
