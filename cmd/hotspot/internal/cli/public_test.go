package cli

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// publicRow is one line of fixtures/public2/expected.tsv: a profile from
// another project's repository and its folded total, computed without
// hotspot (the folder's MANIFEST.md and expected.py say how).
type publicRow struct {
	format, file string
	expect       string // "ok": the total must match; "any": a conversion or a clear error
	total        float64
	relTol       float64
	method       string
}

func readPublicExpected(t *testing.T, path string) []publicRow {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var rows []publicRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		require.GreaterOrEqual(t, len(c), 6, "%s:%d: want format, file, expect, folded_total, rel_tol, method", path, n)
		r := publicRow{format: c[0], file: c[1], expect: c[2], method: c[5]}
		if r.expect == "ok" {
			r.total, err = strconv.ParseFloat(c[3], 64)
			require.NoError(t, err, "%s:%d: folded_total", path, n)
			r.relTol, err = strconv.ParseFloat(c[4], 64)
			require.NoError(t, err, "%s:%d: rel_tol", path, n)
		} else {
			require.Equal(t, "any", r.expect, "%s:%d: expect", path, n)
		}
		rows = append(rows, r)
	}
	require.NoError(t, sc.Err())
	return rows
}

// foldedTotal sums the trailing count of every folded line.
func foldedTotal(t *testing.T, text string) float64 {
	t.Helper()
	var sum float64
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		require.GreaterOrEqual(t, i, 0, "folded line without a count: %q", line)
		v, err := strconv.ParseFloat(line[i+1:], 64)
		require.NoError(t, err, "folded line %q", line)
		sum += v
	}
	return sum
}

// TestPublicCorpus reads every profile of the public corpus (profiles
// copied from other projects' repositories, which nobody here wrote) and
// requires that it converts to each output format with the folded total
// expected.tsv gives, and that explain reports on it. Rows marked "any"
// (a file the originating tool rejects) may instead fail with a one-line
// error naming the file.
func TestPublicCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 67 real profiles, some of them megabytes")
	}
	dir := testutil.Shared(t, "fixtures/public2")
	rows := readPublicExpected(t, filepath.Join(dir, "expected.tsv"))
	require.NotEmpty(t, rows)
	for _, r := range rows {
		t.Run(r.format+"/"+r.file, func(t *testing.T) {
			path := filepath.Join(dir, r.format, r.file)
			code, out, errOut := run(t, "", "convert", path, "--to", "folded")
			if r.expect == "any" {
				if code != 0 {
					assert.Equal(t, 1, code)
					assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
					assert.Contains(t, errOut, r.file)
					return
				}
			} else {
				require.Equal(t, 0, code, errOut)
				got := foldedTotal(t, out)
				tol := r.relTol * math.Abs(r.total)
				assert.InDelta(t, r.total, got, tol, "folded total (%s)", r.method)
			}
			for _, to := range []string{"pprof", "speedscope"} {
				code, _, errOut := run(t, "", "convert", path, "--to", to)
				assert.Equal(t, 0, code, "--to %s: %s", to, errOut)
			}
			code, out, errOut = run(t, "", "explain", path, "--format", "json")
			require.Equal(t, 0, code, errOut)
			var rep struct {
				Total      float64               `json:"total"`
				SampleType struct{ Name string } `json:"sample_type"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &rep))
			assert.Positive(t, rep.Total, "explain total (%s)", rep.SampleType.Name)
		})
	}
}

// TestPublicCorpusWithoutTotals runs the first public corpus
// (../shared/fixtures/public, which lists no totals: each format's own
// tests check them) through every command: each file converts to each
// output format and explains, or fails with a one-line error naming it.
// Only the two files speedscope itself rejects (invalid/) may fail.
func TestPublicCorpusWithoutTotals(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every file of the public corpus")
	}
	dir := testutil.Shared(t, "fixtures/public")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		t.Run(rel, func(t *testing.T) {
			mayFail := strings.Contains(rel, "_invalid_")
			for _, args := range [][]string{
				{"convert", path, "--to", "folded"},
				{"convert", path, "--to", "pprof"},
				{"convert", path, "--to", "speedscope"},
				{"explain", path, "--format", "json"},
			} {
				code, out, errOut := run(t, "", args...)
				if mayFail && code == 1 {
					assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
					assert.Contains(t, errOut, filepath.Base(path))
					continue
				}
				require.Equal(t, 0, code, "%v: %s", args[:2], errOut)
				if args[0] == "explain" {
					assert.True(t, json.Valid([]byte(out)))
				}
			}
		})
	}
}
