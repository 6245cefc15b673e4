package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/views"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestViewCommands(t *testing.T) {
	in := testutil.Fixture(t, "perf/fields-default.perf.txt")
	code, out, errOut := run(t, "", "top", in, "-n", "2", "--cum")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "2 of 5 shown")

	code, out, errOut = run(t, "", "peek", in, "^inner$", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "hotspot.peek/v1", doc["schema"])
	assert.Contains(t, doc["version"], runtime.Version(), "the version, with the Go version, from build info")

	md := filepath.Join(t.TempDir(), "threads.md")
	code, _, errOut = run(t, "", "threads", in, "-o", md)
	require.Equal(t, 0, code, errOut)
	b, _ := os.ReadFile(md)
	assert.True(t, strings.HasPrefix(string(b), "## Threads: "), "%.40q", b)

	code, _, errOut = run(t, "", "peek", in, "(")
	assert.Equal(t, 2, code, errOut)
	code, _, errOut = run(t, "", "top", in, "--hide", "[")
	assert.Equal(t, 2, code, errOut)
}

// TestViewsOnEverySharedFixture runs top, peek and threads in every output
// format on every shared fixture hotspot reads.
func TestViewsOnEverySharedFixture(t *testing.T) {
	root := testutil.Shared(t, "fixtures")
	read := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		io, _, _ := term.Test("")
		p, err := readProfile(io, path, InputFlags{})
		if err != nil {
			if !errors.Is(err, profile.ErrUnrecognized) {
				t.Logf("%s: not read: %v", path, err)
			}
			return nil
		}
		read++
		rel, _ := filepath.Rel(root, path)
		t.Run(rel, func(t *testing.T) {
			top := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1}, N: 10})
			re := regexp.MustCompile(".")
			if len(top.Rows) > 0 {
				re = regexp.MustCompile("^" + regexp.QuoteMeta(top.Rows[0].Name) + "$")
			}
			pk := views.ComputePeek(p, re, views.Options{Value: -1})
			th := views.ComputeThreads(p, views.Options{Value: -1})
			if len(top.Rows) > 0 {
				assert.NotEmpty(t, pk.Entries, "the top function is found by peek")
			}
			for _, f := range []views.Format{views.Text, views.Markdown, views.JSON} {
				for name, write := range map[string]func(*bytes.Buffer) error{
					"top":     func(b *bytes.Buffer) error { return views.WriteTop(b, top, views.Header{Input: rel}, f) },
					"peek":    func(b *bytes.Buffer) error { return views.WritePeek(b, pk, views.Header{Input: rel}, f) },
					"threads": func(b *bytes.Buffer) error { return views.WriteThreads(b, th, views.Header{Input: rel}, f) },
				} {
					var b bytes.Buffer
					require.NoError(t, write(&b), "%s %s", name, f)
					assert.NotEmpty(t, b.String())
					if f == views.JSON {
						var doc map[string]any
						require.NoError(t, json.Unmarshal(b.Bytes(), &doc), "%s json", name)
						assert.Equal(t, "hotspot."+name+"/v1", doc["schema"])
					}
				}
			}
		})
		return nil
	})
	require.NoError(t, err)
	t.Logf("%d shared fixtures read", read)
	assert.Greater(t, read, 50)
}

// TestMergedInputs: explain, top and convert merge several inputs; other
// value types are refused with the reason.
func TestMergedInputs(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.folded"), filepath.Join(dir, "b.folded")
	require.NoError(t, os.WriteFile(a, []byte("main;parse 3\nmain;encode 1\n"), 0o644))
	require.NoError(t, os.WriteFile(b, []byte("main;parse 2\nmain;load 4\n"), 0o644))

	code, out, errOut := run(t, "", "convert", a, b, "--to", "folded")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "main;encode 1\nmain;load 4\nmain;parse 5\n", out)

	code, out, errOut = run(t, "", "top", a, b, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, float64(10), doc["total"])
	assert.Equal(t, a+" + "+b, doc["input"])

	code, _, errOut = run(t, "", "explain", a, b, "--format", "json")
	require.Equal(t, 0, code, errOut)

	perf := testutil.Fixture(t, "perf/fields-default.perf.txt")
	code, _, errOut = run(t, "", "top", a, perf)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "cannot merge "+perf+" with "+a+": their value types differ")
}
