// Package term describes the streams a command talks to, so commands can be
// tested as plain function calls (term.Test) and never probe the terminal
// themselves. System is the one place that asks the operating system.
package term

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"

	xterm "golang.org/x/term"
)

// IO is a command's standard streams and what is known about the terminal.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// OutTTY and ErrTTY say whether Out and Err are terminals.
	OutTTY, ErrTTY bool
	// Color says whether Out may carry ANSI colour: under --color auto, a
	// terminal with NO_COLOR unset or empty and TERM not "dumb".
	Color bool
	// Quiet (--quiet) keeps progress off stderr even on a terminal.
	Quiet bool
	// Width is the terminal's width in columns, or COLUMNS; 0 (the
	// renderers' default) when neither is known.
	Width int
	// env is the environment colour decisions read; nil means none.
	env func(string) string
}

// System returns the process's real streams.
func System() *IO {
	outTTY, errTTY := IsTerminal(os.Stdout), IsTerminal(os.Stderr)
	io := &IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: outTTY, ErrTTY: errTTY,
		Width: Width(os.Stdout),
		env:   os.Getenv,
	}
	io.Color = autoColor(outTTY, os.Getenv)
	return io
}

// Test returns streams backed by buffers: stdin reads in, stdout and
// stderr are returned for inspection. Nothing is a terminal.
func Test(in string) (*IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IO{In: bytes.NewBufferString(in), Out: &out, Err: &errb, Width: 100}, &out, &errb
}

// IsTerminal reports whether f is a terminal. A character device is not
// enough: /dev/null is one.
func IsTerminal(f *os.File) bool { return xterm.IsTerminal(int(f.Fd())) }

// Width returns the width of the terminal f in columns. When f is not a
// terminal it returns COLUMNS if that is a positive number, else 0 (the
// renderers' default).
func Width(f *os.File) int {
	if w, _, err := xterm.GetSize(int(f.Fd())); err == nil && w > 0 {
		return w
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 0
}

// ColorMode is the value of --color.
type ColorMode string

// The --color values.
const (
	ColorAuto   ColorMode = "auto"
	ColorAlways ColorMode = "always"
	ColorNever  ColorMode = "never"
)

// SetColor applies --color: "always" and "never" decide outright, "auto"
// colours a terminal unless NO_COLOR is set to a non-empty value
// (no-color.org) or TERM is "dumb".
func (io *IO) SetColor(mode ColorMode) error {
	switch mode {
	case ColorAlways:
		io.Color = true
	case ColorNever:
		io.Color = false
	case ColorAuto:
		getenv := io.env
		if getenv == nil {
			getenv = func(string) string { return "" }
		}
		io.Color = autoColor(io.OutTTY, getenv)
	default:
		return fmt.Errorf("unknown --color %q (want auto, always or never)", string(mode))
	}
	return nil
}

// SetEnv sets the environment SetColor reads (tests use it; System reads
// the process's).
func (io *IO) SetEnv(getenv func(string) string) { io.env = getenv }

func autoColor(tty bool, getenv func(string) string) bool {
	return tty && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}
