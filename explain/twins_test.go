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

// knownTwinGaps are the corpus recordings whose twins still disagree, each
// a failure of explain being worked on (release-gil on one thread), or a
// fact the folded file dropped (gil-digest-hold-py312-fp, gil-primes-hold-py312-fp: the timestamps
// that show the threads taking turns; io-sock-stream-py312-fp: the thread ids that
// show the sends on one thread and the reads on another, in one process,
// where no Python function above the calls stands in for them; the *-hold-*-offfp recordings: the timestamps that show blocked waits
// running out at the GIL's 5 ms switch interval, TestGILTimeouts...;
// lock-bz2-1thread-py312-offcpu: the timestamps that show its GIL waits
// were short hand-overs, TestGILWaitsNeedTheirTime; gil-collatz-hold-py312-fp
// and -offfp (holdout3): the thread ids and timestamps, as for gil-primes and
// the other *-hold-*-offfp files; gil-integrate-hold-py312-fp (holdout4)
// and gil-knapsack-hold-py312-fp and -offfp (holdout5): the same).
// The test fails when one of them starts to agree, so the list only shrinks.
var knownTwinGaps = map[string]bool{
	"fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-fp.perf.txt":             true,
	"fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.perf.txt.gz":       true,
	"fixtures/corpus/validation/gil-mandel/gil-mandel-hold-py312-offfp.perf.txt.gz":   true,
	"fixtures/corpus/holdout/gil-primes/gil-primes-hold-py312-offfp.perf.txt.gz":      true,
	"fixtures/corpus/holdout/gil-primes/gil-primes-hold-py312-fp.perf.txt":            true,
	"fixtures/corpus/validation/io-sock-stream/io-sock-stream-py312-fp.perf.txt.gz":   true,
	"fixtures/corpus/holdout2/lock-bz2/lock-bz2-1thread-py312-offcpu.perf.txt":        true,
	"fixtures/corpus/holdout3/gil-collatz/gil-collatz-hold-py312-fp.perf.txt":         true,
	"fixtures/corpus/holdout3/gil-collatz/gil-collatz-hold-py312-offfp.perf.txt.gz":   true,
	"fixtures/corpus/holdout4/gil-integrate/gil-integrate-hold-py312-fp.perf.txt.gz":  true,
	"fixtures/corpus/holdout5/gil-knapsack/gil-knapsack-hold-py312-fp.perf.txt":       true,
	"fixtures/corpus/holdout5/gil-knapsack/gil-knapsack-hold-py312-offfp.perf.txt.gz": true,
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
			same := strings.Join(ta, ",") == strings.Join(tb, ",")
			switch known := knownTwinGaps[rel]; {
			case same && known:
				t.Errorf("top finding now agrees (%v): drop %s from knownTwinGaps", ta, rel)
			case same:
				agree++
			case known:
				t.Logf("known gap: top finding differs: perf %v, folded %v", topHints(a, 3), topHints(b, 3))
			default:
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

// withoutPython rebuilds p with its Python frames removed: what a recording
// of the same program shows when the stacks name no Python functions
// (CPython before 3.12, or without -X perf): the eval loop remains.
func withoutPython(t *testing.T, p *profile.Profile) *profile.Profile {
	t.Helper()
	b := profile.NewBuilder("nopy", p.SampleTypes, profile.Limits{})
	*b.Meta() = p.Meta
	for _, s := range p.Samples {
		var stack []profile.Frame
		for _, f := range p.Stack(s.Node) {
			if fr := p.Frames[f]; fr.Kind != profile.KindPython {
				stack = append(stack, fr)
			}
		}
		require.NoError(t, b.AddFrames(stack, *s.Labels, s.Count, s.Values...))
	}
	return b.Profile()
}

// TestPerItemCallsWithoutPythonFrames: the per-item pattern is decided by
// structure (glue against work under the entry point, the interpreter
// looping above it), so it holds when no Python function is named.
func TestPerItemCallsWithoutPythonFrames(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	p := load(t, filepath.Join("..", "fixtures", "planted", "pyo3", "ffi-per-item.perf.txt"))
	r, err := Explain(withoutPython(t, p), cat, Options{Value: -1})
	require.NoError(t, err)
	require.NotEmpty(t, r.Findings)
	require.Equal(t, "batch-ffi-calls", r.Findings[0].Hint, "findings: %v", topHints(r, 3))
	require.Contains(t, r.Findings[0].Evidence, unnamedCaller)
	c, err := Explain(withoutPython(t, load(t, filepath.Join("..", "fixtures", "planted", "pyo3", "ffi-batch-control.perf.txt"))), cat, Options{Value: -1})
	require.NoError(t, err)
	require.NotContains(t, topHints(c, 3), "batch-ffi-calls", "the batched control")
}
