package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/flamegraph"
	"github.com/hotspot-dev/hotspot/internal/quantity"
)

// WriteDiffHTML writes a diff.Report as one self-contained page: what
// changed, the differential flame graph (flame, from flamegraph.BuildDiff;
// nil leaves it out) and the ranked tables. Like the explain page it loads
// nothing from the network.
func WriteDiffHTML(w io.Writer, r *diff.Report, flame *flamegraph.Graph) error {
	if r == nil {
		return errNilReport
	}
	return render(w, func(bw *bufio.Writer) error {
		d := &diffPage{w: bw, r: r}
		bw.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
		bw.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
		bw.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
		bw.WriteString("<title>hotspot diff</title>\n<style>\n" + htmlStyle + "\n.up{color:#b00000;font-weight:600}.down{color:#0030b0;font-weight:600}.same{color:#777}\n" +
			flamegraph.Style() + "</style>\n</head>\n<body>\n<main>\n<h1>hotspot diff</h1>\n")
		d.summary()
		d.flame(flame)
		d.rows("categories", "Categories", "category", r.Categories)
		worse, better := splitRows(r.Functions)
		d.rows("worse", "Got worse", "function", worse)
		d.rows("better", "Got better", "function", better)
		if len(worse)+len(better) == 0 {
			bw.WriteString("<p>No function changed beyond noise.</p>\n")
		}
		if r.Unchanged > 0 {
			bw.WriteString("<p class=\"meta\">" + thousands(int64(r.Unchanged)) + " functions changed within noise.</p>\n")
		}
		d.rows("callers", "Callers whose inclusive share moved", "function", r.Callers)
		d.hotspots()
		d.findings()
		d.notes()
		bw.WriteString("</main>\n")
		if flame != nil {
			if err := flamegraph.WriteWidgetScript(bw, flame, flamegraph.Category); err != nil {
				return err
			}
		}
		bw.WriteString("</body>\n</html>\n")
		return nil
	})
}

type diffPage struct {
	w *bufio.Writer
	r *diff.Report
}

// points prints a change of share in percentage points, signed.
func points(d float64) string {
	s := strconv.FormatFloat(100*d, 'f', 1, 64)
	if d >= 0 {
		s = "+" + s
	}
	return s
}

func sideText(s diff.Side) string {
	var parts []string
	for _, p := range s.Paths {
		parts = append(parts, "<code>"+h(p)+"</code>")
	}
	line := strings.Join(parts, ", ")
	var what []string
	for _, x := range []string{s.Format, s.Recording, s.SampleType.Name} {
		if x != "" {
			what = append(what, h(x))
		}
	}
	if len(what) > 0 {
		line += " (" + strings.Join(what, ", ") + ")"
	}
	return line + ": " + h(quantity.Value(s.Total, s.SampleType.Unit)) + " in " + h(quantity.Count(s.Samples)) + " samples"
}

func (d *diffPage) summary() {
	r := d.r
	d.w.WriteString("<section class=\"summary\" id=\"summary\">\n<dl>\n")
	d.w.WriteString("<dt>Before</dt><dd>" + sideText(r.Before) + "</dd>\n")
	d.w.WriteString("<dt>After</dt><dd>" + sideText(r.After) + "</dd>\n")
	worse, better := splitRows(r.Functions)
	verdict := "No function changed beyond noise."
	switch {
	case len(worse) > 0 && len(better) > 0:
		verdict = "Most grown: " + h(worse[0].Label()) + " " + points(worse[0].Delta) + " points; most shrunk: " + h(better[0].Label()) + " " + points(better[0].Delta) + " points."
	case len(worse) > 0:
		verdict = "Most grown: " + h(worse[0].Label()) + " " + points(worse[0].Delta) + " points."
	case len(better) > 0:
		verdict = "Most shrunk: " + h(better[0].Label()) + " " + points(better[0].Delta) + " points."
	}
	if r.Regression {
		verdict = "<b>Regression.</b> " + verdict
	}
	d.w.WriteString("<dt>Change</dt><dd>" + verdict + "</dd>\n")
	if r.Total.Before > 0 {
		d.w.WriteString("<dt>Total</dt><dd>" + h(quantity.Value(r.Total.Before, r.Total.Unit)) + " → " + h(quantity.Value(r.Total.After, r.Total.Unit)) +
			" (" + points(r.Total.Delta) + "%)</dd>\n")
	}
	d.w.WriteString("<dt>Stacks</dt><dd>" + h(r.Comparable.Mode) + ": " + htmlProse(r.Comparable.Reason) + "</dd>\n")
	noise := string(r.Noise.Method)
	if r.Noise.Interval != "" {
		noise += ", " + r.Noise.Interval
	}
	if r.Noise.Correction != "" {
		noise += ", " + r.Noise.Correction
	}
	if r.Noise.Reason != "" {
		noise += ": " + r.Noise.Reason
	}
	d.w.WriteString("<dt>Noise</dt><dd>" + htmlProse(noise) + "</dd>\n</dl>\n</section>\n")
}

func (d *diffPage) flame(g *flamegraph.Graph) {
	d.w.WriteString("<h2 id=\"flame\">Differential flame graph</h2>\n")
	if g == nil {
		d.w.WriteString("<p>No flame graph in this report (it needs one profile on each side).</p>\n")
		return
	}
	d.w.WriteString("<p class=\"meta\">Widths are the after profile; red frames grew in share, blue ones shrank, pale ones changed within noise. Frames only the before profile has are in the tables below.</p>\n")
	flamegraph.WriteWidgetBody(d.w, g, flamegraph.Category)
}

// splitRows separates the significant rises from the significant falls.
func splitRows(rows []diff.Row) (worse, better []diff.Row) {
	for _, r := range rows {
		switch {
		case r.Significant && r.Delta > 0:
			worse = append(worse, r)
		case r.Significant && r.Delta < 0:
			better = append(better, r)
		}
	}
	return worse, better
}

func (d *diffPage) rows(id, title, what string, rows []diff.Row) {
	if len(rows) == 0 {
		return
	}
	d.w.WriteString("<h2 id=\"" + id + "\">" + h(title) + "</h2>\n<table>\n<tr><th>" + h(what) + "</th><th>before</th><th>after</th><th>change (points)</th><th>95% interval</th><th></th></tr>\n")
	for _, r := range rows {
		name := h(r.Label())
		if r.Function != "" {
			name = "<code>" + name + "</code>"
		}
		iv := ""
		if r.Interval != nil {
			iv = points(r.Interval[0]) + " … " + points(r.Interval[1])
		}
		mark := `<span class="same">~</span>`
		switch {
		case r.Significant && r.Delta > 0:
			mark = `<span class="up">grew</span>`
		case r.Significant && r.Delta < 0:
			mark = `<span class="down">shrank</span>`
		}
		d.w.WriteString("<tr><td class=\"fn\">" + name + "</td><td class=\"n\">" + h(formatShare(r.BeforeShare)) + "</td><td class=\"n\">" + h(formatShare(r.AfterShare)) +
			"</td><td class=\"n\">" + points(r.Delta) + "</td><td class=\"n\">" + iv + "</td><td>" + mark + "</td></tr>\n")
	}
	d.w.WriteString("</table>\n")
}

func (d *diffPage) hotspots() {
	hs := d.r.Hotspots
	if len(hs.Appeared)+len(hs.Vanished) == 0 {
		return
	}
	d.w.WriteString("<h2 id=\"hotspots\">Hotspots that appeared or vanished</h2>\n<ul class=\"plain\">\n")
	for _, r := range hs.Appeared {
		d.w.WriteString("<li>appeared: <code>" + h(r.Label()) + "</code> (" + h(formatShare(r.AfterShare)) + ")</li>\n")
	}
	for _, r := range hs.Vanished {
		d.w.WriteString("<li>vanished: <code>" + h(r.Label()) + "</code> (was " + h(formatShare(r.BeforeShare)) + ")</li>\n")
	}
	d.w.WriteString("</ul>\n")
}

func (d *diffPage) findings() {
	f := d.r.Findings
	d.w.WriteString("<h2 id=\"findings\">Findings</h2>\n")
	if !f.Compared {
		d.w.WriteString("<p>Not compared: the stacks are not comparable.</p>\n")
		return
	}
	n := 0
	d.w.WriteString("<ul class=\"plain\">\n")
	for _, g := range []struct {
		title string
		list  []diff.FindingDiff
	}{{"resolved", f.Resolved}, {"new", f.New}, {"persisting", f.Persisting}} {
		for _, fd := range g.list {
			d.w.WriteString("<li>" + g.title + ": <code>" + h(fd.Hint) + "</code> " + h(fd.Title) + " (" + h(formatShare(fd.BeforeShare)) + " → " + h(formatShare(fd.AfterShare)) + ")</li>\n")
			n++
		}
	}
	d.w.WriteString("</ul>\n")
	if n == 0 {
		d.w.WriteString("<p>No finding on either side.</p>\n")
	}
}

func (d *diffPage) notes() {
	ws := d.r.Warnings
	if len(ws) == 0 {
		return
	}
	d.w.WriteString("<h2 id=\"notes\">Notes</h2>\n<ol>\n")
	for _, n := range ws {
		d.w.WriteString("<li>" + htmlProse(n) + "</li>\n")
	}
	d.w.WriteString("</ol>\n")
}
