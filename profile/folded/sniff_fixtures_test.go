package folded_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/assert"
)

// TestSniffOtherFormats: folded is detected late (formats.md §0 rule 5), and
// its test must not claim the real files of the formats before it: perf
// script text (whose event lines can end in a number), speedscope and DHAT
// JSON.
func TestSniffOtherFormats(t *testing.T) {
	var files []string
	for _, glob := range []string{"perf/*.perf.txt", "pyspy/*.speedscope.json", "dhat/*.json"} {
		m, _ := filepath.Glob(testutil.Fixture(t, glob))
		files = append(files, m...)
	}
	for _, glob := range []string{"fixtures/public/perf/*", "fixtures/public/speedscope/*", "fixtures/public/dhat/*", "fixtures/conformance/collapse-perf/*/*.txt"} {
		m, _ := filepath.Glob(filepath.Join(testutil.Shared(t, "fixtures"), "..", glob))
		files = append(files, m...)
	}
	assert.Greater(t, len(files), 40)
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 64<<10 {
			data = data[:64<<10]
		}
		assert.False(t, folded.Sniff(data), "claims %s", path)
	}
}
