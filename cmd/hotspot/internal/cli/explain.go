package cli

import (
	"fmt"
	"github.com/hotspot-dev/hotspot/source"
	"io"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/explain/report"
	"github.com/hotspot-dev/hotspot/flamegraph"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/spf13/cobra"
)

// ExplainOptions is everything `hotspot explain` needs.
type ExplainOptions struct {
	IO     *term.IO
	Input  string   // the inputs joined with " + ", for the report
	Inputs []string // one or more profiles, merged
	Output string
	Format report.Format
	In     InputFlags

	Focus, Ignore, Thread *regexp.Regexp
	SampleType            string
	Event                 string
	Top                   int
	Items                 int64
	// Source is the directory the program's source files are read from,
	// to quote the lines findings name; "" reads none.
	Source string
	// Brief limits the report to the summary and the ranked findings; Wide
	// keeps names whole in text tables.
	Brief, Wide bool
}

// explainFormats are the report formats plus the page with a flame graph.
var explainFormats = append(slices.Clip(reportFormats), "html")

// NewCmdExplain builds `hotspot explain`.
func NewCmdExplain(io *term.IO, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{IO: io}
	var format, focus, ignore, thread string
	cmd := &cobra.Command{
		Use:   "explain PROFILE... [--format text|markdown|json|html] [-o FILE]",
		Short: "Explain where the time or memory goes and what to change first",
		Long: `Explain attributes every sample's cost to one category (Python code,
interpreter, native work, FFI glue, allocation, GIL waits, locks, I/O,
serialization, logging, GC, async, import, idle), finds the hot path, and
maps hotspots to the hint catalogue: each finding quotes its evidence from
this profile, the fix, the expected impact, tradeoffs and how to measure it.`,
		Example: `  perf record -g -- ./app && perf script > perf.txt && hotspot explain perf.txt
  hotspot explain http://localhost:6060/debug/pprof/profile?seconds=10
  hotspot explain profile.speedscope.json --format markdown -o report.md
  hotspot explain perf.txt --thread worker --focus 'parse|encode' --items 10000`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs, opts.Input = args, strings.Join(args, " + ")
			f, err := outputFormat("--format", format, cmd.Flags().Changed("format"), opts.Output, reportExts, explainFormats)
			if err != nil {
				return err
			}
			opts.Format = report.Format(f)
			if opts.Focus, err = compileFlag("focus", focus); err != nil {
				return err
			}
			if opts.Ignore, err = compileFlag("ignore", ignore); err != nil {
				return err
			}
			if opts.Thread, err = compileFlag("thread", thread); err != nil {
				return err
			}
			if opts.Top <= 0 {
				return flagErrorf("--top must be positive")
			}
			if opts.Items < 0 {
				return flagErrorf("--items must not be negative")
			}
			if err := opts.In.check(); err != nil {
				return err
			}
			if opts.Source != "" {
				if st, err := os.Stat(opts.Source); err != nil || !st.IsDir() {
					return flagErrorf("--source %s: not a directory", opts.Source)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return explainRun(opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&format, "format", "text", "output format: text, markdown, json or html (one self-contained page with a flame graph)")
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file instead of standard output")
	fs.StringVar(&focus, "focus", "", "keep only samples with a frame matching this regular expression")
	fs.StringVar(&ignore, "ignore", "", "drop samples with a frame matching this regular expression")
	fs.StringVar(&thread, "thread", "", "keep only samples whose thread name, thread id or process name matches this regular expression")
	fs.StringVar(&opts.SampleType, "sample-type", "", "the value type to explain (default: the profile's default)")
	fs.StringVar(&opts.Event, "event", "", "perf: the event to explain (default: the first in the file)")
	fs.IntVar(&opts.Top, "top", 20, "how many hotspots to list")
	fs.Int64Var(&opts.Items, "items", 0, "items or requests processed during the recording, for per-item costs")
	fs.StringVar(&opts.Source, "source", "", "directory of the program's source files, to quote the lines findings name (files are found by the path the profile gives, or its tail)")
	fs.BoolVar(&opts.Brief, "brief", false, "only the summary and the ranked findings")
	fs.BoolVar(&opts.Wide, "wide", false, "text: keep function names whole, however wide the table")
	opts.In.register(fs)
	return cmd
}

func compileFlag(name, expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, flagErrorf("--%s: %v", name, err)
	}
	return re, nil
}

func explainRun(opts *ExplainOptions) error {
	p, value, err := loadProfiles(opts.IO, opts.Inputs, opts.Output, opts.In, opts.SampleType, opts.Event)
	if err != nil {
		return err
	}
	if value < 0 {
		value = typeWithData(p)
	}
	cat, err := hints.Default()
	if err != nil {
		return err
	}
	var cls *explain.Classifier
	if opts.Format == report.HTML {
		// The flame graph colours its nodes with explain's categories:
		// the frames are classified once for both.
		cls = explain.NewClassifier(p)
	}
	eopt := explain.Options{
		Path: opts.Input, Value: value,
		Focus: opts.Focus, Ignore: opts.Ignore, Thread: reString(opts.Thread),
		Top: opts.Top, Items: opts.Items, Classifier: cls,
	}
	if opts.Source != "" {
		eopt.Source = source.Dir(opts.Source)
	}
	rep, err := explain.Explain(p, cat, eopt)
	if err != nil {
		return err
	}
	rep.Version = versionString(debug.ReadBuildInfo())
	color := opts.IO.Color && (opts.Output == "" || opts.Output == "-")
	ropt := report.Options{Format: opts.Format, Color: color && opts.Format == "text", Width: opts.IO.Width,
		Brief: opts.Brief, Wide: opts.Wide}
	if opts.Format == report.HTML {
		// Explain's working state is garbage now: collect it first, so
		// that the flame graph is built in its memory instead of beside
		// it (the heap goal was set while the analysis was live).
		runtime.GC()
		// The flame graph draws the samples explain analysed.
		sel := profile.SampleFilter{Focus: opts.Focus, Ignore: opts.Ignore, Thread: opts.Thread}.Select(p)
		ropt.Flame = flamegraph.Build(sel, flamegraph.Options{Value: value, CategoryOf: cls.NodeCategorizer(), Threads: true})
	}
	return writeOutput(opts.IO.Out, opts.Output, opts.Inputs, func(w io.Writer) error {
		return report.Write(w, rep, ropt)
	})
}

// typeWithData returns the default value type, or, when every sample is zero
// in it but not in another type (Pyroscope's dotnet profiles name an empty
// lock_time as the default), the first type that holds the profile, with a
// warning saying so.
func typeWithData(p *profile.Profile) int {
	d := p.DefaultType
	if d < 0 || d >= len(p.SampleTypes) || p.Total(d) != 0 {
		return -1
	}
	for i, t := range p.SampleTypes {
		if p.Total(i) != 0 {
			// First among the warnings, which are bounded: it says what
			// the whole report is about.
			msg := fmt.Sprintf("The profile's default value type, %s, is zero in every sample; this explains %s, the first type that holds the profile (choose another with --sample-type).", p.SampleTypes[d].Type, t.Type)
			p.Meta.Warnings = append([]string{msg}, p.Meta.Warnings...)
			return i
		}
	}
	return -1
}

func reString(re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	return re.String()
}
