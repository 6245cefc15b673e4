package report

import (
	"bufio"
	"encoding/json"
	"html"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/flamegraph"
)

// The HTML report is one file a person can attach to a ticket and open
// anywhere, years later: styles and script inline, no fonts, no network
// (a Content-Security-Policy forbids any fetch). Every string from the
// report goes through h (text and attributes), htmlProse (sentences with
// `code`) or htmlCode (sketches); the flame graph's script writes names
// with textContent only.

// h escapes a string from the report for HTML text or a quoted attribute.
func h(s string) string { return html.EscapeString(sanitize(s, false)) }

// htmlProse escapes a sentence, keeping what it quotes in backticks as code.
func htmlProse(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			break
		}
		b.WriteString(h(s[:i]) + "<code>" + h(s[i+1:i+1+j]) + "</code>")
		s = s[i+2+j:]
	}
	b.WriteString(h(s))
	return b.String()
}

// htmlCode escapes a code block, keeping its lines.
func htmlCode(s string) string {
	return html.EscapeString(sanitize(strings.ReplaceAll(s, "\t", "    "), true))
}

const htmlStyle = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1d;margin:0;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:21px;margin:0 0 2px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}
.meta{color:#555;margin:0 0 12px}
.summary{background:#fff;border:1px solid #ddd;border-left:5px solid #c0392b;padding:10px 14px;border-radius:4px}
.summary dt{font-weight:600;float:left;width:6em;clear:left}.summary dd{margin:0 0 6px 6.5em}
table{border-collapse:collapse;background:#fff;margin:4px 0}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.fn{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.sev{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;padding:0 4px;color:#fff;font-size:12px;font-weight:600}
.sev-high{background:#c0392b}.sev-medium{background:#d68910}.sev-low{background:#2e86c1}
.finding{background:#fff;border:1px solid #ddd;border-radius:4px;margin:8px 0;padding:6px 12px}
.finding summary{cursor:pointer;font-weight:600}.finding dl dt{font-weight:600;margin-top:6px}.finding dl dd{margin:0 0 0 1.5em}
pre code{background:none;padding:0}
pre{background:#f4f4f4;border:1px solid #e0e0e0;padding:6px 8px;overflow:auto;font-size:12.5px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;background:#f0f0f0;padding:0 2px;border-radius:2px}
.bar{display:inline-block;height:10px;vertical-align:0;border:1px solid #999}
button.show{font:inherit;font-size:12px;margin-left:8px}
ul.plain{margin:4px 0;padding-left:20px}`

// htmlReport writes one explain.Report as a page.
type htmlReport struct {
	w   *bufio.Writer
	rep *explain.Report
	opt Options
}

func writeHTML(w *bufio.Writer, rep *explain.Report, opt Options) error {
	r := &htmlReport{w: w, rep: rep, opt: opt}
	title := "hotspot explain"
	if rep.Input.Path != "" {
		title += ": " + baseName(rep.Input.Path)
	}
	w.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	w.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	w.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
	w.WriteString("<title>" + h(title) + "</title>\n<style>\n" + htmlStyle + "\n" + flamegraph.Style() + "</style>\n</head>\n<body>\n<main>\n")
	w.WriteString("<h1>" + h(title) + "</h1>\n")
	r.meta()
	r.summary()
	r.findings()
	r.flame()
	r.categories()
	r.hotspots()
	r.hotPath()
	r.crossings()
	r.quality()
	r.plan()
	r.more()
	r.notes()
	w.WriteString("</main>\n")
	if opt.Flame != nil {
		if err := flamegraph.WriteWidgetScript(w, opt.Flame, flamegraph.Category); err != nil {
			return err
		}
	}
	w.WriteString("</body>\n</html>\n")
	return nil
}

func (r *htmlReport) value(v int64) string { return formatValue(v, r.rep.SampleType.Unit) }

func (r *htmlReport) meta() {
	rep := r.rep
	var what []string
	if rep.Input.Path != "" {
		what = append(what, "<code>"+h(rep.Input.Path)+"</code>")
	}
	producer := rep.Input.Producer
	if producer == rep.Input.Format {
		producer = ""
	}
	for _, s := range []string{rep.Input.Format, producer, rep.Input.Recording, rep.SampleType.Name} {
		if s != "" {
			what = append(what, h(s))
		}
	}
	line := strings.Join(what, ", ")
	if line != "" {
		line += ": "
	}
	line += h(totalText(rep))
	if rep.Idle > 0 {
		line += "; active " + h(r.value(rep.ActiveTotal)) + ", idle " + h(r.value(rep.Idle))
	}
	r.w.WriteString("<p class=\"meta\">" + line + "</p>\n")
}

func (r *htmlReport) summary() {
	rep := r.rep
	r.w.WriteString("<section class=\"summary\" id=\"summary\">\n<dl>\n")
	cause := rep.Summary
	if rep.Flat {
		cause = strings.TrimSpace(cause + " Flat profile: no hotspot is singled out; the findings follow the flat-profile playbook.")
	}
	if cause == "" && len(rep.Findings) == 0 {
		cause = "No samples."
	}
	if hl := rep.Headline; hl.Cause != "" {
		// The engine's headline: cause, one number of evidence, the fix.
		r.w.WriteString("<dt>Cause</dt><dd>" + htmlProse(hl.Cause) + "</dd>\n")
		r.w.WriteString("<dt>Evidence</dt><dd>" + htmlProse(hl.Evidence) + "</dd>\n")
		r.w.WriteString("<dt>Fix</dt><dd>" + htmlProse(hl.Fix) + "</dd>\n</dl>\n</section>\n")
		return
	}
	r.w.WriteString("<dt>Cause</dt><dd>" + htmlProse(cause) + "</dd>\n")
	if len(rep.Findings) > 0 {
		f := rep.Findings[0]
		r.w.WriteString("<dt>Fix</dt><dd>" + htmlProse(f.Fix) + "</dd>\n")
		r.w.WriteString("<dt>Evidence</dt><dd>" + htmlProse(f.Evidence) + "</dd>\n")
	}
	r.w.WriteString("</dl>\n</section>\n")
}

// showButton highlights the named frames in the flame graph.
func (r *htmlReport) showButton(label string, names []string) string {
	if r.opt.Flame == nil || len(names) == 0 {
		return ""
	}
	shown := make([]string, len(names))
	for i, n := range names {
		shown[i] = flamegraph.DisplayName(n)
	}
	js, err := json.Marshal(shown)
	if err != nil {
		return ""
	}
	return `<button type="button" class="show" title="highlight in the flame graph" data-fg-names="` + html.EscapeString(string(js)) + `" data-fg-label="` + h(label) + `">show</button>`
}

func (r *htmlReport) findings() {
	rep := r.rep
	r.w.WriteString("<h2 id=\"findings\">Findings, ranked by the cost they could remove per unit of risk</h2>\n")
	if len(rep.Findings) == 0 {
		r.w.WriteString("<p>None: no catalogue pattern matched this profile.</p>\n")
		return
	}
	for i, f := range rep.Findings {
		num := strconv.Itoa(i + 1)
		// Closed: the ranked titles and the flame graph fit the first
		// screen; the summary above already quotes the top finding.
		r.w.WriteString("<details class=\"finding\">\n<summary>" + num + ". <span class=\"sev sev-" + h(f.Severity) + "\">" + h(f.Severity) + "</span> " +
			h(findingTitle(f)) + " <span class=\"meta\">(up to " + h(formatShare(f.Share)) + ", risk " + h(riskOr(f.Risk)) + ", " + h(f.Category) + ")</span></summary>\n")
		meta := "Hint <code>" + h(f.Hint) + "</code>, category " + h(f.Category) + ", up to " + h(formatShare(f.Share)) + " of the active total"
		if f.Value > 0 {
			meta += " (" + h(r.value(f.Value)) + ")"
		}
		if f.Risk != "" {
			meta += ", risk " + h(f.Risk)
		}
		if f.Confidence != "" {
			meta += ", " + h(f.Confidence) + " confidence"
		}
		if c := claimText(f, r.value); c != "" {
			meta += "; " + h(c)
		}
		r.w.WriteString("<p class=\"meta\">" + meta + ".</p>\n<dl>\n")
		dd := func(label, text string) {
			if strings.TrimSpace(text) != "" {
				r.w.WriteString("<dt>" + h(label) + "</dt><dd>" + htmlProse(text) + "</dd>\n")
			}
		}
		dd("Cause", f.Cause)
		dd("Claim", f.Claim)
		dd("Evidence", f.Evidence)
		dd("Context", f.Context)
		if len(f.Functions) > 0 {
			names := make([]string, len(f.Functions))
			for j, fn := range f.Functions {
				names[j] = "<code>" + h(fn) + "</code>"
			}
			r.w.WriteString("<dt>Functions</dt><dd>" + strings.Join(names, ", ") + r.showButton("Finding "+num, f.Functions) + "</dd>\n")
		}
		if len(f.Lines) > 0 {
			r.w.WriteString("<dt>Lines</dt><dd><ul class=\"plain\">")
			for _, l := range f.Lines {
				r.w.WriteString("<li>" + h(lineHead(l)))
				if text := strings.TrimSpace(l.Text); text != "" {
					r.w.WriteString(": <code>" + h(text) + "</code>")
				}
				r.w.WriteString("</li>")
			}
			r.w.WriteString("</ul></dd>\n")
		}
		dd("Fix", f.Fix)
		dd("Expected impact", f.ExpectedImpact)
		dd("Tradeoffs", f.Tradeoffs)
		dd("Measure", f.Measure)
		if len(f.Targets) > 0 {
			r.w.WriteString("<dt>Targets</dt><dd><ul class=\"plain\">")
			for _, target := range f.Targets {
				r.w.WriteString("<li>" + htmlProse(target) + "</li>")
			}
			r.w.WriteString("</ul></dd>\n")
		}
		for _, x := range extraFields(f, knownFinding) {
			dd(capitalize(x.label), x.text)
		}
		r.w.WriteString("</dl>\n")
		for _, s := range f.Sketches {
			r.w.WriteString("<p>Sketch (" + h(s.Language) + "), before:</p>\n<pre><code>" + htmlCode(s.Before) + "</code></pre>\n")
			r.w.WriteString("<p>after:</p>\n<pre><code>" + htmlCode(s.After) + "</code></pre>\n")
		}
		r.w.WriteString("</details>\n")
	}
}

func (r *htmlReport) flame() {
	r.w.WriteString("<h2 id=\"flame\">Flame graph</h2>\n")
	if r.opt.Flame == nil {
		r.w.WriteString("<p>No flame graph in this report.</p>\n")
		return
	}
	r.w.WriteString("<p class=\"meta\">Colours are cost categories; click a frame to zoom, search to highlight and total the matches.</p>\n")
	flamegraph.WriteWidgetBody(r.w, r.opt.Flame, flamegraph.Category)
}

// table writes a table; cells are already escaped; numeric columns align right.
func (r *htmlReport) table(header []string, num []bool, rows [][]string) {
	r.w.WriteString("<table>\n<tr>")
	for _, c := range header {
		r.w.WriteString("<th>" + h(c) + "</th>")
	}
	r.w.WriteString("</tr>\n")
	for _, row := range rows {
		r.w.WriteString("<tr>")
		for j, c := range row {
			switch {
			case num[j]:
				r.w.WriteString("<td class=\"n\">" + c + "</td>")
			case strings.HasPrefix(c, "<code>"):
				r.w.WriteString("<td class=\"fn\">" + strings.TrimSuffix(strings.TrimPrefix(c, "<code>"), "</code>") + "</td>")
			default:
				r.w.WriteString("<td>" + c + "</td>")
			}
		}
		r.w.WriteString("</tr>\n")
	}
	r.w.WriteString("</table>\n")
}

func (r *htmlReport) categories() {
	rep := r.rep
	r.w.WriteString("<h2 id=\"categories\">Where the cost goes <span class=\"meta\">(shares of the total, idle included)</span></h2>\n")
	if len(rep.Categories) == 0 {
		r.w.WriteString("<p>No cost recorded.</p>\n")
		return
	}
	rows := make([][]string, len(rep.Categories))
	for i, c := range rep.Categories {
		bar := `<span class="bar" style="width:` + strconv.Itoa(int(c.Share*200+0.5)) + `px;background:` + flamegraph.CategoryColor(c.Name) + `"></span>`
		rows[i] = []string{h(c.Name), h(r.value(c.Value)), h(formatShare(c.Share)), bar}
	}
	r.table([]string{"Category", "Value", "Share", ""}, []bool{false, true, true, false}, rows)
}

func (r *htmlReport) hotspots() {
	rep := r.rep
	if len(rep.Hotspots) == 0 {
		return
	}
	of := "total"
	if rep.Idle > 0 {
		of = "active total"
	}
	r.w.WriteString("<h2 id=\"hotspots\">Hotspots <span class=\"meta\">(by self cost; shares of the " + of + ")</span></h2>\n")
	rows := make([][]string, len(rep.Hotspots))
	for i, hs := range rep.Hotspots {
		rows[i] = []string{strconv.Itoa(i + 1), "<code>" + h(hs.Function) + "</code>" + r.showButton(hs.Function, []string{hs.Function}),
			h(location(hs.File, hs.Line)), h(hs.Kind), h(hs.Category), h(r.value(hs.Self)), h(formatShare(hs.SelfShare)), h(formatShare(hs.TotalShare))}
	}
	r.table([]string{"#", "Function", "File", "Kind", "Category", "Self", "Self %", "Total %"},
		[]bool{true, false, false, false, false, true, true, true}, rows)
}

func (r *htmlReport) hotPath() {
	rep := r.rep
	if len(rep.HotPath) == 0 {
		return
	}
	r.w.WriteString("<h2 id=\"hotpath\">Hot path <span class=\"meta\">(root first)</span></h2>\n")
	rows := make([][]string, len(rep.HotPath))
	for i, f := range rep.HotPath {
		rows[i] = []string{h(formatShare(f.TotalShare)), "<code>" + h(f.Function) + "</code>", h(f.Kind)}
	}
	r.table([]string{"Total %", "Function", "Kind"}, []bool{true, false, false}, rows)
}

func (r *htmlReport) crossings() {
	c := r.rep.Crossings
	if c.PythonToNative == 0 && c.NativeToPython == 0 && len(c.Entries) == 0 {
		return
	}
	r.w.WriteString("<h2 id=\"crossings\">Crossings</h2>\n<p>Python → native: " + thousands(c.PythonToNative) + ", native → Python: " +
		thousands(c.NativeToPython) + " (transitions on the stacks, weighted by samples).</p>\n")
	if len(c.Entries) == 0 {
		return
	}
	rows := make([][]string, len(c.Entries))
	for i, e := range c.Entries {
		rows[i] = []string{"<code>" + h(e.Function) + "</code>", h(r.value(e.Glue)), h(r.value(e.Convert)), h(r.value(e.Work)), h(formatShare(e.GlueRatio))}
	}
	r.table([]string{"Native entry", "Per-call glue", "Element conversion", "Work", "Glue / all"}, []bool{false, true, true, true, true}, rows)
}

func (r *htmlReport) quality() {
	q := r.rep.Quality
	title := "Capture quality"
	if q.Kind != "" {
		title += ": " + q.Kind
	}
	r.w.WriteString("<h2 id=\"quality\">" + h(title) + "</h2>\n<ul class=\"plain\">\n")
	named := "not named (Python functions cannot be told apart)"
	if q.PythonFrames {
		named = "named"
	}
	if q.Runtime == "" || q.Runtime == "python" {
		r.w.WriteString("<li>Python frames: " + named + "</li>\n")
	}
	r.w.WriteString("<li>Unsymbolized: " + h(formatShare(q.Unsymbolized)) + " of the cost is in <code>[unknown]</code> or <code>0x...</code> frames</li>\n")
	r.w.WriteString("<li>Truncated: " + h(formatShare(q.Truncated)) + " of the stacks never reach a process root</li>\n</ul>\n")
	for _, l := range []struct {
		label string
		items []string
	}{{"Can see", q.CanSee}, {"Cannot see", q.CannotSee}} {
		if len(l.items) == 0 {
			continue
		}
		r.w.WriteString("<p><b>" + l.label + ":</b></p>\n<ul class=\"plain\">\n")
		for _, it := range l.items {
			r.w.WriteString("<li>" + htmlProse(it) + "</li>\n")
		}
		r.w.WriteString("</ul>\n")
	}
	if len(q.Next) > 0 {
		lines := make([]string, len(q.Next))
		for i, n := range q.Next {
			lines[i] = h(n)
		}
		r.w.WriteString("<p><b>To see more, record:</b></p>\n<pre><code>" + strings.Join(lines, "\n") + "</code></pre>\n")
	}
}

func (r *htmlReport) plan() {
	if len(r.rep.Plan) == 0 {
		return
	}
	r.w.WriteString("<h2 id=\"plan\">Measurement plan</h2>\n<ol>\n")
	for _, s := range r.rep.Plan {
		r.w.WriteString("<li>" + htmlProse(s) + "</li>\n")
	}
	r.w.WriteString("</ol>\n")
}

func (r *htmlReport) more() {
	xs := extraFields(r.rep, knownReport)
	if len(xs) == 0 {
		return
	}
	r.w.WriteString("<h2 id=\"more\">More</h2>\n<dl>\n")
	for _, x := range xs {
		r.w.WriteString("<dt>" + h(capitalize(x.label)) + "</dt><dd>" + htmlProse(x.text) + "</dd>\n")
	}
	r.w.WriteString("</dl>\n")
}

func (r *htmlReport) notes() {
	if len(r.rep.Warnings) == 0 {
		return
	}
	r.w.WriteString("<h2 id=\"notes\">Notes</h2>\n<ol>\n")
	for _, n := range r.rep.Warnings {
		r.w.WriteString("<li>" + htmlProse(n) + "</li>\n")
	}
	r.w.WriteString("</ol>\n")
}
