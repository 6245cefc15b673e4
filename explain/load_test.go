package explain

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/hotspot-dev/hotspot/profile/pprof"
)

// testFormats is the detection list the tests read fixtures with: the
// command's own.
func testFormats() []ingest.Format { return ingest.DefaultFormats() }

// load reads a fixture with the importers.
func load(t testing.TB, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	_ = err
	var p *profile.Profile
	if strings.HasSuffix(path, ".pb.gz") || strings.HasSuffix(path, ".pprof") {
		// Read pprof directly: detection of gunzipped protobuf is the
		// ingest package's business, not what these tests exercise.
		p, err = pprof.Read(f, path, profile.ReadOptions{})
	} else {
		p, err = ingest.Read(f, path, testFormats(), ingest.Options{})
	}
	require.NoError(t, err, path)
	return p
}

// loadQuiet reads a fixture, returning nil when it does not load.
func loadQuiet(path string) *profile.Profile {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var p *profile.Profile
	if strings.HasSuffix(path, ".pb.gz") {
		p, err = pprof.Read(f, path, profile.ReadOptions{})
	} else {
		p, err = ingest.Read(f, path, testFormats(), ingest.Options{})
	}
	if err != nil {
		return nil
	}
	return p
}
