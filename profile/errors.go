package profile

import (
	"errors"
	"fmt"
)

// ErrUnrecognized is returned by an importer handed input that is not in its
// format at all, so callers can try the next format.
var ErrUnrecognized = errors.New("unrecognized profile format")

// ErrNoSamples is returned where a profile must have samples and has none.
var ErrNoSamples = errors.New("profile has no samples")

// SyntaxError reports malformed input at a position. Exactly one of Line,
// Offset or Path locates it; Line and Offset are 1-based and 0-based. Col
// refines Line (file:line:col:, as compilers print it) so that a one-line
// JSON document still points at the byte that was wrong.
type SyntaxError struct {
	File   string // the input's name, for messages only
	Line   int    // 1-based line number, 0 when not line-based
	Col    int    // 1-based byte column within Line, 0 when not known
	Offset int64  // byte offset, -1 when not known; used when Line is 0 and Path empty
	Path   string // JSON path such as "profiles[2].samples[17]"; used when Line is 0
	Msg    string // what was wrong and what was expected
}

func (e *SyntaxError) Error() string {
	file := e.File
	if file == "" {
		file = "-"
	}
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", file, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", file, e.Line, e.Msg)
	case e.Path != "":
		return fmt.Sprintf("%s: %s: %s", file, e.Path, e.Msg)
	case e.Offset >= 0:
		return fmt.Sprintf("%s: offset %d: %s", file, e.Offset, e.Msg)
	}
	return fmt.Sprintf("%s: %s", file, e.Msg)
}

// LimitError reports that an input exceeded one of the Limits. Line (and
// Col) place it like a SyntaxError, file:line:col:; Where is for inputs
// without lines.
type LimitError struct {
	File  string // the input's name
	Line  int    // 1-based line number, 0 when not line-based
	Col   int    // 1-based byte column within Line, 0 when not known
	Where string // position without lines ("offset 4096", "profiles[0]"), may be empty
	What  string // "stack depth", "distinct frames", ...
	Limit int64
	Flag  string // the command-line flag that raises it, e.g. "--max-depth"
}

func (e *LimitError) Error() string {
	pos := e.File
	switch {
	case e.Line > 0 && e.Col > 0:
		pos += fmt.Sprintf(":%d:%d", e.Line, e.Col)
	case e.Line > 0:
		pos += fmt.Sprintf(":%d", e.Line)
	case e.Where != "":
		pos += ": " + e.Where
	}
	return fmt.Sprintf("%s: %s exceeds the limit of %d (raise it with %s)", pos, e.What, e.Limit, e.Flag)
}

// ErrLimit matches every *LimitError with errors.Is.
var ErrLimit = errors.New("limit exceeded")

func (e *LimitError) Is(target error) bool { return target == ErrLimit }
