package speedscope_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

// FuzzRead checks, for any input: no panic; an error names a position
// (line, JSON path or byte offset), is a limit, or is ErrUnrecognized; a
// profile read validates, and writing it and reading it back gives the
// same folded stacks and sample count.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(testutil.Fixture(f, "pyspy/py31[23]-*.speedscope.json"))
	public, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(f), "..", "shared", "fixtures", "public", "speedscope", "speedscope-repo_*"))
	for _, path := range append(seeds, public...) {
		// Large seeds make every mutation slow; the small ones cover the
		// same shapes.
		if data, err := os.ReadFile(path); err == nil && len(data) < 20<<10 {
			f.Add(data)
		}
	}
	for _, s := range []string{
		doc(sampled(`[[0,1],[],[1]]`, `[0.01,0.01,0.02]`)),
		doc(evented(`[{"type":"O","frame":0,"at":0},{"type":"O","frame":1,"at":1},{"type":"C","frame":1,"at":2},{"type":"C","frame":0,"at":3}]`)),
		`{"profiles":[{"type":"sampled","unit":"none","samples":[[0]],"weights":[1.5]}],` + schema + `,"shared":{"frames":[{"name":"0x7f00","file":"?"}]}}`,
		`{"profiles":[{"type":"sampled","name":"Process 1 Thread 0x1F \"m\"","unit":"bytes","samples":[[0]],"weights":[3]}],"shared":{"frames":[{"name":"x","file":"libc.so.6","line":0}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := speedscope.Read(bytes.NewReader(data), "fuzz.json", profile.ReadOptions{Limits: profile.Limits{MaxNodes: 1 << 16, MaxFrames: 1 << 16}})
		if err != nil {
			var se *profile.SyntaxError
			switch {
			case errors.Is(err, profile.ErrUnrecognized), errors.Is(err, profile.ErrLimit):
			case errors.As(err, &se):
				if se.Line <= 0 && se.Path == "" && se.Offset < 0 {
					t.Fatalf("error without a position: %v", err)
				}
			default:
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("profile does not validate: %v", err)
		}
		var out bytes.Buffer
		if err := speedscope.Write(&out, p, speedscope.WriteOptions{Value: -1}); err != nil {
			t.Fatal(err)
		}
		p2, err := speedscope.Read(bytes.NewReader(out.Bytes()), "rewritten.json", profile.ReadOptions{})
		if err != nil {
			t.Fatalf("written output does not read back: %v\n%s", err, out.Bytes())
		}
		a, b := folded(t, p, p.DefaultType), folded(t, p2, 0)
		if a != b {
			t.Fatalf("round trip changed the stacks:\n%s\n---\n%s", a, b)
		}
		if p.SampleCount() != p2.SampleCount() && p.Total(p.DefaultType) > 0 {
			t.Fatalf("round trip changed the sample count: %d -> %d", p.SampleCount(), p2.SampleCount())
		}
	})
}
