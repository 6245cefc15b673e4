package report

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    int64
		unit string
		want string
	}{
		{0, "nanoseconds", "0 ns"},
		{999, "nanoseconds", "999 ns"},
		{1_500, "nanoseconds", "1.50 us"},
		{12_345_678, "nanoseconds", "12.3 ms"},
		{4_213_000_000, "nanoseconds", "4.21 s"},
		{61_240_000_000, "nanoseconds", "61.2 s"},
		{3_600_000_000_000, "nanoseconds", "3600 s"},
		{1_500, "microseconds", "1.50 ms"},
		{2, "seconds", "2.00 s"},
		{-2_000_000, "nanoseconds", "-2.00 ms"},
		{512, "bytes", "512 B"},
		{1536, "bytes", "1.50 KiB"},
		{10 << 20, "bytes", "10.0 MiB"},
		{3 << 30, "bytes", "3.00 GiB"},
		{7, "count", "7"},
		{1234, "count", "1,234"},
		{1_234_567, "count", "1,234,567"},
		{-1_234_567, "count", "-1,234,567"},
		{100_000, "", "100,000"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, formatValue(tc.v, tc.unit), "%d %s", tc.v, tc.unit)
	}
	assert.Equal(t, "1,234 samples", formatValueUnit(1234, sampleUnit{name: "samples", unit: "count"}))
	assert.Equal(t, "12 blocks", formatValueUnit(12, sampleUnit{name: "alloc", unit: "blocks"}))
	assert.Equal(t, "1.50 KiB", formatValueUnit(1536, sampleUnit{name: "alloc", unit: "bytes"}))
}

func TestFormatShare(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0.0%"}, {1, "100.0%"}, {0.4109, "41.1%"}, {0.0004, "<0.1%"}, {0.0005, "0.1%"}, {math.NaN(), "?%"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, formatShare(tc.f), "%v", tc.f)
	}
}

func TestFormatNSRange(t *testing.T) {
	assert.Equal(t, "20-70 ns", formatNSRange(20, 70))
	assert.Equal(t, "50.0-100 us", formatNSRange(50000, 100000))
	assert.Equal(t, "100 ns - 1.00 us", formatNSRange(100, 1000))
	assert.Equal(t, "64.0 us", formatNSRange(64000, 64000))
	assert.Equal(t, "0.50 ns", formatNSRange(0.5, 0.5))
}
