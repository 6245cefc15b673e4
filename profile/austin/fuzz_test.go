package austin_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/austin"
)

// FuzzRead: no panic; an error names its line or is a limit; a profile
// validates.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(f), "..", "shared", "fixtures", "austin", "*.austin"))
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data[:min(len(data), 4096)])
		}
	}
	for _, s := range []string{"Thread 7f;f (a.py);L1 3\n", "Thread 7f 3\n", "Thread 1;f (a.py:1) 3 0 -4\n", "Thread 1;L1 2\n", "Thread 1;f (a.py);L1 -5\n"} {
		f.Add([]byte(s))
	}
	opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 1 << 16, MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := austin.Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			var se *profile.SyntaxError
			if !(errors.As(err, &se) && se.Line > 0) && !errors.Is(err, profile.ErrLimit) {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
	})
}
