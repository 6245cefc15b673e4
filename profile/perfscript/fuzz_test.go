package perfscript

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// FuzzRead checks Read's invariants on arbitrary input: it never panics;
// an error is a positioned SyntaxError, a positioned LimitError or
// ErrUnrecognized; a profile it returns is valid and writes as folded
// text; the input cut into small chunks (1 to 64 bytes, as the length
// picks) reads the same; and a strict read that succeeds agrees with the
// lenient one.
func FuzzRead(f *testing.F) {
	f.Add([]byte(twoEvents))
	f.Add([]byte("app 5 1.0: 1 cycles:\n\t7f00 f+0x1 (inlined)\n\t7f00 g (/bin/app)\n\n"))
	f.Add([]byte("  false 1 2.0: 1 cycles:u:  ffff [unknown] ([unknown])\n"))
	f.Add([]byte("java 5 1.0: 1 cpu-clock:\n\t7f80 La/B;::run->La/C;::x+0x4b (/tmp/perf-5.map)\n"))
	seeds, _ := filepath.Glob(testutil.Fixture(f, "perf/*.perf.txt"))
	if dir := filepath.Join(testutil.RepoRoot(f), "..", "shared", "fixtures", "conformance", "collapse-perf", "inferno"); dirExists(dir) {
		more, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		seeds = append(seeds, more...)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 4<<10 {
			data = data[:4<<10] // keep seeds small so mutations stay fast
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 1 << 16, MaxStackDepth: 512}}
		// readWith names its input "t.perf" too, so the errors compare.
		p, err := Read(bytes.NewReader(data), "t.perf", opt)
		small, smallErr := readWith(data, opt, 2, 1+len(data)%64)
		if (err == nil) != (smallErr == nil) || err != nil && err.Error() != smallErr.Error() {
			t.Fatalf("read in small chunks: error %v, want %v", smallErr, err)
		}
		if err != nil {
			checkPositioned(t, err)
			return
		}
		if !reflect.DeepEqual(p, small) {
			t.Fatalf("read in small chunks: profiles differ")
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Read returned an invalid profile: %v", err)
		}
		var buf bytes.Buffer
		if err := profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: -1, TID: true, Kernel: true, JIT: true}); err != nil {
			t.Fatal(err)
		}
		opt.Strict = true
		ps, err := Read(bytes.NewReader(data), "t.perf", opt)
		if err != nil {
			checkPositioned(t, err)
			if p.Meta.Skipped == 0 {
				t.Fatalf("strict read failed (%v) where the lenient one skipped nothing", err)
			}
			return
		}
		for i := range p.SampleTypes {
			if p.Total(i) != ps.Total(i) {
				t.Fatalf("strict and lenient totals differ for %s: %d vs %d", p.SampleTypes[i].Type, ps.Total(i), p.Total(i))
			}
		}
	})
}

func checkPositioned(t *testing.T, err error) {
	t.Helper()
	var se *profile.SyntaxError
	var le *profile.LimitError
	switch {
	case errors.Is(err, profile.ErrUnrecognized):
	case errors.As(err, &se):
		if se.Line <= 0 {
			t.Fatalf("syntax error without a line: %v", err)
		}
	case errors.As(err, &le):
		if le.Where == "" {
			t.Fatalf("limit error without a position: %v", err)
		}
	default:
		t.Fatalf("error is neither positioned nor ErrUnrecognized: %v", err)
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
