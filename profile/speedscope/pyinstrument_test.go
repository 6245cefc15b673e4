package speedscope

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// TestPyinstrumentSyntheticFrames: pyinstrument writes its own self time
// as a "[self]" child frame; read, it is the parent's self time. In a
// public pyinstrument export, mido's get_devices holds 3.2796 s of its own
// (an independent replay of the events: the time with get_devices or a
// "[self]" under it on top), where the "[self]" frame used to hold it.
func TestPyinstrumentSyntheticFrames(t *testing.T) {
	path := testutil.Shared(t, "fixtures/public2/speedscope/pyinstrument-sardine.speedscope.json")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := Read(f, path, profile.ReadOptions{})
	require.NoError(t, err)
	for _, fr := range p.Frames {
		assert.NotEqual(t, "[self]", fr.Name)
		assert.NotEqual(t, "[root]", fr.Name)
	}
	var self int64
	for i := range p.Samples {
		s := &p.Samples[i]
		if p.Frames[p.Nodes[s.Node].Frame].Name == "get_devices" {
			self += s.Values[0]
		}
	}
	assert.InDelta(t, 3.2796e9, float64(self), 1e6)
}
