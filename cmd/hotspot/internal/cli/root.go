// Package cli is hotspot's command layer: the only importer of cobra and the
// only code that opens files or talks to the terminal. Each command parses
// and checks its flags, then calls a run function with an Options struct.
package cli

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	// exitRegression: `diff --fail-on-regression` found a regression.
	exitRegression = 3
)

// FlagError is a usage error: wrong flags or arguments. It exits with 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

func flagErrorf(format string, a ...any) error { return &FlagError{fmt.Errorf(format, a...)} }

// Main runs hotspot with the given arguments and returns the exit code.
func Main(args []string, io *term.IO) int {
	root := NewRootCmd(io)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	msg := strings.TrimSpace(err.Error())
	fmt.Fprintf(io.Err, "hotspot: %s\n", oneLine(msg))
	var re *RegressionError
	if errors.As(err, &re) {
		return exitRegression
	}
	var fe *FlagError
	if errors.As(err, &fe) {
		fmt.Fprintln(io.Err, "Run 'hotspot --help' for usage.")
		return exitUsage
	}
	return exitError
}

// usageArgs wraps a cobra argument validator so that what it rejects is a
// usage error (exit 2), decided by type, not by the message's words.
func usageArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return &FlagError{err}
		}
		return nil
	}
}

// oneLine keeps error output to a single line (wrapped library errors can
// carry newlines) and escapes any other control character, so that no
// byte from an input can drive the terminal through an error message.
func oneLine(s string) string {
	return escapeControls(strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " "))
}

// escapeControls writes control characters as \xNN (C1 ones as \u00NN).
func escapeControls(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r >= 0x80 && r <= 0x9f:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NewRootCmd builds the command tree.
func NewRootCmd(io *term.IO) *cobra.Command {
	var color string
	root := &cobra.Command{
		Use:   "hotspot",
		Short: "Explain where a profile's time and memory go, and what to change first",
		Long: `hotspot reads the profiles Python and Rust teams already have on disk
(py-spy speedscope JSON and raw output, perf script text, folded stacks,
dhat JSON, pprof) and explains where the time and memory go, why, and
what to change first, with evidence from the profile.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Without a subcommand: help, or a usage error for an unknown one.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return flagErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := io.SetColor(term.ColorMode(color)); err != nil {
				return &FlagError{err}
			}
			return nil
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{err} })
	root.PersistentFlags().StringVar(&color, "color", string(term.ColorAuto), "colour the text report: auto, always or never")
	root.PersistentFlags().BoolVarP(&io.Quiet, "quiet", "q", false, "no progress on stderr while reading a large input")
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.Version = versionString(debug.ReadBuildInfo())
	root.SetVersionTemplate("hotspot {{.Version}}\n")
	root.AddCommand(NewCmdConvert(io, nil))
	root.AddCommand(NewCmdExplain(io, nil))
	root.AddCommand(NewCmdDiff(io, nil))
	root.AddCommand(NewCmdHints(io, nil))
	root.AddCommand(NewCmdFlamegraph(io, nil))
	root.AddCommand(NewCmdTop(io, nil))
	root.AddCommand(NewCmdPeek(io, nil))
	root.AddCommand(NewCmdThreads(io, nil))
	return root
}
