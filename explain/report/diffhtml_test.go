package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/diff"
)

func TestIssue9DiffHTML(t *testing.T) {
	iv := [2]float64{0.05, 0.15}
	evil := "<img src=x onerror=alert(1)>"
	r := &diff.Report{
		Schema:     diff.Schema,
		Before:     diff.Side{Paths: []string{"before.perf.txt"}, Format: "perf", SampleType: diff.SampleType{Name: "cpu-clock", Unit: "nanoseconds"}, Total: 2e9, Samples: 400},
		After:      diff.Side{Paths: []string{"after</script>.perf.txt"}, Format: "perf", SampleType: diff.SampleType{Name: "cpu-clock", Unit: "nanoseconds"}, Total: 2e9, Samples: 400},
		Categories: []diff.Row{{Name: "ffi", BeforeShare: 0.4, AfterShare: 0.1, Delta: -0.3, Interval: &iv, Significant: true}},
		Functions: []diff.Row{
			{Function: evil, File: "a|b`c", BeforeShare: 0.1, AfterShare: 0.2, Delta: 0.1, Interval: &iv, Significant: true},
			{Function: "score_one", BeforeShare: 0.3, AfterShare: 0.1, Delta: -0.2, Significant: true},
			{Function: "steady", BeforeShare: 0.2, AfterShare: 0.21, Delta: 0.01},
		},
		Hotspots: diff.Hotspots{Appeared: []diff.Row{{Function: "new\x1b[31m", AfterShare: 0.05}}},
		Findings: diff.Findings{Compared: true, Resolved: []diff.FindingDiff{{Hint: "batch-ffi-calls", Title: "Cross once per batch", BeforeShare: 0.4}}},
		Noise:    diff.NoiseInfo{Method: diff.Binomial, Interval: "95% Newcombe-Wilson"},
		Warnings: []string{"note `with code`"},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteDiffHTML(&buf, r, nil))
	out := buf.String()
	for _, tag := range htmlTags(out) {
		assert.True(t, ourTags[tag], "unexpected <%s>", tag)
	}
	assert.NotContains(t, out, "<img")
	assert.NotContains(t, out, "</script>.perf")
	assert.NotContains(t, out, "\x1b")
	assert.Contains(t, out, "&lt;img src=x onerror=alert(1)&gt;")
	assert.Contains(t, out, `new\x1b[31m`)
	assert.Contains(t, out, "Most grown: &lt;img src=x onerror=alert(1)&gt; (a|b`c) +10.0 points; most shrunk: score_one -20.0 points.")
	// Ranked tables: what grew, then what shrank; noise left out of both.
	worse, better := strings.Index(out, `id="worse"`), strings.Index(out, `id="better"`)
	require.Positive(t, worse)
	assert.Less(t, worse, better)
	assert.NotContains(t, out, "<code>steady</code>")
	assert.Contains(t, out, "<code>with code</code>")
	assert.Contains(t, out, "+5.0 … +15.0")
}
