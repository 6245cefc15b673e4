package heaptrack_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/heaptrack"
)

// BenchmarkRead reads a real recording (the rpds run: 37k allocations,
// 15k traces), zstd-compressed as heaptrack writes it; throughput is of
// the compressed bytes.
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(testutil.Shared(b, "fixtures/heaptrack/py311-rpds-per-item.heaptrack.zst"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := heaptrack.Read(bytes.NewReader(data), "bench", profile.ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
