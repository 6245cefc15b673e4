package folded_test

import (
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// TestGolden keeps the canonical text (sorted, merged, annotated) of each
// py-spy raw fixture in testdata, so a change in parsing shows up as a
// reviewable diff. Regenerate with go test -update.
func TestGolden(t *testing.T) {
	for _, name := range []string{"py311-rpds-native.raw.txt", "py311-subprocesses.raw.txt", "py312-json.raw.txt", "py313-threads-idle-tid.raw.txt"} {
		t.Run(name, func(t *testing.T) {
			p, _ := readFile(t, testutil.Fixture(t, "pyspy/"+name))
			testutil.Golden(t, filepath.Join("testdata", name+".folded"), []byte(writeFolded(t, p)))
		})
	}
}
