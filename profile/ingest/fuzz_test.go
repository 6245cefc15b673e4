package ingest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/ingest"
)

// FuzzIngest feeds arbitrary bytes through detection, gunzip and whichever
// importer claims them, as the CLI does. Invariants: no panic; an error is
// one line and starts with the input's name; a success is a valid model.
func FuzzIngest(f *testing.F) {
	seeds, _ := filepath.Glob(testutil.Fixture(f, "broken/*"))
	for _, glob := range []string{"folded/*.folded", "dhat/cmalloc-heap.dhat.json", "pyspy/py313-json.speedscope.json", "pyspy/py312-json.raw.txt", "pprof/gobench-mutex.pb.gz"} {
		m, _ := filepath.Glob(testutil.Fixture(f, glob))
		seeds = append(seeds, m...)
	}
	for _, path := range seeds {
		if strings.HasSuffix(path, ".go") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 256<<10 {
			data = data[:256<<10] // a cut file is a seed too, and keeps the fuzzer fast
		}
		f.Add(data)
	}
	for _, s := range []string{"", "a;b 1\n", "\x1f\x8b", "{}", "[]", "{\"dhatFileVersion\":2}", "p 1 1.1: 1 cycles:\n\t1 f (/x)\n\n"} {
		f.Add([]byte(s))
	}
	opt := ingest.Options{ReadOptions: profile.ReadOptions{Limits: profile.Limits{
		MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000, MaxLineBytes: 1 << 16, MaxJSONDepth: 100, MaxDecompressed: 16 << 20,
	}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ingest.Read(bytes.NewReader(data), "fuzz.in", ingest.DefaultFormats(), opt)
		if err != nil {
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line: %q", msg)
			}
			if !strings.HasPrefix(msg, "fuzz.in") {
				t.Fatalf("error does not name the input: %q", msg)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
	})
}
