package render_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/diff/render"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func load(t *testing.T, rel string) []diff.Input {
	t.Helper()
	f, err := os.Open(testutil.Fixture(t, rel))
	require.NoError(t, err)
	defer f.Close()
	p, err := ingest.Read(f, rel, ingest.DefaultFormats(), ingest.Options{})
	require.NoError(t, err)
	return []diff.Input{{Path: rel, Profile: p, Value: -1}}
}

// The Python loop moved to C, in each format: goldens reviewed by hand
// (testdata/*.golden; go test -update rewrites them).
func TestGolden(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	r, err := diff.Compare(load(t, "planted/python/crunch.perf.txt"), load(t, "diff/crunch-native.perf.txt"), cat,
		diff.Options{Top: 8, Gate: &diff.Gate{Threshold: 0.02, Category: "python"}})
	require.NoError(t, err)
	for _, f := range []render.Format{render.Text, render.Markdown, render.JSON} {
		var buf bytes.Buffer
		require.NoError(t, render.Write(&buf, r, render.Options{Format: f, Width: 100}))
		testutil.Golden(t, filepath.Join("testdata", "crunch-native."+string(f)+".golden"), buf.Bytes())
	}
}

// Names from a profile cannot drive the terminal or break a Markdown table.
func TestHostileNames(t *testing.T) {
	r := &diff.Report{
		Normalization: diff.Shares,
		Noise:         diff.NoiseInfo{Method: diff.Binomial},
		Functions: []diff.Row{{
			Function: "evil\x1b[31m|`*x*`<b>\u202e", File: "a|b.py",
			BeforeShare: 0, AfterShare: 0.5, Delta: 0.5, Significant: true,
		}},
		Findings: diff.Findings{Compared: true},
	}
	var text, md bytes.Buffer
	require.NoError(t, render.Write(&text, r, render.Options{Format: render.Text, Width: 120}))
	require.NoError(t, render.Write(&md, r, render.Options{Format: render.Markdown}))
	assert.NotContains(t, text.String(), "\x1b")
	assert.NotContains(t, text.String(), "\u202e")
	assert.Contains(t, text.String(), `evil\x1b[31m|`+"`*x*`<b>"+`\u202e (a|b.py)`)
	assert.NotContains(t, md.String(), "\x1b")
	assert.Contains(t, md.String(), "| evil\\x1b\\[31m\\|\\`\\*x\\*\\`&lt;b&gt;\\u202e (a\\|b.py) |")
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "| evil") {
			assert.Equal(t, 6, strings.Count(line, "|")-strings.Count(line, `\|`), line)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	err := render.Write(&bytes.Buffer{}, &diff.Report{}, render.Options{Format: "html"})
	assert.EqualError(t, err, `unknown format: "html"`)
}
