package explain

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile/ingest"
)

// TestLiteralSetForms checks compileLiteral on patterns whose answers are
// written out by hand.
func TestLiteralSetForms(t *testing.T) {
	cases := []struct {
		re      string
		yes, no []string
	}{
		{`^(start_thread|clone3?|__clone\w*)$`, []string{"start_thread", "clone", "clone3", "__clone", "__clone3_x"}, []string{"start_threads", "clone33", "x__clone", "__clone-1", "clon"}},
		{`(^|_)(read|recv)(64)?$`, []string{"read", "read64", "sys_read", "x_recv64"}, []string{"thread", "readv", "read6", "xread"}},
		{`^(core|alloc)::|::\{\{closure\}\}`, []string{"core::x", "alloc::", "a::{{closure}}::b"}, []string{"score::x", "a::{closure}"}},
		{`^runtime\.(mallocgc\w*|main)$`, []string{"runtime.main", "runtime.mallocgc", "runtime.mallocgcSmall"}, []string{"runtime.mainx", "xruntime.main", "runtime.mallocgc.x"}},
		{`(^|/)lib-dynload/`, []string{"lib-dynload/_json.so", "/usr/lib/python3/lib-dynload/x"}, []string{"xlib-dynload/", "lib-dynload"}},
		{`_\[[kj]\]$`, []string{"f_[k]", "_[j]"}, []string{"f_[i]", "f_[k]x"}},
	}
	for _, c := range cases {
		re := regexp.MustCompile(c.re)
		ls, ok := compileLiteral(re)
		require.True(t, ok, c.re)
		for _, s := range c.yes {
			assert.True(t, ls.match(s), "%s should match %q", c.re, s)
		}
		for _, s := range c.no {
			assert.False(t, ls.match(s), "%s should not match %q", c.re, s)
		}
	}
	// Shapes a literal set cannot hold stay with the regexp engine.
	for _, re := range []string{`^[A-Za-z_][A-Za-z0-9_]*$`, `(?i)^main$`, `^(0x)?[0-9a-f]{6,}$`, `a\w+b`, `x\w*$`} {
		_, ok := compileLiteral(regexp.MustCompile(re))
		assert.False(t, ok, re)
	}
}

// TestLiteralSetsAgreeWithRegexp compares every frame set and rule pattern
// that compiles to a literal set with its regexp, on the frame names,
// files and modules of the committed fixtures and on variations of the
// patterns' own literals (each with a character added or cut at either
// end).
func TestLiteralSetsAgreeWithRegexp(t *testing.T) {
	var pats []*regexp.Regexp
	for _, ns := range frameSetsByName() {
		pats = append(pats, ns.set.re)
	}
	for _, r := range DefaultRules() {
		pats = append(pats, r.Name, r.File)
	}
	words := fixtureWords(t)
	compiled := 0
	for _, re := range pats {
		ls, ok := compileLiteral(re)
		if !ok {
			continue
		}
		compiled++
		probes := append([]string{}, words...)
		for _, f := range ls.forms {
			probes = append(probes, variants(f.lit)...)
		}
		for lit := range ls.exact {
			probes = append(probes, variants(lit)...)
		}
		for _, s := range probes {
			if got, want := ls.match(s), re.MatchString(s); got != want {
				t.Errorf("%s on %q: literal set %v, regexp %v", re, s, got, want)
			}
		}
	}
	t.Logf("%d of %d patterns are literal sets; %d fixture words", compiled, len(pats), len(words))
	// Most frame sets are literal sets; a change that stopped compiling
	// them would lose the speed silently.
	assert.GreaterOrEqual(t, compiled, 15, "patterns compiled to literal sets")
}

func variants(lit string) []string {
	out := []string{lit, "x" + lit, lit + "x", "_" + lit, lit + "_1", lit + "/", "/" + lit, lit + "64", lit + " x"}
	if len(lit) > 0 {
		out = append(out, lit[1:], lit[:len(lit)-1])
	}
	return out
}

// fixtureWords gathers the frames' names, files and modules of the
// committed fixtures (a sample of each directory).
func fixtureWords(t *testing.T) []string {
	seen := map[string]bool{}
	var files []string
	_ = filepath.WalkDir(filepath.Join("..", "fixtures"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".md") && !strings.HasSuffix(path, ".sh") && !strings.HasSuffix(path, ".tsv") {
			if info, err := d.Info(); err == nil && info.Size() < 4<<20 {
				files = append(files, path)
			}
		}
		return nil
	})
	sort.Strings(files)
	for i, path := range files {
		if i%4 != 0 {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		p, err := ingest.Read(f, path, ingest.DefaultFormats(), ingest.Options{})
		f.Close()
		if err != nil {
			continue
		}
		for _, fr := range p.Frames {
			for _, s := range []string{fr.Name, fr.File, fr.Module} {
				seen[s] = true
			}
		}
	}
	require.NotEmpty(t, seen, "no fixture could be read")
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
