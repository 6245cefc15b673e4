package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRankPerUnitOfRisk: a codec swap (a new dependency, risk high) that
// could remove 53.4% is worth 26.7 per unit of risk, so it still leads;
// putting one call back on the C encoder (low, 14.4%) comes before
// converting the values once (medium, 14.6%: 11.7 per unit) although it
// removes a little less; a low-confidence finding comes last whatever its
// size. The shares are py312-json's (py-spy raw).
func TestRankPerUnitOfRisk(t *testing.T) {
	fs := []Finding{
		{Hint: "hooks", Share: 0.146, Risk: "medium"},
		{Hint: "unconfirmed", Share: 0.60, Risk: "low", Confidence: "low"},
		{Hint: "pure-python", Share: 0.144, Risk: "low"},
		{Hint: "codec", Share: 0.534, Risk: "high"},
	}
	rankFindings(fs)
	var order []string
	for _, f := range fs {
		order = append(order, f.Hint)
	}
	assert.Equal(t, []string{"codec", "pure-python", "hooks", "unconfirmed"}, order)
}
