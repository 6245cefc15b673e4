package explain

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// perfFixtures lists the perf script recordings in the repository's and the
// shared fixtures.
func perfFixtures(t *testing.T) []string {
	var out []string
	for _, f := range fixtureFiles(t) {
		if !strings.HasSuffix(f, ".perf.txt") && !strings.HasSuffix(f, ".perf.txt.gz") {
			continue
		}
		if strings.Contains(f, "/broken/") || strings.Contains(f, "truncated") {
			continue
		}
		out = append(out, f)
	}
	return out
}

// foldedTwin writes p as stackcollapse-perf would (plain names, comm root,
// no modules) and reads it back with the folded importer: the same
// recording, with everything a folded file loses.
func foldedTwin(t *testing.T, p *profile.Profile, name string) *profile.Profile {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: -1}))
	q, err := folded.Read(&buf, name+".folded", profile.ReadOptions{})
	require.NoError(t, err)
	return q
}

func topHints(r *Report, n int) []string {
	var out []string
	for _, f := range r.Findings {
		if len(out) == n {
			break
		}
		out = append(out, f.Hint)
	}
	return out
}

// TestFormatTwinsAgree: the same recording read as perf script and as the
// folded file stackcollapse-perf makes of it gets the same top finding.
// Decisions rest on structure, not on the DSO column a folded file lacks.
func TestFormatTwinsAgree(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	files := perfFixtures(t)
	if len(files) == 0 {
		t.Skip("no perf fixtures")
	}
	var agree, top3 int
	for _, f := range files {
		p := loadQuiet(f)
		if p == nil {
			continue
		}
		rel, _ := filepath.Rel("..", f)
		t.Run(rel, func(t *testing.T) {
			a, err := Explain(p, cat, Options{Value: -1})
			require.NoError(t, err)
			b, err := Explain(foldedTwin(t, p, filepath.Base(f)), cat, Options{Value: -1})
			require.NoError(t, err)
			ta, tb := topHints(a, 1), topHints(b, 1)
			if strings.Join(ta, ",") == strings.Join(tb, ",") {
				agree++
			} else {
				t.Errorf("top finding differs: perf %v, folded %v", topHints(a, 3), topHints(b, 3))
			}
			if strings.Join(topHints(a, 3), ",") == strings.Join(topHints(b, 3), ",") {
				top3++
			} else {
				t.Logf("top 3 differ: perf %v, folded %v", topHints(a, 3), topHints(b, 3))
			}
		})
	}
	t.Logf("%d perf recordings: top finding agrees in %d, top 3 in %d", len(files), agree, top3)
	_ = os.Stderr
}
