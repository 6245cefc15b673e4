package massif_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/massif"
)

// FuzzRead: no panic; an error names its line or is a limit; a profile
// validates.
func FuzzRead(f *testing.F) {
	f.Add([]byte(hdr + snap("1", "100", "8", "16", "peak") + tree))
	f.Add([]byte(hdr + snap("0", "0", "0", "0", "empty")))
	opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 1 << 16, MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := massif.Read(bytes.NewReader(data), "fuzz", opt)
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
