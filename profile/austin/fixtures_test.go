package austin_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/austin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedFixtures checks each recording against its MANIFEST.md row:
// austin's sample count (one line per sample) and the sum of the time
// metric, as the manifest reports them.
func TestSharedFixtures(t *testing.T) {
	tests := []struct {
		file    string
		samples int64
		wallUS  int64
		threads int
		layout  string
		frame   profile.Frame // one frame that must be there
	}{
		{"py39-hot-loop.austin", 478, 582_697, 1, "default",
			profile.Frame{Name: "collatz_len (/opt/bench/run-shared/hot_loop.py:16)", Display: "collatz_len", File: "/opt/bench/run-shared/hot_loop.py", Line: 16, Kind: profile.KindPython}},
		{"py39-json-rounds-full.austin", 557, 693_332, 1, "default", profile.Frame{}},
		{"py310-threads-gil.austin", 962, 1_478_977, 5, "default", profile.Frame{}},
		{"py39-sumsq-per-item-alt.austin", 765, 927_784, 1, "alternative", profile.Frame{}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := testutil.Shared(t, filepath.Join("fixtures", "austin", tc.file))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			require.True(t, austin.Sniff(data[:min(len(data), 64<<10)]))
			p, err := austin.Read(bytes.NewReader(data), tc.file, profile.ReadOptions{})
			require.NoError(t, err)
			require.NoError(t, p.Validate())
			assert.Equal(t, tc.samples, p.SampleCount())
			assert.Equal(t, profile.ValueType{Type: "wall", Unit: "microseconds"}, p.SampleTypes[0])
			assert.Equal(t, tc.wallUS, p.Total(0))
			assert.Equal(t, "wall", p.Meta.Recording)
			assert.Contains(t, p.Meta.Attr("layout"), tc.layout)
			tids := map[int64]bool{}
			for _, s := range p.Samples {
				tids[s.Labels.TID] = true
			}
			assert.Len(t, tids, tc.threads)
			for _, f := range p.Frames {
				assert.NotRegexp(t, `^L\d+$`, f.Name, "a line element became a frame")
			}
			if tc.frame.Name != "" {
				assert.Contains(t, p.Frames, tc.frame)
			}
		})
	}
}

// TestFullMetrics: austin -f writes time +mem -mem; the memory columns are
// their own value types and the time column stays the wall total.
func TestFullMetrics(t *testing.T) {
	path := testutil.Shared(t, "fixtures/austin/py39-json-rounds-full.austin")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	// Independent sums of the second and third columns, by awk over the file.
	const growthKB, releaseKB = 36_548, 27_732
	p, err := austin.Read(bytes.NewReader(data), "full", profile.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, p.SampleTypes, 3)
	assert.Equal(t, "rss_growth", p.SampleTypes[1].Type)
	assert.Equal(t, int64(growthKB), p.Total(1))
	assert.Equal(t, "rss_release", p.SampleTypes[2].Type)
	assert.Equal(t, int64(releaseKB), p.Total(2))
}
