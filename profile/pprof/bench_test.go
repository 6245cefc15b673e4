package pprof

import (
	"bytes"
	"io"
	"math/rand"
	"strconv"
	"testing"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/profile"
)

// benchRead reads data b.N times; MB/s counts the bytes as stored (gzipped).
func benchRead(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuNanos()
	for i := 0; i < b.N; i++ {
		if _, err := Read(bytes.NewReader(data), "bench", profile.ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, len(data))
}

// reportCPU adds CPU time per operation and the throughput it implies.
func reportCPU(b *testing.B, start int64, size int) {
	b.StopTimer()
	if cpu := cpuNanos() - start; cpu > 0 {
		perOp := float64(cpu) / float64(b.N)
		b.ReportMetric(perOp, "cpu-ns/op")
		b.ReportMetric(float64(size)/(perOp/1e9)/1e6, "MB/cpu-s")
	}
}

func BenchmarkRead(b *testing.B) {
	b.Run("large.cpu", func(b *testing.B) {
		benchRead(b, readFile(b, fixturePath(b, "fixtures/public/pprof/google-pprof_large.cpu.pb.gz", true)))
	})
	b.Run("synthetic", func(b *testing.B) {
		benchRead(b, synthetic(b, 400_000))
	})
}

func BenchmarkWrite(b *testing.B) {
	p := mustRead(b, readFile(b, fixturePath(b, "fixtures/public/pprof/google-pprof_large.cpu.pb.gz", true)), "large")
	var out bytes.Buffer
	if err := Write(&out, p); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(out.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuNanos()
	for i := 0; i < b.N; i++ {
		if err := Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, out.Len())
}

// synthetic writes a gzipped CPU profile with n samples over 5,000
// functions in 100 files, stacks 10 to 60 deep drawn from a few hundred
// call paths with random leaves, inlined locations, and pid/tid labels, the
// shape of a long recording of a large service.
func synthetic(b *testing.B, n int) []byte {
	b.Helper()
	r := rand.New(rand.NewSource(1))
	pp := &pprofile.Profile{
		SampleType: []*pprofile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &pprofile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
		Mapping:    []*pprofile.Mapping{{ID: 1, File: "/usr/bin/service", HasFunctions: true}},
	}
	for i := 0; i < 5000; i++ {
		name := "pkg" + strconv.Itoa(i%100) + ".Func" + strconv.Itoa(i)
		pp.Function = append(pp.Function, &pprofile.Function{ID: uint64(i + 1), Name: name, SystemName: name, Filename: "src/pkg" + strconv.Itoa(i%100) + ".go"})
	}
	for i := 0; i < 20_000; i++ {
		loc := &pprofile.Location{ID: uint64(i + 1), Mapping: pp.Mapping[0], Address: 0x400000 + uint64(i)*16}
		for k := 0; k < 1+r.Intn(2); k++ {
			loc.Line = append(loc.Line, pprofile.Line{Function: pp.Function[r.Intn(len(pp.Function))], Line: int64(1 + r.Intn(500))})
		}
		pp.Location = append(pp.Location, loc)
	}
	paths := make([][]*pprofile.Location, 300)
	for i := range paths {
		for d := 0; d < 10+r.Intn(50); d++ {
			paths[i] = append(paths[i], pp.Location[r.Intn(len(pp.Location))])
		}
	}
	for i := 0; i < n; i++ {
		path := paths[r.Intn(len(paths))]
		stack := append([]*pprofile.Location{pp.Location[r.Intn(len(pp.Location))]}, path...)
		c := int64(1 + r.Intn(3))
		pp.Sample = append(pp.Sample, &pprofile.Sample{
			Location: stack,
			Value:    []int64{c, c * 10_000_000},
			NumLabel: map[string][]int64{"pid": {100}, "tid": {int64(100 + r.Intn(16))}},
		})
	}
	var buf bytes.Buffer
	if err := pp.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
