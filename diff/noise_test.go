package diff

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Newcombe (1998), "Interval estimation for the difference between
// independent proportions", Stat. Med. 17:873-890, table II: method 10
// (score, no continuity correction).
func TestNewcombeReference(t *testing.T) {
	tests := []struct {
		m, n, mm, nn float64
		lo, hi       float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
	}
	for _, tc := range tests {
		// newcombe gives p2-p1; the paper's table is p1-p2.
		lo, hi := newcombe(tc.mm/tc.nn, tc.nn, tc.m/tc.n, tc.n)
		assert.InDelta(t, tc.lo, lo, 0.00051, "%v", tc)
		assert.InDelta(t, tc.hi, hi, 0.00051, "%v", tc)
	}
}

func TestHolm(t *testing.T) {
	// m = 4 at 0.05: thresholds 0.0125, 0.0167, 0.025, 0.05 in p order.
	assert.Equal(t, []bool{true, true, false, false}, holm([]float64{0.01, 0.015, 0.03, 0.04}, 4))
	// Step-down stops at the first failure even if later p-values are small enough for their own threshold.
	assert.Equal(t, []bool{true, false, false}, holm([]float64{0.001, 0.03, 0.04}, 3))
	// Untested family members count in m: 0.03 > 0.05/2.
	assert.Equal(t, []bool{false}, holm([]float64{0.03}, 2))
}

func TestPValue(t *testing.T) {
	// Pooled two-proportion z test: 30/100 vs 50/100, z = 2.8868, p = 0.00389.
	assert.InDelta(t, 0.00389, pValue(0.3, 100, 0.5, 100), 0.00002)
	assert.Equal(t, 1.0, pValue(0.3, 100, 0.3, 400))
}
