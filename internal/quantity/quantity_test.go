package quantity

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValue(t *testing.T) {
	tests := []struct {
		v    int64
		unit string
		want string
	}{
		{0, "nanoseconds", "0 ns"},
		{999, "nanoseconds", "999 ns"},
		{1_500, "nanoseconds", "1.50 µs"},
		{9_996, "nanoseconds", "10.0 µs"},
		{99_960, "nanoseconds", "100 µs"},
		{12_345_678, "nanoseconds", "12.3 ms"},
		{4_213_000_000, "nanoseconds", "4.21 s"},
		{3_600_000_000_000, "nanoseconds", "3600 s"},
		{1_500, "microseconds", "1.50 ms"},
		{2, "seconds", "2.00 s"},
		{-2_000_000, "nanoseconds", "-2.00 ms"},
		{512, "bytes", "512 B"},
		{1536, "bytes", "1.50 KiB"},
		{10 << 20, "bytes", "10.0 MiB"},
		{3 << 30, "bytes", "3.00 GiB"},
		{7, "count", "7"},
		{1_234_567, "count", "1,234,567"},
		{-1_234_567, "count", "-1,234,567"},
		{-100, "", "-100"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Value(tc.v, tc.unit), "%d %s", tc.v, tc.unit)
	}
}

func TestShare(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{{0, "0.0%"}, {1, "100.0%"}, {0.4109, "41.1%"}, {0.0004, "<0.1%"}, {0.0005, "0.1%"}, {-0.0001, "-<0.1%"}, {-0.25, "-25.0%"}, {math.NaN(), "?%"}} {
		assert.Equal(t, tc.want, Share(tc.f), "%v", tc.f)
	}
}

func TestDurationRange(t *testing.T) {
	assert.Equal(t, "20-70 ns", DurationRange(20, 70))
	assert.Equal(t, "50.0-100 µs", DurationRange(50000, 100000))
	assert.Equal(t, "100 ns - 1.00 µs", DurationRange(100, 1000))
	assert.Equal(t, "64.0 µs", DurationRange(64000, 64000))
}
