package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// "Hottest inside" names the code doing the work: Go's asynchronous
// preemption trampoline (runtime.asyncPreempt, 0.30 s of the 4.71 s
// profile) is charged to the function it interrupted. From `go tool pprof
// -top` and `-peek 'runtime.asyncPreempt$'`: checkValid's own 0.13 s plus
// the 0.04 s of asyncPreempt under it is 3.6% of 4.71 s; indirect's 0.07 s
// plus 0.02 s is 1.9%.
func TestTrampolineChargedToItsCaller(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/pprof/gobench-cpu.pb.gz"))
	var ser *Finding
	for i := range r.Findings {
		if strings.Contains(r.Findings[i].Evidence, "hottest inside") {
			ser = &r.Findings[i]
			break
		}
	}
	require.NotNil(t, ser, "a finding with a hottest-inside list")
	assert.NotContains(t, ser.Evidence, "asyncPreempt")
	assert.Contains(t, ser.Evidence, "encoding/json.checkValid 3.6%")
	assert.Contains(t, ser.Evidence, "encoding/json.indirect 1.9%")
}
