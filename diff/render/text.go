package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hotspot-dev/hotspot/diff"
)

func writeText(w io.Writer, r *diff.Report, opt Options) error {
	width := opt.Width
	if width <= 0 {
		width = 100
	}
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("before: %s\n", sideLine(r.Before))
	p("after:  %s\n", sideLine(r.After))
	p("compared: %s\n", normWords(r))
	p("stacks: %s\n", clean(r.Comparable.Reason))
	p("noise: %s\n", noiseWords(r))
	p("total: %s\n", totalLine(r.Total))
	if r.Focus != nil {
		p("%s: %s → %s  %s %s %s\n", clean(r.Focus.Name), pct(r.Focus.BeforeShare), pct(r.Focus.AfterShare), pts(r.Focus.Delta), interval(*r.Focus), mark(*r.Focus, r.Noise.Method))
	}
	p("\nCategories            before    after    delta  interval\n")
	for _, c := range r.Categories {
		line := fmt.Sprintf("  %-16s %8s %8s %8s  %s %s", clean(c.Name), pct(c.BeforeShare), pct(c.AfterShare), pts(c.Delta), interval(c), mark(c, r.Noise.Method))
		p("%s\n", strings.TrimRight(line, " "))
	}
	nameW := width - 48
	if nameW < 24 {
		nameW = 24
	}
	worse, better := split(r.Functions)
	table := func(title string, rows []diff.Row) {
		if len(rows) == 0 {
			return
		}
		p("\n%s\n", title)
		for _, f := range rows {
			p("  %-*s %7s %7s %7s  %s\n", nameW, fit(clean(f.Label()), nameW), pct(f.BeforeShare), pct(f.AfterShare), pts(f.Delta), interval(f))
		}
	}
	table("Got worse (function, before, after, points)", worse)
	table("Got better (function, before, after, points)", better)
	if len(worse)+len(better) == 0 {
		p("\nNo function changed beyond noise.\n")
	}
	if r.Unchanged > 0 {
		p("Within noise (~): %d functions\n", r.Unchanged)
	}
	table("Callers whose inclusive share moved (function, before, after, points)", r.Callers)
	hs := func(title string, rows []diff.Row) {
		if len(rows) == 0 {
			return
		}
		var names []string
		for _, h := range rows {
			share := h.AfterShare
			if h.AfterValue == 0 {
				share = h.BeforeShare
			}
			names = append(names, clean(h.Label())+" "+pct(share))
		}
		p("%s: %s\n", title, strings.Join(names, ", "))
	}
	p("\n")
	hs("Hotspots appeared", r.Hotspots.Appeared)
	hs("Hotspots vanished", r.Hotspots.Vanished)
	if !r.Findings.Compared {
		p("Findings: not compared (the stacks are not comparable)\n")
	} else {
		fd := func(title string, list []diff.FindingDiff) {
			for _, f := range list {
				fns := f.AfterFunctions
				if len(fns) == 0 {
					fns = f.BeforeFunctions
				}
				p("  %-10s %s (%s -> %s)", title, clean(f.Hint), pct(f.BeforeShare), pct(f.AfterShare))
				if len(fns) > 0 {
					if len(fns) > 3 {
						fns = fns[:3]
					}
					p(": %s", fit(clean(strings.Join(fns, ", ")), width-40))
				}
				p("\n")
			}
		}
		p("Findings\n")
		fd("resolved", r.Findings.Resolved)
		fd("new", r.Findings.New)
		fd("persisting", r.Findings.Persisting)
		if len(r.Findings.Resolved)+len(r.Findings.New)+len(r.Findings.Persisting) == 0 {
			p("  none on either side\n")
		}
	}
	if v := verdict(r); v != "" {
		p("\n%s\n", v)
	}
	for i, warn := range r.Warnings {
		if i == 0 {
			p("\n")
		}
		p("note %d: %s\n", i+1, clean(warn))
	}
	return bw.Flush()
}

// fit cuts s to n runes, marking the cut.
func fit(s string, n int) string {
	if n <= 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}
