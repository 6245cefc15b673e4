package dhat_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/dhat"
)

// benchMB is the size of the generated input.
const benchMB = 100

// BenchmarkRead reads ~100 MB of DHAT JSON made from a real valgrind file
// (CPython allocations, 703 program points, 1380 frames): its program
// points repeated until the document is 100 MB, in valgrind's own
// comma-first layout, with the frame table once at the end.
func BenchmarkRead(b *testing.B) {
	seed, err := os.ReadFile(testutil.Fixture(b, "dhat/py311-alloc-heap.dhat.json"))
	if err != nil {
		b.Fatal(err)
	}
	s := string(seed)
	open := strings.Index(s, "\"pps\":\n [") + len("\"pps\":\n [")
	closeAt := strings.Index(s, "\n ]\n,\"ftbl\"")
	if open < 0 || closeAt < open {
		b.Fatal("unexpected fixture layout")
	}
	head, pps, tail := s[:open], s[open:closeAt], s[closeAt:]
	var buf bytes.Buffer
	buf.WriteString(head)
	buf.WriteString(pps)
	for buf.Len() < benchMB<<20 {
		buf.WriteString("\n ,")
		buf.WriteString(pps)
	}
	buf.WriteString(tail)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		p, err := dhat.Read(bytes.NewReader(data), "bench.json", profile.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Samples) == 0 {
			b.Fatal("no samples")
		}
	}
	reportCPU(b, len(data), cpu0)
}

// reportCPU adds MB per CPU second: the throughput the reader would have on
// an idle core, which wall-clock MB/s does not show on a busy machine.
func reportCPU(b *testing.B, size int, cpu0 time.Duration) {
	if d := cpuTime() - cpu0; d > 0 && cpuTime() > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}
