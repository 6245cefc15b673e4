package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFailedRunKeepsExistingOutput: a run that fails, while reading or
// while rendering, leaves a file already at the -o path exactly as it was
// and no temporary file beside it.
func TestFailedRunKeepsExistingOutput(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.bin")
	require.NoError(t, os.WriteFile(garbage, []byte("\x00\x01 not a profile"), 0o644))
	truncated := filepath.Join(dir, "cut.folded")
	require.NoError(t, os.WriteFile(truncated, []byte("a;b 1\nc -3\n"), 0o644))
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"explain garbage", []string{"explain", garbage}},
		{"explain markdown strict", []string{"explain", truncated, "--strict", "--format", "markdown"}},
		{"convert garbage", []string{"convert", garbage, "--to", "pprof"}},
		{"convert strict", []string{"convert", truncated, "--strict", "--to", "folded"}},
		{"convert unknown event", []string{"convert", truncated, "--to", "folded", "--sample-type", "nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "previous.out")
			const old = "the previous report, which must survive\n"
			require.NoError(t, os.WriteFile(out, []byte(old), 0o600))
			code, stdout, errOut := run(t, "", append(tc.args, "-o", out)...)
			assert.NotEqual(t, 0, code)
			assert.Empty(t, stdout)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, old, string(got))
			st, err := os.Stat(out)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "mode untouched")
			assertNoTempFiles(t, dir)
		})
	}
}

// TestRenderFailureKeepsExistingOutput fails in the middle of rendering,
// after output has been written: the file at the path is the old one.
func TestRenderFailureKeepsExistingOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.txt")
	require.NoError(t, os.WriteFile(out, []byte("old\n"), 0o644))
	err := writeOutput(io.Discard, out, nil, func(w io.Writer) error {
		if _, err := w.Write([]byte(strings.Repeat("new\n", 1<<16))); err != nil {
			return err
		}
		return errors.New("render failed")
	})
	require.EqualError(t, err, "render failed")
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "old\n", string(got))
	assertNoTempFiles(t, dir)
}

// TestOutputOntoInputIsRefused: -o naming the input through another
// spelling (./x, a/../x, a symlink to it, a hard link) is still the input.
func TestOutputOntoInputIsRefused(t *testing.T) {
	dir := t.TempDir()
	const content = "main;work 3\n"
	in := filepath.Join(dir, "p.folded")
	require.NoError(t, os.WriteFile(in, []byte(content), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.Symlink(in, filepath.Join(dir, "link.folded")))
	require.NoError(t, os.Link(in, filepath.Join(dir, "hard.folded")))
	t.Chdir(dir)
	for _, tc := range []struct{ in, out string }{
		{"p.folded", "./p.folded"},
		{"./p.folded", "sub/../p.folded"},
		{in, "p.folded"},
		{"p.folded", "link.folded"},
		{"link.folded", "p.folded"},
		{"p.folded", "hard.folded"},
	} {
		for _, args := range [][]string{
			{"convert", tc.in, "--to", "folded", "-o", tc.out},
			{"explain", tc.in, "-o", tc.out},
		} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, stdout, errOut := run(t, "", args...)
				assert.Equal(t, 2, code)
				assert.Empty(t, stdout)
				assert.Contains(t, errOut, "refusing to write "+tc.out+": it is the input "+tc.in)
				got, err := os.ReadFile(in)
				require.NoError(t, err)
				assert.Equal(t, content, string(got), "input untouched")
				fi, err := os.Lstat("link.folded")
				require.NoError(t, err)
				assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the symlink is still a symlink")
			})
		}
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.Contains(e.Name(), ".tmp-"), "temporary file left behind: %s", e.Name())
	}
}

// TestOutputOntoInputIsRefusedBeforeReading: the refusal comes first, even
// when the input would not read (no waiting on a large input for it).
func TestOutputOntoInputIsRefusedBeforeReading(t *testing.T) {
	in := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(in, []byte("not a profile\n"), 0o644))
	for _, args := range [][]string{{"explain", in, "-o", in}, {"convert", in, "--to", "pprof", "-o", in}} {
		code, _, errOut := run(t, "", args...)
		assert.Equal(t, 2, code, errOut)
		assert.Contains(t, errOut, "refusing to write")
		got, _ := os.ReadFile(in)
		assert.Equal(t, "not a profile\n", string(got))
	}
}

func TestErrorLineEscapesControls(t *testing.T) {
	assert.Equal(t, `a.json: bad name \x1b[31mred\x07 \u009b; next line`, oneLine("a.json: bad name \x1b[31mred\x07 \u009b\n  next line"))
	assert.Equal(t, "plain: message", oneLine("plain:\tmessage"))
}
