package report

import (
	"bufio"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hotspot-dev/hotspot/explain"
)

// Everything written to the terminal passes through termLine, termProse or
// termText first, so no escape sequence from a profile reaches it; the only
// escape sequences written are the painter's own.
//
// The layout answers "what do I change first" on the first screen: a
// two-line header, the summary (cause, evidence and fix of the top finding),
// the findings ranked one a line, and only then the details. Brief stops
// after the ranked findings.

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

// severity colours high red, medium yellow and low cyan; padded is the
// label as laid out in its column.
func (p painter) severity(sev, padded string) string {
	switch sev {
	case "high":
		return p.sgr("1;31", padded)
	case "medium":
		return p.sgr("33", padded)
	case "low":
		return p.sgr("36", padded)
	}
	return padded
}

// textReport writes one explain.Report as terminal text.
type textReport struct {
	w     *bufio.Writer
	p     painter
	width int
	wide  bool
	rep   *explain.Report
}

func writeText(w *bufio.Writer, rep *explain.Report, opt Options) error {
	t := &textReport{w: w, p: painter{opt.Color}, width: opt.width(), wide: opt.Wide, rep: rep}
	t.header()
	t.summary()
	t.ranked()
	if opt.Brief {
		return nil
	}
	t.findingDetails()
	t.ruledOut()
	t.categories()
	t.hotspots()
	t.hotPath()
	t.crossings()
	t.quality()
	t.plan()
	t.more()
	t.notes()
	return nil
}

// more lays out report fields this renderer has no place for yet.
func (t *textReport) more() {
	xs := extraFields(t.rep, knownReport)
	if len(xs) == 0 {
		return
	}
	t.section("MORE", "")
	for _, x := range xs {
		t.labelled("", capitalize(x.label), 11, x.text)
	}
}

// capitalize upper-cases the first letter of a label.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (t *textReport) value(v int64) string { return formatValue(v, t.rep.SampleType.Unit) }

func (t *textReport) section(title, note string) {
	t.w.WriteByte('\n')
	t.w.WriteString(t.p.bold(title))
	if note != "" {
		plain := title + "  (" + note + ")"
		if utf8.RuneCountInString(plain) <= t.width {
			t.w.WriteString(t.p.dim("  (" + note + ")"))
		} else {
			t.w.WriteByte('\n')
			t.w.WriteString(t.p.dim(strings.TrimRight(wrap("("+note+")", t.width, "  ", "  "), "\n")))
		}
	}
	t.w.WriteByte('\n')
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

// header is the title and one wrapped line saying what was read.
func (t *textReport) header() {
	r := t.rep
	title := "hotspot explain"
	if r.Input.Path != "" {
		title += ": " + termLine(r.Input.Path)
	}
	t.w.WriteString(t.p.bold(title))
	t.w.WriteByte('\n')
	var what []string
	format := termLine(r.Input.Format)
	if r.Input.Producer != "" && r.Input.Producer != r.Input.Format {
		format += ", " + termLine(r.Input.Producer)
	}
	if format != "" {
		what = append(what, format)
	}
	if r.Input.Recording != "" {
		what = append(what, termLine(r.Input.Recording))
	}
	if r.SampleType.Name != "" { // the unit shows in the values
		what = append(what, termLine(r.SampleType.Name))
	}
	line := strings.Join(what, ", ")
	if line != "" {
		line += ": "
	}
	line += totalText(r)
	if r.Idle > 0 {
		line += "; active " + t.value(r.ActiveTotal) + ", idle " + t.value(r.Idle)
		if c, ok := category(r, "idle"); ok {
			line += " (" + formatShare(c.Share) + ")"
		}
	}
	if n := len(r.Warnings); n > 0 {
		line += "; " + plural(n, "note", "notes") + " at the end"
	}
	t.w.WriteString(t.p.dim(strings.TrimRight(wrap(line+".", t.width, "  ", "  "), "\n")) + "\n")
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

// summary is the answer to "what do I change first": the engine's
// hypothesis, then the fix and evidence of the top finding.
func (t *textReport) summary() {
	r := t.rep
	t.section("SUMMARY", "")
	const lw = 10
	cause := r.Summary
	if r.Flat {
		cause = strings.TrimSpace(cause + " Flat profile: no hotspot is singled out; the findings follow the flat-profile playbook.")
	}
	if cause == "" && len(r.Findings) == 0 {
		t.w.WriteString("  No samples.\n")
		return
	}
	if h := r.Headline; h.Cause != "" {
		// The engine's headline: the cause, one number of evidence, the
		// fix, each one sentence in the program's names.
		t.labelled("", "Cause", lw, h.Cause)
		t.labelled("", "Evidence", lw, h.Evidence)
		t.labelled("", "Fix", lw, h.Fix)
		return
	}
	t.labelled("", "Cause", lw, cause)
	if len(r.Findings) > 0 {
		f := r.Findings[0]
		// The fix comes before the evidence, so that both the cause and
		// the fix are on the first screen of an 80-column terminal.
		t.labelled("", "Fix", lw, f.Fix)
		t.labelled("", "Evidence", lw, f.Evidence)
	}
}

// ranked lists the findings one a line, titles shortened to fit.
func (t *textReport) ranked() {
	r := t.rep
	note := "ranked by removable cost per unit of risk; details below"
	if len(r.Findings) == 0 {
		note = ""
	}
	t.section("FINDINGS", note)
	if len(r.Findings) == 0 {
		t.w.WriteString("  None: no catalogue pattern matched this profile.\n")
		return
	}
	// Titles are prose that reads from the left: they wrap under
	// themselves instead of being cut.
	cols := []string{"#", "SEVERITY", "UP TO", "RISK", "CATEGORY"}
	rows := make([][]string, len(r.Findings))
	widths := make([]int, len(cols))
	for j, c := range cols {
		widths[j] = strWidth(c)
	}
	for i, f := range r.Findings {
		rows[i] = []string{strconv.Itoa(i + 1), termLine(f.Severity), formatShare(f.Share), termLine(riskOr(f.Risk)), termLine(f.Category)}
		for j, c := range rows[i] {
			widths[j] = max(widths[j], strWidth(c))
		}
	}
	pad := func(s string, w int, a align) string {
		sp := strings.Repeat(" ", max(0, w-strWidth(s)))
		if a == right {
			return sp + s
		}
		return s + sp
	}
	aligns := []align{right, left, right, left, left}
	var hdr strings.Builder
	for j, c := range cols {
		hdr.WriteString(pad(c, widths[j], aligns[j]) + "  ")
	}
	t.w.WriteString("  " + t.p.bold(hdr.String()+"FINDING") + "\n")
	for i, f := range r.Findings {
		var plain, shown strings.Builder
		plain.WriteString("  ")
		shown.WriteString("  ")
		for j, c := range rows[i] {
			cell := pad(c, widths[j], aligns[j])
			plain.WriteString(cell + "  ")
			if j == 1 {
				cell = t.p.severity(f.Severity, cell)
			}
			shown.WriteString(cell + "  ")
		}
		title := findingTitle(f)
		if f.Confidence != "" {
			title += " (" + f.Confidence + " confidence)"
		}
		t.hang(plain.String(), shown.String(), termLine(title))
	}
}

func (t *textReport) findingDetails() {
	r := t.rep
	const lw = 11
	for i, f := range r.Findings {
		num := strconv.Itoa(i + 1)
		t.section("FINDING "+num, "")
		t.hang("  ", "  ", t.p.severity(f.Severity, "["+termLine(f.Severity)+"]")+" "+t.p.bold(termLine(findingTitle(f))))
		meta := "hint " + termLine(f.Hint) + ", category " + termLine(f.Category) + ", up to " + formatShare(f.Share)
		if f.Value > 0 {
			meta += " (" + t.value(f.Value) + ")"
		}
		if f.Risk != "" {
			meta += ", risk " + termLine(f.Risk)
		}
		if f.Confidence != "" {
			meta += ", " + termLine(f.Confidence) + " confidence"
		}
		if c := claimText(f, t.value); c != "" {
			meta += "; " + c
		}
		t.w.WriteString(t.p.dim(strings.TrimRight(wrap(meta, t.width, "  ", "  "), "\n")) + "\n")
		t.labelled("", "Cause", lw, f.Cause)
		t.labelled("", "Claim", lw, f.Claim)
		t.labelled("", "Evidence", lw, f.Evidence)
		t.labelled("", "Context", lw, f.Context)
		if len(f.Functions) > 0 {
			names := make([]string, len(f.Functions))
			for j, fn := range f.Functions {
				names[j] = termLine(fn)
			}
			if !t.wide {
				names = shortenDistinct(names, max(minFlex, t.width-2-lw))
			}
			t.labelled("", "Functions", lw, strings.Join(names, ", "))
		}
		t.sourceLines(f.Lines, lw)
		t.labelled("", "Fix", lw, f.Fix)
		t.labelled("", "Impact", lw, f.ExpectedImpact)
		t.labelled("", "Tradeoffs", lw, f.Tradeoffs)
		t.labelled("", "Measure", lw, f.Measure)
		for i, target := range f.Targets {
			label := ""
			if i == 0 {
				label = "Targets"
			}
			t.hang("  "+label+strings.Repeat(" ", lw-len(label))+"- ", "  "+t.p.dim(label)+strings.Repeat(" ", lw-len(label))+"- ", termProse(target))
		}
		for _, x := range extraFields(f, knownFinding) {
			t.labelled("", capitalize(x.label), lw, x.text)
		}
		for _, s := range f.Sketches {
			t.w.WriteString("  " + t.p.dim("Sketch ("+termLine(s.Language)+"), before:") + "\n")
			t.w.WriteString(indent(termText(s.Before), "    "))
			t.w.WriteString("  " + t.p.dim("after:") + "\n")
			t.w.WriteString(indent(termText(s.After), "    "))
		}
	}
}

// sourceLines lists a finding's hottest lines, each with its text when
// the source was read, wrapped under it.
func (t *textReport) sourceLines(lines []explain.SourceLine, lw int) {
	for j, l := range lines {
		label := ""
		if j == 0 {
			label = "Lines:"
		}
		gap := strings.Repeat(" ", lw-len(label))
		t.hang("  "+label+gap, "  "+t.p.dim(label)+gap, termLine(lineHead(l)))
		if text := strings.TrimSpace(l.Text); text != "" {
			pad := "  " + strings.Repeat(" ", lw+2)
			t.w.WriteString(wrap(termLine(text), t.width, pad, pad+"    "))
		}
	}
}

// lineHead is "json_loop.py:54 in pretty_dump, 20.1% under it".
func lineHead(l explain.SourceLine) string {
	return location(path.Base(l.File), l.Line) + " in " + l.Function + ", " + formatShare(l.Share) + " under it"
}

func (t *textReport) categories() {
	r := t.rep
	t.section("WHERE THE COST GOES", "shares of the total, idle included")
	if len(r.Categories) == 0 {
		t.w.WriteString("  No cost recorded.\n")
		return
	}
	rows := make([][]string, len(r.Categories))
	barWidth := max(5, min(20, t.width-2-13-2-9-2-6-2))
	for i, c := range r.Categories {
		rows[i] = []string{termLine(c.Name), t.value(c.Value), formatShare(c.Share), bar(c.Share, barWidth)}
	}
	tb := textTable{cols: []column{{header: "CATEGORY"}, {header: "VALUE", align: right}, {header: "SHARE", align: right}, {header: ""}},
		rows: rows, width: t.width, wide: t.wide}
	tb.write(t.w, t.p)
}

// bar draws a share as up to n '#' characters (ASCII, so widths never depend
// on the terminal's locale).
func bar(share float64, n int) string {
	k := int(share*float64(n) + 0.5)
	return strings.Repeat("#", max(0, min(n, k)))
}

// location is "file:line", or the file alone when the line is unknown.
func location(file string, line int64) string {
	if line > 0 && file != "" {
		return file + ":" + strconv.FormatInt(line, 10)
	}
	return file
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
	rows := make([][]string, len(r.Hotspots))
	for i, h := range r.Hotspots {
		cell := termLine(h.Function)
		second := termLine(location(h.File, h.Line))
		if h.Kind != "" {
			second = strings.TrimSpace(termLine(h.Kind) + "  " + second)
		}
		if second != "" {
			cell += "\n" + second
		}
		rows[i] = []string{strconv.Itoa(i + 1), formatShare(h.SelfShare), formatShare(h.TotalShare), t.value(h.Self), termLine(h.Category), cell}
	}
	tb := textTable{cols: []column{{header: "#", align: right}, {header: "SELF%", align: right}, {header: "TOTAL%", align: right},
		{header: "SELF", align: right}, {header: "CATEGORY"}, {header: "FUNCTION", flex: true}}, rows: rows, width: t.width, wide: t.wide}
	tb.write(t.w, t.p)
}

func (t *textReport) hotPath() {
	r := t.rep
	if len(r.HotPath) == 0 {
		return
	}
	t.section("HOT PATH", "root first")
	rows := make([][]string, len(r.HotPath))
	for i, f := range r.HotPath {
		rows[i] = []string{formatShare(f.TotalShare), termLine(f.Kind), termLine(f.Function)}
	}
	tb := textTable{cols: []column{{header: "TOTAL%", align: right}, {header: "KIND"}, {header: "FUNCTION", flex: true}},
		rows: rows, width: t.width, wide: t.wide}
	tb.write(t.w, t.p)
}

func (t *textReport) crossings() {
	c := t.rep.Crossings
	if c.PythonToNative == 0 && c.NativeToPython == 0 && len(c.Entries) == 0 {
		return
	}
	t.section("CROSSINGS", "Python <-> native transitions on the stacks, weighted by samples")
	fmt.Fprintf(t.w, "  Python -> native: %s    native -> Python: %s\n", thousands(c.PythonToNative), thousands(c.NativeToPython))
	if len(c.Entries) == 0 {
		return
	}
	t.w.WriteByte('\n')
	rows := make([][]string, len(c.Entries))
	for i, e := range c.Entries {
		rows[i] = []string{t.value(e.Glue), t.value(e.Convert), t.value(e.Work), formatRatio(e.GlueRatio), termLine(e.Function)}
	}
	tb := textTable{cols: []column{{header: "GLUE", align: right}, {header: "CONVERT", align: right}, {header: "WORK", align: right}, {header: "GLUE/ALL", align: right},
		{header: "NATIVE ENTRY", flex: true}}, rows: rows, width: t.width, wide: t.wide}
	tb.write(t.w, t.p)
}

func (t *textReport) quality() {
	q := t.rep.Quality
	t.section("CAPTURE QUALITY", "")
	const lw = 15
	field := func(label, text string) { t.field(label, lw, text) }
	if q.Kind != "" {
		field("recording", q.Kind)
	}
	named := "not named (Python functions cannot be told apart)"
	if q.PythonFrames {
		named = "named"
	}
	if q.Runtime == "" || q.Runtime == "python" {
		field("python frames", named)
	}
	field("unsymbolized", formatShare(q.Unsymbolized)+" of the cost is in [unknown] or 0x... frames")
	field("truncated", formatShare(q.Truncated)+" of the stacks never reach a process root")
	t.list("can see", lw, q.CanSee, "- ")
	t.list("cannot see", lw, q.CannotSee, "- ")
	// Commands stay on one line each, so that they can be copied; the
	// comment a command carries goes on the line above it. When one
	// command is too wide beside the label, all start at the margin, so
	// that they line up.
	besideLabel := true
	for _, cmd := range q.Next {
		line, comment := splitComment(termLine(cmd))
		plain := utf8.RuneCountInString(line)
		if comment != "" {
			plain += 2 + utf8.RuneCountInString(comment)
		}
		besideLabel = besideLabel && 2+lw+2+plain <= t.width
	}
	for i, cmd := range q.Next {
		l := ""
		if i == 0 {
			l = "next"
		}
		line, comment := splitComment(termLine(cmd))
		if besideLabel {
			if comment != "" {
				line += "  " + t.p.dim(comment)
			}
			t.w.WriteString("  " + t.p.dim(l) + strings.Repeat(" ", lw-len(l)) + "$ " + line + "\n")
			continue
		}
		// Too wide beside the label: the comment goes above the command,
		// and the command starts at the margin, whole.
		head := strings.TrimRight("  "+t.p.dim(l)+strings.Repeat(" ", lw-len(l))+t.p.dim(comment), " ")
		if strings.TrimSpace(head) != "" {
			t.w.WriteString(head + "\n")
		}
		t.w.WriteString("    $ " + line + "\n")
	}
}

// splitComment splits "cmd   # comment" into the command and "# comment".
func splitComment(cmd string) (string, string) {
	if i := strings.Index(cmd, "   # "); i >= 0 {
		return strings.TrimRight(cmd[:i], " "), strings.TrimSpace(cmd[i:])
	}
	return cmd, ""
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

// ruledOut lists the hints explain considered and left out, with why: what
// not to recommend from this profile.
func (t *textReport) ruledOut() {
	if len(t.rep.RuledOut) == 0 {
		return
	}
	t.section("NOT RECOMMENDED", "considered, with the evidence against")
	for _, r := range t.rep.RuledOut {
		head := "- " + r.Title
		if len(r.Functions) > 0 {
			head += " (" + strings.Join(r.Functions, ", ") + ")"
		}
		t.w.WriteString(wrap(termProse(head+": "+r.Reason), t.width, "  ", "    "))
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

// field writes "  label  text" with the text wrapped under itself.
func (t *textReport) field(label string, labelWidth int, text string) {
	pad := strings.Repeat(" ", labelWidth-utf8.RuneCountInString(label))
	t.hang("  "+label+pad, "  "+t.p.dim(label)+pad, termProse(text))
}
