package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/flamegraph"
	"github.com/hotspot-dev/hotspot/hints"
)

// Format names an output format. It is a string so that flags, errors and
// JSON all show the name.
type Format string

// The output formats.
const (
	Text     Format = "text"     // terminal tables and wrapped prose (the default)
	Markdown Format = "markdown" // for an incident ticket: summary first, details folded
	JSON     Format = "json"     // the hotspot.explain/v1 contract
	HTML     Format = "html"     // one self-contained page with an interactive flame graph
)

// Formats lists the formats in the order help text shows them.
func Formats() []Format { return []Format{Text, Markdown, JSON, HTML} }

// DefaultWidth is the text width used when Options.Width is not positive:
// the terminal's width is unknown, and 80 columns fit every terminal.
const DefaultWidth = 80

// minWidth keeps wrapping sane on absurdly narrow terminals.
const minWidth = 40

// Options says how to render. The caller decides Color and Width from the
// terminal; renderers never look at the terminal themselves.
type Options struct {
	Format Format // "" means Text
	Color  bool   // ANSI colour in text output; ignored by the other formats
	Width  int    // wrap width of text output; 0 means DefaultWidth
	// Brief limits text and Markdown to the summary and the ranked findings.
	Brief bool
	// Wide keeps names whole in text tables, whatever the width.
	Wide bool
	// Flame is the profile's flame graph for HTML output; nil leaves it out.
	Flame *flamegraph.Graph
}

func (o Options) width() int {
	switch {
	case o.Width <= 0:
		return DefaultWidth
	case o.Width < minWidth:
		return minWidth
	}
	return o.Width
}

func (o Options) format() (Format, error) {
	switch o.Format {
	case "", Text:
		return Text, nil
	case Markdown, JSON, HTML:
		return o.Format, nil
	}
	return "", fmt.Errorf("unknown format: %q", string(o.Format))
}

// errNoHTMLHints: the catalogue reads well as text or Markdown; a page adds nothing.
var errNoHTMLHints = errors.New("the hint catalogue has no html format (use text, markdown or json)")

// errNilReport is returned for a nil report or catalogue.
var errNilReport = errors.New("report: nothing to render (nil)")

// Write renders rep to w in opt.Format.
func Write(w io.Writer, rep *explain.Report, opt Options) error {
	f, err := opt.format()
	if err != nil {
		return err
	}
	if rep == nil {
		return errNilReport
	}
	return render(w, func(bw *bufio.Writer) error {
		switch f {
		case Markdown:
			return writeMarkdown(bw, rep, opt.Brief)
		case JSON:
			return writeJSON(bw, normalise(rep))
		case HTML:
			return writeHTML(bw, rep, opt)
		}
		return writeText(bw, rep, opt)
	})
}

// WriteHints renders the catalogue as a list: id, category and title.
func WriteHints(w io.Writer, c *hints.Catalogue, opt Options) error {
	f, err := opt.format()
	if err != nil {
		return err
	}
	if c == nil {
		return errNilReport
	}
	if f == HTML {
		return errNoHTMLHints
	}
	return render(w, func(bw *bufio.Writer) error {
		switch f {
		case Markdown:
			return writeHintsMarkdown(bw, c)
		case JSON:
			return writeJSON(bw, hintList(c))
		}
		return writeHintsText(bw, c, opt)
	})
}

// WriteHint renders one catalogue entry in full, with the unit costs it uses
// (looked up in c; c may be nil, and then no unit costs are shown).
func WriteHint(w io.Writer, h hints.Hint, c *hints.Catalogue, opt Options) error {
	f, err := opt.format()
	if err != nil {
		return err
	}
	if f == HTML {
		return errNoHTMLHints
	}
	costs := usedCosts(h, c)
	return render(w, func(bw *bufio.Writer) error {
		switch f {
		case Markdown:
			return writeHintMarkdown(bw, h, costs)
		case JSON:
			return writeJSON(bw, hintDetail(h, costs, c))
		}
		return writeHintText(bw, h, costs, opt)
	})
}

// usedCosts returns the unit costs h names, in h's order, skipping unknown ids
// (a checked catalogue has none).
func usedCosts(h hints.Hint, c *hints.Catalogue) []hints.UnitCost {
	out := []hints.UnitCost{}
	if c == nil {
		return out
	}
	for _, id := range h.UnitCosts {
		if u, ok := c.Cost(id); ok {
			out = append(out, u)
		}
	}
	return out
}

// render buffers the output so that a renderer writes many small pieces
// cheaply, and reports the first write error once.
func render(w io.Writer, fn func(*bufio.Writer) error) error {
	bw := bufio.NewWriter(w)
	if err := fn(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// riskOr is a finding's risk for a table cell, "-" where it has none (a
// report read from an older JSON).
func riskOr(risk string) string {
	if risk == "" {
		return "-"
	}
	return risk
}
