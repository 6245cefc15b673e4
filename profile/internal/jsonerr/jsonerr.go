// Package jsonerr words the syntax errors of the jsontext decoder (used by
// the speedscope and dhat importers) the way encoding/json does, so that
// hotspot's messages read the same whichever decoder found the problem.
package jsonerr

import (
	"errors"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// KeyExpected rewords a syntax error met where an object key was due: the
// decoder calls the place "the start of a value".
func KeyExpected(err error) error {
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) || se.Err == nil || !strings.Contains(se.Err.Error(), "at start of value") {
		return err
	}
	msg := strings.Replace(se.Err.Error(), "at start of value", "at start of string", 1)
	return &jsontext.SyntacticError{ByteOffset: se.ByteOffset, JSONPointer: se.JSONPointer, Err: errors.New(msg)}
}

// legacyWords maps jsontext's wording of a syntax error onto
// encoding/json's.
var legacyWords = strings.NewReplacer(
	"object name", "object key",
	"at start of value", "looking for beginning of value",
	"at start of string", "looking for beginning of object key string",
	"after object value", "after object key:value pair",
	"in number", "in numeric literal",
)

// Message words a jsontext syntax error as encoding/json does:
// "invalid character 'x' looking for beginning of value". encoding/json
// says what it expected only inside literals (true, false, null).
func Message(err error) string {
	if err == nil {
		return "syntax error"
	}
	msg := err.Error()
	if i := strings.Index(msg, " (expecting"); i >= 0 && !strings.Contains(msg, " in literal") {
		msg = msg[:i]
	}
	if strings.HasSuffix(msg, " in string") {
		msg += " literal"
	}
	return legacyWords.Replace(msg)
}
