package explain

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
)

// TestPlanStepsUnnumbered: measurement-plan steps are text alone; each
// renderer numbers them (before, the engine wrote "1. " into the step and
// the renderers cut it off again).
func TestPlanStepsUnnumbered(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	p := load(t, filepath.Join("..", "fixtures", "planted", "pyo3", "ffi-per-item.perf.txt"))
	r, err := Explain(p, cat, Options{Value: -1})
	require.NoError(t, err)
	require.NotEmpty(t, r.Findings)
	require.NotEmpty(t, r.Plan)
	numbered := regexp.MustCompile(`^\s*\d+[.)]\s`)
	for i, s := range r.Plan {
		assert.False(t, numbered.MatchString(s), "step %d carries a number: %q", i+1, s)
	}
	// Commands are code spans, so HTML and markdown show them as code.
	assert.Contains(t, r.Plan[0], "Record with `perf record ")
	last := r.Plan[len(r.Plan)-1]
	assert.Regexp(t, "^Record what this profile cannot show: `[^`#]+` \\([^)]+\\)\\.$", last)
}
