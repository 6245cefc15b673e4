package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// A Go benchmark's encoding/json gets a Go fix in its summary (not Python's
// orjson), naming the function by package and name rather than by a piece
// of its module path (example.com/... once printed as "com/...").
func TestGoCodecFixInGoTerms(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/pprof/gobench-cpu.pb.gz"))
	fix := r.Headline.Fix
	assert.NotContains(t, fix, "orjson")
	assert.Contains(t, fix, "gobench.BenchmarkJSONRoundTrip")
	assert.NotContains(t, fix, "com/hotspotfixtures")
	assert.Contains(t, fix, "encoding/json")
	assert.Equal(t, "gobench.BenchmarkJSONRoundTrip", shortName("example.com/hotspotfixtures/gobench.BenchmarkJSONRoundTrip"))
}
