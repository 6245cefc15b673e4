// Package term describes the streams a command talks to, so commands can be
// tested as plain function calls (term.Test) and never probe the terminal
// themselves.
package term

import (
	"bytes"
	"io"
	"os"
	"strconv"
)

// IO is a command's standard streams and what is known about the terminal.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// OutTTY and ErrTTY say whether Out and Err are terminals.
	OutTTY, ErrTTY bool
	// Color says whether Out may carry ANSI colour (a terminal, NO_COLOR unset).
	Color bool
	Width int
}

// System returns the process's real streams.
func System() *IO {
	outTTY, errTTY := isTerminal(os.Stdout), isTerminal(os.Stderr)
	_, noColor := os.LookupEnv("NO_COLOR")
	return &IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: outTTY, ErrTTY: errTTY,
		Color: outTTY && !noColor && os.Getenv("TERM") != "dumb",
		Width: envWidth(),
	}
}

// envWidth is the width COLUMNS gives, or 0 (the renderers' default) when
// it is unset or not a positive number.
func envWidth() int {
	n, err := strconv.Atoi(os.Getenv("COLUMNS"))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// Test returns streams backed by buffers: stdin reads in, stdout and
// stderr are returned for inspection. Nothing is a terminal.
func Test(in string) (*IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IO{In: bytes.NewBufferString(in), Out: &out, Err: &errb, Width: 100}, &out, &errb
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
