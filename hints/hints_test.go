package hints

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requiredHints are the techniques the explain issue asks the catalogue to cover.
var requiredHints = []string{
	"batch-ffi-calls", "zero-copy-boundary", "release-gil", "gil-contention",
	"reduce-allocations", "avoid-clones", "faster-serialization", "hot-logging",
	"move-hot-loop-native", "algorithmic", "lock-contention", "gc-pressure",
	"buffer-io", "async-overhead", "cache-results", "import-overhead",
	"gil-reacquire", "blocking-in-async", "dual-implementation", "flat-profile",
}

// requiredCosts are the unit-cost ids the explain engine refers to by name.
var requiredCosts = []string{
	"python-call", "pyo3-crossing", "gil-handover", "rust-alloc", "py-alloc",
	"syscall", "json-stdlib-per-kb", "mutex-uncontended", "tokio-spawn", "dict-lookup",
}

// noCode lists the hints for which no before/after code applies.
var noCode = map[string]bool{"flat-profile": true}

func TestDefaultLoads(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	assert.Equal(t, "hotspot.hints/v1", c.Schema)
	assert.GreaterOrEqual(t, len(c.Hints), len(requiredHints))
}

func TestRequiredEntriesPresent(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	for _, id := range requiredHints {
		_, ok := c.Lookup(id)
		assert.True(t, ok, "hint %q missing", id)
	}
	for _, id := range requiredCosts {
		_, ok := c.Cost(id)
		assert.True(t, ok, "unit cost %q missing", id)
	}
}

func TestIDsUnique(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, h := range c.Hints {
		assert.False(t, seen[h.ID], "hint id %q repeated", h.ID)
		seen[h.ID] = true
	}
	costs := map[string]bool{}
	for _, u := range c.UnitCosts {
		assert.False(t, costs[u.ID], "unit cost id %q repeated", u.ID)
		costs[u.ID] = true
	}
}

func TestEntriesComplete(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	for _, h := range c.Hints {
		t.Run(h.ID, func(t *testing.T) {
			for name, v := range map[string]string{
				"title": h.Title, "why": h.Why, "fix": h.Fix, "impact": h.Impact,
				"tradeoffs": h.Tradeoffs, "measure": h.Measure,
			} {
				assert.NotEmpty(t, strings.TrimSpace(v), name)
			}
			assert.Contains(t, Categories(), h.Category)
			assert.NotEmpty(t, h.Signals)
			assert.NotEmpty(t, h.Sources)
			assert.NotEmpty(t, h.UnitCosts, "impact must name the unit costs it uses")
			assert.Regexp(t, "`[^`]+`", h.Measure, "measure names at least one command")
			assert.NotRegexp(t, `py-spy record (?:[^-]|-[^-]|--[^f])*-o \S+\.json`, h.Measure, "py-spy writes SVG unless --format speedscope")
			for _, id := range h.UnitCosts {
				assert.Contains(t, h.Impact, id, "impact should name unit cost %q in words", id)
			}
			if noCode[h.ID] {
				return
			}
			require.NotEmpty(t, h.Sketches, "sketches")
			for _, s := range h.Sketches {
				assert.Contains(t, SketchLanguages(), s.Language)
				assert.NotEmpty(t, strings.TrimSpace(s.Before))
				assert.NotEmpty(t, strings.TrimSpace(s.After))
				assert.NotEqual(t, s.Before, s.After)
				assert.NotContains(t, s.Before, "\t", "sketches are indented with spaces")
				assert.NotContains(t, s.After, "\t", "sketches are indented with spaces")
			}
		})
	}
}

func TestUnitCostsSourced(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	for _, u := range c.UnitCosts {
		assert.NotEmpty(t, u.What, u.ID)
		assert.NotEmpty(t, u.Source, u.ID)
		assert.Positive(t, u.LowNS, u.ID)
		assert.GreaterOrEqual(t, u.HighNS, u.LowNS, u.ID)
	}
	// Spot checks against the playbook's table.
	pc, _ := c.Cost("pyo3-crossing")
	assert.Equal(t, [2]float64{20, 70}, [2]float64{pc.LowNS, pc.HighNS})
	gh, _ := c.Cost("gil-handover")
	assert.Equal(t, [2]float64{100, 500}, [2]float64{gh.LowNS, gh.HighNS})
	js, _ := c.Cost("json-stdlib-per-kb")
	assert.Equal(t, [2]float64{50000, 100000}, [2]float64{js.LowNS, js.HighNS})
}

func TestLookupMissing(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	_, ok := c.Lookup("no-such-hint")
	assert.False(t, ok)
	_, ok = c.Cost("no-such-cost")
	assert.False(t, ok)
}

func TestCategoriesIsACopy(t *testing.T) {
	a := Categories()
	a[0] = "changed"
	assert.Equal(t, "python", Categories()[0])
}

// valid returns a small, complete catalogue for the defect table to break.
func valid() Catalogue {
	return Catalogue{
		Schema:    "hotspot.hints/v1",
		UnitCosts: []UnitCost{{ID: "python-call", What: "a call", LowNS: 50, HighNS: 100, Source: "table"}},
		Hints: []Hint{{
			ID: "batch-ffi-calls", Title: "t", Category: "ffi", Signals: []string{"s"},
			Why: "w", Fix: "f", Impact: "i python-call", UnitCosts: []string{"python-call"},
			Tradeoffs: "t", Measure: "m", Sources: []string{"src"},
			Sketches: []Sketch{{Language: "python", Before: "a()", After: "b()"}},
			Spec:     Spec{Recordings: []string{"on-cpu"}, MinSamples: 10, MinShare: 0.05, MinLow: 0.02, Remove: [2]float64{0.5, 0.9}},
		}},
	}
}

func TestCheckRejects(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(c *Catalogue)
		want   string
	}{
		{"schema", func(c *Catalogue) { c.Schema = "v0" }, `hint catalogue: schema "v0", want "hotspot.hints/v1"`},
		{"empty cost id", func(c *Catalogue) { c.UnitCosts[0].ID = "" }, `hint catalogue: unit cost id "" empty or repeated`},
		{"repeated cost id", func(c *Catalogue) { c.UnitCosts = append(c.UnitCosts, c.UnitCosts[0]) }, `hint catalogue: unit cost id "python-call" empty or repeated`},
		{"cost without what", func(c *Catalogue) { c.UnitCosts[0].What = "" }, `hint catalogue: unit cost "python-call" has no what`},
		{"cost zero low", func(c *Catalogue) { c.UnitCosts[0].LowNS = 0 }, `hint catalogue: unit cost "python-call" needs 0 < low_ns <= high_ns and a source`},
		{"cost high below low", func(c *Catalogue) { c.UnitCosts[0].HighNS = 10 }, `hint catalogue: unit cost "python-call" needs 0 < low_ns <= high_ns and a source`},
		{"cost without source", func(c *Catalogue) { c.UnitCosts[0].Source = "" }, `hint catalogue: unit cost "python-call" needs 0 < low_ns <= high_ns and a source`},
		{"empty hint id", func(c *Catalogue) { c.Hints[0].ID = "" }, `hint catalogue: hints[0]: id "" empty or repeated`},
		{"repeated hint id", func(c *Catalogue) { c.Hints = append(c.Hints, c.Hints[0]) }, `hint catalogue: hints[1]: id "batch-ffi-calls" empty or repeated`},
		{"bad hint id", func(c *Catalogue) { c.Hints[0].ID = "Batch_FFI" }, `hint catalogue: hints[0]: id "Batch_FFI" is not lower-case words joined by '-'`},
		{"no title", func(c *Catalogue) { c.Hints[0].Title = "" }, `hint catalogue: hint "batch-ffi-calls" has no title`},
		// Several missing fields: the first in field order is reported, every time.
		{"no title and no measure", func(c *Catalogue) { c.Hints[0].Title, c.Hints[0].Measure = "", "" }, `hint catalogue: hint "batch-ffi-calls" has no title`},
		{"no category", func(c *Catalogue) { c.Hints[0].Category = "" }, `hint catalogue: hint "batch-ffi-calls" has no category`},
		{"no why", func(c *Catalogue) { c.Hints[0].Why = " " }, `hint catalogue: hint "batch-ffi-calls" has no why`},
		{"no fix", func(c *Catalogue) { c.Hints[0].Fix = "" }, `hint catalogue: hint "batch-ffi-calls" has no fix`},
		{"no impact", func(c *Catalogue) { c.Hints[0].Impact = "" }, `hint catalogue: hint "batch-ffi-calls" has no impact`},
		{"no tradeoffs", func(c *Catalogue) { c.Hints[0].Tradeoffs = "" }, `hint catalogue: hint "batch-ffi-calls" has no tradeoffs`},
		{"no measure", func(c *Catalogue) { c.Hints[0].Measure = "" }, `hint catalogue: hint "batch-ffi-calls" has no measure`},
		{"unknown category", func(c *Catalogue) { c.Hints[0].Category = "cpu" }, `hint catalogue: hint "batch-ffi-calls" has unknown category "cpu"`},
		{"no signals", func(c *Catalogue) { c.Hints[0].Signals = nil }, `hint catalogue: hint "batch-ffi-calls" has no signals`},
		{"empty signal", func(c *Catalogue) { c.Hints[0].Signals = []string{"s", ""} }, `hint catalogue: hint "batch-ffi-calls" has an empty signals[1]`},
		{"sketch language", func(c *Catalogue) { c.Hints[0].Sketches[0].Language = "go" }, `hint catalogue: hint "batch-ffi-calls" sketches[0] has unknown language "go"`},
		{"sketch without after", func(c *Catalogue) { c.Hints[0].Sketches[0].After = "" }, `hint catalogue: hint "batch-ffi-calls" sketches[0] needs both before and after`},
		{"sketch without before", func(c *Catalogue) { c.Hints[0].Sketches[0].Before = "\n" }, `hint catalogue: hint "batch-ffi-calls" sketches[0] needs both before and after`},
		{"unknown unit cost", func(c *Catalogue) { c.Hints[0].UnitCosts = []string{"warp-drive"} }, `hint catalogue: hint "batch-ffi-calls" uses unknown unit cost "warp-drive"`},
		{"no sources", func(c *Catalogue) { c.Hints[0].Sources = nil }, `hint catalogue: hint "batch-ffi-calls" has no sources`},
		{"cause without tradeoffs", func(c *Catalogue) {
			c.Hints[0].Causes = []Cause{{When: []string{"x"}, Title: "t", Measure: "m"}}
		}, `hint catalogue: hint "batch-ffi-calls" causes[0] needs when, title, tradeoffs and measure`},
		{"cause shape twice", func(c *Catalogue) {
			c.Hints[0].Causes = []Cause{{When: []string{"x"}, Title: "t", Tradeoffs: "r", Measure: "m"}, {When: []string{"x"}, Title: "u", Tradeoffs: "r", Measure: "m"}}
		}, `hint catalogue: hint "batch-ffi-calls" causes[1] has an empty or repeated shape "x"`},
		{"spec without recordings", func(c *Catalogue) { c.Hints[0].Spec.Recordings = nil }, `hint catalogue: hint "batch-ffi-calls" spec: names no recordings`},
		{"spec unknown recording", func(c *Catalogue) { c.Hints[0].Spec.Recordings = []string{"cpu"} }, `hint catalogue: hint "batch-ffi-calls" spec: unknown recording "cpu"`},
		{"spec unknown feature", func(c *Catalogue) { c.Hints[0].Spec.Needs = []string{"x-ray"} }, `hint catalogue: hint "batch-ffi-calls" spec: unknown capture feature "x-ray"`},
		{"spec low above share", func(c *Catalogue) { c.Hints[0].Spec.MinLow = 0.1 }, `hint catalogue: hint "batch-ffi-calls" spec: needs min_samples >= 0 and 0 <= min_low <= min_share < 1`},
		{"spec remove reversed", func(c *Catalogue) { c.Hints[0].Spec.Remove = [2]float64{0.9, 0.5} }, `hint catalogue: hint "batch-ffi-calls" spec: remove must be 0 <= low <= high <= 1`},
		{"variant runtime", func(c *Catalogue) { c.Hints[0].Variants = []Variant{{Runtime: "java", Fix: "f"}} }, `hint catalogue: hint "batch-ffi-calls" variants[0] has unknown or repeated runtime "java"`},
		{"variant repeated", func(c *Catalogue) {
			c.Hints[0].Variants = []Variant{{Runtime: "go", Fix: "f"}, {Runtime: "go", Fix: "g"}}
		}, `hint catalogue: hint "batch-ffi-calls" variants[1] has unknown or repeated runtime "go"`},
		{"variant without fix", func(c *Catalogue) { c.Hints[0].Variants = []Variant{{Runtime: "go", Fix: " "}} }, `hint catalogue: hint "batch-ffi-calls" variants[0] (go) has no fix`},
		{"variant sketch language", func(c *Catalogue) {
			c.Hints[0].Variants = []Variant{{Runtime: "go", Fix: "f", Sketches: []Sketch{{Language: "python", Before: "a", After: "b"}}}}
		}, `hint catalogue: hint "batch-ffi-calls" variants[0] (go) sketches[0] is in "python", not the variant's language`},
		{"variant sketch without after", func(c *Catalogue) {
			c.Hints[0].Variants = []Variant{{Runtime: "c", Fix: "f", Sketches: []Sketch{{Language: "c", Before: "a"}}}}
		}, `hint catalogue: hint "batch-ffi-calls" variants[0] (c) sketches[0] needs both before and after`},
	}
	c := valid()
	require.NoError(t, c.Check(), "the base catalogue must be valid")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.break_(&c)
			for range 5 { // same defect, same message, every time
				err := c.Check()
				require.Error(t, err)
				assert.Equal(t, tc.want, err.Error())
			}
		})
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown field", `{"schema":"hotspot.hints/v1","unit_costs":[],"hints":[],"extra":1}`, `hint catalogue: json: unknown field "extra"`},
		{"not json", `{`, `hint catalogue: unexpected EOF`},
		{"defect", `{"schema":"hotspot.hints/v1","unit_costs":[],"hints":[{"id":"x"}]}`, `hint catalogue: hint "x" has no title`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tc.in))
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// TestCatalogueRoundTrip checks that the embedded file holds nothing the
// structs drop: decoding and re-encoding gives the same JSON value.
func TestCatalogueRoundTrip(t *testing.T) {
	var raw, again any
	require.NoError(t, json.Unmarshal(catalogueJSON, &raw))
	c, err := Default()
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &again))
	assert.Equal(t, raw, again)
}

// TestVariantFor: a variant's fields replace the main prose for its
// runtime, empty fields fall back, other runtimes get the main prose.
func TestVariantFor(t *testing.T) {
	h := valid().Hints[0]
	h.Variants = []Variant{{Runtime: "go", Title: "go title", Fix: "go fix", Sketches: []Sketch{{Language: "go", Before: "x()", After: "y()"}}}}
	g := h.For("go")
	assert.Equal(t, "go title", g.Title)
	assert.Equal(t, "go fix", g.Fix)
	assert.Equal(t, h.Why, g.Why, "empty variant fields fall back")
	assert.Equal(t, h.Measure, g.Measure)
	require.Len(t, g.Sketches, 1)
	assert.Equal(t, "go", g.Sketches[0].Language)
	assert.Equal(t, h, h.For("rust"), "no variant: unchanged")
}

// TestCatalogueVariants: the hints that fire on Go programs (collector,
// codec, allocation, locks, I/O, logging) have a Go variant that names no
// Python library, and every variant sketch is indented with spaces.
func TestCatalogueVariants(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	for _, id := range []string{"gc-pressure", "faster-serialization", "reduce-allocations", "lock-contention", "buffer-io", "hot-logging"} {
		h, ok := c.Lookup(id)
		require.True(t, ok, id)
		g := h.For("go")
		assert.NotEqual(t, h.Fix, g.Fix, "%s has a go variant", id)
		for _, py := range []string{"msgspec", "orjson", "gc.freeze", "CPython", "pymalloc", "asyncio"} {
			assert.NotContains(t, g.Title+" "+g.Fix, py, "%s: the go variant names %s", id, py)
		}
		for _, v := range h.Variants {
			for _, s := range v.Sketches {
				assert.NotContains(t, s.Before+s.After, "\t", "%s %s sketch indented with tabs", id, v.Runtime)
			}
		}
	}
}

// TestCauseFor: a finding shape listed under a cause gets that cause; an
// unlisted or empty shape gets none.
func TestCauseFor(t *testing.T) {
	h := Hint{Causes: []Cause{{When: []string{"a", "b"}, Title: "ab"}, {When: []string{"c"}, Title: "c"}}}
	c, ok := h.CauseFor("b")
	assert.True(t, ok)
	assert.Equal(t, "ab", c.Title)
	_, ok = h.CauseFor("")
	assert.False(t, ok)
	_, ok = h.CauseFor("d")
	assert.False(t, ok)
}

// TestRiskDeclared: every hint says how much its fix changes, and a cause
// that overrides it uses the same words; ranking divides by RiskUnits.
func TestRiskDeclared(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	valid := map[string]bool{"low": true, "medium": true, "high": true}
	for _, h := range c.Hints {
		assert.True(t, valid[h.Risk], "hint %q: risk %q, want low, medium or high", h.ID, h.Risk)
		for _, cs := range h.Causes {
			assert.True(t, cs.Risk == "" || valid[cs.Risk], "hint %q cause %v: risk %q", h.ID, cs.When, cs.Risk)
		}
	}
	assert.Equal(t, 1.0, RiskUnits("low"))
	assert.Equal(t, 2.0, RiskUnits("high"))
	fs, _ := c.Lookup("faster-serialization")
	assert.Equal(t, "high", fs.RiskFor(""), "a codec swap is a new dependency with different output")
	assert.Equal(t, "low", fs.RiskFor("json-pure-python"), "an interpreter upgrade or one call changed")
}
