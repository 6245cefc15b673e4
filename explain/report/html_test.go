package report

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/flamegraph"
	"github.com/hotspot-dev/hotspot/profile"
)

// ourTags are the only elements the HTML report writes.
var ourTags = set("html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "section", "dl", "dt", "dd",
	"details", "summary", "span", "code", "pre", "table", "tr", "th", "td", "ul", "ol", "li", "b", "button", "div",
	"select", "input", "i", "script")

func htmlTags(out string) []string {
	var tags []string
	for _, m := range regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)`).FindAllStringSubmatch(out, -1) {
		tags = append(tags, strings.ToLower(m[1]))
	}
	return tags
}

// TestIssue9HostileHTML: names, paths and prose from a profile render as
// text; the page has no element but its own and only its own scripts.
func TestIssue9HostileHTML(t *testing.T) {
	rep := hostileReport()
	rep.Hotspots = append(rep.Hotspots, explain.Hotspot{Function: "<img src=x onerror=alert(1)>", File: "a\"b'c`d|e", Kind: "native", Self: 1})
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	require.NoError(t, b.AddFrames([]profile.Frame{{Name: "<img src=x onerror=alert(1)>"}, {Name: "</script><script>alert(1)</script>"}}, profile.Labels{}, 1, 1))
	g := flamegraph.Build(b.Profile(), flamegraph.Options{Value: -1})
	out := string(renderReport(t, rep, Options{Format: HTML, Flame: g}))
	for _, tag := range htmlTags(out) {
		assert.True(t, ourTags[tag], "unexpected <%s>", tag)
	}
	assert.Equal(t, 2, strings.Count(out, "<script"), "the graph's data and code, nothing else")
	assert.NotContains(t, out, "<img")
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\u202e")
	assert.Contains(t, out, "&lt;img src=x onerror=alert(1)&gt;")
	assert.Contains(t, out, `a&#34;b&#39;c`+"`"+`d|e`)
	assert.Contains(t, out, "Content-Security-Policy", "the page may fetch nothing")
	assert.NotRegexp(t, `(?i)(src|href)\s*=\s*["']?(https?:|//)`, out, "no external resource")
}

func TestHTMLSections(t *testing.T) {
	out := string(renderReport(t, perItemReport(), Options{Format: HTML}))
	for _, want := range []string{`id="summary"`, `id="findings"`, `id="categories"`, `id="hotspots"`, `id="quality"`, `id="notes"`,
		"Cross the Python/native boundary once per batch", "No flame graph in this report."} {
		assert.Contains(t, out, want)
	}
	// Summary, then ranked findings, then the flame graph, then details.
	assert.Less(t, strings.Index(out, `id="summary"`), strings.Index(out, `id="findings"`))
	assert.Less(t, strings.Index(out, `id="findings"`), strings.Index(out, `id="flame"`))
	assert.Less(t, strings.Index(out, `id="flame"`), strings.Index(out, `id="hotspots"`))
	assert.Contains(t, out, "<code>perf record -F 999 -g -- python -X perf bench/per_item.py</code>", "commands in prose are code")
}
