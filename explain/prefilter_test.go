package explain

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

func TestNeedsOf(t *testing.T) {
	tests := []struct {
		re   string
		want needs
	}{
		{`^take_gil$`, needs{{"take_gil", true}}},
		{`^(malloc|free)$`, needs{{"malloc", true}, {"free", true}}},
		{`pyo3::gil|^__Pyx_Fast`, needs{{"pyo3::gil", false}, {"__Pyx_Fast", true}}},
		{`(^|/)lib-dynload/`, needs{{"lib-dynload/", false}}},
		{`^(gc_\w+|collect)$`, needs{{"gc_", true}, {"collect", true}}},
		// Nothing to require: case folding, a class, an optional part.
		{`(?i)^wall`, nil},
		{`^\w+$`, nil},
		{`^(x|\d+)`, nil},
		{`a?`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.re, func(t *testing.T) {
			assert.Equal(t, tc.want, needsOf(regexp.MustCompile(tc.re)))
		})
	}
}

// TestNeedsNeverReject checks the prefilter against the regexps themselves:
// on every frame name and file of real recordings, a pattern that matches
// must pass its test.
func TestNeedsNeverReject(t *testing.T) {
	var patterns []*regexp.Regexp
	for _, r := range DefaultRules() {
		patterns = append(patterns, r.Name, r.File)
	}
	patterns = append(patterns, waitName, allocName, gcName, reAnnot, reBracketMod, rePySpyRaw)
	for _, s := range frameSetsByName() {
		patterns = append(patterns, s.set.re)
	}
	var inputs []string
	files, err := filepath.Glob(testutil.Fixture(t, "planted/*/*.perf.txt"))
	require.NoError(t, err)
	more, err := filepath.Glob(testutil.Fixture(t, "planted/*/*.speedscope.json"))
	require.NoError(t, err)
	for _, path := range append(files, more...) {
		p := loadQuiet(path)
		if p == nil {
			continue
		}
		for _, f := range p.Frames {
			fi := analyzeFrame(f)
			inputs = append(inputs, f.Name, f.Display, f.File, fi.name, fi.fn, fi.file, fi.module)
		}
	}
	require.NotEmpty(t, inputs)
	matched := 0
	for _, re := range patterns {
		if re == nil {
			continue
		}
		n := needsOf(re)
		for _, s := range inputs {
			if re.MatchString(s) {
				matched++
				assert.True(t, n.may(s), "%s rejects %q, which it matches", re, s)
			}
		}
	}
	assert.Greater(t, matched, 100, "the inputs exercise the patterns")
}

// TestQuickNeedsAgree checks that the byte-pair shortcut never changes an
// answer: on every name and file of real recordings, and on strings built
// to hold a literal at their very start and end, quickNeeds.may says what
// needs.may says.
func TestQuickNeedsAgree(t *testing.T) {
	var tests []needs
	for _, r := range DefaultRules() {
		tests = append(tests, needsOf(r.Name), needsOf(r.File))
		var has needs
		for _, h := range r.Has {
			has = append(has, needLit{s: h})
		}
		tests = append(tests, has)
	}
	tests = append(tests, needs{{s: "x"}, {s: "yz"}}, needs{{s: "ab", prefix: true}})
	inputs := []string{"", "x", "yz", "y", "ab", "zab", "abc"}
	for _, n := range tests {
		for _, l := range n {
			inputs = append(inputs, l.s, "<"+l.s, l.s+">", l.s[:len(l.s)/2])
		}
	}
	for _, path := range []string{"planted/*/*.perf.txt", "planted/*/*.speedscope.json"} {
		files, err := filepath.Glob(testutil.Fixture(t, path))
		require.NoError(t, err)
		for _, f := range files {
			if p := loadQuiet(f); p != nil {
				for _, fr := range p.Frames {
					inputs = append(inputs, fr.Name, fr.Display, fr.File, fr.Module)
				}
			}
		}
	}
	passed := 0
	var ps pairSet
	for _, s := range inputs {
		ps.set(s)
		for _, n := range tests {
			q := quick(n)
			want := n.may(s)
			if want {
				passed++
			}
			require.Equal(t, want, q.may(s, &ps), "needs %v on %q", n, s)
		}
	}
	assert.Greater(t, passed, 1000, "the inputs pass some tests")
}
