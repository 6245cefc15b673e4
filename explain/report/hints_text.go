package report

import (
	"bufio"
	"strings"
	"unicode/utf8"

	"github.com/hotspot-dev/hotspot/hints"
)

// writeHintsText lists the catalogue: id, category and title, the title
// wrapped under itself rather than cut.
func writeHintsText(w *bufio.Writer, c *hints.Catalogue, opt Options) error {
	p := painter{opt.Color}
	idw, catw := len("ID"), len("CATEGORY")
	for _, h := range c.Hints {
		idw = max(idw, utf8.RuneCountInString(termLine(h.ID)))
		catw = max(catw, utf8.RuneCountInString(termLine(h.Category)))
	}
	col := func(s string, n int) string { return s + strings.Repeat(" ", n-utf8.RuneCountInString(s)+2) }
	t := &textReport{w: w, p: p, width: opt.width()}
	w.WriteString("  " + p.bold("ID") + strings.Repeat(" ", idw-2+2) + p.bold("CATEGORY") + strings.Repeat(" ", catw-8+2) + p.bold("TITLE") + "\n")
	for _, h := range c.Hints {
		prefix := "  " + col(termLine(h.ID), idw) + col(termLine(h.Category), catw)
		t.hang(prefix, prefix, termProse(h.Title))
	}
	w.WriteString("\n" + wrap("`hotspot hints ID` prints one entry in full.", opt.width(), "  ", "  "))
	return nil
}

// writeHintText prints one entry in full.
func writeHintText(w *bufio.Writer, h hints.Hint, costs []hints.UnitCost, opt Options) error {
	p := painter{opt.Color}
	width := opt.width()
	w.WriteString(p.bold(termLine(h.ID)+": "+termLine(h.Title)) + "\n")
	const lw = 12
	t := &textReport{w: w, p: p, width: width}
	t.field("category", lw, h.Category)
	t.list("signals", lw, h.Signals, "- ")
	t.field("why", lw, h.Why)
	t.field("fix", lw, h.Fix)
	t.field("impact", lw, h.Impact)
	items := make([]string, len(costs))
	for i, u := range costs {
		items[i] = u.ID + ": " + formatNSRange(u.LowNS, u.HighNS) + ", " + u.What + ". Source: " + u.Source + "."
	}
	t.list("unit costs", lw, items, "- ")
	t.field("tradeoffs", lw, h.Tradeoffs)
	t.field("risk", lw, h.Risk)
	t.field("measure", lw, h.Measure)
	if h.Limits != "" {
		t.field("limits", lw, h.Limits)
	}
	t.list("causes", lw, causeItems(h), "- ")
	t.list("sources", lw, h.Sources, "- ")
	for _, s := range h.Sketches {
		w.WriteString("\n  " + p.dim("Sketch ("+termLine(s.Language)+"), before:") + "\n")
		w.WriteString(indent(termText(s.Before), "      "))
		w.WriteString("  " + p.dim("after:") + "\n")
		w.WriteString(indent(termText(s.After), "      "))
	}
	return nil
}

// writeHintsMarkdown lists the catalogue as a Markdown table.
func writeHintsMarkdown(w *bufio.Writer, c *hints.Catalogue) error {
	w.WriteString("## Hint catalogue\n\n")
	rows := make([][]string, len(c.Hints))
	for i, h := range c.Hints {
		rows[i] = []string{mdInline(h.ID), mdInline(h.Category), mdInline(h.Title)}
	}
	mdTable(w, []string{"Id", "Category", "Title"}, []align{left, left, left}, rows)
	return nil
}

// writeHintMarkdown prints one entry in full as Markdown.
func writeHintMarkdown(w *bufio.Writer, h hints.Hint, costs []hints.UnitCost) error {
	w.WriteString("## " + mdInline(h.ID) + ": " + mdInline(h.Title) + "\n\n")
	w.WriteString("**Category:** " + mdInline(h.Category) + "\n\n")
	w.WriteString("**Signals in a profile:**\n\n")
	for _, s := range h.Signals {
		w.WriteString("- " + mdText(s) + "\n")
	}
	w.WriteByte('\n')
	for _, f := range []struct{ label, text string }{{"Why it costs", h.Why}, {"Fix", h.Fix}, {"Expected impact", h.Impact}} {
		w.WriteString("**" + f.label + ".** " + mdText(f.text) + "\n\n")
	}
	if len(costs) > 0 {
		rows := make([][]string, len(costs))
		for i, u := range costs {
			rows[i] = []string{mdInline(u.ID), mdInline(formatNSRange(u.LowNS, u.HighNS)), mdInline(u.What), mdInline(u.Source)}
		}
		mdTable(w, []string{"Unit cost", "Cost", "What", "Source"}, []align{left, right, left, left}, rows)
		w.WriteByte('\n')
	}
	for _, f := range []struct{ label, text string }{{"Tradeoffs", h.Tradeoffs}, {"Risk", h.Risk}, {"Measure", h.Measure}, {"Limits", h.Limits}} {
		if strings.TrimSpace(f.text) != "" {
			w.WriteString("**" + f.label + ".** " + mdText(f.text) + "\n\n")
		}
	}
	if items := causeItems(h); len(items) > 0 {
		w.WriteString("**Causes of their own** (a finding of that shape takes their title, tradeoffs and measurement):\n\n")
		for _, c := range items {
			w.WriteString("- " + mdText(c) + "\n")
		}
		w.WriteByte('\n')
	}
	for _, s := range h.Sketches {
		writeSketch(w, s.Language, s.Before, s.After)
	}
	if len(h.Sources) > 0 {
		w.WriteString("**Sources:**\n\n")
		for _, s := range h.Sources {
			w.WriteString("- " + mdText(s) + "\n")
		}
	}
	return nil
}

// causeItems words each of a hint's causes of their own as one item:
// its title, the finding shapes it is for, its tradeoffs and measurement.
func causeItems(h hints.Hint) []string {
	out := make([]string, len(h.Causes))
	for i, c := range h.Causes {
		out[i] = c.Title + " (" + strings.Join(c.When, ", ") + "). Tradeoffs: " + c.Tradeoffs
		if c.Risk != "" {
			out[i] += " Risk: " + c.Risk + "."
		}
		out[i] += " Measure: " + c.Measure
	}
	return out
}
