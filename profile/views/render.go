package views

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/hotspot-dev/hotspot/internal/quantity"
	"github.com/hotspot-dev/hotspot/profile"
)

// Format is an output format of the views.
type Format string

// The formats.
const (
	Text     Format = "text"
	Markdown Format = "markdown"
	JSON     Format = "json"
)

// Header is what every rendering says about its input.
type Header struct {
	Input   string // the path(s) as the user gave them
	Version string // hotspot's version, for the JSON outputs; "" leaves it out
}

type jsonType struct {
	Name  string `json:"name"`
	Unit  string `json:"unit"`
	Scale int64  `json:"scale,omitempty"`
}

func typeOf(t profile.ValueType) jsonType { return jsonType{t.Type, t.Unit, t.Scale} }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// value prints v in the type's unit.
func value(v int64, t profile.ValueType) string {
	if t.Scale > 1 {
		return profile.FormatScaled(v, t.Scale)
	}
	return quantity.Value(v, t.Unit)
}

func typeLine(t profile.ValueType, total int64) string {
	return fmt.Sprintf("%s (%s), total %s", t.Type, t.Unit, value(total, t))
}

// where is a unit's location: file, with :line when known.
func where(f Func) string {
	if f.Line > 0 {
		return f.File + ":" + strconv.FormatInt(f.Line, 10)
	}
	return f.File
}

// WriteTop renders a Top.
func WriteTop(w io.Writer, t *Top, h Header, f Format) error {
	switch f {
	case JSON:
		rows := t.Rows
		if rows == nil {
			rows = []TopRow{}
		}
		return writeJSON(w, struct {
			Schema     string   `json:"schema"`
			Version    string   `json:"version,omitempty"`
			Input      string   `json:"input"`
			SampleType jsonType `json:"sample_type"`
			Total      int64    `json:"total"`
			Functions  int      `json:"functions"`
			Rows       []TopRow `json:"rows"`
		}{"hotspot.top/v1", h.Version, h.Input, typeOf(t.SampleType), t.Total, t.Shown, rows})
	case Markdown:
		fmt.Fprintf(w, "## Top: %s\n\n%s; %d of %d shown.\n\n", mdText(h.Input), mdText(typeLine(t.SampleType, t.Total)), len(t.Rows), t.Shown)
		fmt.Fprintln(w, "| flat | flat% | sum% | cum | cum% | function | location |")
		fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---|---|")
		for _, r := range t.Rows {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", value(r.Flat, t.SampleType), quantity.Share(r.FlatShare), quantity.Share(r.SumShare),
				value(r.Cum, t.SampleType), quantity.Share(r.CumShare), mdText(r.Name), mdText(where(r.Func)))
		}
		return nil
	default:
		fmt.Fprintf(w, "%s\n%s; %d of %d shown\n", termText(h.Input), termText(typeLine(t.SampleType, t.Total)), len(t.Rows), t.Shown)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "flat\tflat%\tsum%\tcum\tcum%\t  function  location")
		for _, r := range t.Rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t  %s  %s\n", value(r.Flat, t.SampleType), quantity.Share(r.FlatShare), quantity.Share(r.SumShare),
				value(r.Cum, t.SampleType), quantity.Share(r.CumShare), termText(r.Name), termText(where(r.Func)))
		}
		return flushLeft(tw)
	}
}

// WritePeek renders a Peek.
func WritePeek(w io.Writer, p *Peek, h Header, f Format) error {
	switch f {
	case JSON:
		entries := p.Entries
		if entries == nil {
			entries = []PeekEntry{}
		}
		return writeJSON(w, struct {
			Schema     string      `json:"schema"`
			Version    string      `json:"version,omitempty"`
			Input      string      `json:"input"`
			SampleType jsonType    `json:"sample_type"`
			Total      int64       `json:"total"`
			Functions  []PeekEntry `json:"functions"`
		}{"hotspot.peek/v1", h.Version, h.Input, typeOf(p.SampleType), p.Total, entries})
	case Markdown:
		fmt.Fprintf(w, "## Peek: %s\n\n%s; %d matching functions.\n", mdText(h.Input), mdText(typeLine(p.SampleType, p.Total)), len(p.Entries))
		for _, e := range p.Entries {
			fmt.Fprintf(w, "\n### %s\n\n%s flat (%s), %s cumulative (%s) · %s\n\n", mdText(e.Name), value(e.Flat, p.SampleType), quantity.Share(e.FlatShare),
				value(e.Cum, p.SampleType), quantity.Share(e.CumShare), mdText(where(e.Func)))
			fmt.Fprintln(w, "| | value | share | function | location |")
			fmt.Fprintln(w, "|---|---:|---:|---|---|")
			for _, c := range e.Callers {
				fmt.Fprintf(w, "| caller | %s | %s | %s | %s |\n", value(c.Value, p.SampleType), quantity.Share(c.Share), mdText(edgeName(c)), mdText(where(c.Func)))
			}
			for _, c := range e.Callees {
				fmt.Fprintf(w, "| callee | %s | %s | %s | %s |\n", value(c.Value, p.SampleType), quantity.Share(c.Share), mdText(edgeName(c)), mdText(where(c.Func)))
			}
		}
		return nil
	default:
		fmt.Fprintf(w, "%s\n%s; %d matching functions\n", termText(h.Input), termText(typeLine(p.SampleType, p.Total)), len(p.Entries))
		for _, e := range p.Entries {
			fmt.Fprintf(w, "\n%s  %s\n  %s flat (%s), %s cumulative (%s)\n", termText(e.Name), termText(where(e.Func)), value(e.Flat, p.SampleType), quantity.Share(e.FlatShare),
				value(e.Cum, p.SampleType), quantity.Share(e.CumShare))
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, c := range e.Callers {
				fmt.Fprintf(tw, "  caller\t%s\t%s\t%s\t%s\n", value(c.Value, p.SampleType), quantity.Share(c.Share), termText(edgeName(c)), termText(where(c.Func)))
			}
			for _, c := range e.Callees {
				fmt.Fprintf(tw, "  callee\t%s\t%s\t%s\t%s\n", value(c.Value, p.SampleType), quantity.Share(c.Share), termText(edgeName(c)), termText(where(c.Func)))
			}
			if err := flushLeft(tw); err != nil {
				return err
			}
		}
		return nil
	}
}

func edgeName(e Edge) string {
	switch {
	case e.Root:
		return "(stack root)"
	case e.Self:
		return "(self)"
	}
	return e.Name
}

// WriteThreads renders a Threads.
func WriteThreads(w io.Writer, t *Threads, h Header, f Format) error {
	switch f {
	case JSON:
		rows := t.Rows
		if rows == nil {
			rows = []ThreadRow{}
		}
		return writeJSON(w, struct {
			Schema     string      `json:"schema"`
			Version    string      `json:"version,omitempty"`
			Input      string      `json:"input"`
			SampleType jsonType    `json:"sample_type"`
			Total      int64       `json:"total"`
			Threads    []ThreadRow `json:"threads"`
		}{"hotspot.threads/v1", h.Version, h.Input, typeOf(t.SampleType), t.Total, rows})
	case Markdown:
		fmt.Fprintf(w, "## Threads: %s\n\n%s; %d threads.\n\n", mdText(h.Input), mdText(typeLine(t.SampleType, t.Total)), len(t.Rows))
		fmt.Fprintln(w, "| value | share | samples | process | pid | tid | thread |")
		fmt.Fprintln(w, "|---:|---:|---:|---|---:|---:|---|")
		for _, r := range t.Rows {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", value(r.Value, t.SampleType), quantity.Share(r.Share), quantity.Count(r.Samples),
				mdText(r.Process), id(r.PID, r.HasPID), id(r.TID, r.HasTID), mdText(r.Thread))
		}
		return nil
	default:
		fmt.Fprintf(w, "%s\n%s; %d threads\n", termText(h.Input), termText(typeLine(t.SampleType, t.Total)), len(t.Rows))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "value\tshare\tsamples\tprocess\tpid\ttid\tthread")
		for _, r := range t.Rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", value(r.Value, t.SampleType), quantity.Share(r.Share), quantity.Count(r.Samples),
				dash(termText(r.Process)), id(r.PID, r.HasPID), id(r.TID, r.HasTID), dash(termText(r.Thread)))
		}
		return flushLeft(tw)
	}
}

func id(v int64, ok bool) string {
	if !ok {
		return "-"
	}
	return strconv.FormatInt(v, 10)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func flushLeft(tw *tabwriter.Writer) error { return tw.Flush() }

// termText escapes control characters, so no byte of a profile can drive
// the terminal, and tabs, which would break the columns.
func termText(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) }

// mdText escapes what markdown would read as markup or as a table cell
// boundary.
func mdText(s string) string {
	s = termText(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|#!~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
