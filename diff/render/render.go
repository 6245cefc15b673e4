// Package render lays out a diff.Report as text, Markdown or JSON. The
// report is computed by package diff; renderers only format it, escaping
// every string that came from a profile.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/hotspot-dev/hotspot/diff"
)

// Format is an output format.
type Format string

const (
	Text     Format = "text"
	Markdown Format = "markdown"
	JSON     Format = "json"
)

// Options say how to render.
type Options struct {
	Format Format
	Width  int // terminal width for text; 0 means 100
}

// Write renders r to w.
func Write(w io.Writer, r *diff.Report, opt Options) error {
	switch opt.Format {
	case Text, "":
		return writeText(w, r, opt)
	case Markdown:
		return writeMarkdown(w, r)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return fmt.Errorf("unknown format: %q", opt.Format)
}

// clean escapes control and bidirectional-override characters, so that
// no byte of a profile can drive the terminal.
func clean(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f
}

// pct prints a share as a percentage.
func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// pts prints a delta in percentage points, signed.
func pts(f float64) string {
	v := 100 * f
	if math.Abs(v) < 0.05 {
		v = 0
	}
	return fmt.Sprintf("%+.1f", v)
}

func interval(r diff.Row) string {
	if r.Interval == nil {
		return ""
	}
	return fmt.Sprintf("[%s, %s]", pts(r.Interval[0]), pts(r.Interval[1]))
}

// mark is "" for a significant change and "~" for one within noise.
func mark(r diff.Row, noise diff.Noise) string {
	if r.Significant {
		return ""
	}
	if noise == diff.Unknown {
		return "?"
	}
	return "~"
}

func normWords(r *diff.Report) string {
	switch r.Normalization {
	case diff.Absolute:
		return "raw values (--absolute); deltas are changes as a share of the before total"
	case diff.Time:
		return "time (--absolute, values converted to nanoseconds); deltas are changes as a share of the before total"
	}
	return "shares of each side's own total (deltas in percentage points)"
}

func noiseWords(r *diff.Report) string {
	switch r.Noise.Method {
	case diff.Binomial:
		return fmt.Sprintf("%s; significant after %s at %.2f; ~ marks a change within noise", r.Noise.Interval, r.Noise.Correction, r.Noise.Alpha)
	case diff.Exact:
		return r.Noise.Reason
	}
	return r.Noise.Reason + " (? marks an unjudged change)"
}

func sideLine(s diff.Side) string {
	meta := []string{s.Format}
	if s.Recording != "" {
		meta = append(meta, s.Recording)
	}
	meta = append(meta, s.SampleType.Name+" "+s.SampleType.Unit)
	parts := []string{strings.Join(s.Paths, " + ") + " (" + strings.Join(meta, ", ") + ")"}
	parts = append(parts, fmt.Sprintf("%d samples", s.Samples))
	if s.RateHz > 0 {
		parts = append(parts, fmt.Sprintf("~%.0f Hz", s.RateHz))
	}
	parts = append(parts, "broken stacks "+pct(s.BrokenShare))
	return clean(strings.Join(parts, ", "))
}

func totalLine(t diff.TotalRow) string {
	return fmt.Sprintf("%s → %s (%+.1f%%)", value(t.Before, t.Unit), value(t.After, t.Unit), 100*t.Delta)
}

func value(v int64, unit string) string {
	f := float64(v)
	switch unit {
	case "nanoseconds":
		switch {
		case f >= 1e9:
			return fmt.Sprintf("%.2f s", f/1e9)
		case f >= 1e6:
			return fmt.Sprintf("%.1f ms", f/1e6)
		case f >= 1e3:
			return fmt.Sprintf("%.1f µs", f/1e3)
		}
		return fmt.Sprintf("%d ns", v)
	case "bytes":
		switch {
		case f >= 1<<30:
			return fmt.Sprintf("%.2f GiB", f/(1<<30))
		case f >= 1<<20:
			return fmt.Sprintf("%.2f MiB", f/(1<<20))
		case f >= 1<<10:
			return fmt.Sprintf("%.1f KiB", f/(1<<10))
		}
		return fmt.Sprintf("%d B", v)
	}
	return fmt.Sprintf("%d %s", v, unit)
}

// split separates function rows into worse (rising) and better (falling)
// significant changes.
func split(rows []diff.Row) (worse, better []diff.Row) {
	for _, r := range rows {
		switch {
		case !r.Significant:
		case r.Delta > 0:
			worse = append(worse, r)
		case r.Delta < 0:
			better = append([]diff.Row{r}, better...)
		}
	}
	return worse, better
}

func verdict(r *diff.Report) string {
	if r.Gate == nil {
		return ""
	}
	if r.Regression {
		return fmt.Sprintf("REGRESSION: %d significant rise(s) above %s points (%s)", len(r.Gate.Tripped), strings.TrimPrefix(pts(r.Gate.Threshold), "+"), clean(r.Gate.Scope))
	}
	return fmt.Sprintf("no significant rise above %s points (%s): gate passes", strings.TrimPrefix(pts(r.Gate.Threshold), "+"), clean(r.Gate.Scope))
}
