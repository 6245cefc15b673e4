package cli

import (
	"fmt"
	"io"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/explain/report"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/spf13/cobra"
)

// HintsOptions is everything `hotspot hints` needs.
type HintsOptions struct {
	IO     *term.IO
	ID     string
	Format report.Format
}

// NewCmdHints builds `hotspot hints`.
func NewCmdHints(io *term.IO, runF func(*HintsOptions) error) *cobra.Command {
	opts := &HintsOptions{IO: io}
	var format string
	cmd := &cobra.Command{
		Use:   "hints [ID]",
		Short: "List the hint catalogue, or print one hint in full",
		Example: `  hotspot hints
  hotspot hints batch-ffi-calls`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.ID = args[0]
			}
			switch report.Format(format) {
			case "text", "markdown", "json":
				opts.Format = report.Format(format)
			default:
				return flagErrorf("unknown --format %q (want text, markdown or json)", format)
			}
			if runF != nil {
				return runF(opts)
			}
			return hintsRun(opts)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	return cmd
}

func hintsRun(opts *HintsOptions) error {
	cat, err := hints.Default()
	if err != nil {
		return err
	}
	ropt := report.Options{Format: opts.Format, Color: opts.IO.Color && opts.Format == "text", Width: opts.IO.Width}
	if opts.ID == "" {
		return writeOutput(opts.IO.Out, "", nil, func(w io.Writer) error { return report.WriteHints(w, cat, ropt) })
	}
	h, ok := cat.Lookup(opts.ID)
	if !ok {
		var ids []string
		for _, h := range cat.Hints {
			ids = append(ids, h.ID)
		}
		return fmt.Errorf("no hint %q in the catalogue (see 'hotspot hints' for the %d ids)", opts.ID, len(ids))
	}
	return writeOutput(opts.IO.Out, "", nil, func(w io.Writer) error { return report.WriteHint(w, h, cat, ropt) })
}
