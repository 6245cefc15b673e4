package scalene_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/scalene"
)

// FuzzRead: no panic; an error is one line naming the input; a profile
// validates.
func FuzzRead(f *testing.F) {
	f.Add([]byte(doc))
	f.Add([]byte(`{"elapsed_time_sec": 1, "files": {}}`))
	opt := profile.ReadOptions{Limits: profile.Limits{MaxJSONDepth: 100, MaxFrames: 10_000, MaxNodes: 100_000, MaxDecompressed: 1 << 20}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := scalene.Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "fuzz") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line naming the input: %q", msg)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
	})
}
