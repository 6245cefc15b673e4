package folded_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// FuzzRead checks, for any input: no panic; an error names a line (or is a
// limit or read error); reading in small chunks gives what reading in one
// piece gives; a profile validates with each frame once; and writing it
// as folded text and reading that again gives the same tree.
func FuzzRead(f *testing.F) {
	for _, glob := range []string{"folded/*.folded", "pyspy/*.raw.txt"} {
		files, _ := filepath.Glob(testutil.Fixture(f, glob))
		for _, path := range files {
			if data, err := os.ReadFile(path); err == nil && len(data) < 5_000 {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		"a;b;c 1\na;b 2\n", "a 1.5\nb 0.125\n", "a 1 2\n", "a -1\n", "a NaN\n", "a\n",
		"x_[k];y_[j];z_[i];w_[w] 3\n", "thread (1): t;f (a.py:1) 2\n", `process 1:"";g (x.so) 1` + "\n",
		"\xFF\xFEa\x00 \x001\x00", "\xFE\xFF\x00a\x00 \x001", "\xEF\xBB\xBFa 1\r\n", "# c\n\na;;b  4\n",
		"a 9223372036854775807\nb 1\n", "a 0.1234567890123456789\n", "a;b 1 2\na;c 0.5 3\n",
	} {
		f.Add([]byte(s))
	}
	opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 1 << 16, MaxStackDepth: 1000, MaxFrames: 10_000, MaxNodes: 100_000}}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDiff(t, data, opt)
		sameRead(t, data, 5, opt)
		p, err := folded.Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			checkErr(t, err)
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid profile: %v", err)
		}
		// The reader interns frames by their text alone (Builder.NewFrame):
		// that is sound only while distinct texts give distinct frames.
		seen := map[profile.Frame]bool{}
		for _, f := range p.Frames {
			if seen[f] {
				t.Fatalf("frame %+v interned twice", f)
			}
			seen[f] = true
		}
		var buf bytes.Buffer
		if err := profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: -1, Kernel: true, JIT: true}); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		// A first frame that starts with what reads as a byte order mark is
		// ambiguous in any folded file; the round trip cannot hold there.
		if strings.HasPrefix(text, "\xEF\xBB\xBF") || strings.HasPrefix(text, "\xFF\xFE") || strings.HasPrefix(text, "\xFE\xFF") {
			return
		}
		q, err := folded.Read(strings.NewReader(text), "rewritten", opt)
		if err != nil {
			t.Fatalf("re-reading the written profile: %v\n%s", err, text)
		}
		if a, b := tree(p), tree(q); a != b {
			t.Fatalf("round trip changed the tree:\n%s\n--- became ---\n%s", a, b)
		}
	})
}

// checkErr requires an error to name its line or to be a limit error.
func checkErr(t *testing.T, err error) {
	t.Helper()
	var se *profile.SyntaxError
	switch {
	case errors.As(err, &se):
		if se.Line <= 0 {
			t.Fatalf("syntax error without a line: %v", err)
		}
	case errors.Is(err, profile.ErrLimit):
	default:
		t.Fatalf("unexpected error kind: %v", err)
	}
}

// checkDiff: ReadDiff either fails with a positioned error or gives two
// valid profiles with the same frames and tree shape.
func checkDiff(t *testing.T, data []byte, opt profile.ReadOptions) {
	t.Helper()
	before, after, err := folded.ReadDiff(bytes.NewReader(data), "fuzz", opt)
	if err != nil {
		checkErr(t, err)
		return
	}
	for _, p := range []*profile.Profile{before, after} {
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid diff profile: %v", err)
		}
	}
	if len(before.Frames) != len(after.Frames) || len(before.Nodes) != len(after.Nodes) {
		t.Fatalf("diff sides differ in shape: %d/%d frames, %d/%d nodes", len(before.Frames), len(after.Frames), len(before.Nodes), len(after.Nodes))
	}
}
