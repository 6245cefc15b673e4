package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run calls Main as the shell would and returns exit code, stdout, stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	io, out, errb := term.Test(stdin)
	code := Main(args, io)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no --to", []string{"convert", "x"}, "hotspot: --to is required: pprof, folded or speedscope (or an -o name ending in a known extension)"},
		{"bad --to", []string{"convert", "x", "--to", "svg"}, `hotspot: --to: unknown format "svg" (want pprof, folded or speedscope)`},
		{"bad --format", []string{"explain", "x", "--format", "pdf"}, `hotspot: --format: unknown format "pdf" (want text, markdown, json or html)`},
		{"bad --from", []string{"explain", "x", "--from", "xml"}, `hotspot: unknown --from format "xml" (want one of speedscope, dhat, perf, folded, pprof)`},
		{"bad regexp", []string{"explain", "x", "--focus", "("}, "hotspot: --focus: error parsing regexp: missing closing ): `(`"},
		{"no args", []string{"explain"}, "hotspot: requires at least 1 arg(s), only received 0"},
		{"unknown flag", []string{"explain", "x", "--nope"}, "hotspot: unknown flag: --nope"},
		{"--source not a directory", []string{"explain", "x", "--source", "/nonexistent/src"}, "hotspot: --source /nonexistent/src: not a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, "", tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, tc.want, strings.SplitN(errOut, "\n", 2)[0])
		})
	}
}

func TestErrorsAreOneLineExit1(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.bin")
	require.NoError(t, os.WriteFile(garbage, []byte("\x00\x01\x02 this is not a profile \xff\xfe"), 0o644))
	truncated := filepath.Join(dir, "trunc.pb.gz")
	gz, err := os.ReadFile(testutil.Fixture(t, "pprof/gobench-cpu.pb.gz"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(truncated, gz[:len(gz)/2], 0o644))

	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "nope.txt"), "no such file or directory"},
		{"garbage", garbage, "garbage.bin: unrecognized profile format"},
		{"truncated gzip", truncated, "trunc.pb.gz"},
		{"directory", dir, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, "", "explain", tc.path)
			assert.Equal(t, 1, code)
			assert.Empty(t, out, "nothing on stdout when a command fails")
			assert.True(t, strings.HasPrefix(errOut, "hotspot: "), errOut)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
			assert.Contains(t, errOut, tc.want)
		})
	}
}

func TestExplainEmptyProfileIsAnError(t *testing.T) {
	code, _, errOut := run(t, "", "explain", "--from", "folded", "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no samples")
}

func TestConvertEmptyInputGivesEmptyOutput(t *testing.T) {
	code, out, errOut := run(t, "", "convert", "--from", "perf", "-", "--to", "folded")
	assert.Equal(t, 0, code, errOut)
	assert.Empty(t, out)
}

func TestConvertFoldedRoundTripThroughPprof(t *testing.T) {
	in := testutil.Fixture(t, "folded/py312-xperf-threads-dwarf.folded")
	dir := t.TempDir()
	pb := filepath.Join(dir, "out.pb.gz")
	code, _, errOut := run(t, "", "convert", in, "--to", "pprof", "-o", pb)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := run(t, "", "convert", pb, "--to", "folded")
	require.Equal(t, 0, code, errOut)
	want, err := os.ReadFile(in)
	require.NoError(t, err)
	assert.Equal(t, canonicalFolded(t, string(want)), out)
}

// canonicalFolded reads folded text and writes it back sorted and merged.
func canonicalFolded(t *testing.T, text string) string {
	p, err := folded.Read(strings.NewReader(text), "want", profile.ReadOptions{})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, profile.WriteFolded(&b, p, profile.FoldedOptions{Value: -1}))
	return b.String()
}

func TestConvertRefusesToOverwriteItsInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "p.folded")
	require.NoError(t, os.WriteFile(in, []byte("a;b 3\n"), 0o644))
	code, _, errOut := run(t, "", "convert", in, "--to", "folded", "-o", in)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "refusing to write")
	got, _ := os.ReadFile(in)
	assert.Equal(t, "a;b 3\n", string(got), "input untouched")
}

func TestFailedRunLeavesNoOutputFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.md")
	code, _, _ := run(t, "", "explain", "--from", "folded", "-", "-o", out)
	assert.Equal(t, 1, code)
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no report file after a failed run")
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "no temporary files left behind")
}

func TestExplainJSONContractAndDeterminism(t *testing.T) {
	in := testutil.Fixture(t, "planted/python/json-loop.perf.txt")
	code, out1, errOut := run(t, "", "explain", in, "--format", "json")
	require.Equal(t, 0, code, errOut)
	_, out2, _ := run(t, "", "explain", in, "--format", "json")
	assert.Equal(t, out1, out2, "same input, same bytes")
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out1), &doc))
	assert.Equal(t, "hotspot.explain/v1", doc["schema"])
	for _, k := range []string{"input", "sample_type", "total", "categories", "hotspots", "findings", "warnings"} {
		assert.Contains(t, doc, k)
	}
}

func TestExplainWritesEachFormat(t *testing.T) {
	in := testutil.Fixture(t, "planted/python/json-loop.perf.txt")
	for _, f := range []string{"text", "markdown", "json"} {
		t.Run(f, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r."+f)
			code, stdout, errOut := run(t, "", "explain", in, "--format", f, "-o", out)
			require.Equal(t, 0, code, errOut)
			assert.Empty(t, stdout)
			b, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.NotEmpty(t, b)
		})
	}
}

func TestHints(t *testing.T) {
	code, out, errOut := run(t, "", "hints")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "batch-ffi-calls")
	code, out, errOut = run(t, "", "hints", "release-gil")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "allow_threads")
	code, _, errOut = run(t, "", "hints", "no-such-hint")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no hint "no-such-hint"`)
}

func TestConvertEventPicksStacks(t *testing.T) {
	in := testutil.Fixture(t, "planted/python/gil-threads-offcpu.perf.txt")
	code, _, errOut := run(t, "", "convert", in, "--to", "folded", "--event", "no-such-event")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no-such-event")
}

func TestSpoolSpillsToDiskAndKeepsOrder(t *testing.T) {
	var out bytes.Buffer
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	err := writeOutput(&out, "", nil, func(w io.Writer) error {
		for i := 0; i < 40; i++ {
			chunk[0] = byte('A' + i)
			if _, err := w.Write(chunk); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 40<<20, out.Len())
	for i := 0; i < 40; i++ {
		assert.Equal(t, byte('A'+i), out.Bytes()[i<<20])
	}
}

func TestFailedRenderWritesNothingToStdout(t *testing.T) {
	var out bytes.Buffer
	err := writeOutput(&out, "", nil, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 40<<20))
		return errors.New("boom")
	})
	assert.EqualError(t, err, "boom")
	assert.Zero(t, out.Len())
}
