package report

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotspot-dev/hotspot/explain"
)

// TestKnownFieldsAreCurrent fails when explain.Report or explain.Finding
// gains a field: lay it out in the renderers (or accept the generic
// "label: value" line) and add its name to the known set here.
func TestExtraFieldsGeneric(t *testing.T) {
	type future struct {
		Hint      string          `json:"hint"`
		Mechanism string          `json:"mechanism_breakdown"`
		Targets   []string        `json:"aims,omitempty"`
		Weight    float64         `json:"weight"`
		Nested    struct{ A int } `json:"nested"`
		Empty     string          `json:"empty"`
	}
	v := future{Hint: "x", Mechanism: "copying 60%", Targets: []string{"a", "b"}, Weight: 0.25}
	v.Nested.A = 3
	assert.Equal(t, []field{{"mechanism breakdown", "copying 60%"}, {"aims", "a; b"}, {"weight", "0.25"}, {"nested", `{"A":3}`}},
		extraFields(v, knownFinding))
	// Today's report has no field the renderers do not lay out.
	assert.Empty(t, extraFields(perItemReport(), knownReport))
	for _, f := range perItemReport().Findings {
		assert.Empty(t, extraFields(f, knownFinding))
	}
	assert.Empty(t, extraFields(explain.Finding{}, knownFinding))
}
