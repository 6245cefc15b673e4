package pstats_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/pprof"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConvert: the per-item recording converts to pprof (read back with
// the same totals and the approximation kept) and to speedscope (whose
// name states the approximation).
func TestConvert(t *testing.T) {
	p := readPath(t, testutil.Fixture(t, "pstats/per-item.pstats"))
	var pb bytes.Buffer
	require.NoError(t, pprof.Write(&pb, p))
	back, err := pprof.Read(&pb, "back.pb.gz", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(400010), back.Total(back.TypeIndex(profile.CallsType)))
	assert.Equal(t, p.Total(0), back.Total(back.TypeIndex("wall")))
	assert.Contains(t, back.Meta.Approximations, profile.DeriveNote)

	var ss bytes.Buffer
	require.NoError(t, speedscope.Write(&ss, p, speedscope.WriteOptions{}))
	var doc struct{ Name string }
	require.NoError(t, json.Unmarshal(ss.Bytes(), &doc))
	assert.Contains(t, doc.Name, "approximate: stacks derived from a call graph")
}
