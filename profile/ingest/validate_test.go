package ingest

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/pprof"
)

// badFormat claims every input and returns a profile with no value types,
// which Validate refuses.
type badFormat struct{}

func (badFormat) Name() string           { return "bad" }
func (badFormat) Sniff(head []byte) bool { return true }
func (badFormat) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return &profile.Profile{Nodes: []profile.Node{{Frame: profile.NoFrame}}}, nil
}

// checkedFormat is badFormat claiming to validate what it returns.
type checkedFormat struct{ badFormat }

func (checkedFormat) ReadValidates() {}

func TestReadValidatesOnce(t *testing.T) {
	_, err := Read(strings.NewReader("x 1\n"), "in.txt", []Format{badFormat{}}, Options{})
	require.Error(t, err)
	assert.Equal(t, "in.txt: invalid profile: no value types", err.Error())

	// A format that validates its own result is taken at its word: the
	// check is not made twice.
	p, err := Read(strings.NewReader("x 1\n"), "in.txt", []Format{checkedFormat{}}, Options{})
	require.NoError(t, err)
	assert.Empty(t, p.SampleTypes)
}

// The pprof importer validates in finish; ingest relies on it.
var _ validating = pprof.Format{}
