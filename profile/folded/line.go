package folded

import (
	"fmt"
	"math"
)

// count is one parsed weight: the decimal mantissa and how many digits of it
// follow the decimal point ("12.50" is {1250 -> 125, 1}: trailing zeros of
// the fraction are dropped so the scale stays as small as the data allows).
type count struct {
	mant     int64
	decimals int
}

// maxDecimals is the most fractional digits a count may have: 10^18 is the
// largest power of ten an int64 holds.
const maxDecimals = 18

// isSpace reports the whitespace that may separate stack and count.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// trimRight drops trailing whitespace (a CR left by CRLF line ends, stray
// blanks after the count).
func trimRight(line []byte) []byte {
	for len(line) > 0 && isSpace(line[len(line)-1]) {
		line = line[:len(line)-1]
	}
	return line
}

// splitLast splits line at its last whitespace character, as flamegraph.pl's
// `^(.*)\s+?(\d+(?:\.\d*)?)$` and speedscope's `^(.*) (\d+)$` do: frames may
// contain spaces, counts never, and whitespace before that last character
// stays in the last frame (FlameGraph's own collapsed test outputs have a
// frame that is a single space). ok is false when there is no whitespace or
// the stack before it is blank.
func splitLast(line []byte) (stack, tok []byte, ok bool) {
	i := len(line) - 1
	for i >= 0 && !isSpace(line[i]) {
		i--
	}
	if i < 0 || i == len(line)-1 {
		return nil, nil, false
	}
	stack = line[:i]
	for _, c := range stack {
		if !isSpace(c) {
			return stack, line[i+1:], true
		}
	}
	return nil, nil, false
}

// trailingCount splits a second count off the end of a stack, as
// splitLast followed by isCount would, but scans only the trailing digits
// instead of the whole last frame: it runs on every line to spot
// differential input.
func trailingCount(stack []byte) (rest, tok []byte, ok bool) {
	i := len(stack) - 1
	for i >= 0 && (stack[i] >= '0' && stack[i] <= '9' || stack[i] == '.') {
		i--
	}
	if i == len(stack)-1 || i < 0 || !isSpace(stack[i]) || !isCount(stack[i+1:]) {
		return nil, nil, false
	}
	for _, c := range stack[:i] {
		if !isSpace(c) {
			return stack[:i], stack[i+1:], true
		}
	}
	return nil, nil, false
}

// isCount reports whether tok has the shape of a count: digits, optionally
// followed by a point and more digits.
func isCount(tok []byte) bool {
	i := 0
	for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	if i == len(tok) {
		return true
	}
	if tok[i] != '.' {
		return false
	}
	for i++; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	return true
}

// parseCount parses a token isCount accepted. The error is a message for a
// SyntaxError: the count does not fit an int64 at its own scale.
func parseCount(tok []byte) (count, error) {
	end := len(tok)
	dot := -1
	for i, c := range tok {
		if c == '.' {
			dot = i
			break
		}
	}
	if dot >= 0 {
		for end > dot+1 && tok[end-1] == '0' {
			end--
		}
	}
	var c count
	if dot >= 0 {
		c.decimals = end - dot - 1
	}
	if c.decimals > maxDecimals {
		return count{}, fmt.Errorf("count %s has more than %d decimals, want at most %d", tok, maxDecimals, maxDecimals)
	}
	for i := 0; i < end; i++ {
		if i == dot {
			continue
		}
		d := int64(tok[i] - '0')
		if c.mant > (math.MaxInt64-d)/10 {
			return count{}, fmt.Errorf("count %s overflows a 64-bit integer, want at most %d", tok, int64(math.MaxInt64))
		}
		c.mant = c.mant*10 + d
	}
	return c, nil
}

// badCount explains why tok is not a count, for the skipped-line warning.
func badCount(tok []byte) string {
	if len(tok) > 1 && tok[0] == '-' && isCount(tok[1:]) {
		return fmt.Sprintf("negative count %s, want a non-negative number", tok)
	}
	if len(tok) > 40 {
		return fmt.Sprintf("want 'stack count', got %q... where the count should be", tok[:40])
	}
	return fmt.Sprintf("want 'stack count', got %q where the count should be", tok)
}
