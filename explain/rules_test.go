package explain

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// ruleStack is one real stack from a fixture and the rule that must decide it.
type ruleStack struct {
	rule, cat, ctx string
	fixture, note  string
	frames         []profile.Frame // leaf first, as perf prints them
	line           int
}

// readRuleStacks parses testdata/rule_stacks.txt: blocks of
//
//	rule ID CATEGORY ctx=CONTEXT
//	fixture PATH
//	note TEXT (optional: how the stack was derived from the fixture's)
//	<TAB>kind<TAB>display<TAB>module<TAB>file    (leaf first)
func readRuleStacks(t *testing.T) []ruleStack {
	f, err := os.Open("testdata/rule_stacks.txt")
	require.NoError(t, err)
	defer f.Close()
	var out []ruleStack
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "rule "):
			fs := strings.Fields(line)
			require.Len(t, fs, 4, "line %d", n)
			out = append(out, ruleStack{rule: fs[1], cat: fs[2], ctx: strings.TrimPrefix(fs[3], "ctx="), line: n})
		case strings.HasPrefix(line, "fixture "):
			out[len(out)-1].fixture = strings.TrimPrefix(line, "fixture ")
		case strings.HasPrefix(line, "note "):
			out[len(out)-1].note = strings.TrimPrefix(line, "note ")
		case strings.HasPrefix(line, "\t"):
			p := strings.Split(line[1:], "\t")
			for len(p) < 4 {
				p = append(p, "")
			}
			out[len(out)-1].frames = append(out[len(out)-1].frames, profile.Frame{
				Kind: profile.FrameKind(p[0]), Name: p[1], Display: p[1], Module: p[2], File: p[3]})
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// classifyStack builds a one-sample profile from a leaf-first stack and
// classifies it.
func classifyStack(t *testing.T, frames []profile.Frame) Class {
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	root := make([]profile.Frame, len(frames))
	for i, f := range frames {
		root[len(frames)-1-i] = f
	}
	require.NoError(t, b.AddFrames(root, profile.Labels{}, 1, 1))
	p := b.Profile()
	require.NoError(t, p.Validate())
	c := newClassifier(p, DefaultRules())
	return c.classifyNode(p.Samples[0].Node)
}

// TestRulesOnRealStacks checks every rule against a real stack from the
// fixtures: the rule decides the sample's category (leaf rules) or its
// context (context rules).
func TestRulesOnRealStacks(t *testing.T) {
	stacks := readRuleStacks(t)
	require.NotEmpty(t, stacks)
	for _, rs := range stacks {
		t.Run(rs.rule+"@"+rs.fixture, func(t *testing.T) {
			cl := classifyStack(t, rs.frames)
			assert.Equal(t, rs.cat, string(cl.Cat), "category (testdata line %d)", rs.line)
			assert.Equal(t, rs.ctx, orDash(string(cl.Ctx)), "context (testdata line %d)", rs.line)
			assert.True(t, cl.Rule == rs.rule || cl.CtxRule == rs.rule, "decided by %q / %q, want %q (testdata line %d)", cl.Rule, cl.CtxRule, rs.rule, rs.line)
		})
	}
}

// untestedRules have no stack in any fixture yet (no recording of that
// runtime exists in the repository); they are listed so the gap is visible.
var untestedRules = map[string]bool{
	"idle.tokio_park": true, "idle.kernel": true, "lock.rust": true, "lock.spin": true,
	"gc.jvm_dotnet": true, "ser.pickle_named": true, "ser.rust": true,
	"log.native": true, "async.c": true, "ffi.bindings": true, "gil.ext": true, "async.asyncio": true, "ser.py_other": true, "ser.go": true,
}

// TestEveryRuleHasAStack keeps testdata in step with the rule table.
func TestEveryRuleHasAStack(t *testing.T) {
	have := map[string]bool{}
	for _, rs := range readRuleStacks(t) {
		have[rs.rule] = true
	}
	for _, r := range DefaultRules() {
		if untestedRules[r.ID] {
			assert.False(t, have[r.ID], "rule %s now has a stack: drop it from untestedRules", r.ID)
			continue
		}
		assert.True(t, have[r.ID], "rule %s has no real stack in testdata/rule_stacks.txt", r.ID)
	}
}

// TestRuleTable checks the table's shape: unique ids, known categories,
// context-only flags on context rules.
func TestRuleTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range DefaultRules() {
		assert.False(t, seen[r.ID], "duplicate rule id %s", r.ID)
		seen[r.ID] = true
		assert.GreaterOrEqual(t, catIndex(r.Cat), 0, "rule %s: unknown category %q", r.ID, r.Cat)
		assert.NotEmpty(t, r.Note, "rule %s has no note", r.ID)
		assert.NotZero(t, r.RT, "rule %s applies to no runtime", r.ID)
		if r.Thin {
			assert.Equal(t, contextLayer, r.Layer, "rule %s: Thin is for context rules", r.ID)
		}
		if r.Override {
			assert.Equal(t, leafLayer, r.Layer, "rule %s: Override is for leaf rules", r.ID)
		}
	}
}

// TestKinStandsInForTheModule: in a folded profile (no modules), a bare
// save_dict is _pickle's only where _pickle's unmistakable frames show the
// library is there. Stacks from ser-pickle-py312-fp.folded.
func TestKinStandsInForTheModule(t *testing.T) {
	classOf := func(text, leaf string) Class {
		p, err := folded.Read(strings.NewReader(text), "t.folded", profile.ReadOptions{})
		require.NoError(t, err)
		c := newClassifier(p, DefaultRules())
		for _, s := range p.Samples {
			if st := p.Stack(s.Node); p.Frames[st[len(st)-1]].Name == leaf {
				return c.classifyNode(s.Node)
			}
		}
		t.Fatalf("no stack ends in %s", leaf)
		return Class{}
	}
	alone := classOf("python3.12;[unknown];save_dict 10\npython3.12;[unknown];_PyEval_EvalFrameDefault 5\n", "save_dict")
	assert.NotEqual(t, CatSerialization, alone.Cat, "a save_dict with no sign of _pickle is anyone's")
	with := classOf("python3.12;[unknown];save_dict 10\npython3.12;_Pickler_Write 3\n", "save_dict")
	assert.Equal(t, CatSerialization, with.Cat)
	assert.Equal(t, "ser.pickle_c", with.CtxRule)
}

// TestOwnCodeCallingBackIsNotConversion: an extension's own code that
// calls a Python function per item (a callback: no class created, the
// eval loop runs below) is not building its result; the same call on a
// class (type_call below) is. Frames as perf names them for a PyO3 0.20
// extension (module corpus.so), leaf first.
func TestOwnCodeCallingBackIsNotConversion(t *testing.T) {
	ext := func(name string) profile.Frame {
		return profile.Frame{Name: name, Module: "corpus.so", Kind: profile.KindNative}
	}
	py := func(name string) profile.Frame {
		return profile.Frame{Name: name, Module: "libpython3.12.so.1.0", Kind: profile.KindNative}
	}
	own := []profile.Frame{
		ext("pyo3::types::any::PyAny::call1"), ext("corpus::apply_each"),
		ext("corpus::_::__pyfunction_apply"), ext("pyo3::impl_::trampoline::trampoline"), py("_PyEval_EvalFrameDefault"),
	}
	callback := append([]profile.Frame{py("_PyEval_EvalFrameDefault"), py("_PyFunction_Vectorcall"), py("_PyObject_Call")}, own...)
	assert.NotEqual(t, CatConvert, classifyStack(t, callback).Cat, "a Python callback runs")
	build := append([]profile.Frame{py("object_new"), py("type_call"), py("_PyObject_Call")}, own...)
	assert.Equal(t, CatConvert, classifyStack(t, build).Cat, "a class called: an object of the result built")
}
