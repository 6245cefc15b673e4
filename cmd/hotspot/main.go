// Command hotspot reads the profiles Python and Rust teams already have on
// disk (py-spy, perf, folded stacks, dhat, pprof) and explains where the
// time and memory go, why, and what to change first.
package main

import (
	"os"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/cli"
	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
)

func main() { os.Exit(cli.Main(os.Args[1:], term.System())) }
