package diff_test

import (
	"os"
	"testing"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/stretchr/testify/require"
)

// load reads repository fixtures as one side.
func load(t testing.TB, rels ...string) []diff.Input {
	t.Helper()
	var out []diff.Input
	for _, rel := range rels {
		path := testutil.Fixture(t, rel)
		f, err := os.Open(path)
		require.NoError(t, err)
		p, err := ingest.Read(f, rel, ingest.DefaultFormats(), ingest.Options{})
		f.Close()
		require.NoError(t, err)
		out = append(out, diff.Input{Path: rel, Profile: p, Value: -1})
	}
	return out
}

func compare(t testing.TB, before, after []diff.Input, opt diff.Options) *diff.Report {
	t.Helper()
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := diff.Compare(before, after, cat, opt)
	require.NoError(t, err)
	return r
}

// row finds a row by category name or function label.
func row(rows []diff.Row, label string) (diff.Row, bool) {
	for _, r := range rows {
		if r.Label() == label || r.Name == label {
			return r, true
		}
	}
	return diff.Row{}, false
}
