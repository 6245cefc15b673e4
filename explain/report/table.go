package report

import (
	"bufio"
	"strings"
	"sync"

	"github.com/mattn/go-runewidth"
)

// Column widths come from go-runewidth, which reads the locale (LANG, LC_ALL,
// RUNEWIDTH_EASTASIAN) once at start-up: in an East Asian locale, characters
// of ambiguous width (many accented Latin letters, Greek, box drawing) would
// count as two columns and the same report would pad differently. The same
// input must give the same bytes on any machine, so fixLocaleWidths pins the
// narrow reading before the first table is drawn.
var fixLocaleWidths = sync.OnceFunc(func() { runewidth.DefaultCondition.EastAsianWidth = false })

// align is a column's alignment in a table.
type align int

const (
	left align = iota
	right
)

// column describes one table column. At most one column is flexible: it
// gets the width the others leave, and its cells are shortened to fit
// (names kept distinct, see shortenDistinct). A flexible column's cell may
// hold a second line (a file under a function), shortened from the left.
type column struct {
	header string
	align  align
	flex   bool
	// paint colours a cell after padding (severity); nil leaves it plain.
	paint func(cell, padded string) string
}

// textTable lays out rows to fit width, indented by two spaces, columns two
// spaces apart, no borders. Cells must already be sanitised. With wide, the
// flexible column is never shortened.
type textTable struct {
	cols  []column
	rows  [][]string
	width int
	wide  bool
}

// minFlex is the narrowest a flexible column gets, however many other
// columns there are: below it names stop being readable.
const minFlex = 16

func strWidth(s string) int { return runewidth.StringWidth(s) }

func (t *textTable) write(w *bufio.Writer, p painter) {
	fixLocaleWidths()
	widths := make([]int, len(t.cols))
	flex := -1
	for j, c := range t.cols {
		widths[j] = strWidth(c.header)
		if c.flex {
			flex = j
		}
	}
	for _, r := range t.rows {
		for j, cell := range r {
			if j != flex {
				widths[j] = max(widths[j], strWidth(cell))
			}
		}
	}
	rows := t.rows
	if flex >= 0 {
		budget := t.width - 2 - 2*(len(t.cols)-1)
		for j, wd := range widths {
			if j != flex {
				budget -= wd
			}
		}
		budget = max(budget, minFlex)
		rows = t.fitFlex(flex, budget)
		for _, r := range rows {
			for _, l := range strings.Split(r[flex], "\n") {
				widths[flex] = max(widths[flex], strWidth(l))
			}
		}
	}
	t.line(w, p, widths, headerRow(t.cols), true)
	for _, r := range rows {
		t.line(w, p, widths, r, false)
	}
}

func headerRow(cols []column) []string {
	h := make([]string, len(cols))
	for j, c := range cols {
		h[j] = c.header
	}
	return h
}

// fitFlex shortens the flexible column's cells to budget: first lines as a
// set (distinct names stay distinct), second lines from the left.
func (t *textTable) fitFlex(flex, budget int) [][]string {
	firsts := make([]string, len(t.rows))
	for i, r := range t.rows {
		firsts[i], _, _ = strings.Cut(r[flex], "\n")
	}
	if !t.wide {
		firsts = shortenDistinct(firsts, budget)
	}
	out := make([][]string, len(t.rows))
	for i, r := range t.rows {
		out[i] = append([]string(nil), r...)
		cell := firsts[i]
		if _, second, ok := strings.Cut(r[flex], "\n"); ok {
			if !t.wide {
				// "kind  path": the path is cut from the left, the kind kept.
				if pre, path, ok := strings.Cut(second, "  "); ok && strWidth(pre)+2 < budget-8 {
					second = pre + "  " + truncateLeft(path, budget-strWidth(pre)-2)
				} else {
					second = truncateLeft(second, budget)
				}
			}
			cell += "\n" + second
		}
		out[i][flex] = cell
	}
	return out
}

// line writes one row (and the second line of its flexible cell, if any).
func (t *textTable) line(w *bufio.Writer, p painter, widths []int, row []string, header bool) {
	var second []string
	for j, cell := range row {
		if first, rest, ok := strings.Cut(cell, "\n"); ok {
			if second == nil {
				second = make([]string, len(row))
			}
			row[j], second[j] = first, rest
		}
	}
	t.cells(w, p, widths, row, header, false)
	if second != nil {
		t.cells(w, p, widths, second, false, true)
	}
}

func (t *textTable) cells(w *bufio.Writer, p painter, widths []int, row []string, header, dim bool) {
	var b strings.Builder
	b.WriteString("  ")
	last := len(row) - 1
	for last > 0 && row[last] == "" {
		last--
	}
	for j := 0; j <= last; j++ {
		cell := row[j]
		pad := strings.Repeat(" ", max(0, widths[j]-strWidth(cell)))
		padded := cell + pad
		if t.cols[j].align == right {
			padded = pad + cell
		}
		if j == last && t.cols[j].align == left {
			padded = cell
		}
		switch {
		case header:
			padded = p.bold(padded)
		case dim:
			padded = p.dim(padded)
		case t.cols[j].paint != nil:
			padded = t.cols[j].paint(cell, padded)
		}
		if j > 0 {
			b.WriteString("  ")
		}
		b.WriteString(padded)
	}
	w.WriteString(strings.TrimRight(b.String(), " "))
	w.WriteByte('\n')
}
