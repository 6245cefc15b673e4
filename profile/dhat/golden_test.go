package dhat_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/stretchr/testify/require"
)

// TestGolden keeps the canonical folded text of every value type of the
// cmalloc fixture in testdata, so a change in parsing shows up as a
// reviewable diff. Regenerate with go test -update. (The public dhat-rs
// file is not committed, so neither is a golden made from it.)
func TestGolden(t *testing.T) {
	p, _ := readFile(t, testutil.Fixture(t, "dhat/cmalloc-heap.dhat.json"))
	var buf bytes.Buffer
	for i, vt := range p.SampleTypes {
		fmt.Fprintf(&buf, "# %s (%s): total %d\n", vt.Type, vt.Unit, p.Total(i))
		require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: i}))
	}
	testutil.Golden(t, filepath.Join("testdata", "cmalloc-heap.dhat.json.folded"), buf.Bytes())
}
