package cli

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// flameTotal is the total of the first tree of the flame graph data an
// HTML report embeds.
func flameTotal(t *testing.T, page string) int64 {
	t.Helper()
	const open = `<script type="application/json" id="fg-data">`
	i := strings.Index(page, open)
	require.GreaterOrEqual(t, i, 0, "no flame graph data in the page")
	rest := page[i+len(open):]
	var d struct {
		Trees []struct {
			Total int64 `json:"total"`
		} `json:"trees"`
	}
	require.NoError(t, json.Unmarshal([]byte(rest[:strings.Index(rest, "</script>")]), &d))
	require.NotEmpty(t, d.Trees)
	return d.Trees[0].Total
}

// foldedSum adds the counts of a folded file's lines that keep says yes to:
// the expected totals, counted from the file itself.
func foldedSum(t *testing.T, path string, keep func(line string) bool) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var sum int64
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sp := strings.LastIndexByte(l, ' ')
		n, err := strconv.ParseInt(l[sp+1:], 10, 64)
		require.NoError(t, err, l)
		if keep(l[:sp]) {
			sum += n
		}
	}
	return sum
}

// TestIssue9HTMLFilters: the HTML report's flame graph draws the samples
// --focus, --ignore and --thread keep, as the text report counts them.
func TestIssue9HTMLFilters(t *testing.T) {
	path := testutil.Fixture(t, "pyspy/py313-threads-idle-tid.raw.txt")
	tests := []struct {
		name string
		args []string
		keep func(stack string) bool
	}{
		{"none", nil, func(string) bool { return true }},
		{"thread", []string{"--thread", "^fibber$"}, func(s string) bool { return strings.HasPrefix(s, "thread (15289): fibber;") }},
		{"focus", []string{"--focus", "^fib_worker$"}, func(s string) bool { return strings.Contains(s, ";fib_worker (") }},
		{"ignore", []string{"--ignore", "^fib$"}, func(s string) bool { return !strings.Contains(s, ";fib (") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := foldedSum(t, path, tc.keep)
			require.Positive(t, want)
			code, page, errOut := run(t, "", append([]string{"explain", path, "--format", "html"}, tc.args...)...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, want, flameTotal(t, page), "explain's flame graph")

			code, page, errOut = run(t, "", append([]string{"diff", path, path, "--format", "html"}, tc.args...)...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, want, flameTotal(t, page), "diff's flame graph")

			code, js, errOut := run(t, "", append([]string{"explain", path, "--format", "json"}, tc.args...)...)
			require.Equal(t, 0, code, errOut)
			var rep struct{ Total int64 }
			require.NoError(t, json.Unmarshal([]byte(js), &rep))
			assert.Equal(t, want, rep.Total, "explain's own total")
		})
	}
}
