package flamesvg_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/flamesvg"
)

// FuzzRead: no panic; an error names its line or is a limit; a profile
// validates.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(f), "..", "shared", "fixtures", "flamegraph-svg", "*.svg"))
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil && len(data) < 60_000 {
			f.Add(data)
		}
	}
	f.Add([]byte(head + g("all (10 samples, 100%)", "10.0", "85", "1180.0") + g("main (3 samples, 30%)", "10", "69", "10") + "</g></svg>"))
	opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 1 << 16, MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := flamesvg.Read(bytes.NewReader(data), "fuzz", opt)
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
