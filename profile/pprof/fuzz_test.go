package pprof

import (
	"bytes"
	"errors"
	"os"
	"testing"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// FuzzRead checks that no input makes Read panic, that every error says
// where (a *SyntaxError or *LimitError) or is ErrUnrecognized, that every
// profile it returns is valid, and that a returned profile survives
// ToPprof and Read unchanged.
func FuzzRead(f *testing.F) {
	for _, fx := range fixtures {
		if fx.name == "large" {
			continue // 1.2 MB: too slow a seed
		}
		path := testutil.Fixture(f, fx.rel)
		if fx.shared {
			path = testutil.RepoRoot(f) + "/../shared/" + fx.rel
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue // shared fixtures absent: seed with the rest
		}
		f.Add(data)
		if pp, err := decodeGz(data); err == nil {
			var raw bytes.Buffer
			if pp.WriteUncompressed(&raw) == nil {
				f.Add(raw.Bytes())
			}
		}
	}
	var hand bytes.Buffer
	if err := Write(&hand, handBuilt(f)); err == nil {
		f.Add(hand.Bytes())
	}
	f.Add(encodeNoT(minimal()))
	f.Add([]byte{})
	f.Add([]byte("main;foo 1\n"))
	f.Add([]byte{0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x32, 0x00})

	opt := profile.ReadOptions{Limits: profile.Limits{MaxDecompressed: 16 << 20, MaxFrames: 100_000, MaxNodes: 1_000_000}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			var se *profile.SyntaxError
			var le *profile.LimitError
			if !errors.As(err, &se) && !errors.As(err, &le) && !errors.Is(err, profile.ErrUnrecognized) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, p); err != nil {
			t.Fatalf("writing back: %v", err)
		}
		back, err := Read(&buf, "back", opt)
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		sameLines(t, canon(t, p), canon(t, back))
	})
}

func decodeGz(data []byte) (*pprofile.Profile, error) {
	raw, _, err := readAll(bytes.NewReader(data), "seed", 1<<30)
	if err != nil {
		return nil, err
	}
	return decode(raw, "seed", false)
}
