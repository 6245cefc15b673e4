package speedscope

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

const tableSchema = `"$schema":"https://www.speedscope.app/file-format-schema.json"`

// readBoth reads data with the trie built when needed and with it built
// from the start, and fails when the two differ in anything a user sees:
// the error, or the profile's stacks, counts, frames, warnings and
// skipped records.
func readBoth(t *testing.T, data []byte, opt profile.ReadOptions) (*profile.Profile, error) {
	t.Helper()
	p1, err1 := read(bytes.NewReader(data), "c.json", opt, false)
	p2, err2 := read(bytes.NewReader(data), "c.json", opt, true)
	if err1 != nil || err2 != nil {
		if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
			t.Fatalf("trie when needed: %v\ntrie always: %v", err1, err2)
		}
		return nil, err1
	}
	if a, b := dump(t, p1), dump(t, p2); a != b {
		t.Fatalf("trie when needed:\n%s\ntrie always:\n%s", a, b)
	}
	return p1, nil
}

// dump prints a profile's stacks per value type, frames, node count and
// warnings, for comparing two reads.
func dump(t *testing.T, p *profile.Profile) string {
	var sb strings.Builder
	for vi := range p.SampleTypes {
		require.NoError(t, profile.WriteFolded(&sb, p, profile.FoldedOptions{Value: vi}))
	}
	for _, f := range p.Frames {
		sb.WriteString(f.Name + "|" + f.File + "|" + string(f.Kind) + "\n")
	}
	sb.WriteString(strings.Join(p.Meta.Warnings, "\n"))
	sb.WriteString("\n")
	sb.WriteString(strings.Repeat("n", len(p.Nodes)))
	sb.WriteString(strings.Repeat("s", int(p.SampleCount())))
	sb.WriteString(strings.Repeat("k", p.Meta.Skipped))
	return sb.String()
}

// TestStackTable checks stacks that repeat, in other bytes (spacing) and
// across profiles, including the cases where a repeated stack must still
// be reported: a frame out of range found only when the frame table comes,
// in a later profile than the first sighting.
func TestStackTable(t *testing.T) {
	frames := `"shared":{"frames":[{"name":"a"},{"name":"b"},{"name":"c"}]}`
	prof := func(samples, weights string) string {
		return `{"type":"sampled","name":"p","unit":"none","samples":` + samples + `,"weights":` + weights + `}`
	}
	tests := []struct {
		name, in string
		strict   bool
		// want is the error, or the folded stacks of the first value type.
		want string
	}{
		{"repeats", `{` + tableSchema + `,` + frames + `,"profiles":[` + prof(`[[0,1],[2],[0,1],[ 0,1],[0 ,1 ],[2],[]]`, `[1,2,3,4,5,6,7]`) + `]}`,
			false, " 7\na;b 13\nc 8\n"},
		{"across profiles", `{` + tableSchema + `,` + frames + `,"profiles":[` + prof(`[[0,1],[2]]`, `[1,2]`) + `,` + prof(`[[2],[0,1],[0,1]]`, `[10,20,30]`) + `]}`,
			false, "a;b 51\nc 12\n"},
		{"out of range after frames", `{` + tableSchema + `,` + frames + `,"profiles":[` + prof(`[[0,1],[0,7],[0,7]]`, `[1,1,1]`) + `]}`,
			true, "c.json: profiles[0].samples[1]: frame 7 out of range (3 frames)"},
		{"out of range before frames, repeated in a later profile", `{` + tableSchema + `,"profiles":[` + prof(`[[0,1],[1,5]]`, `[1,1]`) + `,` + prof(`[[0,1],[1,5]]`, `[1,1]`) + `],` + frames + `}`,
			true, "c.json: profiles[0].samples[1]: frame 5 out of range (3 frames)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := readBoth(t, []byte(tc.in), profile.ReadOptions{Strict: tc.strict})
			if tc.strict {
				require.Error(t, err)
				assert.Equal(t, tc.want, err.Error())
				return
			}
			require.NoError(t, err)
			var sb strings.Builder
			require.NoError(t, profile.WriteFolded(&sb, p, profile.FoldedOptions{Value: 0}))
			assert.Equal(t, tc.want, sb.String())
		})
	}
}

// TestStackTableWarnings checks the non-strict warnings of a repeated
// stack out of range before the frame table: each profile names its own
// first sample with the largest frame.
func TestStackTableWarnings(t *testing.T) {
	in := `{` + tableSchema + `,"profiles":[` +
		`{"type":"sampled","name":"p","unit":"none","samples":[[0],[1,5]],"weights":[1,1]},` +
		`{"type":"sampled","name":"q","unit":"none","samples":[[0],[0],[1,5]],"weights":[1,1,1]}],` +
		`"shared":{"frames":[{"name":"a"},{"name":"b"}]}}`
	p, err := readBoth(t, []byte(in), profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"c.json: profiles[0].samples[1]: frame 5 out of range (2 frames); every sample with a frame out of range skipped",
		"c.json: profiles[1].samples[2]: frame 5 out of range (2 frames); every sample with a frame out of range skipped",
	}, p.Meta.Warnings)
}

// FuzzStackTable checks that building the trie only when needed changes
// nothing: any input reads to the same profile, or the same error, as with
// the trie built from the start. The small node limit makes inputs cross
// it.
func FuzzStackTable(f *testing.F) {
	seeds, _ := filepath.Glob(testutil.Fixture(f, "pyspy/py31[23]-*.speedscope.json"))
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil && len(data) < 20<<10 {
			f.Add(data)
		}
	}
	frames := `"shared":{"frames":[{"name":"a"},{"name":"b"},{"name":"c"}]}`
	for _, s := range []string{
		`{` + tableSchema + `,` + frames + `,"profiles":[{"type":"sampled","unit":"none","samples":[[0,1],[2],[0,1],[ 0,1],[2],[]],"weights":[1,2,3,4,5,6]}]}`,
		`{` + tableSchema + `,"profiles":[{"type":"sampled","unit":"none","samples":[[0,1],[1,5],[0,1]],"weights":[1,1,1]},{"type":"sampled","unit":"none","samples":[[1,5],[0,1]],"weights":[1,1]}],` + frames + `}`,
		`{` + tableSchema + `,` + frames + `,"profiles":[{"type":"sampled","unit":"none","samples":[[0,1],[0,1],[0,1,"x"],[0,1]],"weights":[1,1,1,1]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, strict := range []bool{false, true} {
			readBoth(t, data, profile.ReadOptions{Strict: strict, Limits: profile.Limits{MaxNodes: 64, MaxFrames: 1 << 12, MaxStackDepth: 16}})
		}
	})
}
