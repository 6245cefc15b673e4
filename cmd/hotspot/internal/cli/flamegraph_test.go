package cli

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// xmlFrames checks that s is well-formed XML and counts its <title>s.
func xmlFrames(t *testing.T, s string) int {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return n
		}
		require.NoError(t, err)
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "title" {
			n++
		}
	}
}

func TestFlamegraphSVG(t *testing.T) {
	in := testutil.Fixture(t, "planted/python/json-loop.perf.txt")
	code, out, errOut := run(t, "", "flamegraph", in)
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, "<?xml"), "SVG by default")
	assert.Greater(t, xmlFrames(t, out), 10)
	assert.NotContains(t, out, "<script", "a standalone SVG carries no script")

	file := filepath.Join(t.TempDir(), "flame.html")
	code, _, errOut = run(t, "", "flamegraph", in, "-o", file)
	require.Equal(t, 0, code, errOut)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(b), `id="fg-data"`, "an -o ending in .html writes the page")
}

func TestFlamegraphUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"flamegraph", "x", "--format", "png"}, `hotspot: unknown --format "png" (want svg or html)`},
		{[]string{"flamegraph", "x", "--palette", "mono"}, `hotspot: unknown --palette "mono" (want hot or category)`},
	} {
		code, _, errOut := run(t, "", tc.args...)
		assert.Equal(t, 2, code)
		assert.Equal(t, tc.want, strings.SplitN(errOut, "\n", 2)[0])
	}
}

// TestIssue9EveryFixture: every report format of explain, and both
// flame graph formats, work on every shared recording.
func TestIssue9EveryFixture(t *testing.T) {
	root := testutil.Shared(t, "fixtures")
	var inputs []string
	for _, dir := range []string{"perf", "pyspy", "dhat", "folded", "pprof"} {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		require.NoError(t, err)
		for _, e := range entries {
			if !e.IsDir() {
				inputs = append(inputs, filepath.Join(root, dir, e.Name()))
			}
		}
	}
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			for _, f := range []string{"text", "markdown", "json", "html"} {
				code, out, errOut := run(t, "", "explain", in, "--format", f)
				require.Equal(t, 0, code, "%s: %s", f, errOut)
				assert.NotEmpty(t, out)
				if f == "html" {
					assert.Contains(t, out, `id="fg-data"`, "the report has its flame graph")
				}
			}
			code, out, errOut := run(t, "", "flamegraph", in)
			require.Equal(t, 0, code, errOut)
			assert.Positive(t, xmlFrames(t, out))
		})
	}
}

func TestDiffHTML(t *testing.T) {
	before := testutil.Fixture(t, "planted/pyo3/ffi-per-item.perf.txt")
	after := testutil.Fixture(t, "planted/pyo3/ffi-batch-control.perf.txt")
	code, out, errOut := run(t, "", "diff", before, after, "--format", "html")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "<h1>hotspot diff</h1>")
	assert.Contains(t, out, `"diff":true`, "the differential flame graph's data")
	// Several runs a side: the tables, without a flame graph.
	code, out, errOut = run(t, "", "diff", "--before", before, "--before", before, "--after", after, "--format", "html")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "it needs one profile on each side")
}
