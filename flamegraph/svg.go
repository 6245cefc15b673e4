package flamegraph

import (
	"bufio"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/internal/quantity"
	"github.com/hotspot-dev/hotspot/profile"
)

// SVGOptions set the look of a standalone SVG.
type SVGOptions struct {
	Title    string  // "Flame Graph" when empty
	Subtitle string  // a second line under the title (the input's name)
	Width    int     // pixels; 1200 when 0
	Palette  Palette // Hot when empty
	Icicle   bool    // roots at the top instead of the bottom
}

// The geometry of FlameGraph and inferno, so that an SVG from hotspot sits
// beside theirs in a ticket without looking out of place.
const (
	frameHeight = 16
	fontSize    = 12
	fontWidth   = 0.59 // average glyph width in ems (Verdana)
	xPad        = 10
	minDrawPx   = 0.1 // boxes narrower than this are not drawn
)

// WriteSVG writes the first tree of g as a standalone SVG: no script, no
// external reference; each box carries a <title> tooltip with its value
// and share. Boxes narrower than a tenth of a pixel are skipped (Build
// already merged most of them), so the file grows with what is drawn.
func WriteSVG(w io.Writer, g *Graph, opt SVGOptions) error {
	bw := bufio.NewWriter(w)
	width := opt.Width
	if width <= 0 {
		width = 1200
	}
	pal := opt.Palette
	if pal == "" {
		pal = Hot
	}
	title := opt.Title
	if title == "" {
		title = "Flame Graph"
	}
	var t Tree
	if len(g.Trees) > 0 {
		t = g.Trees[0]
	}
	depth := int32(0)
	for _, n := range t.Nodes {
		depth = max(depth, n.Depth+1)
	}
	top := fontSize * 3
	if opt.Subtitle != "" {
		top += fontSize + 4
	}
	bottom := fontSize*2 + 10 + frameHeight // details line and the legend
	height := top + int(depth)*frameHeight + bottom
	scale := float64(width-2*xPad) / float64(max(t.Total, 1))

	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n")
	bw.WriteString(`<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="` + itoa(width) + `" height="` + itoa(height) +
		`" viewBox="0 0 ` + itoa(width) + " " + itoa(height) + `">` + "\n")
	bw.WriteString(`<defs><linearGradient id="background" y1="0" y2="1" x1="0" x2="0"><stop stop-color="#eeeeee" offset="5%"/><stop stop-color="#eeeeb0" offset="95%"/></linearGradient></defs>` + "\n")
	bw.WriteString(`<style type="text/css">text{font-family:Verdana,sans-serif;font-size:` + itoa(fontSize) + `px;fill:rgb(0,0,0)}#title{text-anchor:middle;font-size:17px}.kernel rect{stroke:rgb(60,60,60);stroke-dasharray:2,1}.merged rect{fill-opacity:0.6}</style>` + "\n")
	bw.WriteString(`<rect x="0" y="0" width="100%" height="100%" fill="url(#background)"/>` + "\n")
	bw.WriteString(`<text id="title" x="` + itoa(width/2) + `" y="` + itoa(fontSize*2) + `">` + xmlText(title) + "</text>\n")
	if opt.Subtitle != "" {
		bw.WriteString(`<text x="` + itoa(width/2) + `" y="` + itoa(fontSize*3+2) + `" style="text-anchor:middle;fill:rgb(80,80,80)">` + xmlText(opt.Subtitle) + "</text>\n")
	}
	bw.WriteString("<g id=\"frames\">\n")
	// x positions: a stack of (depth -> next free x) in pre-order.
	next := make([]float64, depth+1)
	next[0] = xPad
	for _, n := range t.Nodes {
		x := next[n.Depth]
		wpx := float64(n.Total) * scale
		next[n.Depth] = x + wpx
		if int(n.Depth)+1 < len(next) {
			next[n.Depth+1] = x
		}
		if wpx < minDrawPx {
			continue
		}
		y := top + int(depth-1-n.Depth)*frameHeight
		if opt.Icicle {
			y = top + int(n.Depth)*frameHeight
		}
		name := g.Names[n.Name]
		cls := kindClass(n)
		bw.WriteString(`<g`)
		if cls != "" {
			bw.WriteString(` class="` + cls + `"`)
		}
		bw.WriteString("><title>")
		bw.WriteString(tooltip(g, t, n))
		bw.WriteString("</title><rect x=\"" + fx(x) + `" y="` + itoa(y) + `" width="` + fx(wpx) + `" height="` + itoa(frameHeight-1) +
			`" fill="` + color(pal, name, g.Cats[n.Cat], n.Merged > 0) + `" rx="2" ry="2"/>`)
		if n.Kind == profile.KindPython && wpx >= 4 {
			// The second cue for Python frames: a dark stripe on the left.
			bw.WriteString(`<rect x="` + fx(x) + `" y="` + itoa(y) + `" width="2" height="` + itoa(frameHeight-1) + `" fill="rgb(30,60,140)"/>`)
		}
		if label := fitLabel(name, wpx); label != "" {
			bw.WriteString(`<text x="` + fx(x+3) + `" y="` + fx(float64(y)+10.5) + `">` + xmlText(label) + "</text>")
		}
		bw.WriteString("</g>\n")
	}
	bw.WriteString("</g>\n")
	legendY := top + int(depth)*frameHeight + fontSize + 6
	bw.WriteString(`<text x="` + itoa(xPad) + `" y="` + itoa(legendY) + `" style="fill:rgb(80,80,80)">` +
		xmlText(legend(g, t)) + "</text>\n")
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// legend says what the graph shows and how frames are told apart.
func legend(g *Graph, t Tree) string {
	s := "total " + quantity.Value(t.Total, g.Unit)
	if g.Type != "" {
		s = g.Type + ": " + s
	}
	return s + " · Python frames have a dark left stripe, kernel frames a dashed border, merged thin frames are grey · hover for values"
}

func kindClass(n Node) string {
	switch {
	case n.Merged > 0:
		return "merged"
	case n.Kind == profile.KindKernel:
		return "kernel"
	case n.Kind == profile.KindPython:
		return "python"
	}
	return ""
}

// tooltip is the hover text of a box, escaped: name and location on one
// line, value and share on the next.
func tooltip(g *Graph, t Tree, n Node) string {
	head := g.Names[n.Name]
	if n.File >= 0 {
		head += " (" + g.Names[n.File] + ")"
	}
	v := quantity.Value(n.Total, g.Unit) + ", " + quantity.Share(float64(n.Total)/float64(max(t.Total, 1)))
	if n.Self > 0 {
		v += "; self " + quantity.Value(n.Self, g.Unit)
	}
	if n.Kind != "" && n.Merged == 0 {
		v += "; " + string(n.Kind)
	}
	if c := g.Cats[n.Cat]; c != "" {
		v += "; " + c
	}
	return xmlText(head) + "\n" + xmlText(v)
}

// fitLabel cuts a name to the box's width as FlameGraph does ("name.."),
// or returns "" when fewer than three characters fit.
func fitLabel(name string, wpx float64) string {
	chars := int((wpx - 6) / (fontSize * fontWidth))
	if chars < 3 {
		return ""
	}
	rs := []rune(name)
	if len(rs) <= chars {
		return name
	}
	return string(rs[:chars-2]) + ".."
}

// xmlText escapes a string from the profile for XML text and attributes.
func xmlText(s string) string { return html.EscapeString(safeText(s)) }

func itoa(i int) string { return strconv.Itoa(i) }

// fx prints a coordinate with two decimals at most, trailing zeros cut.
func fx(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
