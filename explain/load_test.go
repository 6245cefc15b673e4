package explain

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/hotspot-dev/hotspot/profile/perfscript"
	"github.com/hotspot-dev/hotspot/profile/pprof"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

// testFormats is the detection list the tests read fixtures with.
func testFormats() []ingest.Format {
	return append([]ingest.Format{pprof.Format{}, speedscope.Format{}, perfscript.Format{}}, extraFormats()...)
}

// load reads a fixture with the importers.
func load(t testing.TB, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := ingest.Read(f, path, testFormats(), ingest.Options{})
	require.NoError(t, err, path)
	return p
}

func extraFormats() []ingest.Format { return []ingest.Format{folded.Format{}} }
