package folded_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// benchSize is the size of the generated inputs, about 100 MB.
const benchSize = 100 << 20

// BenchmarkRead reads ~100 MB of folded stacks generated from a real
// fixture (PyO3 perf stacks, 75 lines of up to ~100 frames):
//
//   - repeat: the fixture over and over, so the stacks repeat and the cost
//     is line splitting, frame lookup and trie walking;
//   - distinct: every copy renames the leaf frame and the root frame, so
//     the call tree keeps growing (about 80,000 distinct stacks), as in
//     a long recording;
//   - frames: every copy also renames every frame in one of 256 ways, so
//     there are tens of thousands of distinct frames, most looked up by
//     text, as in the shared bench's 95 MB folded input (50k frames).
//
// Read parses in worker goroutines, so MB/s gains over MB/cpu-s only
// where a second core is free.
func BenchmarkRead(b *testing.B) {
	seed, err := os.ReadFile(testutil.Fixture(b, "folded/py311-pyo3-dwarf.folded"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(seed), "\n"), "\n")
	inputs := []struct {
		name string
		data []byte
	}{
		{"repeat", generate(lines, 0)},
		{"distinct", generate(lines, 1)},
		{"frames", generate(lines, 2)},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				p, err := folded.Read(bytes.NewReader(in.data), in.name, profile.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Samples) == 0 {
					b.Fatal("no samples")
				}
			}
			reportCPU(b, len(in.data), cpu0)
		})
	}
}

// generate repeats lines to benchSize: rename 0 keeps them as they are, 1
// renames leaf and root per copy, 2 renames every frame as well.
func generate(lines []string, rename int) []byte {
	var buf bytes.Buffer
	buf.Grow(benchSize + 1<<20)
	for copy := 0; buf.Len() < benchSize; copy++ {
		for _, line := range lines {
			i := strings.LastIndexByte(line, ' ')
			stack, count := line[:i], line[i+1:]
			switch rename {
			case 2:
				stack = strings.ReplaceAll(stack, ";", fmt.Sprintf(".%d;", copy%256))
				fallthrough
			case 1:
				fmt.Fprintf(&buf, "worker-%d;%s;leaf_%d %s\n", copy%64, stack, copy, count)
			default:
				buf.WriteString(line)
				buf.WriteByte('\n')
			}
		}
	}
	return buf.Bytes()
}

// reportCPU adds MB per CPU second: the throughput the reader would have on
// an idle core, which wall-clock MB/s does not show on a busy machine.
func reportCPU(b *testing.B, size int, cpu0 time.Duration) {
	if d := cpuTime() - cpu0; d > 0 && cpuTime() > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}
