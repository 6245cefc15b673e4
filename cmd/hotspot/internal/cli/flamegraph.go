package cli

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/flamegraph"
	"github.com/spf13/cobra"
)

// FlamegraphOptions is everything `hotspot flamegraph` needs.
type FlamegraphOptions struct {
	IO         *term.IO
	Input      string
	Output     string
	Format     string // svg or html
	Palette    flamegraph.Palette
	Title      string
	Icicle     bool
	Width      int
	SampleType string
	Event      string
	In         InputFlags
}

// NewCmdFlamegraph builds `hotspot flamegraph`.
func NewCmdFlamegraph(io *term.IO, runF func(*FlamegraphOptions) error) *cobra.Command {
	opts := &FlamegraphOptions{IO: io}
	var palette string
	cmd := &cobra.Command{
		Use:   "flamegraph PROFILE [-o out.svg] [--format svg|html]",
		Short: "Draw a flame graph: a standalone SVG, or an interactive HTML page",
		Long: `Flamegraph draws the profile's call tree. The SVG looks like FlameGraph's and
inferno's (hover a box for its value and share) and needs nothing else to
open; the HTML page adds zoom, search, threads and an icicle view, with no
network access. Frames too thin to see are merged into one grey box per
parent, so the file grows with what is drawn, not with the profile.`,
		Example: `  hotspot flamegraph perf.txt -o cpu.svg
  hotspot flamegraph profile.speedscope.json --format html -o flame.html
  hotspot flamegraph dhat.json --palette category --icicle -o heap.svg`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input = args[0]
			if opts.Format == "" {
				opts.Format = "svg"
				if strings.EqualFold(filepath.Ext(opts.Output), ".html") {
					opts.Format = "html"
				}
			}
			if opts.Format != "svg" && opts.Format != "html" {
				return flagErrorf("unknown --format %q (want svg or html)", opts.Format)
			}
			switch flamegraph.Palette(palette) {
			case flamegraph.Hot, flamegraph.Category:
				opts.Palette = flamegraph.Palette(palette)
			case "":
				opts.Palette = flamegraph.Hot
				if opts.Format == "html" {
					opts.Palette = flamegraph.Category
				}
			default:
				return flagErrorf("unknown --palette %q (want hot or category)", palette)
			}
			if opts.Width < 0 {
				return flagErrorf("--width must not be negative")
			}
			if err := opts.In.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return flamegraphRun(opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file instead of standard output")
	fs.StringVar(&opts.Format, "format", "", "svg or html (default: html for an -o ending in .html, else svg)")
	fs.StringVar(&palette, "palette", "", "frame colours: hot (inferno's) or category (explain's cost categories); default hot for SVG, category for HTML")
	fs.StringVar(&opts.Title, "title", "", "the graph's title (default: Flame Graph)")
	fs.BoolVar(&opts.Icicle, "icicle", false, "SVG: roots at the top")
	fs.IntVar(&opts.Width, "width", 1200, "SVG width in pixels")
	fs.StringVar(&opts.SampleType, "sample-type", "", "the value type to draw (default: the profile's default)")
	fs.StringVar(&opts.Event, "event", "", "perf: the event to draw (default: the first in the file)")
	opts.In.register(fs)
	return cmd
}

func flamegraphRun(opts *FlamegraphOptions) error {
	p, value, err := loadProfile(opts.IO, opts.Input, opts.Output, opts.In, opts.SampleType, opts.Event)
	if err != nil {
		return err
	}
	gopt := flamegraph.Options{Value: value, Threads: opts.Format == "html"}
	if opts.Palette == flamegraph.Category {
		gopt.CategoryOf = explain.NodeCategorizer(p)
	}
	g := flamegraph.Build(p, gopt)
	return writeOutput(opts.IO.Out, opts.Output, []string{opts.Input}, func(w io.Writer) error {
		if opts.Format == "html" {
			return flamegraph.WriteHTML(w, g, flamegraph.HTMLOptions{Title: opts.Title, Subtitle: filepath.Base(opts.Input), Palette: opts.Palette})
		}
		return flamegraph.WriteSVG(w, g, flamegraph.SVGOptions{Title: opts.Title, Subtitle: filepath.Base(opts.Input),
			Width: opts.Width, Palette: opts.Palette, Icicle: opts.Icicle})
	})
}
