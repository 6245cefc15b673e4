package perfscript

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// benchMB is the size of the generated benchmark input.
const benchMB = 100

// benchInput concatenates the real perf script seeds of the shared bench
// folder (C, Go and Python recordings) and repeats them to about benchMB
// megabytes, in memory.
func benchInput(b *testing.B) []byte {
	b.Helper()
	dir := testutil.Shared(b, "bench/seeds")
	paths, err := filepath.Glob(filepath.Join(dir, "perf-*.txt.gz"))
	if err != nil || len(paths) == 0 {
		b.Skipf("no perf seeds in %s", dir)
	}
	var seed []byte
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		text, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		seed = append(seed, bytes.TrimRight(text, "\n")...)
		seed = append(seed, "\n\n"...)
	}
	out := make([]byte, 0, benchMB<<20+len(seed))
	for len(out) < benchMB<<20 {
		out = append(out, seed...)
	}
	return out
}

// BenchmarkRead measures Read on ~100 MB of real perf script text.
func BenchmarkRead(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	defer reportCPU(b, start, len(data))
	for i := 0; i < b.N; i++ {
		p, err := Read(bytes.NewReader(data), "bench", profile.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Samples) == 0 {
			b.Fatal("no samples")
		}
	}
}

// BenchmarkLineSplitFloor is the floor for BenchmarkRead: it only splits
// the same input into lines with bufio, as Read does before parsing.
func BenchmarkLineSplitFloor(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	defer reportCPU(b, start, len(data))
	for i := 0; i < b.N; i++ {
		br := bufio.NewReaderSize(bytes.NewReader(data), 64<<10)
		n := 0
		for {
			line, err := br.ReadSlice('\n')
			n += len(line)
			if err != nil {
				break
			}
		}
		if n != len(data) {
			b.Fatalf("split %d of %d bytes", n, len(data))
		}
	}
}

// reportCPU adds the cpu-MB/s metric: bytes processed per second of CPU
// time (all threads, GC included).
func reportCPU(b *testing.B, start time.Duration, size int) {
	if start == 0 {
		return
	}
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}
