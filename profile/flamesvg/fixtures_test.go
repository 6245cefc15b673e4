package flamesvg_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/flamesvg"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readShared(t *testing.T, file string) (*profile.Profile, []byte) {
	t.Helper()
	path := testutil.Shared(t, filepath.Join("fixtures", "flamegraph-svg", file))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	p, err := flamesvg.Read(bytes.NewReader(data), file, profile.ReadOptions{})
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	return p, data
}

// TestSharedFixtures: each SVG's total equals its "all" title in
// MANIFEST.md, with the unit the title names.
func TestSharedFixtures(t *testing.T) {
	tests := []struct {
		file     string
		total    int64
		typ      profile.ValueType
		producer string
	}{
		{"py312-xperf-threads-dwarf.svg", 1_020_408_150, profile.ValueType{Type: "samples", Unit: "count"}, "flamegraph.pl"},
		{"cmalloc-heaptrack-allocations.svg", 160_242, profile.ValueType{Type: "allocations", Unit: "count"}, "flamegraph.pl"},
		{"py39-hot-loop.austin.icicle.svg", 582_697, profile.ValueType{Type: "wall", Unit: "microseconds"}, "flamegraph.pl (austin)"},
		{"py312-json.pyspy-options.inferno.svg", 642, profile.ValueType{Type: "samples", Unit: "count"}, "inferno"},
		{"py311-pyo3-dwarf.inferno.svg", 112, profile.ValueType{Type: "samples", Unit: "count"}, "inferno"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p, data := readShared(t, tc.file)
			assert.True(t, flamesvg.Sniff(data[:min(len(data), 64<<10)]))
			assert.Equal(t, tc.total, p.Total(0))
			assert.Equal(t, tc.typ, p.SampleTypes[0])
			assert.Equal(t, "flamegraph-svg", p.Meta.Format)
			assert.Equal(t, tc.producer, p.Meta.Producer)
			require.Len(t, p.Meta.Approximations, 1)
			assert.Contains(t, p.Meta.Approximations[0], "lossy source")
			for _, f := range p.Frames {
				assert.NotEqual(t, "all", f.Name)
			}
		})
	}
}

// TestPySpyInfernoEqualsItsInput: the inferno graph drawn with py-spy's
// options from py-spy's raw recording (642 samples; the minimum width,
// 0.1% = 0.64 samples, drops nothing) reads back as that recording.
func TestPySpyInfernoEqualsItsInput(t *testing.T) {
	p, _ := readShared(t, "py312-json.pyspy-options.inferno.svg")
	raw, err := os.ReadFile(testutil.Fixture(t, "pyspy/py312-json.raw.txt"))
	require.NoError(t, err)
	q, err := folded.Read(bytes.NewReader(raw), "raw", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, foldedText(t, q), foldedText(t, p))
}

// TestIcicleOfAustin: flamegraph.pl draws austin's output as it is, with
// "Thread <id>" roots and "L16" elements as boxes; read back, the stacks
// are austin's again, with lines as lines (the icicle layout has its root
// at the top).
func TestIcicleOfAustin(t *testing.T) {
	p, _ := readShared(t, "py39-hot-loop.austin.icicle.svg")
	assert.Equal(t, "flamegraph.pl (austin)", p.Meta.Producer)
	assert.Contains(t, p.Frames, profile.Frame{Name: "collatz_len (/opt/bench/run-shared/hot_loop.py:16)", Display: "collatz_len", File: "/opt/bench/run-shared/hot_loop.py", Line: 16, Kind: profile.KindPython})
	for _, f := range p.Frames {
		assert.NotRegexp(t, `^L\d+$`, f.Name)
	}
}

func foldedText(t *testing.T, p *profile.Profile) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: -1}))
	return buf.String()
}
