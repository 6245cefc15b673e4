package massif_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/massif"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readShared(t *testing.T, file string) *profile.Profile {
	t.Helper()
	path := testutil.Shared(t, filepath.Join("fixtures", "massif", file))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, massif.Sniff(data[:min(len(data), 64<<10)]))
	p, err := massif.Read(bytes.NewReader(data), file, profile.ReadOptions{})
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	return p
}

// frameTotal sums value type i over the samples whose stack holds a frame
// named name.
func frameTotal(p *profile.Profile, i int, name string) int64 {
	var t int64
	for _, s := range p.Samples {
		for _, f := range p.Stack(s.Node) {
			if p.Frames[f].Name == name {
				t += s.Values[i]
				break
			}
		}
	}
	return t
}

// TestSharedFixtures: each file's peak snapshot against its MANIFEST.md
// row: the peak snapshot's number, heap + extra (+ stacks) as the default
// total, and ms_print's graph maximum (KB and MB there are 1024-based).
func TestSharedFixtures(t *testing.T) {
	tests := []struct {
		file                string
		snapshot            string
		heap, extra, stacks int64
		msPrintMax          float64 // ms_print's graph peak, in its unit
		msPrintUnit         float64
		pagesAsHeap         bool
	}{
		{"cmalloc.massif.out", "3", 279_000, 63_240, 0, 334.2, 1 << 10, false},
		{"cmalloc-pages-as-heap.massif.out", "29", 4_153_344, 0, 0, 4.441, 1 << 20, true},
		{"py311-json-rounds-ms.massif.out", "62", 3_201_235, 18_485, 0, 3.071, 1 << 20, false},
		{"py311-rpds-per-item-stacks.massif.out", "51", 2_642_085, 157_587, 2_656, 2.673, 1 << 20, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p := readShared(t, tc.file)
			assert.Equal(t, tc.snapshot, p.Meta.Attr("peak_snapshot"))
			assert.Equal(t, profile.ValueType{Type: "peak", Unit: "bytes"}, p.SampleTypes[p.DefaultType])
			d := p.DefaultType
			assert.Equal(t, tc.heap+tc.extra+tc.stacks, p.Total(d))
			assert.Equal(t, tc.extra, frameTotal(p, d, "(extra-heap: allocator overhead)"))
			assert.Equal(t, tc.stacks, frameTotal(p, d, "(stacks)"))
			max, err := strconv.ParseInt(p.Meta.Attr("max_total_bytes"), 10, 64)
			require.NoError(t, err)
			assert.InDelta(t, tc.msPrintMax, float64(max)/tc.msPrintUnit, 0.0005*tc.msPrintMax)
			assert.Equal(t, strconv.FormatBool(tc.pagesAsHeap), p.Meta.Attr("pages_as_heap"))
			assert.Equal(t, "memory", p.Meta.Recording)
		})
	}
}

// TestCmallocPeakTree: the peak tree's two list_build sites, as the
// manifest gives them, and the zero-byte below-threshold aggregate kept as
// an aggregate, not a function.
func TestCmallocPeakTree(t *testing.T) {
	p := readShared(t, "cmalloc.massif.out")
	d := p.DefaultType
	var at47, at45 int64
	for _, s := range p.Samples {
		st := p.Stack(s.Node)
		f := p.Frames[st[len(st)-1]]
		if f.Display == "list_build" && f.Line == 47 {
			at47 += s.Values[d]
		}
		if f.Display == "list_build" && f.Line == 45 {
			at45 += s.Values[d]
		}
	}
	assert.Equal(t, int64(231_000), at47)
	assert.Equal(t, int64(48_000), at45)
	assert.Contains(t, p.Frames, profile.Frame{Name: "list_build", Display: "list_build", File: "cmalloc.c", Line: 47, Kind: profile.KindNative})
	for _, f := range p.Frames {
		if f.Name == "in 2 places, all below massif's threshold (1.00%)" {
			assert.Equal(t, profile.KindUnknown, f.Kind)
		}
	}
	// Every detailed snapshot is a value type: 9 detailed plus the peak.
	assert.Len(t, p.SampleTypes, 10)
}
