package report

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter"

	"github.com/hotspot-dev/hotspot/explain"
)

// This file is the only user of tablewriter (pinned at v0.0.5: its API changed
// in v1). Everything written to the terminal passes through termLine or
// termText first, so no escape sequence from a profile reaches it; the only
// escape sequences written are the painter's own.
//
// Column widths come from go-runewidth, which reads the locale (LANG, LC_ALL,
// RUNEWIDTH_EASTASIAN) once at start-up: in an East Asian locale, characters
// of ambiguous width (many accented Latin letters, Greek, box drawing) would
// count as two columns and the same report would pad differently. The same
// input must give the same bytes on any machine, so fixLocaleWidths pins the
// narrow reading before the first table is drawn.
var fixLocaleWidths = sync.OnceFunc(func() { runewidth.DefaultCondition.EastAsianWidth = false })

// painter adds ANSI colour when enabled. A handful of SGR codes does not
// justify a colour library.
type painter struct{ on bool }

func (p painter) sgr(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p painter) bold(s string) string { return p.sgr("1", s) }
func (p painter) dim(s string) string  { return p.sgr("2", s) }

// severity colours high red, medium yellow and low cyan.
func (p painter) severity(sev string) string {
	label := "[" + termLine(sev) + "]"
	switch sev {
	case "high":
		return p.sgr("1;31", label)
	case "medium":
		return p.sgr("33", label)
	case "low":
		return p.sgr("36", label)
	}
	return label
}

// align is a column's alignment in a table.
type align int

const (
	left align = iota
	right
)

// table writes rows as aligned columns under a header, indented by two
// spaces, with no borders. Cells must already be sanitised.
func table(w *bufio.Writer, p painter, header []string, aligns []align, rows [][]string) {
	var buf bytes.Buffer
	fixLocaleWidths()
	tw := tablewriter.NewWriter(&buf)
	hdr := make([]string, len(header))
	for i, h := range header {
		hdr[i] = p.bold(h)
	}
	// Options first: v0.0.5 applies wrapping to the header inside SetHeader.
	tw.SetAutoFormatHeaders(false)
	tw.SetAutoWrapText(false)
	tw.SetBorder(false)
	tw.SetHeaderLine(false)
	tw.SetColumnSeparator("")
	tw.SetCenterSeparator("")
	tw.SetRowSeparator("")
	tw.SetTablePadding("  ")
	tw.SetNoWhiteSpace(true)
	tw.SetHeaderAlignment(tablewriter.ALIGN_LEFT)
	cols := make([]int, len(aligns))
	for i, a := range aligns {
		cols[i] = tablewriter.ALIGN_LEFT
		if a == right {
			cols[i] = tablewriter.ALIGN_RIGHT
		}
	}
	tw.SetColumnAlignment(cols)
	tw.SetHeader(hdr)
	tw.AppendBulk(rows)
	tw.Render()
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		w.WriteString("  ")
		w.WriteString(strings.TrimRight(line, " "))
		w.WriteByte('\n')
	}
}

// textReport writes one explain.Report as terminal text.
type textReport struct {
	w     *bufio.Writer
	p     painter
	width int
	rep   *explain.Report
	first bool
}

func writeText(w *bufio.Writer, rep *explain.Report, opt Options) error {
	t := &textReport{w: w, p: painter{opt.Color}, width: opt.width(), rep: rep, first: true}
	t.header()
	t.hotPath()
	t.categories()
	t.hotspots()
	t.findings()
	t.crossings()
	t.quality()
	t.plan()
	t.notes()
	return nil
}

func (t *textReport) value(v int64) string { return formatValue(v, t.rep.SampleType.Unit) }

func (t *textReport) section(title, note string) {
	t.w.WriteByte('\n')
	t.w.WriteString(t.p.bold(title))
	if note != "" {
		t.w.WriteString(t.p.dim("  (" + note + ")"))
	}
	t.w.WriteByte('\n')
}

// field writes "  label  text" with the text wrapped under itself.
func (t *textReport) field(label string, labelWidth int, text string) {
	pad := strings.Repeat(" ", labelWidth-utf8.RuneCountInString(label))
	t.hang("  "+label+pad, "  "+t.p.dim(label)+pad, termProse(text))
}

// hang writes text wrapped to the width, its first line after a prefix and
// the others indented under it. plain is the prefix as it counts for width;
// shown is the same prefix as written (with colour).
func (t *textReport) hang(plain, shown, text string) {
	out := wrap(text, t.width, plain, strings.Repeat(" ", utf8.RuneCountInString(plain)))
	if rest, ok := strings.CutPrefix(out, plain); ok {
		t.w.WriteString(shown + rest)
		return
	}
	// Empty text: wrap trimmed the prefix's trailing spaces.
	t.w.WriteString(strings.TrimRight(shown, " ") + "\n")
}

func (t *textReport) header() {
	r := t.rep
	title := "hotspot explain"
	if r.Input.Path != "" {
		title += ": " + termLine(r.Input.Path)
	}
	t.w.WriteString(t.p.bold(title))
	t.w.WriteByte('\n')
	const lw = 13
	format := termLine(r.Input.Format)
	if r.Input.Producer != "" && r.Input.Producer != r.Input.Format {
		format += ", " + termLine(r.Input.Producer)
	}
	if format != "" {
		t.field("format", lw, format)
	}
	if r.Input.Recording != "" {
		t.field("recording", lw, r.Input.Recording)
	}
	if st := sampleTypeText(r.SampleType); st != "" {
		t.field("sample type", lw, st)
	}
	t.field("total", lw, totalText(r))
	if r.Idle > 0 {
		idle := formatValue(r.Idle, r.SampleType.Unit)
		if c, ok := category(r, "idle"); ok {
			idle += ", " + formatShare(c.Share) + " of the total"
		}
		t.field("active", lw, formatValue(r.ActiveTotal, r.SampleType.Unit)+" (idle "+idle+"; hotspots and findings rank by the active part)")
	}
	if n := len(r.Warnings); n > 0 {
		t.field("notes", lw, plural(n, "warning", "warnings")+" at the end")
	}
}

// totalText is the total with its unit and the number of samples behind it;
// a profile whose values are sample counts says so once.
func totalText(r *explain.Report) string {
	if r.Samples > 0 && r.Total == r.Samples && !isTimeOrBytes(r.SampleType.Unit) {
		return thousands(r.Samples) + " samples"
	}
	total := formatValueUnit(r.Total, sampleUnit{unit: r.SampleType.Unit})
	if r.Samples > 0 {
		total += " in " + thousands(r.Samples) + " samples"
	}
	return total
}

// sampleTypeText is "name (unit)", or what of it is known.
func sampleTypeText(st explain.SampleType) string {
	switch {
	case st.Unit == "":
		return st.Name
	case st.Name == "":
		return st.Unit
	}
	return st.Name + " (" + st.Unit + ")"
}

// category finds a category's row by name.
func category(r *explain.Report, name string) (explain.CategoryShare, bool) {
	for _, c := range r.Categories {
		if c.Name == name {
			return c, true
		}
	}
	return explain.CategoryShare{}, false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(int64(n)) + " " + many
}

func (t *textReport) hotPath() {
	r := t.rep
	t.section("HOT PATH", "")
	if r.Summary != "" {
		t.w.WriteString(wrap(termProse(r.Summary), t.width, "  ", "  "))
	}
	if r.Flat {
		t.w.WriteString(wrap("(Flat profile: no hotspot is singled out; the findings follow the flat-profile playbook.)", t.width, "  ", "  "))
	}
	if len(r.HotPath) == 0 {
		if r.Summary == "" {
			t.w.WriteString("  No samples.\n")
		}
		return
	}
	t.w.WriteByte('\n')
	rows := make([][]string, len(r.HotPath))
	budget := t.width - 2 - 7 - 2 - 8 - 2
	for i, f := range r.HotPath {
		rows[i] = []string{formatShare(f.TotalShare), truncate(termLine(f.Function), budget), termLine(f.Kind)}
	}
	table(t.w, t.p, []string{"TOTAL%", "FUNCTION (root first)", "KIND"}, []align{right, left, left}, rows)
}

func (t *textReport) categories() {
	r := t.rep
	t.section("WHERE THE COST GOES", "shares of the total, idle included")
	if len(r.Categories) == 0 {
		t.w.WriteString("  No cost recorded.\n")
		return
	}
	rows := make([][]string, len(r.Categories))
	for i, c := range r.Categories {
		rows[i] = []string{termLine(c.Name), t.value(c.Value), formatShare(c.Share), bar(c.Share, 20)}
	}
	table(t.w, t.p, []string{"CATEGORY", "VALUE", "SHARE", ""}, []align{left, right, right, left}, rows)
}

// bar draws a share as up to n '#' characters (ASCII, so widths never depend
// on the terminal's locale).
func bar(share float64, n int) string {
	k := int(share*float64(n) + 0.5)
	return strings.Repeat("#", max(0, min(n, k)))
}

func (t *textReport) hotspots() {
	r := t.rep
	note := "by self cost; shares of the active total"
	if r.Idle == 0 {
		note = "by self cost; shares of the total"
	}
	t.section("HOTSPOTS", note)
	if len(r.Hotspots) == 0 {
		t.w.WriteString("  None.\n")
		return
	}
	// The total value is left out (its share is kept) to leave room for names.
	header := []string{"#", "FUNCTION / FILE", "KIND", "CATEGORY", "SELF", "SELF%", "TOTAL%"}
	rows := make([][]string, len(r.Hotspots))
	other := make([]int, len(header))
	for i, h := range r.Hotspots {
		rows[i] = []string{strconv.Itoa(i + 1), "", termLine(h.Kind), termLine(h.Category),
			t.value(h.Self), formatShare(h.SelfShare), formatShare(h.TotalShare)}
		for j, c := range rows[i] {
			other[j] = max(other[j], utf8.RuneCountInString(c), utf8.RuneCountInString(header[j]))
		}
	}
	// The function column gets what the other columns leave of the width.
	budget := t.width - 2 - 2*(len(header)-1)
	for j, w := range other {
		if j != 1 {
			budget -= w
		}
	}
	budget = max(budget, 24)
	for i, h := range r.Hotspots {
		cell := truncate(termLine(h.Function), budget)
		if h.File != "" {
			cell += "\n" + truncateLeft(termLine(h.File), budget)
		}
		rows[i][1] = cell
	}
	table(t.w, t.p, header, []align{right, left, left, left, right, right, right}, rows)
}

func (t *textReport) findings() {
	r := t.rep
	t.section("FINDINGS", "ranked by the cost they could remove")
	if len(r.Findings) == 0 {
		t.w.WriteString("  None: no catalogue pattern matched this profile.\n")
		return
	}
	const lw = 11
	for i, f := range r.Findings {
		if i > 0 {
			t.w.WriteByte('\n')
		}
		num := strconv.Itoa(i+1) + "."
		title := termLine(f.Title)
		if title == "" {
			title = termLine(f.Hint)
		}
		t.w.WriteString("  " + num + " " + t.p.severity(f.Severity) + " " + t.p.bold(title) + "\n")
		meta := "hint " + termLine(f.Hint) + ", category " + termLine(f.Category) + ", up to " + formatShare(f.Share)
		if f.Value > 0 {
			meta += " (" + t.value(f.Value) + ")"
		}
		body := strings.Repeat(" ", 3+len(num))
		t.w.WriteString(t.p.dim(strings.TrimRight(wrap(meta, t.width, body, body), "\n")) + "\n")
		sub := &textReport{w: t.w, p: t.p, width: t.width, rep: r}
		pad := strings.Repeat(" ", 1+len(num))
		sub.labelled(pad, "Evidence", lw, f.Evidence)
		if f.Context != "" {
			sub.labelled(pad, "Context", lw, f.Context)
		}
		if len(f.Functions) > 0 {
			names := make([]string, len(f.Functions))
			for j, fn := range f.Functions {
				names[j] = truncate(termLine(fn), 80)
			}
			sub.labelled(pad, "Functions", lw, strings.Join(names, ", "))
		}
		sub.labelled(pad, "Fix", lw, f.Fix)
		sub.labelled(pad, "Impact", lw, f.ExpectedImpact)
		sub.labelled(pad, "Tradeoffs", lw, f.Tradeoffs)
		sub.labelled(pad, "Measure", lw, f.Measure)
		for _, s := range f.Sketches {
			t.w.WriteString("  " + pad + t.p.dim("Sketch ("+termLine(s.Language)+"), before:") + "\n")
			t.w.WriteString(indent(termText(s.Before), "  "+pad+"    "))
			t.w.WriteString("  " + pad + t.p.dim("after:") + "\n")
			t.w.WriteString(indent(termText(s.After), "  "+pad+"    "))
		}
	}
}

// labelled writes "<pad>Label:    text" with the text wrapped under itself;
// empty text writes nothing.
func (t *textReport) labelled(pad, label string, lw int, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	label += ":"
	gap := strings.Repeat(" ", max(1, lw-utf8.RuneCountInString(label)))
	t.hang("  "+pad+label+gap, "  "+pad+t.p.dim(label)+gap, termProse(text))
}

func (t *textReport) crossings() {
	c := t.rep.Crossings
	t.section("CROSSINGS", "Python <-> native transitions on the stacks, weighted by samples")
	if c.PythonToNative == 0 && c.NativeToPython == 0 && len(c.Entries) == 0 {
		t.w.WriteString("  None seen.\n")
		return
	}
	fmt.Fprintf(t.w, "  Python -> native: %s    native -> Python: %s\n", thousands(c.PythonToNative), thousands(c.NativeToPython))
	if len(c.Entries) == 0 {
		return
	}
	t.w.WriteByte('\n')
	budget := max(24, t.width-2-3*(2+10))
	rows := make([][]string, len(c.Entries))
	for i, e := range c.Entries {
		rows[i] = []string{truncate(termLine(e.Function), budget), t.value(e.Glue), t.value(e.Work), formatRatio(e.GlueRatio)}
	}
	table(t.w, t.p, []string{"NATIVE ENTRY", "GLUE", "WORK", "GLUE/ALL"}, []align{left, right, right, right}, rows)
}

func (t *textReport) quality() {
	q := t.rep.Quality
	t.section("CAPTURE QUALITY", "")
	const lw = 15
	if q.Kind != "" {
		t.field("recording", lw, q.Kind)
	}
	named := "not named (Python functions cannot be told apart)"
	if q.PythonFrames {
		named = "named"
	}
	t.field("python frames", lw, named)
	t.field("unsymbolized", lw, formatShare(q.Unsymbolized)+" of the cost is in [unknown] or 0x... frames")
	t.field("truncated", lw, formatShare(q.Truncated)+" of the stacks never reach a process root")
	t.list("can see", lw, q.CanSee, "- ")
	t.list("cannot see", lw, q.CannotSee, "- ")
	// Commands stay on one line each, so that they can be copied.
	for i, cmd := range q.Next {
		l := ""
		if i == 0 {
			l = "next"
		}
		t.w.WriteString("  " + t.p.dim(l) + strings.Repeat(" ", lw-len(l)) + "$ " + termLine(cmd) + "\n")
	}
}

// list writes a labelled list, one wrapped item per line.
func (t *textReport) list(label string, lw int, items []string, bullet string) {
	for i, it := range items {
		l := ""
		if i == 0 {
			l = label
		}
		pad := strings.Repeat(" ", lw-utf8.RuneCountInString(l))
		t.hang("  "+l+pad+bullet, "  "+t.p.dim(l)+pad+bullet, termProse(it))
	}
}

func (t *textReport) plan() {
	t.section("MEASUREMENT PLAN", "")
	if len(t.rep.Plan) == 0 {
		t.w.WriteString("  Nothing to add.\n")
		return
	}
	for i, step := range t.rep.Plan {
		num := strconv.Itoa(i+1) + ". "
		t.w.WriteString(wrap(termProse(step), t.width, "  "+num, strings.Repeat(" ", 2+len(num))))
	}
}

func (t *textReport) notes() {
	if len(t.rep.Warnings) == 0 {
		return
	}
	t.section("NOTES", "")
	for i, n := range t.rep.Warnings {
		num := "[" + strconv.Itoa(i+1) + "] "
		t.w.WriteString(wrap(termProse(n), t.width, "  "+num, strings.Repeat(" ", 2+len(num))))
	}
}
