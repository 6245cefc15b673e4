package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/internal/testutil"
)

var reports = []struct {
	name string
	rep  func() *explain.Report
}{
	{"per-item", perItemReport},
	{"flat", flatReport},
	{"hostile", hostileReport},
	{"empty", func() *explain.Report { return &explain.Report{} }},
}

var extensions = map[Format]string{Text: "txt", Markdown: "md", JSON: "json", HTML: "html"}

func renderReport(t *testing.T, rep *explain.Report, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, rep, opt))
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, r := range reports {
		for _, f := range Formats() {
			t.Run(r.name+"/"+string(f), func(t *testing.T) {
				got := renderReport(t, r.rep(), Options{Format: f})
				testutil.Golden(t, filepath.Join("testdata", r.name+"."+extensions[f]), got)
			})
		}
	}
	// Colour and a narrow terminal change only the text layout.
	t.Run("per-item/text-color", func(t *testing.T) {
		got := renderReport(t, perItemReport(), Options{Format: Text, Color: true})
		testutil.Golden(t, filepath.Join("testdata", "per-item.color.txt"), got)
	})
	t.Run("per-item/text-narrow", func(t *testing.T) {
		got := renderReport(t, perItemReport(), Options{Format: Text, Width: 60})
		testutil.Golden(t, filepath.Join("testdata", "per-item.narrow.txt"), got)
	})
}

func TestDefaultFormatIsText(t *testing.T) {
	assert.Equal(t, renderReport(t, perItemReport(), Options{Format: Text}), renderReport(t, perItemReport(), Options{}))
}

func TestUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, perItemReport(), Options{Format: "pdf"})
	require.Error(t, err)
	assert.Equal(t, `unknown format: "pdf"`, err.Error())
	assert.Empty(t, buf.Bytes(), "nothing is written for a bad format")

	c := catalogue(t)
	assert.EqualError(t, WriteHints(&buf, c, Options{Format: "x"}), `unknown format: "x"`)
	h, _ := c.Lookup("batch-ffi-calls")
	assert.EqualError(t, WriteHint(&buf, h, c, Options{Format: "yaml"}), `unknown format: "yaml"`)
}

func TestNil(t *testing.T) {
	var buf bytes.Buffer
	assert.EqualError(t, Write(&buf, nil, Options{}), "report: nothing to render (nil)")
	assert.EqualError(t, WriteHints(&buf, nil, Options{}), "report: nothing to render (nil)")
}

func TestDeterministic(t *testing.T) {
	for _, r := range reports {
		for _, f := range Formats() {
			first := renderReport(t, r.rep(), Options{Format: f, Color: true})
			for range 3 {
				assert.Equal(t, first, renderReport(t, r.rep(), Options{Format: f, Color: true}), "%s/%s", r.name, f)
			}
		}
	}
}

func TestWriteDoesNotModifyReport(t *testing.T) {
	rep := &explain.Report{Findings: []explain.Finding{{Hint: "x"}}}
	renderReport(t, rep, Options{Format: JSON})
	assert.Nil(t, rep.Categories)
	assert.Nil(t, rep.Quality.CanSee)
	assert.Nil(t, rep.Findings[0].Functions)
	assert.Empty(t, rep.Schema)
}

// TestJSONNoNullAnywhere checks every slice at every depth, so that a field
// the engine adds later cannot encode as null either.
func TestJSONNoNullAnywhere(t *testing.T) {
	rep := &explain.Report{
		Findings:  []explain.Finding{{Hint: "x"}},
		Crossings: explain.Crossings{Entries: []explain.NativeEntry{{Function: "f"}}},
	}
	out := renderReport(t, rep, Options{Format: JSON})
	assert.NotContains(t, string(out), "null")
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	for _, f := range Formats() {
		assert.EqualError(t, Write(failingWriter{}, perItemReport(), Options{Format: f}), "disk full", string(f))
	}
}

// TestJSONRoundTrip decodes the output back into a Report: nothing is lost.
func TestJSONRoundTrip(t *testing.T) {
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			out := renderReport(t, r.rep(), Options{Format: JSON})
			var back explain.Report
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&back))
			want := normalise(r.rep())
			for i := range want.Hotspots { // JSON carries text: invalid UTF-8 becomes U+FFFD
				want.Hotspots[i].Function = strings.ToValidUTF8(want.Hotspots[i].Function, "\uFFFD")
			}
			assert.Equal(t, want, &back)
			assert.True(t, bytes.HasSuffix(out, []byte("}\n")), "trailing newline")
			assert.False(t, bytes.HasSuffix(out, []byte("\n\n")))
			assert.True(t, bytes.HasPrefix(out, []byte("{\n  \"schema\": \"hotspot.explain/v1\",\n")), "two-space indent, schema first")
		})
	}
}

func TestJSONNeverNull(t *testing.T) {
	out := renderReport(t, &explain.Report{}, Options{Format: JSON})
	assert.NotContains(t, string(out), "null")
	for _, key := range []string{"categories", "hotspots", "findings", "warnings", "hot_path", "measurement_plan", "can_see", "cannot_see"} {
		assert.Contains(t, string(out), `"`+key+`": []`, key)
	}
}

// TestJSONContractOrder walks the tokens and checks the keys the README
// documents, in order, at each level.
func TestJSONContractOrder(t *testing.T) {
	out := renderReport(t, perItemReport(), Options{Format: JSON})
	var top orderedObject
	require.NoError(t, json.Unmarshal(out, &top))
	assert.Equal(t, []string{"schema", "input", "sample_type", "total", "categories", "hotspots", "findings", "warnings"}, top.keys[:8])

	sub := func(key string) json.RawMessage { return top.values[key] }
	assertKeys(t, sub("input"), "path", "format", "recording")
	assertKeys(t, sub("sample_type"), "name", "unit")

	var arrays map[string][]orderedObject = map[string][]orderedObject{}
	for _, k := range []string{"categories", "hotspots", "findings"} {
		var objs []orderedObject
		require.NoError(t, json.Unmarshal(sub(k), &objs))
		require.NotEmpty(t, objs, k)
		arrays[k] = objs
	}
	for _, o := range arrays["categories"] {
		assert.Equal(t, []string{"name", "value", "share"}, o.keys)
	}
	for _, o := range arrays["hotspots"] {
		assert.Equal(t, []string{"function", "file", "kind", "self", "self_share", "total", "total_share", "category"}, o.keys)
	}
	for _, o := range arrays["findings"] {
		assert.Equal(t, []string{"hint", "category", "share", "severity", "evidence", "fix", "expected_impact"}, o.keys[:7])
	}
	// Shares are fractions, not percentages.
	assert.Contains(t, string(out), `"share": 0.4109`)
}

func assertKeys(t *testing.T, raw json.RawMessage, want ...string) {
	t.Helper()
	var o orderedObject
	require.NoError(t, json.Unmarshal(raw, &o))
	require.GreaterOrEqual(t, len(o.keys), len(want))
	assert.Equal(t, want, o.keys[:len(want)])
}

// orderedObject records an object's keys in the order they appear.
type orderedObject struct {
	keys   []string
	values map[string]json.RawMessage
}

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	o.values = map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		o.keys = append(o.keys, key)
		o.values[key] = v
	}
	return nil
}

// sgr matches the only escape sequences the text renderer may write.
var sgr = regexp.MustCompile(`\x1b\[(0|1|2|33|36|1;31)m`)

func TestHostileText(t *testing.T) {
	for _, color := range []bool{false, true} {
		out := string(renderReport(t, hostileReport(), Options{Format: Text, Color: color}))
		rest := sgr.ReplaceAllString(out, "")
		assert.NotContains(t, rest, "\x1b", "no escape sequence from a symbol reaches the terminal (color=%v)", color)
		assert.NotContains(t, rest, "\x07")
		assert.NotContains(t, rest, "\u202e", "bidi override escaped")
		assert.NotContains(t, rest, "\u009b", "8-bit CSI escaped")
		assert.NotContains(t, rest, "\r")
		assert.Contains(t, rest, `evil\x1b[2J\x1b]0;pwned\x07|<script>`, "escaped, visibly")
		assert.Contains(t, rest, `bidi\u202egnp.exe\u009b31m\xff`)
		if !color {
			assert.NotContains(t, out, "\x1b")
		}
	}
}

func TestHostileMarkdown(t *testing.T) {
	out := string(renderReport(t, hostileReport(), Options{Format: Markdown}))
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\u202e")
	// Code blocks and spans show text literally; outside them no HTML from
	// the profile survives.
	out = stripCodeSpans(stripFences(out))
	assert.NotContains(t, out, "<script")
	assert.NotContains(t, out, "<b>")
	assert.NotContains(t, out, "<i>")
	// Only our own tags survive.
	tags := regexp.MustCompile(`<[^>]*>`).FindAllString(out, -1)
	for _, tag := range tags {
		assert.Contains(t, []string{"<details>", "</details>", "<summary>", "</summary>"}, tag)
	}
	// Every table row has as many unescaped cell separators as its header.
	var cols int
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1))
		if cols == 0 {
			cols = n
		}
		assert.Equal(t, cols, n, "row %q", line)
	}

	// <summary> text is HTML-escaped.
	assert.Contains(t, out, "<summary>1. [high] Title with &lt;b&gt;html&lt;/b&gt; &amp; | pipe")
}

func TestMarkdownFence(t *testing.T) {
	out := string(renderReport(t, hostileReport(), Options{Format: Markdown}))
	// A sketch holding ``` gets a longer fence, and the info string stays one word.
	assert.Contains(t, out, "````rustx\nlet a = \"```\";")
	// A command from the profile cannot span lines.
	assert.Contains(t, out, "```sh\nperf record -- 'evil\\x1b[2J")
}

func TestHostileJSON(t *testing.T) {
	out := renderReport(t, hostileReport(), Options{Format: JSON})
	assert.NotContains(t, string(out), "\x1b", "JSON escapes control characters")
	assert.NotContains(t, string(out), "<script>", "JSON escapes < and > for HTML contexts")
	var back explain.Report
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, hostileReport().Hotspots[0].Function, back.Hotspots[0].Function, "JSON keeps the name exact")
}

// stripCodeSpans drops inline code spans (a run of backticks closed by a run
// of the same length), as a Markdown renderer shows them: literally.
func stripCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' || (i > 0 && s[i-1] == '\\') {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		end := strings.Index(s[j:], s[i:j])
		if end < 0 || strings.Contains(s[j:j+end], "\n") {
			b.WriteString(s[i:j])
			i = j
			continue
		}
		b.WriteString("CODE")
		i = j + end + (j - i)
	}
	return b.String()
}

// stripFences drops fenced code blocks (a fence closes only with the same run
// of backticks).
func stripFences(s string) string {
	var b strings.Builder
	open := ""
	for _, line := range strings.Split(s, "\n") {
		switch {
		case open == "" && strings.HasPrefix(line, "```"):
			open = line[:len(line)-len(strings.TrimLeft(line, "`"))]
		case open != "" && line == open:
			open = ""
		case open == "":
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}
