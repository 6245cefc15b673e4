package profile_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	foldedfmt "github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFolded(t *testing.T, s string) *profile.Profile {
	p, err := foldedfmt.Read(strings.NewReader(s), "t", profile.ReadOptions{})
	require.NoError(t, err)
	return p
}

func TestMerge(t *testing.T) {
	a := readFolded(t, "main;b 3\nmain;d 1\n")
	b := readFolded(t, "main;b 2\nmain;c 4\n")
	m, err := profile.Merge([]*profile.Profile{a, b}, []string{"a", "b"}, profile.Limits{})
	require.NoError(t, err)
	require.NoError(t, m.Validate())
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, m, profile.FoldedOptions{Value: -1}))
	assert.Equal(t, "main;b 5\nmain;c 4\nmain;d 1\n", buf.String())
	assert.Equal(t, int64(10), m.Total(0))
}

func TestMergeRefusesOtherValueTypes(t *testing.T) {
	a := readFolded(t, "main;b 3\n")
	b := readFolded(t, "main;b 0.5\n") // a decimal count: scaled values
	_, err := profile.Merge([]*profile.Profile{a, b}, []string{"a.folded", "b.folded"}, profile.Limits{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot merge b.folded with a.folded: their value types differ")
}
