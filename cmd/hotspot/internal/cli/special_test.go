package cli

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An -o path that is not a regular file is written through, never renamed
// over: `-o /dev/null` run as root replaced the device with a file. A
// named pipe stands in for the device (the test must not risk the real
// one): after the run it is still a pipe, and its reader got the report.
func TestOutputThroughPipeKeepsIt(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "out.pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	// The reader is open before the run, without blocking; the report
	// (about 8 KB) fits in the pipe's buffer, so it is read after the run.
	fd, err := syscall.Open(fifo, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err)
	reader := os.NewFile(uintptr(fd), fifo)
	defer reader.Close()
	code, stdout, errOut := run(t, "", "explain", "../../../../fixtures/planted/python/json-loop.perf.txt", "-o", fifo)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, stdout)
	report, _ := io.ReadAll(reader)
	assert.Contains(t, string(report), "SUMMARY")
	st, err := os.Lstat(fifo)
	require.NoError(t, err)
	assert.Equal(t, os.ModeNamedPipe, st.Mode().Type(), "still a named pipe")
	assertNoTempFiles(t, dir)
}

// Through a symbolic link, the file it points to gets the report and the
// link stays a link.
func TestOutputThroughSymlinkKeepsIt(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.txt")
	require.NoError(t, os.WriteFile(target, []byte("old\n"), 0o644))
	link := filepath.Join(dir, "link.txt")
	require.NoError(t, os.Symlink(target, link))
	code, _, errOut := run(t, "", "explain", "../../../../fixtures/planted/python/json-loop.perf.txt", "-o", link)
	require.Equal(t, 0, code, errOut)
	st, err := os.Lstat(link)
	require.NoError(t, err)
	assert.Equal(t, os.ModeSymlink, st.Mode().Type(), "still a link")
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Contains(t, string(b), "SUMMARY")
}
