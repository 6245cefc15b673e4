package ingest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssue11Detection: the shared recordings of the stack-shaped and
// memory formats are detected as their own format. Before, austin output
// was read as py-spy folded stacks ("L16" a function, microseconds counted
// as samples) without an error.
func TestIssue11Detection(t *testing.T) {
	tests := []struct{ glob, format string }{
		{"austin/*.austin", "austin"},
		{"flamegraph-svg/*.svg", "flamegraph-svg"},
		{"heaptrack/*.zst", "heaptrack"},
		{"massif/*.out", "massif"},
		{"scalene/*.json", "scalene"},
	}
	for _, tc := range tests {
		files, _ := filepath.Glob(testutil.Shared(t, "fixtures/"+filepath.Dir(tc.glob)) + "/" + filepath.Base(tc.glob))
		require.NotEmpty(t, files, tc.glob)
		for _, path := range files {
			t.Run(filepath.Base(path), func(t *testing.T) {
				f, err := os.Open(path)
				require.NoError(t, err)
				defer f.Close()
				p, err := ingest.Read(f, filepath.Base(path), ingest.DefaultFormats(), ingest.Options{})
				require.NoError(t, err)
				assert.Equal(t, tc.format, p.Meta.Format)
				if tc.format == "austin" {
					for _, fr := range p.Frames {
						assert.NotRegexp(t, `^L\d+$`, fr.Name)
					}
				}
			})
		}
	}
}
