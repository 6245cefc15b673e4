package views_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/perfscript"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
	"github.com/hotspot-dev/hotspot/profile/views"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fields fixture's totals, from fixtures/MANIFEST.md (counted with awk):
// 70 samples of 20408163 ns, 56 under work and 14 under other, all in inner.
const (
	period = 20408163
	total  = 70 * period
	work   = 56 * period
	other  = 14 * period
)

func readPerf(t *testing.T, rel string) *profile.Profile {
	f, err := os.Open(testutil.Fixture(t, rel))
	require.NoError(t, err)
	defer f.Close()
	p, err := perfscript.Read(f, rel, profile.ReadOptions{})
	require.NoError(t, err)
	return p
}

func rows(t *views.Top) map[string][2]int64 {
	m := map[string][2]int64{}
	for _, r := range t.Rows {
		m[r.Name] = [2]int64{r.Flat, r.Cum}
	}
	return m
}

func TestTop(t *testing.T) {
	p := readPerf(t, "perf/fields-default.perf.txt")
	top := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1}})
	assert.Equal(t, int64(total), top.Total)
	assert.Equal(t, map[string][2]int64{
		"inner": {total, total}, "work": {0, work}, "other": {0, other},
		"main": {0, total}, "__libc_start_call_main": {0, total},
	}, rows(top))
	assert.Equal(t, "inner", top.Rows[0].Name, "sorted by flat")

	byCum := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1}, ByCum: true, N: 4})
	assert.Len(t, byCum.Rows, 4)
	assert.Equal(t, 5, byCum.Shown)
	assert.Equal(t, "work", byCum.Rows[3].Name, "the cut keeps the largest cumulative costs")
}

// TestTopHide: hidden frames are dropped, their samples kept: the flat
// cost moves to the caller and the total is unchanged.
func TestTopShowHide(t *testing.T) {
	p := readPerf(t, "perf/fields-default.perf.txt")
	top := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1, Hide: regexp.MustCompile(`^inner$`)}})
	assert.Equal(t, int64(total), top.Total)
	assert.Equal(t, [2]int64{work, work}, rows(top)["work"])
	assert.Equal(t, [2]int64{other, other}, rows(top)["other"])
	assert.NotContains(t, rows(top), "inner")

	show := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1, Show: regexp.MustCompile(`^(main|other)$`)}})
	assert.Equal(t, int64(total), show.Total)
	assert.Equal(t, map[string][2]int64{"main": {work, total}, "other": {other, other}}, rows(show))
}

func TestTopRecursionCountsOnce(t *testing.T) {
	p, err := folded.Read(strings.NewReader("a;b;a;b 3\na 1\n"), "t", profile.ReadOptions{})
	require.NoError(t, err)
	top := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1}})
	assert.Equal(t, map[string][2]int64{"a": {1, 4}, "b": {3, 3}}, rows(top))
}

func TestTopLines(t *testing.T) {
	p, err := folded.Read(strings.NewReader("main (x.py:1);f (x.py:5) 2\nmain (x.py:1);f (x.py:7) 3\n"), "t", profile.ReadOptions{})
	require.NoError(t, err)
	fn := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1}})
	require.Len(t, fn.Rows, 2)
	assert.Equal(t, views.Func{Name: "f", File: "x.py"}, fn.Rows[0].Func)
	assert.Equal(t, int64(5), fn.Rows[0].Flat)
	ln := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1, Lines: true}})
	require.Len(t, ln.Rows, 3)
	assert.Equal(t, views.Func{Name: "f", File: "x.py", Line: 7}, ln.Rows[0].Func)
	assert.Equal(t, int64(3), ln.Rows[0].Flat)
}

func TestPeek(t *testing.T) {
	p := readPerf(t, "perf/fields-default.perf.txt")
	pk := views.ComputePeek(p, regexp.MustCompile(`^inner$`), views.Options{Value: -1})
	require.Len(t, pk.Entries, 1)
	e := pk.Entries[0]
	assert.Equal(t, int64(total), e.Cum)
	require.Len(t, e.Callers, 2)
	assert.Equal(t, "work", e.Callers[0].Name)
	assert.Equal(t, int64(work), e.Callers[0].Value)
	assert.InDelta(t, 0.8, e.Callers[0].Share, 1e-9)
	assert.InDelta(t, 0.2, e.Callers[1].Share, 1e-9)
	require.Len(t, e.Callees, 1)
	assert.True(t, e.Callees[0].Self)

	main := views.ComputePeek(p, regexp.MustCompile(`^main$`), views.Options{Value: -1})
	require.Len(t, main.Entries, 1)
	assert.Equal(t, "__libc_start_call_main", main.Entries[0].Callers[0].Name)
	assert.Equal(t, []int64{work, other}, []int64{main.Entries[0].Callees[0].Value, main.Entries[0].Callees[1].Value})
}

// TestThreads: the py-spy counts per thread are the manifest's (py-spy
// record summary): fibber 221, churner 218, cruncher 211, sleeper 38,
// MainThread 6, waiter 1; 10 ms per sample.
func TestThreads(t *testing.T) {
	f, err := os.Open(testutil.Fixture(t, "pyspy/py311-threads.speedscope.json"))
	require.NoError(t, err)
	defer f.Close()
	p, err := speedscope.Read(f, "t", profile.ReadOptions{})
	require.NoError(t, err)
	th := views.ComputeThreads(p, views.Options{Value: -1})
	var got []int64
	names := map[string]int64{}
	for _, r := range th.Rows {
		got = append(got, r.Samples)
		if r.Thread != "" {
			names[r.Thread] = r.Samples
		}
	}
	assert.Equal(t, []int64{221, 218, 211, 38, 6, 1}, got)
	assert.Equal(t, map[string]int64{"churner": 218, "cruncher": 211, "sleeper": 38}, names)
}

func TestRenderFormats(t *testing.T) {
	p := readPerf(t, "perf/fields-default.perf.txt")
	top := views.ComputeTop(p, views.TopOptions{Options: views.Options{Value: -1}})
	for _, f := range []views.Format{views.Text, views.Markdown, views.JSON} {
		var b bytes.Buffer
		require.NoError(t, views.WriteTop(&b, top, views.Header{Input: "in|put`"}, f))
		switch f {
		case views.JSON:
			var doc map[string]any
			require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
			assert.Equal(t, "hotspot.top/v1", doc["schema"])
			assert.Equal(t, float64(total), doc["total"])
		case views.Markdown:
			assert.Contains(t, b.String(), "in\\|put\\`")
			assert.Contains(t, b.String(), "| 1.43 s | 100.0% | 100.0% | 1.43 s | 100.0% | inner |")
		default:
			assert.Contains(t, b.String(), "1.43 s  100.0%  100.0%  1.43 s  100.0%  inner")
		}
	}
}
