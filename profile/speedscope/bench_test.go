package speedscope_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

// bigPySpy builds a py-spy-shaped document of about size bytes from a real
// recording: every profile's samples repeated, "profiles" before "shared"
// as py-spy writes it, so the reader has to intern stacks before it knows
// the frames.
func bigPySpy(b testing.TB, fixture string, size int) (data []byte, samples int64) {
	b.Helper()
	src, err := os.ReadFile(testutil.Fixture(b, fixture))
	if err != nil {
		b.Fatal(err)
	}
	var in struct {
		Profiles []struct {
			Type, Name, Unit string
			Samples          [][]int
			Weights          []json.Number
		}
		Shared json.RawMessage
	}
	if err := json.Unmarshal(src, &in); err != nil {
		b.Fatal(err)
	}
	var one int
	for _, p := range in.Profiles {
		for _, s := range p.Samples {
			one += 6 + 3*len(s)
		}
	}
	reps := max(size/one, 1)
	var buf bytes.Buffer
	buf.Grow(size + size/8)
	buf.WriteString(`{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[`)
	for pi, p := range in.Profiles {
		if pi > 0 {
			buf.WriteByte(',')
		}
		nameJSON, _ := json.Marshal(p.Name)
		buf.WriteString(`{"type":"sampled","name":`)
		buf.Write(nameJSON)
		buf.WriteString(`,"unit":"seconds","startValue":0.0,"endValue":1.0,"samples":[`)
		first := true
		for range reps {
			for _, s := range p.Samples {
				if !first {
					buf.WriteByte(',')
				}
				first = false
				buf.WriteByte('[')
				for k, f := range s {
					if k > 0 {
						buf.WriteByte(',')
					}
					buf.WriteString(strconv.Itoa(f))
				}
				buf.WriteByte(']')
				samples++
			}
		}
		buf.WriteString(`],"weights":[`)
		first = true
		for range reps {
			for _, w := range p.Weights {
				if !first {
					buf.WriteByte(',')
				}
				first = false
				buf.WriteString(string(w))
			}
		}
		buf.WriteString(`]}`)
	}
	buf.WriteString(`],"shared":`)
	buf.Write(in.Shared)
	buf.WriteString(`,"activeProfileIndex":null,"exporter":"py-spy@0.4.0","name":"py-spy profile"}`)
	return buf.Bytes(), samples
}

// BenchmarkRead reads a ~100 MB py-spy-shaped file built from a real
// recording (go test -bench Read -benchtime 3x).
func BenchmarkRead(b *testing.B) {
	data, samples := bigPySpy(b, "pyspy/py312-threads-idle.speedscope.json", 100<<20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		p, err := speedscope.Read(bytes.NewReader(data), "big.json", profile.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if p.SampleCount() != samples {
			b.Fatalf("read %d samples, want %d", p.SampleCount(), samples)
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

// BenchmarkWrite writes the profile read from the same ~100 MB input.
func BenchmarkWrite(b *testing.B) {
	data, _ := bigPySpy(b, "pyspy/py312-threads-idle.speedscope.json", 100<<20)
	p, err := speedscope.Read(bytes.NewReader(data), "big.json", profile.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if err := speedscope.Write(&out, p, speedscope.WriteOptions{Value: -1}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(out.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		out.Reset()
		if err := speedscope.Write(&out, p, speedscope.WriteOptions{Value: -1}); err != nil {
			b.Fatal(err)
		}
	}
}

// manyStacks builds a document of about size bytes shaped like a folded
// file converted to speedscope: 50k frames first, then profiles whose
// samples draw from many distinct stacks (one in six samples is a new one)
// in no particular order, with small integer weights.
func manyStacks(size int) (data []byte, samples int64) {
	rng := rand.New(rand.NewPCG(1, 2))
	const nFrames = 50000
	var buf bytes.Buffer
	buf.Grow(size + size/8)
	buf.WriteString(`{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[`)
	for i := range nFrames {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"name":"pkg.f%d","file":"/src/m%d.py","line":%d}`, i, i%97, i%500)
	}
	buf.WriteString(`]},"profiles":[`)
	var stacks [][]byte
	for p := 0; buf.Len() < size; p++ {
		if p > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"type":"sampled","name":"Thread %d \"t\"","unit":"none","startValue":0,"endValue":1,"samples":[`, p)
		var weights []byte
		for i := 0; i < 200000 && buf.Len() < size; i++ {
			if i > 0 {
				buf.WriteByte(',')
				weights = append(weights, ',')
			}
			if len(stacks) == 0 || rng.IntN(6) == 0 {
				// A new stack: a prefix of an old one and frames of its own.
				var s []byte
				if len(stacks) > 0 {
					old := stacks[rng.IntN(len(stacks))]
					s = append(s, old[:bytes.IndexByte(old, ',')+1]...)
				} else {
					s = append(s, '[')
				}
				for range 4 + rng.IntN(20) {
					s = strconv.AppendInt(s, int64(rng.IntN(nFrames)), 10)
					s = append(s, ',')
				}
				s[len(s)-1] = ']'
				stacks = append(stacks, s)
			}
			buf.Write(stacks[rng.IntN(len(stacks))])
			weights = strconv.AppendInt(weights, int64(1+rng.IntN(3)), 10)
			samples++
		}
		buf.WriteString(`],"weights":[`)
		buf.Write(weights)
		buf.WriteString(`]}`)
	}
	buf.WriteString(`]}`)
	return buf.Bytes(), samples
}

// BenchmarkReadManyStacks reads a ~100 MB file of many distinct stacks
// that rarely repeat in a row (go test -bench ReadManyStacks -benchtime 3x).
func BenchmarkReadManyStacks(b *testing.B) {
	data, samples := manyStacks(100 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		p, err := speedscope.Read(bytes.NewReader(data), "many.json", profile.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if p.SampleCount() != samples {
			b.Fatalf("read %d samples, want %d", p.SampleCount(), samples)
		}
	}
	reportCPU(b, len(data), cpu0)
}
