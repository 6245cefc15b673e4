package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, root, rel, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
}

func TestLineByTail(t *testing.T) {
	root := t.TempDir()
	write(t, root, "app/json_loop.py", "import json\r\n\r\ndef pretty_dump(orders):\r\n\treturn json.dumps(orders, indent=2)\r\n")
	tr := Dir(root)
	for _, file := range []string{"app/json_loop.py", "/opt/bench/app/json_loop.py", "/srv/app/json_loop.py"} {
		got, ok := tr.Line(file, 4)
		assert.True(t, ok, file)
		assert.Equal(t, "    return json.dumps(orders, indent=2)", got, file)
	}
	// The tail "json_loop.py" alone is not under the root's top level.
	_, ok := tr.Line("json_loop.py", 4)
	assert.False(t, ok)
	_, ok = tr.Line("app/json_loop.py", 2) // blank
	assert.False(t, ok)
	_, ok = tr.Line("app/json_loop.py", 99)
	assert.False(t, ok)
	_, ok = tr.Line("app/json_loop.py", 0)
	assert.False(t, ok)
}

func TestLongestTailWins(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a/util.py", "x = 'a'\n")
	write(t, root, "b/util.py", "x = 'b'\n")
	write(t, root, "util.py", "x = 'top'\n")
	tr := Dir(root)
	got, _ := tr.Line("/home/ci/b/util.py", 1)
	assert.Equal(t, "x = 'b'", got)
	got, _ = tr.Line("util.py", 1)
	assert.Equal(t, "x = 'top'", got)
}

func TestNeverLeavesTheRoot(t *testing.T) {
	outer := t.TempDir()
	write(t, outer, "secret.py", "password = 1\n")
	root := filepath.Join(outer, "src")
	require.NoError(t, os.Mkdir(root, 0o755))
	tr := Dir(root)
	for _, file := range []string{"../secret.py", "src/../../secret.py", filepath.Join(outer, "secret.py") + "/..", "/"} {
		_, ok := tr.Line(file, 1)
		assert.False(t, ok, file)
	}
	var none *Tree
	_, ok := none.Line("x.py", 1)
	assert.False(t, ok)
}

func TestHostileText(t *testing.T) {
	root := t.TempDir()
	write(t, root, "evil.py", "print('\x1b[2J\x1b]0;pwned\x07')  # \u202eevil\xff\n"+strings.Repeat("x", 300)+"\n")
	write(t, root, "bin.py", "a\x00b\n")
	tr := Dir(root)
	got, ok := tr.Line("evil.py", 1)
	require.True(t, ok)
	assert.NotContains(t, got, "\x1b")
	assert.NotContains(t, got, "\x07")
	assert.NotContains(t, got, "\u202e")
	assert.Equal(t, "print('\uFFFD[2J\uFFFD]0;pwned\uFFFD')  # \uFFFDevil\uFFFD", got)
	got, _ = tr.Line("evil.py", 2)
	assert.Equal(t, strings.Repeat("x", maxLineRunes)+"…", got)
	_, ok = tr.Line("bin.py", 1)
	assert.False(t, ok, "a file with NUL bytes is not source")
}

func TestTooLarge(t *testing.T) {
	root := t.TempDir()
	write(t, root, "big.py", "x = 1\n"+strings.Repeat("#\n", MaxFileBytes/2))
	_, ok := Dir(root).Line("big.py", 1)
	assert.False(t, ok)
}
