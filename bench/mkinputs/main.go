// Command mkinputs builds large benchmark inputs from the real recordings
// committed under fixtures/, by repetition, so that anyone can measure the
// readers at scale without downloading anything:
//
//	perf.txt          the perf script recordings, repeated to -mb MB
//	folded            their folded counterparts, repeated to -mb MB
//	speedscope.json   a py-spy speedscope profile whose samples are repeated to -mb MB
//	pprof.pb.gz       a Go CPU profile whose samples are repeated -pprof-copies
//	                  times, each copy with its own "copy" label
//
// Usage: go run ./bench/mkinputs -root . -out DIR [-mb 100] [-pprof-copies 2600]
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	pprofile "github.com/google/pprof/profile"
)

func main() {
	root := flag.String("root", ".", "repository root")
	out := flag.String("out", "", "output directory (outside the repository)")
	mb := flag.Int("mb", 100, "size of the text inputs in MB")
	copies := flag.Int("pprof-copies", 2600, "copies of the pprof samples (385 each: 2600 make 1M)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: mkinputs -root REPO -out DIR [-mb N] [-pprof-copies N]")
		os.Exit(2)
	}
	size := *mb << 20
	steps := []struct {
		name string
		make func() ([]byte, error)
	}{
		{"perf.txt", func() ([]byte, error) {
			return repeat(filepath.Join(*root, "fixtures/perf/[cgp]*.perf.txt"), size, []byte("\n"))
		}},
		{"folded", func() ([]byte, error) { return repeat(filepath.Join(*root, "fixtures/folded/*.folded"), size, nil) }},
		{"speedscope.json", func() ([]byte, error) {
			return speedscope(filepath.Join(*root, "fixtures/pyspy/py311-threads.speedscope.json"), size)
		}},
		{"pprof.pb.gz", func() ([]byte, error) {
			return pprofCopies(filepath.Join(*root, "fixtures/pprof/gobench-cpu.pb.gz"), *copies)
		}},
	}
	for _, s := range steps {
		data, err := s.make()
		if err == nil {
			err = os.WriteFile(filepath.Join(*out, s.name), data, 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "mkinputs: %s: %v\n", s.name, err)
			os.Exit(1)
		}
	}
}

// repeat concatenates the files matching glob, each followed by sep, until
// the result reaches size bytes.
func repeat(glob string, size int, sep []byte) ([]byte, error) {
	paths, err := filepath.Glob(glob)
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no input matches %s", glob)
	}
	var seed []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		seed = append(append(seed, bytes.TrimRight(b, "\n")...), '\n')
		seed = append(seed, sep...)
	}
	out := make([]byte, 0, size+len(seed))
	for len(out) < size {
		out = append(out, seed...)
	}
	return out, nil
}

// speedscope repeats the samples and weights of every profile of a
// speedscope file until the file reaches about size bytes.
func speedscope(path string, size int) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	profiles, _ := doc["profiles"].([]any)
	times := size/len(b) + 1
	for _, p := range profiles {
		pm, _ := p.(map[string]any)
		samples, _ := pm["samples"].([]any)
		weights, _ := pm["weights"].([]any)
		if len(samples) == 0 || len(samples) != len(weights) {
			return nil, fmt.Errorf("%s: want sampled profiles with one weight per sample", path)
		}
		var s, w []any
		for i := 0; i < times; i++ {
			s, w = append(s, samples...), append(w, weights...)
		}
		pm["samples"], pm["weights"] = s, w
		if end, ok := pm["endValue"].(float64); ok {
			pm["endValue"] = end * float64(times)
		}
	}
	return json.Marshal(doc)
}

// pprofCopies repeats a profile's samples, each copy with its own numeric
// "copy" label so that the copies stay distinct samples.
func pprofCopies(path string, copies int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := pprofile.Parse(f)
	if err != nil {
		return nil, err
	}
	orig := p.Sample
	p.Sample = make([]*pprofile.Sample, 0, len(orig)*copies)
	for c := 0; c < copies; c++ {
		for _, s := range orig {
			p.Sample = append(p.Sample, &pprofile.Sample{Location: s.Location, Value: s.Value,
				NumLabel: map[string][]int64{"copy": {int64(c)}}})
		}
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := p.WriteUncompressed(zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
