package dhat_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/dhat"
)

// FuzzRead checks, for any input: no panic; an error names a position (a
// line, byte offset or JSON path), is a limit error, or is
// ErrUnrecognized; a profile validates.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(testutil.Fixture(f, "dhat/*.json"))
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil && len(data) < 20_000 {
			f.Add(data)
		}
	}
	for _, s := range []string{
		small, "", "{}", "[]", `{"dhatFileVersion":2}`,
		`{"dhatFileVersion":2,"mode":"rust-heap","bklt":true,"tu":"µs","pps":[{"tb":1,"tbk":1,"tl":1,"mb":1,"mbk":1,"gb":1,"gbk":1,"eb":0,"ebk":0,"fs":[1,2]}],"ftbl":["[root]","0x1: a (a.rs:1:2)","0x1: b (b.rs:3:4)"]}`,
		`{"dhatFileVersion":2,"mode":"ad-hoc","pps":[{"tb":1,"tbk":1,"fs":[0,9]}],"ftbl":["[root]"]}`,
	} {
		f.Add([]byte(s))
	}
	opt := profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000, MaxJSONDepth: 100}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := dhat.Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			var se *profile.SyntaxError
			switch {
			case errors.As(err, &se):
				if se.Line <= 0 && se.Path == "" && se.Offset < 0 {
					t.Fatalf("syntax error without a position: %v", err)
				}
			case errors.Is(err, profile.ErrLimit), errors.Is(err, profile.ErrUnrecognized):
			default:
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
	})
}
