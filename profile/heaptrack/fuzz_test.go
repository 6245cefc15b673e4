package heaptrack_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/heaptrack"
)

// FuzzRead: no panic; an error is one line naming the input (a line for
// syntax errors); a profile validates.
func FuzzRead(f *testing.F) {
	f.Add([]byte(small))
	f.Add([]byte("v 10400 3\na 10 0\n+ 0\n- 0\n"))
	f.Add([]byte("v 10400 2\ns main\ni 1 1 1\nt 1 0\na 1 1\n+ 0\n"))
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58})
	opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 1 << 16, MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000, MaxDecompressed: 16 << 20}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := heaptrack.Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			msg := err.Error()
			var se *profile.SyntaxError
			if errors.As(err, &se) && se.Line <= 0 {
				t.Fatalf("syntax error without a line: %v", err)
			}
			if !strings.HasPrefix(msg, "fuzz") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line naming the input: %q", msg)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
	})
}
