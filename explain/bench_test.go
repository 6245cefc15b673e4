package explain

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// BenchmarkExplain explains the largest shared CPU profile (google/pprof's
// large.cpu, ~44k samples) end to end, after loading.
func BenchmarkExplain(b *testing.B) {
	path := testutil.Shared(b, "fixtures/public/pprof/google-pprof_large.cpu.pb.gz")
	p := load(b, path)
	cat, err := hints.Default()
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Explain(p, cat, Options{Value: -1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.SampleCount()), "samples/op")
}
