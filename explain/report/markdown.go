package report

import (
	"bufio"
	"bytes"
	"path"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/explain"
)

// Markdown output is meant to be pasted into an incident ticket: the summary
// comes first (hypothesis, top findings, plan), the details are folded in
// <details> blocks. Every string from the report is escaped: mdInline/mdText
// for Markdown text and table cells, htmlLine for <summary> elements, and
// fenced blocks longer than any backtick run for code.

// mdTopFindings is how many findings the summary table lists.
const mdTopFindings = 5

// mdNameLimit caps symbol names in tables; a pathological name must not
// swallow the ticket.
const mdNameLimit = 200

// mdWidth is where prose lines break, so that the source reads well in a
// review or an e-mail too.
const mdWidth = 80

type mdReport struct {
	w   *bufio.Writer
	rep *explain.Report
}

func writeMarkdown(out *bufio.Writer, rep *explain.Report, brief bool) error {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	m := &mdReport{w: w, rep: rep}
	m.summary()
	if brief {
		return finishMarkdown(out, w, &buf)
	}
	m.findingDetails()
	m.ruledOut()
	m.categories()
	m.hotspots()
	m.hotPath()
	m.crossings()
	m.quality()
	if xs := extraFields(rep, knownReport); len(xs) > 0 {
		m.line("### More")
		m.line()
		for _, x := range xs {
			m.para(capitalize(x.label), x.text)
		}
	}
	m.notes()
	return finishMarkdown(out, w, &buf)
}

func finishMarkdown(out, w *bufio.Writer, buf *bytes.Buffer) error {
	if err := w.Flush(); err != nil {
		return err
	}
	// Every block ends with a blank line; the document ends with one newline.
	out.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	out.WriteByte('\n')
	return nil
}

func (m *mdReport) value(v int64) string { return formatValue(v, m.rep.SampleType.Unit) }

func (m *mdReport) line(parts ...string) {
	for _, p := range parts {
		m.w.WriteString(p)
	}
	m.w.WriteByte('\n')
}

// mdTable writes a GitHub-flavoured table. Cells must already be escaped.
func mdTable(w *bufio.Writer, header []string, aligns []align, rows [][]string) {
	w.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for _, a := range aligns {
		if a == right {
			w.WriteString("--:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteByte('\n')
	for _, r := range rows {
		w.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
}

func (m *mdReport) summary() {
	r := m.rep
	// The heading names the file only: a machine's directories say
	// nothing to the ticket's readers, and the Input line has the path.
	title := "hotspot explain"
	if r.Input.Path != "" {
		title += ": " + mdInline(baseName(r.Input.Path))
	}
	m.line("## ", title)
	m.line()
	if h := r.Headline; h.Cause != "" {
		m.wrapped("- **Cause:** " + mdText(h.Cause))
		m.wrapped("- **Evidence:** " + mdText(h.Evidence))
		m.wrapped("- **Fix:** " + mdText(h.Fix))
		m.line()
	} else if r.Summary != "" {
		m.wrapped("**Hot path.** " + mdText(r.Summary))
		m.line()
	}
	if r.Flat {
		m.line("> **Flat profile:** no hotspot is singled out; the findings follow the flat-profile playbook.")
		m.line()
	}
	var input []string
	if r.Input.Path != "" {
		input = append(input, mdCode(r.Input.Path, false))
	}
	if r.Input.Format != "" {
		input = append(input, mdInline(r.Input.Format))
	}
	if r.Input.Producer != "" && r.Input.Producer != r.Input.Format {
		input = append(input, mdInline(r.Input.Producer))
	}
	if len(input) > 0 {
		m.item("- ", "**Input:** "+strings.Join(input, ", "))
	}
	rec := []string{}
	if r.Input.Recording != "" {
		rec = append(rec, mdInline(r.Input.Recording))
	}
	if st := sampleTypeText(r.SampleType); st != "" {
		rec = append(rec, "sample type "+mdInline(st))
	}
	if len(rec) > 0 {
		m.item("- ", "**Recording:** "+strings.Join(rec, "; "))
	}
	total := totalText(r)
	if r.Idle > 0 {
		idle := m.value(r.Idle)
		if c, ok := category(r, "idle"); ok {
			idle += ", " + formatShare(c.Share) + " of the total"
		}
		total += "; active " + m.value(r.ActiveTotal) + " (idle " + idle + "; findings rank by the active part)"
	}
	m.item("- ", "**Total:** "+mdInline(total))
	if n := len(r.Warnings); n > 0 {
		m.line("- **Notes:** ", plural(n, "warning", "warnings"), " at the end")
	}
	m.line()

	m.line("### Top findings")
	m.line()
	if len(r.Findings) == 0 {
		m.line("None: no catalogue pattern matched this profile.")
	} else {
		// A list, not a table: titles are prose and wrap.
		for i, f := range r.Findings {
			if i == mdTopFindings {
				break
			}
			m.item(strconv.Itoa(i+1)+". ", "**"+mdInline(f.Severity)+":** "+mdInline(findingTitle(f))+
				" (up to "+mdShare(f.Share)+"; risk "+mdInline(riskOr(f.Risk))+"; "+mdInline(f.Category)+"; hint "+mdCode(f.Hint, false)+")")
		}
		if n := len(r.Findings) - mdTopFindings; n > 0 {
			m.line()
			m.line("And ", plural(n, "more finding", "more findings"), " in the details below.")
		}
	}
	m.line()
	if len(r.Plan) > 0 {
		m.line("### Measurement plan")
		m.line()
		for i, step := range r.Plan {
			m.item(strconv.Itoa(i+1)+". ", mdText(step))
		}
		m.line()
	}
}

// mdShare is formatShare escaped for Markdown ("<0.1%").
func mdShare(f float64) string { return mdInline(formatShare(f)) }

func findingTitle(f explain.Finding) string {
	if f.Title != "" {
		return f.Title
	}
	return f.Hint
}

// open starts a folded block whose summary is HTML-escaped text.
func (m *mdReport) open(summary string) {
	m.line("<details>")
	m.line("<summary>", htmlLine(summary), "</summary>")
	m.line()
}

func (m *mdReport) close() {
	m.line("</details>")
	m.line()
}

// para writes a labelled paragraph, or nothing for empty text.
func (m *mdReport) para(label, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	m.wrapped("**" + label + ".** " + mdText(text))
	m.line()
}

// wrapped writes a paragraph broken at mdWidth.
func (m *mdReport) wrapped(text string) { m.w.WriteString(mdWrap(text, mdWidth, "", "")) }

// item writes a list item whose continuation lines are indented under it.
func (m *mdReport) item(marker, text string) {
	m.w.WriteString(mdWrap(text, mdWidth, marker, strings.Repeat(" ", len(marker))))
}

// baseName is the last element of a slash- or backslash-separated path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 && i < len(p)-1 {
		return p[i+1:]
	}
	return p
}

func (m *mdReport) findingDetails() {
	r := m.rep
	if len(r.Findings) == 0 {
		return
	}
	m.line("### Findings in detail")
	m.line()
	for i, f := range r.Findings {
		m.open(strconv.Itoa(i+1) + ". [" + f.Severity + "] " + findingTitle(f) + " (" + f.Hint + ", up to " + formatShare(f.Share) + ")")
		meta := "Hint " + f.Hint + ", category " + f.Category + ", up to " + formatShare(f.Share) + " of the active total"
		if f.Value > 0 {
			meta += " (" + m.value(f.Value) + ")"
		}
		if f.Risk != "" {
			meta += ", risk " + f.Risk
		}
		if c := claimText(f, m.value); c != "" {
			meta += "; " + c
		}
		m.wrapped(mdInline(meta) + ".")
		m.line()
		m.para("Cause", f.Cause)
		m.para("Claim", f.Claim)
		m.para("Evidence", f.Evidence)
		m.para("Context", f.Context)
		if len(f.Functions) > 0 {
			names := make([]string, len(f.Functions))
			for j, fn := range f.Functions {
				names[j] = mdCode(truncate(fn, mdNameLimit), false)
			}
			m.wrapped("**Functions.** " + strings.Join(names, ", "))
			m.line()
		}
		if len(f.Lines) > 0 {
			m.line("**Lines:**")
			m.line()
			for _, l := range f.Lines {
				item := mdCode(location(path.Base(l.File), l.Line), false) + " in " + mdCode(l.Function, false) + ", " + formatShare(l.Share) + " under it"
				if text := strings.TrimSpace(l.Text); text != "" {
					item += ": " + mdCode(text, false)
				}
				m.item("- ", item)
			}
			m.line()
		}
		m.para("Fix", f.Fix)
		m.para("Expected impact", f.ExpectedImpact)
		m.para("Tradeoffs", f.Tradeoffs)
		m.para("Measure", f.Measure)
		if len(f.Targets) > 0 {
			m.line("**Targets:**")
			m.line()
			for _, target := range f.Targets {
				m.item("- ", mdText(target))
			}
			m.line()
		}
		for _, x := range extraFields(f, knownFinding) {
			m.para(capitalize(x.label), x.text)
		}
		for _, s := range f.Sketches {
			writeSketch(m.w, s.Language, s.Before, s.After)
		}
		m.close()
	}
}

// writeSketch writes a before/after pair as two fenced blocks.
func writeSketch(w *bufio.Writer, lang, before, after string) {
	l := strings.Map(func(r rune) rune { // an info string must stay one plain word
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '-' {
			return r
		}
		return -1
	}, strings.ToLower(lang))
	for _, part := range []struct{ label, code string }{{"before", before}, {"after", after}} {
		code := strings.TrimRight(sanitize(strings.ReplaceAll(part.code, "\t", "    "), true), "\n")
		f := fence(code)
		w.WriteString("Sketch (" + mdInline(lang) + "), " + part.label + ":\n\n")
		w.WriteString(f + l + "\n" + code + "\n" + f + "\n\n")
	}
}

func (m *mdReport) categories() {
	r := m.rep
	if len(r.Categories) == 0 {
		return
	}
	m.open("Where the cost goes: " + plural(len(r.Categories), "category", "categories") + " (shares of the total, idle included)")
	rows := make([][]string, len(r.Categories))
	for i, c := range r.Categories {
		rows[i] = []string{mdInline(c.Name), m.value(c.Value), mdShare(c.Share)}
	}
	mdTable(m.w, []string{"Category", "Value", "Share"}, []align{left, right, right}, rows)
	m.line()
	m.close()
}

func (m *mdReport) hotspots() {
	r := m.rep
	if len(r.Hotspots) == 0 {
		return
	}
	of := "total"
	if r.Idle > 0 {
		of = "active total"
	}
	m.open("Hotspots: top " + strconv.Itoa(len(r.Hotspots)) + " by self cost (shares of the " + of + ")")
	rows := make([][]string, len(r.Hotspots))
	for i, h := range r.Hotspots {
		rows[i] = []string{strconv.Itoa(i + 1), mdCode(truncate(h.Function, mdNameLimit), true), mdCode(truncateLeft(location(h.File, h.Line), mdNameLimit), true),
			mdInline(h.Kind), mdInline(h.Category), m.value(h.Self), mdShare(h.SelfShare), m.value(h.Total), mdShare(h.TotalShare)}
	}
	mdTable(m.w, []string{"#", "Function", "File", "Kind", "Category", "Self", "Self %", "Total", "Total %"},
		[]align{right, left, left, left, left, right, right, right, right}, rows)
	m.line()
	m.close()
}

func (m *mdReport) hotPath() {
	r := m.rep
	if len(r.HotPath) == 0 {
		return
	}
	m.open("Hot path: " + plural(len(r.HotPath), "frame", "frames") + ", root first")
	rows := make([][]string, len(r.HotPath))
	for i, f := range r.HotPath {
		rows[i] = []string{mdShare(f.TotalShare), mdCode(truncate(f.Function, mdNameLimit), true), mdInline(f.Kind)}
	}
	mdTable(m.w, []string{"Total %", "Function", "Kind"}, []align{right, left, left}, rows)
	m.line()
	m.close()
}

func (m *mdReport) crossings() {
	c := m.rep.Crossings
	if c.PythonToNative == 0 && c.NativeToPython == 0 && len(c.Entries) == 0 {
		return
	}
	m.open("Crossings: Python -> native " + thousands(c.PythonToNative) + ", native -> Python " + thousands(c.NativeToPython))
	m.line("Transitions seen on the stacks, weighted by samples.")
	m.line()
	if len(c.Entries) > 0 {
		rows := make([][]string, len(c.Entries))
		for i, e := range c.Entries {
			rows[i] = []string{mdCode(truncate(e.Function, mdNameLimit), true), m.value(e.Glue), m.value(e.Convert), m.value(e.Work), mdShare(e.GlueRatio)}
		}
		mdTable(m.w, []string{"Native entry", "Per-call glue", "Element conversion", "Work", "Glue / all"}, []align{left, right, right, right, right}, rows)
		m.line()
	}
	m.close()
}

func (m *mdReport) quality() {
	q := m.rep.Quality
	title := "Capture quality"
	if q.Kind != "" {
		title += ": " + q.Kind
	}
	m.open(title)
	named := "not named (Python functions cannot be told apart)"
	if q.PythonFrames {
		named = "named"
	}
	if q.Runtime == "" || q.Runtime == "python" {
		m.line("- **Python frames:** ", named)
	}
	m.line("- **Unsymbolized:** ", mdShare(q.Unsymbolized), " of the cost is in `[unknown]` or `0x...` frames")
	m.line("- **Truncated:** ", mdShare(q.Truncated), " of the stacks never reach a process root")
	m.line()
	for _, l := range []struct {
		label string
		items []string
	}{{"Can see", q.CanSee}, {"Cannot see", q.CannotSee}} {
		if len(l.items) == 0 {
			continue
		}
		m.line("**", l.label, ":**")
		m.line()
		for _, it := range l.items {
			m.item("- ", mdText(it))
		}
		m.line()
	}
	if len(q.Next) > 0 {
		m.line("**To see more, record:**")
		m.line()
		lines := make([]string, len(q.Next))
		for i, n := range q.Next { // one command per line, whatever the command holds
			lines[i] = sanitize(n, false)
		}
		code := strings.Join(lines, "\n")
		f := fence(code)
		m.line(f, "sh")
		m.line(code)
		m.line(f)
		m.line()
	}
	m.close()
}

// ruledOut lists the hints explain considered and left out, with why.
func (m *mdReport) ruledOut() {
	if len(m.rep.RuledOut) == 0 {
		return
	}
	m.line("### Not recommended")
	m.line()
	for _, r := range m.rep.RuledOut {
		head := r.Title
		if len(r.Functions) > 0 {
			head += " (" + strings.Join(r.Functions, ", ") + ")"
		}
		m.item("- ", mdText(head+": "+r.Reason))
	}
	m.line()
}

func (m *mdReport) notes() {
	if len(m.rep.Warnings) == 0 {
		return
	}
	m.line("### Notes")
	m.line()
	for i, n := range m.rep.Warnings {
		m.item(strconv.Itoa(i+1)+". ", mdText(n))
	}
}
