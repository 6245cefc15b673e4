package speedscope

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want decimal
		ok   bool
	}{
		{"0", decimal{}, true},
		{"0.0", decimal{}, true},
		{"-0", decimal{}, true},
		{"0.01", decimal{1, -2}, true},
		{"10", decimal{1, 1}, true},
		{"1.50", decimal{15, -1}, true},
		{"-2.5", decimal{-25, -1}, true},
		{"1e-2", decimal{1, -2}, true},
		{"2.5E+3", decimal{25, 2}, true},
		{"0.060000000000000005", decimal{60000000000000005, -18}, true},
		{"123456789012345678901", decimal{123456789012345678, 3}, true},
		{"1e999999", decimal{1, 400}, true},
		{"1e-999999", decimal{1, -400}, true},
		{"", decimal{}, false},
		{"-", decimal{}, false},
		{"1.", decimal{}, false},
		{".5", decimal{}, false},
		{"1e", decimal{}, false},
		{"1x", decimal{}, false},
		{`"1"`, decimal{}, false},
		{"NaN", decimal{}, false},
	}
	for _, tc := range tests {
		got, ok := parseDecimal([]byte(tc.in))
		assert.Equal(t, tc.ok, ok, tc.in)
		if ok {
			assert.Equal(t, tc.want, got, tc.in)
		}
	}
}

func TestDecimalScaled(t *testing.T) {
	tests := []struct {
		d         decimal
		e         int32
		want      int64
		exact, ok bool
	}{
		{decimal{1, -2}, -9, 10_000_000, true, true}, // 0.01 s in ns
		{decimal{1, -3}, -9, 1_000_000, true, true},
		{decimal{15, -1}, -6, 1_500_000, true, true}, // 1.5 ms in ns
		{decimal{4, -10}, -9, 0, false, true},        // 0.4 ns rounds down
		{decimal{5, -10}, -9, 1, false, true},        // half rounds away from zero
		{decimal{-5, -10}, -9, -1, false, true},
		{decimal{1, -30}, -9, 0, false, true},
		{decimal{9, 18}, 0, 9e18, true, true},
		{decimal{10, 18}, 0, 0, false, false},
		{decimal{1, 300}, -9, 0, false, false},
		{decimal{}, -9, 0, true, true},
	}
	for _, tc := range tests {
		v, exact, ok := tc.d.scaled(tc.e)
		assert.Equal(t, tc.ok, ok, "%v", tc.d)
		if ok {
			assert.Equal(t, tc.want, v, "%v", tc.d)
			assert.Equal(t, tc.exact, exact, "%v", tc.d)
		}
	}
}
