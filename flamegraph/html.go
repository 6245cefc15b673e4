package flamegraph

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"html"
	"io"
	"math"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

//go:embed web/flame.js
var script string

//go:embed web/flame.css
var style string

// Style is the CSS of the interactive graph, for a page's <style> element.
func Style() string { return style }

// HTMLOptions set the standalone page.
type HTMLOptions struct {
	Title    string
	Subtitle string
	Palette  Palette // Category when empty
}

// WriteHTML writes a standalone page holding the interactive graph: no
// network access, no external script, style or font.
func WriteHTML(w io.Writer, g *Graph, opt HTMLOptions) error {
	bw := bufio.NewWriter(w)
	title := opt.Title
	if title == "" {
		title = "Flame Graph"
	}
	esc := func(s string) string { return html.EscapeString(safeText(s)) }
	bw.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	bw.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
	bw.WriteString("<title>" + esc(title) + "</title>\n<style>body{font:14px system-ui,sans-serif;margin:16px}h1{font-size:20px;margin:0}\n" + style + "</style>\n</head>\n<body>\n")
	bw.WriteString("<h1>" + esc(title) + "</h1>\n")
	if opt.Subtitle != "" {
		bw.WriteString("<p>" + esc(opt.Subtitle) + "</p>\n")
	}
	if err := WriteWidget(bw, g, opt.Palette); err != nil {
		return err
	}
	bw.WriteString("</body>\n</html>\n")
	return bw.Flush()
}

// WriteWidget writes the graph's controls, data and script, for a page
// that has included Style. One widget per page.
func WriteWidget(w io.Writer, g *Graph, pal Palette) error {
	if err := WriteWidgetBody(w, g, pal); err != nil {
		return err
	}
	return WriteWidgetScript(w, g, pal)
}

// WriteWidgetBody writes the graph's controls, canvas and legend where the
// graph goes on the page; WriteWidgetScript, at the end of the page, brings
// it to life (and wires any [data-fg-names] button above or below it).
func WriteWidgetBody(w io.Writer, g *Graph, pal Palette) error {
	_, err := io.WriteString(w, `<div class="fg" id="fg">
<div class="fg-controls">
<select class="fg-thread" aria-label="thread"></select>
<button type="button" class="fg-reset">Reset zoom</button>
<button type="button" class="fg-flip">Flame view</button>
<input type="search" class="fg-search" placeholder="Search functions (regular expression)" aria-label="search">
<span class="fg-match"></span>
</div>
<div class="fg-canvas"></div>
<div class="fg-tip" hidden></div>
<div class="fg-details">Click a frame to zoom, hover for its value and share.</div>
`+legendHTML(g, pal)+"</div>\n")
	return err
}

// WriteWidgetScript writes the graph's data and the script that draws it.
func WriteWidgetScript(w io.Writer, g *Graph, pal Palette) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("<script type=\"application/json\" id=\"fg-data\">")
	if err := writeData(bw, g, pal); err != nil {
		return err
	}
	bw.WriteString("</script>\n<script>\n" + script + "</script>\n")
	return bw.Flush()
}

// legendHTML names the colours and the cues that tell kinds apart.
func legendHTML(g *Graph, pal Palette) string {
	var b strings.Builder
	b.WriteString(`<div class="fg-legend">`)
	if g.Diff {
		b.WriteString(`<span><i style="background:rgb(255,90,90)"></i>share grew</span><span><i style="background:rgb(90,90,255)"></i>share shrank</span>` +
			`<span><i style="background:rgb(236,236,226)"></i>within noise</span><span>widths: the after profile; deeper colour, larger change</span>`)
	} else if pal == Category {
		for _, c := range g.Cats {
			if c == "" {
				continue
			}
			b.WriteString(`<span><i style="background:` + CategoryColor(c) + `"></i>` + html.EscapeString(safeText(c)) + `</span>`)
		}
	}
	b.WriteString(`<span><i class="py"></i>Python frame</span><span><i class="k"></i>kernel frame</span><span><i></i>native or other</span>`)
	b.WriteString(`<span><i style="background:#c8c8c8"></i>frames too thin to draw, merged</span></div>` + "\n")
	return b.String()
}

// data is the JSON the script reads. Nodes are flat arrays of eight
// numbers each (see Node), which keeps large graphs small.
type data struct {
	Diff    bool              `json:"diff"`
	Stride  int               `json:"stride"`
	Unit    string            `json:"unit"`
	Type    string            `json:"type"`
	Palette Palette           `json:"palette"`
	Names   []string          `json:"names"`
	Cats    []string          `json:"cats"`
	Colors  map[string][3]int `json:"colors"`
	Trees   []treeData        `json:"trees"`
}

type treeData struct {
	Label  string  `json:"label"`
	Total  int64   `json:"total"`
	Before int64   `json:"before,omitempty"`
	N      []int64 `json:"n"`
}

var kindCode = map[profile.FrameKind]int64{profile.KindUnknown: 0, profile.KindPython: 1, profile.KindNative: 2, profile.KindKernel: 3, profile.KindJIT: 4}

// writeData writes g as JSON. encoding/json escapes <, > and &, so the
// text can sit inside a <script> element; names are made visible-safe
// first (control and bidi characters escaped).
func writeData(w io.Writer, g *Graph, pal Palette) error {
	if pal == "" {
		pal = Category
	}
	stride := 8
	if g.Diff {
		stride = 11 // + before value, change of share in millionths, change mark
	}
	d := data{Diff: g.Diff, Stride: stride, Unit: g.Unit, Type: g.Type, Palette: pal, Names: make([]string, len(g.Names)), Cats: g.Cats, Colors: categoryColors}
	for i, s := range g.Names {
		d.Names[i] = safeText(s)
	}
	for _, t := range g.Trees {
		td := treeData{Label: safeText(t.Label), Total: t.Total, Before: t.BeforeTotal, N: make([]int64, 0, len(t.Nodes)*stride)}
		for _, n := range t.Nodes {
			td.N = append(td.N, int64(n.Name), int64(n.Depth), n.Total, n.Self, int64(n.Cat), kindCode[n.Kind], int64(n.Merged), int64(n.File))
			if g.Diff {
				td.N = append(td.N, n.Before, int64(math.Round(n.Delta*1e6)), int64(n.Change))
			}
		}
		d.Trees = append(d.Trees, td)
	}
	return json.NewEncoder(w).Encode(d)
}
