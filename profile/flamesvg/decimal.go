package flamesvg

import (
	"errors"
	"strconv"
	"strings"
)

// decimal is a non-negative count with d digits after the point:
// flamegraph.pl --factor draws fractional counts.
type decimal struct {
	v int64
	d int
}

const maxDigits = 9

// parseDecimal reads "1,020,408,150" or "12.5".
func parseDecimal(s string) (decimal, error) {
	s = strings.ReplaceAll(s, ",", "")
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" || strings.Contains(frac, ".") {
		return decimal{}, errors.New("want a number")
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > maxDigits {
		return decimal{}, errors.New("more than 9 decimal places")
	}
	var v int64
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return decimal{}, errors.New("want a number")
		}
		if v > (1<<63-1-9)/10 {
			return decimal{}, errors.New("overflows a 64-bit integer")
		}
		v = v*10 + int64(c-'0')
	}
	return decimal{v: v, d: len(frac)}, nil
}

// at returns x with d digits after the point (d >= x.d), or false on overflow.
func (x decimal) at(d int) (int64, bool) {
	v := x.v
	for i := x.d; i < d; i++ {
		if v > (1<<63-1)/10 {
			return 0, false
		}
		v *= 10
	}
	return v, true
}

// format writes v with d digits after the point.
func format(v int64, d int) string {
	s := []byte(strconv.FormatInt(v, 10))
	if d == 0 {
		return string(s)
	}
	for len(s) <= d {
		s = append([]byte{'0'}, s...)
	}
	return string(s[:len(s)-d]) + "." + string(s[len(s)-d:])
}
