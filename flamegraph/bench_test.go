package flamegraph

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// benchInput is the shared bench's folded input (../shared/bench/gen-inputs.sh
// writes it to $BENCH_WORK/inputs/a.folded); HOTSPOT_BENCH_FOLDED names
// another file.
func benchInput(b *testing.B) string {
	if p := os.Getenv("HOTSPOT_BENCH_FOLDED"); p != "" {
		return p
	}
	work := os.Getenv("BENCH_WORK")
	if work == "" {
		work = filepath.Join(os.TempDir(), "hotspot-bench")
	}
	p := filepath.Join(work, "inputs", "a.folded")
	if _, err := os.Stat(p); err != nil {
		b.Skipf("no bench input at %s: run ../shared/bench/gen-inputs.sh or set HOTSPOT_BENCH_FOLDED", p)
	}
	return p
}

// BenchmarkLineSplitFloor reads the input and splits it into lines: the
// floor any renderer of the same file is measured against.
func BenchmarkLineSplitFloor(b *testing.B) {
	path := benchInput(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		n := 0
		for sc.Scan() {
			n += len(sc.Bytes())
		}
		f.Close()
		if n == 0 {
			b.Fatal("empty input")
		}
	}
}

// BenchmarkRenderHTML reads the folded input and writes the flame graph
// page, coloured by explain's categories, as `hotspot flamegraph
// --format html` does.
func BenchmarkRenderHTML(b *testing.B) { benchRender(b, true, true) }

// BenchmarkRenderHTMLHot is the same page coloured by name (no
// classification), as inferno colours.
func BenchmarkRenderHTMLHot(b *testing.B) { benchRender(b, true, false) }

// BenchmarkRenderSVG writes the standalone SVG.
func BenchmarkRenderSVG(b *testing.B) { benchRender(b, false, false) }

func benchRender(b *testing.B, html, categories bool) {
	path := benchInput(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var out bytes.Buffer
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		p, err := folded.Read(f, path, profile.ReadOptions{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		opt := Options{Value: -1, Threads: html}
		if categories {
			opt.CategoryOf = explain.NodeCategorizer(p)
		}
		g := Build(p, opt)
		out.Reset()
		if html {
			err = WriteHTML(&out, g, HTMLOptions{})
		} else {
			err = WriteSVG(&out, g, SVGOptions{})
		}
		if err != nil {
			b.Fatal(err)
		}
		io.Discard.Write(out.Bytes())
	}
	b.ReportMetric(float64(out.Len()), "out-bytes")
}
