package austin_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/austin"
)

// BenchmarkRead reads about 30 MB of austin lines: a real recording
// repeated (austin writes one line per sample, so repeats are valid).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(testutil.Shared(b, "fixtures/austin/py310-threads-gil.austin"))
	if err != nil {
		b.Fatal(err)
	}
	in := bytes.Repeat(data, 100)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := austin.Read(bytes.NewReader(in), "bench", profile.ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
