package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runDiffMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	io := &term.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Width: 100}
	code := Main(append([]string{"diff"}, args...), io)
	return code, out.String(), errb.String()
}

func fixture(t *testing.T, rel string) string { return testutil.Fixture(t, rel) }

func TestDiffGateExitCodes(t *testing.T) {
	batch := fixture(t, "planted/pyo3/ffi-batch-control.perf.txt")
	perItem := fixture(t, "planted/pyo3/ffi-per-item.perf.txt")
	// Swapped pair: batching undone is a regression, exit 3, report still written.
	code, out, errs := runDiffMain(t, batch, perItem, "--fail-on-regression", "2")
	assert.Equal(t, 3, code, errs)
	assert.Contains(t, out, "REGRESSION")
	assert.Contains(t, errs, "hotspot: regression: ")
	// The right way round, the per-item Python loop's share does not rise.
	code, out, errs = runDiffMain(t, perItem, batch, "--fail-on-regression", "2", "--category", "python", "--format", "json")
	assert.Equal(t, 0, code, errs)
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "hotspot.diff/v1", r["schema"])
	assert.Equal(t, false, r["regression"])
	// The same workload twice passes the gate.
	code, _, errs = runDiffMain(t, fixture(t, "diff/crunch-repeat-a.perf.txt"), fixture(t, "diff/crunch-repeat-b.perf.txt"), "--fail-on-regression", "1")
	assert.Equal(t, 0, code, errs)
}

func TestDiffJSONKeys(t *testing.T) {
	code, out, errs := runDiffMain(t, "--format", "json",
		"--before", fixture(t, "diff/crunch-repeat-a.perf.txt"), "--before", fixture(t, "diff/crunch-repeat-b.perf.txt"),
		"--after", fixture(t, "diff/crunch-native.perf.txt"))
	require.Equal(t, 0, code, errs)
	dec := json.NewDecoder(strings.NewReader(out))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	assert.Equal(t, []string{"schema", "before", "after", "normalization", "comparable", "categories", "functions", "findings", "regression"}, keys[:9])
	var r struct {
		Categories []map[string]any `json:"categories"`
		Functions  []map[string]any `json:"functions"`
		Findings   map[string]any   `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	for _, k := range []string{"name", "before_share", "after_share", "delta", "interval", "significant"} {
		assert.Contains(t, r.Categories[0], k)
	}
	for _, k := range []string{"function", "file", "before_share", "after_share", "delta", "interval", "significant"} {
		assert.Contains(t, r.Functions[0], k)
	}
	for _, k := range []string{"resolved", "new", "persisting"} {
		assert.Contains(t, r.Findings, k)
	}
}

func TestDiffUsageAndErrors(t *testing.T) {
	a := fixture(t, "diff/crunch-repeat-a.perf.txt")
	dhat := fixture(t, "planted/rust/rustalloc-clones.dhat.json")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"one side", []string{a}, 2, "hotspot: diff needs two profiles: BEFORE AFTER\n"},
		{"no sides", nil, 2, "hotspot: diff needs a profile on each side: BEFORE AFTER, or --before FILE --after FILE\n"},
		{"bad format", []string{a, a, "--format", "pdf"}, 2, "hotspot: --format: unknown format \"pdf\" (want text, markdown, json or html)\n"},
		{"category alone", []string{a, a, "--category", "ffi"}, 2, "hotspot: --category limits --fail-on-regression: give both\n"},
		{"bytes against time", []string{dhat, a}, 1, "hotspot: cannot compare " + dhat + " (alloc_space, bytes) with " + a + " (cpu-clock, nanoseconds): one measures bytes, the other time\n"},
		{"extension disagrees", []string{a, a, "-o", filepath.Join(t.TempDir(), "r.md"), "--format", "json"}, 2, "hotspot: -o "},
		{"missing file", []string{a, filepath.Join(t.TempDir(), "nope.txt")}, 1, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runDiffMain(t, tc.args...)
			assert.Equal(t, tc.code, code)
			if strings.HasSuffix(tc.msg, "\n") {
				assert.True(t, strings.HasPrefix(errs, tc.msg), "%q", errs)
			} else {
				assert.Contains(t, errs, tc.msg)
			}
		})
	}
}

func TestDiffOutputExtension(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pr.md")
	code, _, errs := runDiffMain(t, fixture(t, "diff/crunch-repeat-a.perf.txt"), fixture(t, "diff/crunch-repeat-b.perf.txt"), "-o", out)
	require.Equal(t, 0, code, errs)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "## hotspot diff\n"))
}

func TestDiffDeterministic(t *testing.T) {
	args := []string{fixture(t, "planted/pyo3/ffi-per-item.perf.txt"), fixture(t, "planted/pyo3/ffi-batch-control.perf.txt")}
	for _, f := range []string{"text", "markdown", "json"} {
		_, first, _ := runDiffMain(t, append(args, "--format", f)...)
		_, second, _ := runDiffMain(t, append(args, "--format", f)...)
		assert.Equal(t, first, second, f)
	}
}
