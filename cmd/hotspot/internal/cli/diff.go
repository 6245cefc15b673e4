package cli

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/diff/render"
	"github.com/hotspot-dev/hotspot/explain/report"
	"github.com/hotspot-dev/hotspot/flamegraph"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/spf13/cobra"
)

// DiffOptions is everything `hotspot diff` needs.
type DiffOptions struct {
	IO            *term.IO
	Before, After []string
	Output        string
	Format        render.Format
	In            InputFlags

	Focus, Ignore, Thread *regexp.Regexp
	SampleType            string
	Event                 string
	Top                   int
	Absolute, Whole       bool
	Names                 diff.NameOptions
	// FailOnRegression is the gate threshold in points of share; negative
	// when the gate is off.
	FailOnRegression float64
	Category         string
}

// diffFormats are what diff writes.
var diffFormats = []string{"text", "markdown", "json", "html"}

// RegressionError is returned when --fail-on-regression finds a
// regression; it exits with status 3, after the report is written.
type RegressionError struct{ Msg string }

func (e *RegressionError) Error() string { return e.Msg }

// NewCmdDiff builds `hotspot diff`.
func NewCmdDiff(io *term.IO, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: io}
	var format, focus, ignore, thread string
	cmd := &cobra.Command{
		Use:   "diff BEFORE AFTER [--format text|markdown|json] [-o FILE]",
		Short: "Compare two profiles: what changed, and is it more than noise",
		Long: `Diff compares a profile recorded before a change with one recorded after
it: total cost, explain's categories, functions ranked by the change in
their share, hotspots that appeared or vanished, and explain's findings
resolved, new and persisting. Each side may be any format hotspot reads,
and several files per side (--before a --before b) are merged. Shares of
each side's total are compared unless --absolute is given. Every change
gets a 95% interval; changes within sampling noise are marked ~.
--fail-on-regression PCT exits with status 3 when a significant rise of
more than PCT points is found (errors exit 1, usage errors 2).`,
		Example: `  hotspot diff before.perf.txt after.speedscope.json
  hotspot diff --before run1.txt --before run2.txt --after new1.txt --after new2.txt
  hotspot diff base.txt pr.txt --format markdown --fail-on-regression 2 --category ffi`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch len(args) {
			case 2:
				if len(opts.Before)+len(opts.After) > 0 {
					return flagErrorf("give BEFORE AFTER as arguments or with --before/--after, not both")
				}
				opts.Before, opts.After = args[:1], args[1:]
			case 1:
				return flagErrorf("diff needs two profiles: BEFORE AFTER")
			}
			if len(opts.Before) == 0 || len(opts.After) == 0 {
				return flagErrorf("diff needs a profile on each side: BEFORE AFTER, or --before FILE --after FILE")
			}
			f, err := outputFormat("--format", format, cmd.Flags().Changed("format"), opts.Output, reportExts, diffFormats)
			if err != nil {
				return err
			}
			opts.Format = render.Format(f)
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
			if cmd.Flags().Changed("fail-on-regression") {
				if opts.FailOnRegression < 0 || opts.FailOnRegression > 100 {
					return flagErrorf("--fail-on-regression takes points of share between 0 and 100, got %g", opts.FailOnRegression)
				}
			} else {
				opts.FailOnRegression = -1
				if opts.Category != "" {
					return flagErrorf("--category limits --fail-on-regression: give both")
				}
			}
			if err := opts.In.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return diffRun(opts)
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVar(&opts.Before, "before", nil, "a profile of the before side (repeat to merge several runs)")
	fs.StringArrayVar(&opts.After, "after", nil, "a profile of the after side (repeat to merge several runs)")
	fs.StringVar(&format, "format", "text", "output format: text, markdown, json or html (a page with the differential flame graph)")
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file instead of standard output")
	fs.StringVar(&focus, "focus", "", "look only at samples with a frame matching this regular expression (shares stay of the whole)")
	fs.StringVar(&ignore, "ignore", "", "drop samples with a frame matching this regular expression")
	fs.StringVar(&thread, "thread", "", "keep only samples whose thread name, thread id or process name matches this regular expression")
	fs.StringVar(&opts.SampleType, "sample-type", "", "the value type to compare (default: each profile's default)")
	fs.StringVar(&opts.Event, "event", "", "perf: the event to compare (default: the first in each file)")
	fs.IntVar(&opts.Top, "top", diff.DefaultTop, "how many functions to list")
	fs.BoolVar(&opts.Absolute, "absolute", false, "compare raw values (or time, converting sampled counts at a known rate) instead of shares")
	fs.BoolVar(&opts.Whole, "whole", false, "compare the stacks as recorded even when the sides unwound differently")
	fs.BoolVar(&opts.Names.StripGenerics, "strip-generics", false, "match functions with their generic parameters removed")
	fs.BoolVar(&opts.Names.Lines, "lines", false, "match Python functions line by line")
	fs.Float64Var(&opts.FailOnRegression, "fail-on-regression", 0, "exit with status 3 when a significant rise of more than PCT points of share is found")
	fs.StringVar(&opts.Category, "category", "", "with --fail-on-regression: look only at this category (python, native, ffi, alloc, gil, ...)")
	opts.In.register(fs)
	return cmd
}

func diffRun(opts *DiffOptions) error {
	all := append(append([]string{}, opts.Before...), opts.After...)
	if err := checkOutput(opts.Output, all); err != nil {
		return err
	}
	load := func(paths []string) ([]diff.Input, error) {
		var out []diff.Input
		for _, path := range paths {
			p, err := readProfile(opts.IO, path, opts.In)
			if err != nil {
				return nil, err
			}
			value, err := pickValue(p, opts.SampleType, opts.Event)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			out = append(out, diff.Input{Path: path, Profile: p, Value: value})
		}
		return out, nil
	}
	cat, err := hints.Default()
	if err != nil {
		return err
	}
	dopt := diff.Options{
		Names: opts.Names, Absolute: opts.Absolute, Whole: opts.Whole,
		Focus: opts.Focus, Ignore: opts.Ignore, Thread: opts.Thread,
		Top: opts.Top, Limits: opts.In.Limits,
	}
	if opts.FailOnRegression >= 0 {
		dopt.Gate = &diff.Gate{Threshold: opts.FailOnRegression / 100, Category: opts.Category}
	}
	var before, after []diff.Input
	var rep *diff.Report
	if opts.Format != "html" && rereadable(opts.Before) && rereadable(opts.After) {
		// One profile in memory at a time: the HTML flame graph is the
		// only output that needs both sides' stacks at the end.
		sides := [][]string{opts.Before, opts.After}
		// A side read again (the comparison needed its stacks back) must
		// be the file read the first time: a report of two versions would
		// be wrong without a word.
		var seen [2]os.FileInfo
		rep, err = diff.CompareInTurn(func(side int) (diff.Input, error) {
			path := sides[side][0]
			st, err := os.Stat(path)
			if err != nil {
				return diff.Input{}, err
			}
			if prev := seen[side]; prev != nil && (prev.Size() != st.Size() || !prev.ModTime().Equal(st.ModTime())) {
				return diff.Input{}, fmt.Errorf("%s: the file changed while diff was reading it (it is read twice for this comparison); diff it again once it is written", path)
			}
			seen[side] = st
			ins, err := load(sides[side])
			if err != nil {
				return diff.Input{}, err
			}
			return ins[0], nil
		}, cat, dopt)
	} else {
		if before, err = load(opts.Before); err != nil {
			return err
		}
		if after, err = load(opts.After); err != nil {
			return err
		}
		rep, err = diff.Compare(before, after, cat, dopt)
	}
	if err != nil {
		return err
	}
	rep.Version = versionString(debug.ReadBuildInfo())
	err = writeOutput(opts.IO.Out, opts.Output, all, func(w io.Writer) error {
		if opts.Format == "html" {
			sel := profile.SampleFilter{Focus: opts.Focus, Ignore: opts.Ignore, Thread: opts.Thread}
			return report.WriteDiffHTML(w, rep, diffFlame(before, after, rep, opts.Names, sel))
		}
		return render.Write(w, rep, render.Options{Format: opts.Format, Width: opts.IO.Width})
	})
	if err != nil {
		return err
	}
	if rep.Regression {
		top := rep.Gate.Tripped[0]
		return &RegressionError{fmt.Sprintf("regression: %s rose %.1f points (%.1f%% -> %.1f%%), more than %g (%d significant rise(s) in all)",
			top.Label(), 100*top.Delta, 100*top.BeforeShare, 100*top.AfterShare, opts.FailOnRegression, len(rep.Gate.Tripped))}
	}
	return nil
}

// rereadable says whether paths is one regular file, which a diff may read
// again (CompareInTurn does when the sides need their stacks twice).
func rereadable(paths []string) bool {
	if len(paths) != 1 || paths[0] == "-" || isURL(paths[0]) {
		return false
	}
	st, err := os.Stat(paths[0])
	return err == nil && st.Mode().IsRegular()
}

// diffFlame aligns the two sides' call trees for the differential flame
// graph; it draws one profile a side, so several runs a side get none.
func diffFlame(before, after []diff.Input, rep *diff.Report, names diff.NameOptions, sel profile.SampleFilter) *flamegraph.Graph {
	if len(before) != 1 || len(after) != 1 {
		return nil
	}
	value := func(in diff.Input) int {
		if in.Value < 0 {
			return in.Profile.DefaultType
		}
		return in.Value
	}
	// Both sides drawn from the samples the tables compare.
	t := diff.Align(sel.Select(before[0].Profile), value(before[0]), sel.Select(after[0].Profile), value(after[0]), names)
	return flamegraph.BuildDiff(t, flamegraph.DiffOptions{
		Unit: rep.After.SampleType.Unit, Type: rep.After.SampleType.Name,
		BeforeSamples: rep.Before.Samples, AfterSamples: rep.After.Samples,
		Exact: rep.Noise.Method == diff.Exact,
	})
}
