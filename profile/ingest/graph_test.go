package ingest_test

import (
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/stretchr/testify/assert"
)

// TestCallgrindNotFolded: callgrind output was once read as folded stacks
// (top function "*", calls= lines as frames). It is decided by the
// stronger evidence: the callgrind sniffer, tried before folded.
func TestCallgrindNotFolded(t *testing.T) {
	for _, rel := range []string{"callgrind/fanout.callgrind.out", "callgrind/fanout-instr-cache.callgrind.out"} {
		t.Run(rel, func(t *testing.T) {
			path := testutil.Fixture(t, rel)
			p := readFile(t, path)
			assert.Equal(t, "callgrind", p.Meta.Format)
			for _, f := range p.Frames {
				assert.NotEqual(t, "*", f.Name)
				assert.NotContains(t, f.Name, "calls=")
			}
			assert.NotNil(t, p.Graph)
		})
	}
}
