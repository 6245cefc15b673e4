package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hotspot-dev/hotspot/diff"
)

// md escapes a profile string for a Markdown table cell.
var mdEscaper = strings.NewReplacer("|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "#", `\#`)

func md(s string) string { return mdEscaper.Replace(clean(s)) }

func writeMarkdown(w io.Writer, r *diff.Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("## hotspot diff\n\n")
	if v := verdict(r); v != "" {
		p("**%s**\n\n", md(v))
	}
	p("- before: %s\n- after: %s\n- compared: %s\n- stacks: %s\n- noise: %s\n- total: %s\n",
		md(sideLine(r.Before)), md(sideLine(r.After)), md(normWords(r)), md(r.Comparable.Reason), md(noiseWords(r)), md(totalLine(r.Total)))
	if r.Focus != nil {
		p("- %s: %s → %s (%s pts) %s\n", md(r.Focus.Name), pct(r.Focus.BeforeShare), pct(r.Focus.AfterShare), pts(r.Focus.Delta), mark(*r.Focus, r.Noise.Method))
	}
	p("\n### Categories\n\n| category | before | after | delta (pts) | 95%% interval | |\n|---|---:|---:|---:|---|---|\n")
	for _, c := range r.Categories {
		p("| %s | %s | %s | %s | %s | %s |\n", md(c.Name), pct(c.BeforeShare), pct(c.AfterShare), pts(c.Delta), interval(c), mark(c, r.Noise.Method))
	}
	worse, better := split(r.Functions)
	table := func(title string, rows []diff.Row) {
		if len(rows) == 0 {
			return
		}
		p("\n### %s\n\n| function | before | after | delta (pts) | 95%% interval |\n|---|---:|---:|---:|---|\n", title)
		for _, f := range rows {
			p("| %s | %s | %s | %s | %s |\n", md(f.Label()), pct(f.BeforeShare), pct(f.AfterShare), pts(f.Delta), interval(f))
		}
	}
	table("Got worse", worse)
	table("Got better", better)
	if len(worse)+len(better) == 0 {
		p("\nNo function changed beyond noise.\n")
	}
	if r.Unchanged > 0 {
		p("\n%d functions changed within noise (~).\n", r.Unchanged)
	}
	table("Callers whose inclusive share moved", r.Callers)
	if len(r.Hotspots.Appeared)+len(r.Hotspots.Vanished) > 0 {
		p("\n### Hotspots\n\n")
		for _, h := range r.Hotspots.Appeared {
			p("- appeared: %s (%s)\n", md(h.Label()), pct(h.AfterShare))
		}
		for _, h := range r.Hotspots.Vanished {
			p("- vanished: %s (was %s)\n", md(h.Label()), pct(h.BeforeShare))
		}
	}
	p("\n### Findings\n\n")
	if !r.Findings.Compared {
		p("Not compared: the stacks are not comparable.\n")
	} else {
		n := 0
		for _, g := range []struct {
			title string
			list  []diff.FindingDiff
		}{{"resolved", r.Findings.Resolved}, {"new", r.Findings.New}, {"persisting", r.Findings.Persisting}} {
			for _, f := range g.list {
				fns := f.AfterFunctions
				if len(fns) == 0 {
					fns = f.BeforeFunctions
				}
				p("- %s: `%s` %s (%s → %s)", g.title, clean(strings.ReplaceAll(f.Hint, "`", "")), md(f.Title), pct(f.BeforeShare), pct(f.AfterShare))
				if len(fns) > 0 {
					p(": %s", md(strings.Join(fns, ", ")))
				}
				p("\n")
				n++
			}
		}
		if n == 0 {
			p("None on either side.\n")
		}
	}
	if len(r.Warnings) > 0 {
		p("\n")
		for i, warn := range r.Warnings {
			p("%d. %s\n", i+1, md(warn))
		}
	}
	return bw.Flush()
}
