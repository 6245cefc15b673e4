package flamegraph

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/internal/quantity"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/ingest"
)

// build makes a profile from root-first stacks of plain native frames.
func build(t testing.TB, stacks map[string]int64, labels ...profile.Labels) *profile.Profile {
	t.Helper()
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	keys := make([]string, 0, len(stacks))
	for k := range stacks {
		keys = append(keys, k)
	}
	sort.Strings(keys) // so the profile is the same every run
	for i, k := range keys {
		var fs []profile.Frame
		for _, name := range strings.Split(k, ";") {
			fs = append(fs, profile.Frame{Name: name, Kind: profile.KindNative})
		}
		var l profile.Labels
		if len(labels) > 0 {
			l = labels[i%len(labels)]
		}
		require.NoError(t, b.AddFrames(fs, l, stacks[k], stacks[k]))
	}
	p := b.Profile()
	require.NoError(t, p.Validate())
	return p
}

func names(g *Graph, t Tree) []string {
	var out []string
	for _, n := range t.Nodes {
		out = append(out, strings.Repeat(" ", int(n.Depth))+g.Names[n.Name]+" "+strconv.FormatInt(n.Total, 10))
	}
	return out
}

func TestBuildPreOrder(t *testing.T) {
	p := build(t, map[string]int64{"main;b;c": 5, "main;a": 3, "main;b": 2, "other": 1})
	g := Build(p, Options{Value: -1})
	require.Len(t, g.Trees, 1)
	assert.Equal(t, int64(11), g.Trees[0].Total)
	assert.Equal(t, []string{"main 10", " a 3", " b 7", "  c 5", "other 1"}, names(g, g.Trees[0]))
	assert.Equal(t, int64(2), g.Trees[0].Nodes[2].Self, "b's self")
}

// TestBuildMergesThinFrames: 1,000 frames of one sample each under a
// frame of a million are merged into one box, not drawn one by one.
func TestBuildMergesThinFrames(t *testing.T) {
	stacks := map[string]int64{"main;work": 1_000_000}
	for i := range 1000 {
		stacks["main;tiny"+strconv.Itoa(i)] = 1
	}
	p := build(t, stacks)
	g := Build(p, Options{Value: -1, MinShare: 0.0005})
	assert.Equal(t, []string{"main 1001000", " work 1000000", " (1000 small frames) 1000"}, names(g, g.Trees[0]))
	m := g.Trees[0].Nodes[2]
	assert.Equal(t, int32(1000), m.Merged)
	// Thinner still than the threshold together: dropped, the parent keeps their width.
	g = Build(p, Options{Value: -1, MinShare: 0.01})
	assert.Equal(t, []string{"main 1001000", " work 1000000"}, names(g, g.Trees[0]))
}

// TestBuildMergesLines: py-spy records a frame per line; one function under
// one parent is one box.
func TestBuildMergesLines(t *testing.T) {
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	for line, n := range map[int64]int64{10: 3, 12: 4} {
		require.NoError(t, b.AddFrames([]profile.Frame{{Name: "main", File: "app.py", Line: 1, Kind: profile.KindPython},
			{Name: "loop", File: "app.py", Line: line, Kind: profile.KindPython}}, profile.Labels{}, n, n))
	}
	g := Build(b.Profile(), Options{Value: -1})
	assert.Equal(t, []string{"main 7", " loop 7"}, names(g, g.Trees[0]))
	assert.Equal(t, "app.py", g.Names[g.Trees[0].Nodes[1].File], "lines differ: the file alone")
	assert.Equal(t, "app.py:1", g.Names[g.Trees[0].Nodes[0].File])
}

func TestBuildThreads(t *testing.T) {
	p := build(t, map[string]int64{"main;a": 6, "main;b": 3, "main;c": 1},
		profile.Labels{Thread: "worker", TID: 2, HasTID: true}, profile.Labels{Thread: "MainThread", TID: 1, HasTID: true}, profile.Labels{Thread: "worker", TID: 2, HasTID: true})
	g := Build(p, Options{Value: -1, Threads: true})
	require.Len(t, g.Trees, 3)
	assert.Equal(t, "worker (tid 2)", g.Trees[1].Label, "busiest first")
	assert.Equal(t, int64(7), g.Trees[1].Total)
	assert.Equal(t, []string{"main 7", " a 6", " c 1"}, names(g, g.Trees[1]))
	assert.Equal(t, []string{"main 3", " b 3"}, names(g, g.Trees[2]))
}

// svgFrames parses an SVG (failing on malformed XML) and returns its frame
// titles and rectangle widths.
func svgFrames(t *testing.T, svg []byte) (titles []string, widths []float64) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	inTitle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is well-formed XML")
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "title":
				inTitle = true
				titles = append(titles, "")
			case "rect":
				for _, a := range e.Attr {
					if a.Name.Local == "width" && inFrames(titles) {
						f, err := strconv.ParseFloat(a.Value, 64)
						require.NoError(t, err)
						widths = append(widths, f)
					}
				}
			case "script", "foreignObject", "a", "image", "use":
				t.Errorf("unexpected <%s> element", e.Name.Local)
			}
		case xml.CharData:
			if inTitle {
				titles[len(titles)-1] += string(e)
			}
		case xml.EndElement:
			if e.Name.Local == "title" {
				inTitle = false
			}
		}
	}
	return titles, widths
}

func inFrames(titles []string) bool { return len(titles) > 0 }

// TestSVGFolded draws a real folded recording and checks the root boxes
// against an independent sum of the file's counts.
func TestSVGFolded(t *testing.T) {
	path := testutil.Shared(t, "fixtures/folded/py311-pyo3-dwarf.folded")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var want int64
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		l := sc.Text()
		n, err := strconv.ParseInt(l[strings.LastIndexByte(l, ' ')+1:], 10, 64)
		require.NoError(t, err)
		want += n
	}
	p, err := folded.Read(bytes.NewReader(raw), path, profile.ReadOptions{})
	require.NoError(t, err)
	g := Build(p, Options{Value: -1})
	assert.Equal(t, want, g.Trees[0].Total)
	var buf bytes.Buffer
	require.NoError(t, WriteSVG(&buf, g, SVGOptions{Subtitle: "py311-pyo3-dwarf.folded"}))
	titles, widths := svgFrames(t, buf.Bytes())
	require.NotEmpty(t, titles)
	var rootWidth float64
	for _, n := range g.Trees[0].Nodes {
		if n.Depth == 0 {
			rootWidth += float64(n.Total)
		}
	}
	assert.Equal(t, float64(want), rootWidth, "the root boxes cover the total")
	assert.Contains(t, buf.String(), "total "+quantity.Count(want)+" ·", "the legend states the total")
	assert.GreaterOrEqual(t, len(widths), len(titles), "a rectangle per frame")
}

// TestSVGSizeFollowsWhatIsDrawn: 100,000 distinct frames too thin to see
// add almost nothing to the file.
func TestSVGSizeFollowsWhatIsDrawn(t *testing.T) {
	base := map[string]int64{"main;parse;lex": 40_000_000, "main;eval": 60_000_000}
	small := build(t, base)
	big := map[string]int64{}
	for k, v := range base {
		big[k] = v
	}
	for i := range 100_000 {
		big["main;eval;helper"+strconv.Itoa(i)] = 1
	}
	large := build(t, big)
	size := func(p *profile.Profile) int {
		var buf bytes.Buffer
		require.NoError(t, WriteSVG(&buf, Build(p, Options{Value: -1}), SVGOptions{}))
		return buf.Len()
	}
	s, l := size(small), size(large)
	assert.Less(t, l, s+1500, "100k invisible frames cost at most one merged box: %d vs %d bytes", l, s)
	var buf bytes.Buffer
	require.NoError(t, WriteWidget(&buf, Build(large, Options{Value: -1}), Category))
	assert.Less(t, buf.Len(), 64<<10, "the HTML data holds only what is drawn")
}

// hostile are names a profiled program can give its functions.
var hostile = []string{
	`<img src=x onerror=alert(1)>`,
	`</script><script>alert(2)</script>`,
	"quote\"'`back`tick|pipe",
	"new\nline\r\x1b[31mred\x1b[0m",
	"bidi\u202eexe.txt",
	"bad\xffutf8",
	"]]><!-- -->&amp;",
}

func hostileProfile(t *testing.T) *profile.Profile {
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	for i, name := range hostile {
		require.NoError(t, b.AddFrames([]profile.Frame{{Name: "main", Kind: profile.KindNative}, {Name: name, File: name, Kind: profile.KindPython}},
			profile.Labels{Thread: name, TID: int64(i), HasTID: true}, 10, 10))
	}
	return b.Profile()
}

func TestHostileNamesSVG(t *testing.T) {
	g := Build(hostileProfile(t), Options{Value: -1, Categories: nil})
	var buf bytes.Buffer
	require.NoError(t, WriteSVG(&buf, g, SVGOptions{Title: "<b>t</b>", Subtitle: hostile[0]}))
	out := buf.String()
	titles, _ := svgFrames(t, buf.Bytes())
	assert.NotContains(t, out, "<img")
	assert.NotContains(t, out, "<script")
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\u202e")
	joined := strings.Join(titles, "\n")
	assert.Contains(t, joined, `<img src=x onerror=alert(1)>`, "shown as text")
	assert.Contains(t, joined, `new\nline\r\x1b[31mred`, "controls made visible")
	assert.Contains(t, joined, `bidi\u202eexe.txt`)
	assert.Contains(t, joined, `bad\xffutf8`)
}

// TestHostileNamesHTML: the page holds exactly our two scripts, and every
// name survives as data (JSON), not as markup.
func TestHostileNamesHTML(t *testing.T) {
	g := Build(hostileProfile(t), Options{Value: -1, Threads: true})
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, g, HTMLOptions{Title: hostile[1], Subtitle: hostile[0]}))
	out := buf.String()
	assert.Equal(t, 2, strings.Count(out, "<script"), "only the page's own scripts")
	assert.Equal(t, 2, strings.Count(out, "</script"))
	assert.NotContains(t, out, "<img")
	assert.NotContains(t, out, "\x1b")
	assert.Contains(t, out, "&lt;img src=x onerror=alert(1)&gt;", "the subtitle is text")
	m := regexp.MustCompile(`(?s)<script type="application/json" id="fg-data">(.*?)</script>`).FindStringSubmatch(out)
	require.Len(t, m, 2)
	var d struct {
		Names []string `json:"names"`
		Trees []struct {
			Label string `json:"label"`
		} `json:"trees"`
	}
	require.NoError(t, json.Unmarshal([]byte(m[1]), &d))
	assert.Contains(t, d.Names, `<img src=x onerror=alert(1)>`, "the name is data, exact")
	assert.Contains(t, d.Names, `new\nline\r\x1b[31mred\x1b[0m`)
	assert.Len(t, d.Trees, 1+len(hostile), "a tree per thread")
}

func TestSVGDeterministic(t *testing.T) {
	path := testutil.Shared(t, "fixtures/pyspy/py312-threads-gil.speedscope.json")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := ingest.Read(f, path, ingest.DefaultFormats(), ingest.Options{})
	require.NoError(t, err)
	var a, b bytes.Buffer
	require.NoError(t, WriteSVG(&a, Build(p, Options{Value: -1}), SVGOptions{}))
	require.NoError(t, WriteSVG(&b, Build(p, Options{Value: -1}), SVGOptions{}))
	assert.Equal(t, a.String(), b.String())
	titles, _ := svgFrames(t, a.Bytes())
	assert.NotEmpty(t, titles)
}

// TestBuildDiff: widths from the after side; a share that moved beyond the
// sampling noise is marked, one within it is not.
func TestBuildDiff(t *testing.T) {
	before := build(t, map[string]int64{"main;parse": 500, "main;eval": 500})
	after := build(t, map[string]int64{"main;parse": 800, "main;eval": 180, "main;gc": 20, "main;new": 2})
	tr := diff.Align(before, 0, after, 0, diff.NameOptions{})
	g := BuildDiff(tr, DiffOptions{BeforeSamples: 1000, AfterSamples: 1002, MinShare: 0.001})
	require.True(t, g.Diff)
	tree := g.Trees[0]
	assert.Equal(t, int64(1002), tree.Total)
	assert.Equal(t, int64(1000), tree.BeforeTotal)
	got := map[string]Node{}
	for _, n := range tree.Nodes {
		got[g.Names[n.Name]] = n
	}
	assert.Equal(t, int8(Grew), got["parse"].Change, "50% -> 79.8%")
	assert.InDelta(t, 800.0/1002-0.5, got["parse"].Delta, 1e-9)
	assert.Equal(t, int8(Shrank), got["eval"].Change)
	assert.Equal(t, int64(500), got["eval"].Before)
	// 0 -> 0.2%: 2 samples of 1002; the 95% interval of the difference is
	// ±0.28 points, so this is noise.
	assert.Equal(t, int8(Same), got["new"].Change)
	assert.Equal(t, int8(Same), got["main"].Change, "the root keeps its share")
	// Exact counts have no sampling noise.
	g = BuildDiff(tr, DiffOptions{Exact: true, MinShare: 0.001})
	for _, n := range g.Trees[0].Nodes {
		if g.Names[n.Name] == "new" {
			assert.Equal(t, int8(Grew), n.Change)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, WriteWidget(&buf, g, Category))
	assert.Contains(t, buf.String(), `"diff":true`)
	assert.Contains(t, buf.String(), `"stride":11`)
}
