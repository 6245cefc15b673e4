package speedscope_test

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

// expected is one speedscope-import reference result: what speedscope's own
// importer makes of an input (conformance/speedscope-import/README.md).
type expected struct {
	err      string
	profiles []expectedProfile
}

type expectedProfile struct {
	name   string
	unit   string
	stacks map[string]float64
}

func parseExpected(t *testing.T, path string) expected {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var e expected
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	var cur *expectedProfile
	inStacks := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			inStacks = false
			continue
		}
		if inStacks {
			i := strings.LastIndexByte(line, '\t')
			require.GreaterOrEqual(t, i, 0, line)
			w, err := strconv.ParseFloat(line[i+1:], 64)
			require.NoError(t, err)
			cur.stacks[line[:i]] += w
			continue
		}
		key, val, _ := strings.Cut(line, "\t")
		switch key {
		case "error":
			e.err = val
		case "profile":
			e.profiles = append(e.profiles, expectedProfile{name: val, stacks: map[string]float64{}})
			cur = &e.profiles[len(e.profiles)-1]
		case "unit":
			cur.unit = val
		case "stacks":
			inStacks = true
		}
	}
	require.NoError(t, sc.Err())
	return e
}

// stacksByThread sums p's values of type vi per label set and per stack of
// frame names, and counts the samples (or evented intervals) behind each.
func stacksByThread(p *profile.Profile, vi int, perUnit float64) (map[profile.Labels]map[string]float64, map[string]int64) {
	out := map[profile.Labels]map[string]float64{}
	counts := map[string]int64{}
	for _, s := range p.Samples {
		if s.Values[vi] == 0 {
			continue
		}
		var names []string
		for _, f := range p.Stack(s.Node) {
			names = append(names, p.Frames[f].Name)
		}
		m := out[*s.Labels]
		if m == nil {
			m = map[string]float64{}
			out[*s.Labels] = m
		}
		m[strings.Join(names, ";")] += float64(s.Values[vi]) / perUnit
		counts[strings.Join(names, ";")] += s.Count
	}
	return out, counts
}

var unitPer = map[string]float64{"seconds": 1e9, "milliseconds": 1e6, "microseconds": 1e3, "nanoseconds": 1}

// TestSpeedscopeImportConformance compares every stack and weight with what
// speedscope's own importer gives for the same file.
func TestSpeedscopeImportConformance(t *testing.T) {
	conf := "fixtures/conformance/speedscope-import/"
	pairs := map[string]string{
		"fixtures/public/speedscope/speedscope-repo_0.0.1_simple.speedscope.json":                 conf + "speedscope/expected/0.0.1/simple.speedscope.json.expected",
		"fixtures/public/speedscope/speedscope-repo_0.0.1_simple-no-pretty-print.speedscope.json": conf + "speedscope/expected/0.0.1/simple-no-pretty-print.speedscope.json.expected",
		"fixtures/public/speedscope/speedscope-repo_0.1.2_simple-sampled.speedscope.json":         conf + "speedscope/expected/0.1.2/simple-sampled.speedscope.json.expected",
		"fixtures/public/speedscope/speedscope-repo_0.6.0_two-sampled.speedscope.json":            conf + "speedscope/expected/0.6.0/two-sampled.speedscope.json.expected",
		"fixtures/public/speedscope/speedscope-repo_invalid_incomplete-trace.json":                conf + "speedscope/expected/invalid/incomplete-trace.json.expected",
		"fixtures/public/speedscope/speedscope-repo_invalid_out-of-order-events.json":             conf + "speedscope/expected/invalid/out-of-order-events.json.expected",
		"fixtures/public/speedscope/pyspy-0.4.2-macos-multithread.speedscope.json":                conf + "oracle-shared-fixtures/public/speedscope/pyspy-0.4.2-macos-multithread.speedscope.json.expected",
	}
	exported, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(t), "..", "shared", conf, "speedscope-exported", "*.speedscope.json"))
	for _, in := range exported {
		rel := conf + "speedscope-exported/" + filepath.Base(in)
		pairs[rel] = conf + "speedscope-exported/expected/" + filepath.Base(in) + ".expected"
	}
	oracle, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(t), "..", "shared", conf, "oracle-shared-fixtures", "pyspy", "*.expected"))
	for _, exp := range oracle {
		in := strings.TrimSuffix(filepath.Base(exp), ".expected")
		pairs["pyspy/"+in] = conf + "oracle-shared-fixtures/pyspy/" + filepath.Base(exp)
	}
	names := make([]string, 0, len(pairs))
	for in := range pairs {
		names = append(names, in)
	}
	sort.Strings(names)
	for _, in := range names {
		t.Run(filepath.Base(in), func(t *testing.T) {
			exp := parseExpected(t, testutil.Shared(t, pairs[in]))
			path := testutil.Fixture(t, in)
			if strings.HasPrefix(in, "fixtures/") {
				path = testutil.Shared(t, in)
			}
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			p, err := speedscope.Read(f, filepath.Base(path), profile.ReadOptions{})
			if exp.err != "" {
				require.Error(t, err, "speedscope rejects it: %s", exp.err)
				return
			}
			require.NoError(t, err)
			vi := 0
			got, counts := stacksByThread(p, vi, 1)
			for _, ep := range exp.profiles {
				per := unitPer[ep.unit]
				if per == 0 {
					per = 1
					if s := p.SampleTypes[vi].Scale; s > 1 {
						per = float64(s)
					}
				}
				gotStacks := map[string]float64{}
				for k, v := range got[speedscope.ParseProfileName(ep.name)] {
					gotStacks[k] = v / per
				}
				require.Len(t, gotStacks, len(ep.stacks), "profile %q", ep.name)
				for stack, w := range ep.stacks {
					g, ok := gotStacks[stack]
					if assert.True(t, ok, "profile %q: stack %q missing", ep.name, stack) {
						// Times are stored as whole nanoseconds: each
						// sample or interval may round by half of one.
						tol := 1e-9 * math.Abs(w)
						if _, isTime := unitPer[ep.unit]; isTime {
							tol += float64(counts[stack]) * 0.5 / per
						}
						assert.InDelta(t, w, g, tol, "profile %q: stack %q", ep.name, stack)
					}
				}
			}
			// Profiles with the same name merge in the model: count names.
			distinct := map[profile.Labels]bool{}
			for _, ep := range exp.profiles {
				distinct[speedscope.ParseProfileName(ep.name)] = true
			}
			assert.Len(t, got, len(distinct))
			assert.False(t, math.IsNaN(float64(p.Total(0))))
		})
	}
}
