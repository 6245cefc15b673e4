package profile_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

// TestSampleFilterSelect counts by hand which of five samples each
// selection keeps.
func TestSampleFilterSelect(t *testing.T) {
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.DefaultLimits())
	fr := func(names ...string) []profile.Frame {
		var out []profile.Frame
		for _, n := range names {
			out = append(out, profile.Frame{Name: n, Display: n, File: n + ".py"})
		}
		return out
	}
	add := func(thread string, v int64, names ...string) {
		require.NoError(t, b.AddFrames(fr(names...), profile.Labels{Thread: thread}, 1, v))
	}
	add("main", 1, "main", "parse", "loads")
	add("main", 2, "main", "parse")
	add("main", 4, "main", "render", "dumps")
	add("worker", 8, "main", "worker", "loads")
	add("worker", 16, "main", "worker", "sleep")
	p := b.Profile()
	total := func(p *profile.Profile) int64 { return p.Total(0) }
	re := regexp.MustCompile
	tests := []struct {
		name string
		f    profile.SampleFilter
		want int64
	}{
		{"none", profile.SampleFilter{}, 31},
		{"focus on a leaf", profile.SampleFilter{Focus: re(`^loads$`)}, 1 + 8},
		{"focus on an inner frame", profile.SampleFilter{Focus: re(`^parse$`)}, 1 + 2},
		{"focus by file", profile.SampleFilter{Focus: re(`render\.py`)}, 4},
		{"ignore", profile.SampleFilter{Ignore: re(`^worker$`)}, 1 + 2 + 4},
		{"thread", profile.SampleFilter{Thread: re(`^worker$`)}, 8 + 16},
		{"all three", profile.SampleFilter{Focus: re(`loads`), Ignore: re(`parse`), Thread: re(`worker`)}, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.f.Select(p)
			assert.Equal(t, tc.want, total(got))
			assert.Equal(t, int64(31), total(p), "the input keeps its samples")
		})
	}
}
