package explain

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile/ingest"
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

// BenchmarkExplainSamples explains the same distinct stacks recorded 1 and
// 10 times over (a real perf recording, its samples repeated): explain
// works per distinct stack and label set, so the two take about the same
// time. Compare the ns/op of the two sub-benchmarks.
func BenchmarkExplainSamples(b *testing.B) {
	path := testutil.Fixture(b, "planted/pyo3/ffi-per-item.perf.txt")
	raw, err := os.ReadFile(path)
	require.NoError(b, err)
	cat, err := hints.Default()
	require.NoError(b, err)
	for _, times := range []int{1, 10} {
		text := bytes.Repeat(append(append([]byte{}, raw...), '\n'), times)
		p, err := ingest.Read(bytes.NewReader(text), path, testFormats(), ingest.Options{})
		require.NoError(b, err)
		b.Run(fmt.Sprintf("x%d", times), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Explain(p, cat, Options{Value: -1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.SampleCount()), "samples/op")
			b.ReportMetric(float64(len(p.Samples)), "stacks/op")
		})
	}
}
