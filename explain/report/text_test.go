package report

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile/ingest"
)

// explainFile runs the engine on a real recording, as `hotspot explain` does.
func explainFile(t *testing.T, path string) *explain.Report {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := ingest.Read(f, path, ingest.DefaultFormats(), ingest.Options{})
	require.NoError(t, err)
	cat, err := hints.Default()
	require.NoError(t, err)
	rep, err := explain.Explain(p, cat, explain.Options{Path: "json-loop.perf.txt", Value: -1})
	require.NoError(t, err)
	return rep
}

// TestIssue9FirstScreen: the README's example at 80 columns shows the cause
// and the whole fix in its first 15 lines, and the ranked findings before
// any detail.
func TestIssue9FirstScreen(t *testing.T) {
	rep := explainFile(t, testutil.Fixture(t, "planted/python/json-loop.perf.txt"))
	out := string(renderReport(t, rep, Options{Width: 80}))
	lines := strings.Split(out, "\n")
	first := strings.Join(lines[:15], "\n")
	assert.Contains(t, first, "Cause:")
	assert.Contains(t, first, "Fix:")
	// Cause, evidence and fix, in that order (issue 7's headline), and the
	// fix ends within the first screen: the section after it starts by
	// line 16.
	causeAt, evidenceAt, fixAt := strings.Index(out, "Cause:"), strings.Index(out, "Evidence:"), strings.Index(out, "Fix:")
	require.Less(t, causeAt, evidenceAt)
	require.Less(t, evidenceAt, fixAt)
	next := fixAt + strings.Index(out[fixAt:], "\n\n")
	assert.LessOrEqual(t, strings.Count(out[:next], "\n"), 15, "the fix ends by line 15:\n%s", first)
	assert.Less(t, strings.Index(out, "\nFINDINGS"), strings.Index(out, "\nHOTSPOTS"), "findings before details")
	assert.Less(t, strings.Index(out, "\nFINDINGS"), strings.Index(out, "\nFINDING 1"))
	for i, l := range lines {
		if keptWhole(rep, l) {
			continue
		}
		assert.LessOrEqual(t, utf8.RuneCountInString(l), 80, "line %d is wider than the terminal: %q", i+1, l)
	}
}

// TestTextFitsWidth renders a report at several widths: every line of the
// tables and prose fits, except a command (kept whole to be copied) and
// code sketches.
func TestTextFitsWidth(t *testing.T) {
	for _, width := range []int{60, 80, 100, 132} {
		out := string(renderReport(t, perItemReport(), Options{Width: width}))
		for _, l := range strings.Split(out, "\n") {
			if keptWhole(perItemReport(), l) {
				continue
			}
			assert.LessOrEqual(t, strWidth(l), width, "width %d: %q", width, l)
		}
	}
}

func TestBrief(t *testing.T) {
	out := string(renderReport(t, perItemReport(), Options{Brief: true}))
	assert.Contains(t, out, "SUMMARY")
	assert.Contains(t, out, "FINDINGS")
	// Titles wrap under themselves in the table.
	assert.Contains(t, strings.Join(strings.Fields(out), " "), "Cross the Python/native boundary once per batch")
	for _, detail := range []string{"FINDING 1", "HOTSPOTS", "WHERE THE COST GOES", "CAPTURE QUALITY", "Sketch"} {
		assert.NotContains(t, out, detail)
	}
	md := string(renderReport(t, perItemReport(), Options{Format: Markdown, Brief: true}))
	assert.Contains(t, md, "### Top findings")
	assert.NotContains(t, md, "<details>")
}

// TestIssue9DistinctNames: two Rust functions that differ only in the
// middle or at the end never print as the same shortened name.
func TestIssue9DistinctNames(t *testing.T) {
	a := "<alloc::vec::Vec<T,A> as alloc::vec::spec_extend::SpecExtend<T,I>>::spec_extend"
	b := "<alloc::vec::Vec<T,A> as alloc::vec::spec_extend::SpecExtend<&T,core::slice::iter::Iter<T>>>::spec_extend"
	c := "hashbrown::raw::RawTable<T,A>::reserve_rehash::{{closure}}::h1"
	d := "hashbrown::raw::RawTable<T,A>::reserve_rehash::{{closure}}::h2"
	names := []string{a, b, c, d, a}
	for _, n := range []int{20, 30, 40, 60} {
		got := shortenDistinct(names, n)
		seen := map[string]string{}
		for i, s := range got {
			if prev, ok := seen[s]; ok {
				assert.Equal(t, prev, names[i], "width %d: %q and %q both print as %q", n, prev, names[i], s)
			}
			seen[s] = names[i]
			if s != names[i] {
				assert.LessOrEqual(t, utf8.RuneCountInString(s), n, "width %d: %q", n, s)
				assert.Contains(t, s, "...")
			}
		}
		assert.Equal(t, got[0], got[4], "equal names stay equal")
	}
	// The method name survives when there is room for it.
	got := shortenDistinct([]string{"core::ptr::drop_in_place<alloc::vec::Vec<alloc::string::String>>::drop_slow_path"}, 40)
	assert.True(t, strings.HasSuffix(got[0], "drop_slow_path"), got[0])
}

// TestWideKeepsNames: --wide never shortens.
func TestWideKeepsNames(t *testing.T) {
	out := renderReport(t, perItemReport(), Options{Width: 60, Wide: true})
	assert.True(t, bytes.Contains(out, []byte("pyo3::impl_::extract_argument::FunctionDescription::extract_arguments_fastcall")))
	narrow := renderReport(t, perItemReport(), Options{Width: 60})
	assert.False(t, bytes.Contains(narrow, []byte("pyo3::impl_::extract_argument::FunctionDescription::extract_arguments_fastcall")))
}

// TestLineNumbers: a hotspot with a line prints file:line.
func TestLineNumbers(t *testing.T) {
	rep := &explain.Report{Hotspots: []explain.Hotspot{{Function: "f", File: "app.py", Line: 42, Kind: "python", Self: 1, SelfShare: 1}}}
	assert.Contains(t, string(renderReport(t, rep, Options{})), "app.py:42")
	assert.Contains(t, string(renderReport(t, rep, Options{Format: Markdown})), "`app.py:42`")
}

// keptWhole says whether a text line is a code sketch line or a command,
// which are printed whole so that they can be copied.
func keptWhole(rep *explain.Report, line string) bool {
	l := strings.TrimSpace(line)
	if strings.HasPrefix(l, "$ ") {
		return true
	}
	for _, f := range rep.Findings {
		for _, s := range f.Sketches {
			for _, code := range []string{s.Before, s.After} {
				for _, c := range strings.Split(code, "\n") {
					if strings.TrimSpace(c) == l {
						return true
					}
				}
			}
		}
	}
	return false
}

// TestPlanNumberedOnce: the renderers number the plan's steps, one number
// each, in text, markdown and HTML.
func TestPlanNumberedOnce(t *testing.T) {
	rep := &explain.Report{Schema: explain.Schema, Plan: []string{"Batch the calls. Then `hotspot diff before after`.", "Record what this profile cannot show: off-CPU time."}}
	for _, tc := range []struct {
		format Format
		want   []string
	}{
		{Text, []string{"  1. Batch the calls.", "  2. Record what"}},
		{Markdown, []string{"1. Batch the calls.", "2. Record what"}},
		{HTML, []string{"<ol>\n<li>Batch the calls.", "<li>Record what"}},
	} {
		var b strings.Builder
		require.NoError(t, Write(&b, rep, Options{Format: tc.format, Width: 100}))
		for _, w := range tc.want {
			assert.Contains(t, b.String(), w, tc.format)
		}
		assert.NotContains(t, b.String(), "1. 1.", tc.format)
	}
}
