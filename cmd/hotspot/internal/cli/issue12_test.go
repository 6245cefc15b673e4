package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssue12UsageIsTyped: the exit status comes from the error's type. A
// file whose name holds cobra's words is still a file that is missing.
func TestIssue12UsageIsTyped(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"missing file named like an arg error", []string{"explain", filepath.Join(dir, "accepts nothing.txt")}, 1},
		{"missing file named like a flag error", []string{"explain", filepath.Join(dir, "unknown flag.md")}, 1},
		{"missing file named like a value error", []string{"explain", filepath.Join(dir, "invalid argument")}, 1},
		{"flag value of the wrong type", []string{"explain", "x", "--top", "many"}, 2},
		{"flag without its value", []string{"explain", "x", "--top"}, 2},
		{"unknown shorthand", []string{"explain", "x", "-Z"}, 2},
		{"too many args", []string{"threads", "a", "b"}, 2},
		{"unknown command", []string{"explian", "x"}, 2},
		{"bad --color", []string{"hints", "--color", "sometimes"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, "", tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Equal(t, tc.code == 2, strings.Contains(errOut, "Run 'hotspot --help' for usage."), errOut)
		})
	}
}

// TestIssue12FormatFromExtension: -o's extension picks the format when
// --format/--to is absent; a disagreement is a usage error.
func TestIssue12FormatFromExtension(t *testing.T) {
	in := testutil.Fixture(t, "planted/python/json-loop.perf.txt")
	dir := t.TempDir()

	out := filepath.Join(dir, "report.json")
	code, _, errOut := run(t, "", "explain", in, "-o", out)
	require.Equal(t, 0, code, errOut)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc), "report.json holds JSON")
	assert.Equal(t, "hotspot.explain/v1", doc["schema"])

	md := filepath.Join(dir, "report.md")
	code, _, errOut = run(t, "", "explain", in, "-o", md)
	require.Equal(t, 0, code, errOut)
	b, _ = os.ReadFile(md)
	assert.True(t, strings.HasPrefix(string(b), "#"), "markdown starts with a heading: %.40q", b)

	code, _, errOut = run(t, "", "explain", in, "-o", filepath.Join(dir, "r.json"), "--format", "text")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "implies json output but --format is text")

	code, _, errOut = run(t, "", "explain", in, "-o", filepath.Join(dir, "r.svg"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "implies svg output, which this command does not write")

	pb := filepath.Join(dir, "p.pb.gz")
	code, _, errOut = run(t, "", "convert", in, "-o", pb)
	require.Equal(t, 0, code, errOut)
	b, _ = os.ReadFile(pb)
	assert.Equal(t, []byte{0x1f, 0x8b}, b[:2], "gzipped pprof")

	ss := filepath.Join(dir, "p.speedscope.json")
	code, _, errOut = run(t, "", "convert", in, "-o", ss)
	require.Equal(t, 0, code, errOut)
	b, _ = os.ReadFile(ss)
	assert.Contains(t, string(b[:200]), "speedscope")

	fo := filepath.Join(dir, "p.folded")
	code, _, errOut = run(t, "", "convert", in, "-o", fo, "--to", "pprof")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "implies folded output but --to is pprof")
}

// TestIssue12OutputIntoMissingDirectory names the user's path, not the
// temporary file beside it.
func TestIssue12OutputIntoMissingDirectory(t *testing.T) {
	in := testutil.Fixture(t, "planted/python/json-loop.perf.txt")
	out := filepath.Join(t.TempDir(), "no-such-dir", "report.txt")
	code, _, errOut := run(t, "", "explain", in, "-o", out)
	assert.Equal(t, 1, code)
	assert.Equal(t, "hotspot: cannot write "+out+": directory "+filepath.Dir(out)+" does not exist\n", errOut)
	assert.NotContains(t, errOut, ".tmp-")
}

// TestIssue12ConvertIDFlags: --tid/--pid apply to py-spy input (which has
// thread ids but no process name) and are refused where there are no ids.
func TestIssue12ConvertIDFlags(t *testing.T) {
	ss := testutil.Fixture(t, "pyspy/py311-threads.speedscope.json")
	code, plain, errOut := run(t, "", "convert", ss, "--to", "folded")
	require.Equal(t, 0, code, errOut)
	code, withTID, errOut := run(t, "", "convert", ss, "--to", "folded", "--tid")
	require.Equal(t, 0, code, errOut)
	assert.NotEqual(t, plain, withTID, "--tid changes the output")
	for _, line := range strings.Split(strings.TrimSpace(withTID), "\n") {
		assert.True(t, strings.HasPrefix(line, "?-?/"), "root frame ?-?/TID: %.60q", line)
	}

	code, _, errOut = run(t, "", "convert", ss, "--to", "folded", "--pid")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--pid: this speedscope profile has no process ids or names to write")

	dh := testutil.Fixture(t, "dhat/cmalloc-heap.dhat.json")
	code, _, errOut = run(t, "", "convert", dh, "--to", "folded", "--tid")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--tid: this dhat profile has no thread ids")

	code, _, errOut = run(t, "", "convert", ss, "--to", "pprof", "--tid")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--tid applies to folded output only")
}

// TestIssue12PerfData: a perf.data recording gets a message saying what it
// is and what to run.
func TestIssue12PerfData(t *testing.T) {
	in := testutil.Fixture(t, "perf/fields.perf.data")
	code, out, errOut := run(t, "", "explain", in)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "this is a perf.data recording")
	assert.Contains(t, errOut, "perf script -i "+in+" > perf.txt")
}

// TestIssue12VersionInReportJSON: explain's and diff's JSON name the build
// that wrote them, as the views' JSON does.
func TestIssue12VersionInReportJSON(t *testing.T) {
	a := testutil.Fixture(t, "diff/crunch-repeat-a.perf.txt")
	b := testutil.Fixture(t, "diff/crunch-repeat-b.perf.txt")
	for _, args := range [][]string{{"explain", a, "--format", "json"}, {"diff", a, b, "--format", "json"}} {
		code, out, errOut := run(t, "", args...)
		require.Equal(t, 0, code, errOut)
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		v, _ := doc["version"].(string)
		assert.Contains(t, v, runtime.Version(), args[0])
	}
}
