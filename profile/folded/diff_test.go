package folded_test

import (
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadDiff(t *testing.T) {
	in := "# difffolded\nmain;parse 10 4\nmain;parse;json 0 3.5\nmain;render_[k] 2 2\nmain;old 1 0\nmain;only one count 7\n"
	before, after, err := folded.ReadDiff(strings.NewReader(in), "d", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "main;old 1\nmain;parse 10\nmain;render_[k] 2\n", writeFolded(t, before))
	assert.Equal(t, "main;parse 4\nmain;parse;json 3.5\nmain;render_[k] 2\n", writeFolded(t, after))
	assert.Equal(t, int64(13), before.Total(0))
	assert.Equal(t, profile.ValueType{Type: "samples", Unit: "count", Scale: 10}, after.SampleTypes[0])
	assert.Equal(t, int64(95), after.Total(0))
	// Same shape and frames on both sides, zero-valued where a side has none.
	assert.Equal(t, before.Frames, after.Frames)
	assert.Equal(t, len(before.Nodes), len(after.Nodes))
	for _, p := range []*profile.Profile{before, after} {
		assert.Equal(t, []string{"d:6: want 'stack before after', got one count"}, p.Meta.Warnings)
		assert.Equal(t, 1, p.Meta.Skipped)
		assert.Equal(t, []string{"# difffolded"}, p.Meta.Comments)
		assert.Equal(t, "folded", p.Meta.Format)
	}

	_, _, err = folded.ReadDiff(strings.NewReader(in), "d", profile.ReadOptions{Strict: true})
	require.Error(t, err)
	assert.Equal(t, "d:6: want 'stack before after', got one count", err.Error())

	_, _, err = folded.ReadDiff(strings.NewReader("a 1\n"), "d", profile.ReadOptions{})
	require.Error(t, err)
	assert.Equal(t, "d:1: want 'stack before after', got one count (no line in the input has the form 'stack before after')", err.Error())

	_, _, err = folded.ReadDiff(strings.NewReader("a 1 99999999999999999999\n"), "d", profile.ReadOptions{})
	require.Error(t, err)
	assert.Equal(t, "d:1:5: count 99999999999999999999 overflows a 64-bit integer, want at most 9223372036854775807", err.Error())
}
