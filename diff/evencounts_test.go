package diff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// TestEvenCountsAreSamples: folded counts that happen to share a small
// factor (all even) are sample counts, as the folded reader decides: diff
// takes them as they are for the noise test, not divided by the factor.
func TestEvenCountsAreSamples(t *testing.T) {
	side := func(name string, hot int) []diff.Input {
		var b strings.Builder
		fmt.Fprintf(&b, "main;hot %d\n", hot)
		for i := 0; i < 9; i++ {
			fmt.Fprintf(&b, "main;f%d %d\n", i, 2*(i+1))
		}
		p, err := folded.Read(strings.NewReader(b.String()), name, profile.ReadOptions{})
		require.NoError(t, err)
		return []diff.Input{{Path: name, Profile: p, Value: -1}}
	}
	r := compare(t, side("a.folded", 400), side("b.folded", 600), diff.Options{})
	for _, w := range r.Warnings {
		assert.NotContains(t, w, "units per sample")
	}
	assert.Equal(t, int64(490), r.Before.Samples)
}
