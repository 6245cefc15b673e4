package cli

import (
	"io"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/views"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ViewOptions is what top, peek and threads share.
type ViewOptions struct {
	IO         *term.IO
	Input      string   // the inputs joined with " + ", for the header
	Inputs     []string // top merges several; peek and threads take one
	Output     string
	Format     views.Format
	In         InputFlags
	SampleType string
	Event      string
	Show, Hide *regexp.Regexp
	Lines      bool

	// top
	N     int
	ByCum bool
	// peek
	Match *regexp.Regexp
}

// viewFlags registers and checks the flags every view takes.
type viewFlags struct {
	format, show, hide string
}

func (v *viewFlags) register(fs *pflag.FlagSet, opts *ViewOptions) {
	fs.StringVar(&v.format, "format", "text", "output format: text, markdown or json")
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file instead of standard output")
	fs.StringVar(&opts.SampleType, "sample-type", "", "the value type to show (default: the profile's default)")
	fs.StringVar(&opts.Event, "event", "", "perf: the event to show (default: the first in the file)")
}

func (v *viewFlags) registerFrames(fs *pflag.FlagSet, opts *ViewOptions) {
	fs.StringVar(&v.show, "show", "", "keep only frames whose function matches this regular expression (samples are kept)")
	fs.StringVar(&v.hide, "hide", "", "drop frames whose function matches this regular expression (samples are kept)")
	fs.BoolVar(&opts.Lines, "lines", false, "one row per source line (function, file and line) instead of per function")
}

func (v *viewFlags) check(cmd *cobra.Command, opts *ViewOptions) error {
	f, err := outputFormat("--format", v.format, cmd.Flags().Changed("format"), opts.Output, reportExts, reportFormats)
	if err != nil {
		return err
	}
	opts.Format = views.Format(f)
	if opts.Show, err = compileFlag("show", v.show); err != nil {
		return err
	}
	if opts.Hide, err = compileFlag("hide", v.hide); err != nil {
		return err
	}
	return opts.In.check()
}

func (o *ViewOptions) options(value int) views.Options {
	return views.Options{Value: value, Lines: o.Lines, Show: o.Show, Hide: o.Hide}
}

// NewCmdTop builds `hotspot top`.
func NewCmdTop(io *term.IO, runF func(*ViewOptions) error) *cobra.Command {
	opts := &ViewOptions{IO: io}
	var vf viewFlags
	cmd := &cobra.Command{
		Use:   "top PROFILE... [-n N] [--cum] [--lines]",
		Short: "List functions by flat (or cumulative) cost, as pprof's top does",
		Example: `  hotspot top perf.txt
  hotspot top profile.speedscope.json --cum -n 20
  hotspot top cpu.pb.gz --lines --hide '^runtime\.'`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs, opts.Input = args, strings.Join(args, " + ")
			if err := vf.check(cmd, opts); err != nil {
				return err
			}
			if opts.N < 0 {
				return flagErrorf("-n must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return topRun(opts)
		},
	}
	fs := cmd.Flags()
	vf.register(fs, opts)
	fs.IntVarP(&opts.N, "nodes", "n", 10, "how many rows to show (0: all)")
	fs.BoolVar(&opts.ByCum, "cum", false, "sort by cumulative cost instead of flat")
	vf.registerFrames(fs, opts)
	opts.In.register(fs)
	return cmd
}

// NewCmdPeek builds `hotspot peek`.
func NewCmdPeek(io *term.IO, runF func(*ViewOptions) error) *cobra.Command {
	opts := &ViewOptions{IO: io}
	var vf viewFlags
	cmd := &cobra.Command{
		Use:   "peek PROFILE REGEX",
		Short: "Show the callers and callees of matching functions, with shares",
		Example: `  hotspot peek perf.txt 'json\.loads'
  hotspot peek cpu.pb.gz '^main\.parse$' --format markdown`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input, opts.Inputs = args[0], args[:1]
			re, err := regexp.Compile(args[1])
			if err != nil {
				return flagErrorf("REGEX: %v", err)
			}
			opts.Match = re
			if err := vf.check(cmd, opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return peekRun(opts)
		},
	}
	fs := cmd.Flags()
	vf.register(fs, opts)
	vf.registerFrames(fs, opts)
	opts.In.register(fs)
	return cmd
}

// NewCmdThreads builds `hotspot threads`.
func NewCmdThreads(io *term.IO, runF func(*ViewOptions) error) *cobra.Command {
	opts := &ViewOptions{IO: io}
	var vf viewFlags
	cmd := &cobra.Command{
		Use:   "threads PROFILE",
		Short: "List the processes and threads with their shares, to pick --thread from",
		Example: `  hotspot threads profile.speedscope.json
  hotspot explain profile.speedscope.json --thread worker`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input, opts.Inputs = args[0], args[:1]
			if err := vf.check(cmd, opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return threadsRun(opts)
		},
	}
	fs := cmd.Flags()
	vf.register(fs, opts)
	opts.In.register(fs)
	return cmd
}

func viewRun(opts *ViewOptions, render func(p *profile.Profile, value int, w io.Writer) error) error {
	p, value, err := loadProfiles(opts.IO, opts.Inputs, opts.Output, opts.In, opts.SampleType, opts.Event)
	if err != nil {
		return err
	}
	return writeOutput(opts.IO.Out, opts.Output, opts.Inputs, func(w io.Writer) error {
		return render(p, value, w)
	})
}

func topRun(opts *ViewOptions) error {
	return viewRun(opts, func(p *profile.Profile, value int, w io.Writer) error {
		t := views.ComputeTop(p, views.TopOptions{Options: opts.options(value), ByCum: opts.ByCum, N: opts.N})
		return views.WriteTop(w, t, viewHeader(opts), opts.Format)
	})
}

func peekRun(opts *ViewOptions) error {
	return viewRun(opts, func(p *profile.Profile, value int, w io.Writer) error {
		pk := views.ComputePeek(p, opts.Match, opts.options(value))
		return views.WritePeek(w, pk, viewHeader(opts), opts.Format)
	})
}

func threadsRun(opts *ViewOptions) error {
	return viewRun(opts, func(p *profile.Profile, value int, w io.Writer) error {
		th := views.ComputeThreads(p, opts.options(value))
		return views.WriteThreads(w, th, viewHeader(opts), opts.Format)
	})
}

// viewHeader says what the views print about their input and about hotspot.
func viewHeader(opts *ViewOptions) views.Header {
	return views.Header{Input: opts.Input, Version: versionString(debug.ReadBuildInfo())}
}
