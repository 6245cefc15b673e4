package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The numbers themselves are tested in package quantity; here only the
// report's own wording around them.
func TestFormatValueUnit(t *testing.T) {
	assert.Equal(t, "1,234 samples", formatValueUnit(1234, sampleUnit{name: "samples", unit: "count"}))
	assert.Equal(t, "12 blocks", formatValueUnit(12, sampleUnit{name: "alloc", unit: "blocks"}))
	assert.Equal(t, "1.50 KiB", formatValueUnit(1536, sampleUnit{name: "alloc", unit: "bytes"}))
}
