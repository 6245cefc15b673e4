package speedscope

import "math"

// decimal is an exact JSON number: mant × 10^exp. Weights and times are
// kept in this form until their unit is known, so that 0.01 s becomes
// exactly 10000000 ns instead of a float64 approximation.
type decimal struct {
	mant int64
	exp  int32
}

// maxMantDigits is how many significant digits a decimal keeps. float64
// output never has more than 17; further digits are dropped.
const maxMantDigits = 18

// parseDecimal parses a JSON number literal. ok is false when b is not a
// number. Numbers whose magnitude is beyond ±10^400 are clamped, which
// later conversions report as too large.
func parseDecimal(b []byte) (d decimal, ok bool) {
	i := 0
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	if i >= len(b) || b[i] < '0' || b[i] > '9' {
		return decimal{}, false
	}
	var mant int64
	var exp int64
	digits := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if digits < maxMantDigits {
			mant = mant*10 + int64(b[i]-'0')
			if mant != 0 {
				digits++
			}
		} else {
			exp++
		}
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if digits < maxMantDigits {
				mant = mant*10 + int64(b[i]-'0')
				exp--
				if mant != 0 {
					digits++
				}
			}
		}
		if i == start {
			return decimal{}, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		start := i
		var e int64
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if e < 1e6 {
				e = e*10 + int64(b[i]-'0')
			}
		}
		if i == start {
			return decimal{}, false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(b) {
		return decimal{}, false
	}
	if mant == 0 {
		return decimal{}, true
	}
	for mant%10 == 0 {
		mant /= 10
		exp++
	}
	exp = max(min(exp, 400), -400)
	if neg {
		mant = -mant
	}
	return decimal{mant: mant, exp: int32(exp)}, true
}

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// scaled returns d in units of 10^e, rounded half away from zero when d has
// finer digits. exact is false when rounding changed the value; ok is false
// when the result does not fit in an int64.
func (d decimal) scaled(e int32) (v int64, exact, ok bool) {
	if d.mant == 0 {
		return 0, true, true
	}
	shift := int64(d.exp) - int64(e)
	if shift >= 0 {
		if shift >= int64(len(pow10)) {
			return 0, false, false
		}
		p := pow10[shift]
		if d.mant > math.MaxInt64/p || d.mant < math.MinInt64/p {
			return 0, false, false
		}
		return d.mant * p, true, true
	}
	if -shift >= int64(len(pow10)) {
		return 0, false, true
	}
	p := pow10[-shift]
	q, r := d.mant/p, d.mant%p
	if r < 0 {
		r = -r
	}
	if 2*r >= p {
		if d.mant < 0 {
			q--
		} else {
			q++
		}
	}
	return q, false, true
}

// neg reports whether d is below zero.
func (d decimal) neg() bool { return d.mant < 0 }
