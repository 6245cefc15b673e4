package callgrind_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/callgrind"
)

// FuzzRead: no panic; an error is one line naming the input; a success is
// a valid model whose derived stacks carry the graph's total.
func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob(testutil.Fixture(f, "callgrind/*.out"))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 16<<10)])
	}
	f.Add([]byte(small))
	opt := profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000, MaxLineBytes: 1 << 16}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := callgrind.Read(bytes.NewReader(data), "fuzz.in", opt)
		if err != nil {
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "fuzz.in") {
				t.Fatalf("bad error: %q", msg)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
		if p.Graph == nil {
			return
		}
		var self int64
		for _, g := range p.Graph.Funcs {
			self += g.Self[0]
		}
		if self != p.Total(0) {
			t.Fatalf("derived stacks carry %d, the graph %d", p.Total(0), self)
		}
	})
}
