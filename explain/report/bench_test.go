package report

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/hotspot-dev/hotspot/explain"
)

// bigReport is a report at the --top and finding counts a user may ask for.
func bigReport() *explain.Report {
	r := perItemReport()
	base := r.Hotspots
	for i := 0; len(r.Hotspots) < 200; i++ {
		h := base[i%len(base)]
		h.Function = fmt.Sprintf("%s::{{closure}}#%d", h.Function, i)
		r.Hotspots = append(r.Hotspots, h)
	}
	for len(r.Findings) < 20 {
		r.Findings = append(r.Findings, r.Findings[len(r.Findings)%2])
	}
	return r
}

func BenchmarkWrite(b *testing.B) {
	rep := bigReport()
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			var buf bytes.Buffer
			if err := Write(&buf, rep, Options{Format: f}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(io.Discard, rep, Options{Format: f}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
