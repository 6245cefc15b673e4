package explain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTruncatedStacksAreNotFlat: a frame-pointer recording of a CPython
// built without frame pointers keeps the leaf and loses its callers (the
// shape of ser-ndjson-py312-fp: 615 samples, the heaviest leaves below).
// The json scanner shows as its own leaves (scan_once_unicode 28,
// scanstring_unicode 8, py_encode_basestring_ascii 7: 43 of 450, and 30 leaves
// of 5 stand in for the rest of the long tail), but the
// allocations, number parsing and dict inserts it causes cannot be
// gathered under it. That is no evidence of a flat profile.
func TestTruncatedStacksAreNotFlat(t *testing.T) {
	text := "python3.12;[unknown];_PyObject_Free 36\n" +
		"python3.12;[unknown];_PyObject_Malloc 35\n" +
		"python3.12;[unknown];[unknown];_PyEval_EvalFrameDefault 35\n" +
		"python3.12;[unknown];scan_once_unicode 28\n" +
		"python3.12;[unknown];__tls_get_addr 18\n" +
		"python3.12;__tls_get_addr 15\n" +
		"python3.12;[unknown];_PyEval_EvalFrameDefault 14\n" +
		"python3.12;_Py_dg_strtod 11\n" +
		"python3.12;[unknown];PyLong_FromString 11\n" +
		"python3.12;[unknown];_Py_dict_lookup 10\n" +
		"python3.12;_sre_SRE_Pattern_match 9\n" +
		"python3.12;[unknown];siphash13 9\n" +
		"python3.12;PyUnicode_New 9\n" +
		"python3.12;scanstring_unicode 8\n" +
		"python3.12;[unknown];tupledealloc 8\n" +
		"python3.12;[unknown];PyDict_SetDefault 8\n" +
		"python3.12;py_encode_basestring_ascii 7\n" +
		"python3.12;_PyEval_EvalFrameDefault 7\n" +
		"python3.12;[unknown];[unknown];convertitem 7\n" +
		"python3.12;insert_to_emptydict 6\n" +
		"python3.12;[unknown];build_indices_unicode 6\n" +
		"python3.12;[unknown];PyDict_New 6\n" +
		"python3.12;[unknown];leaf_fn_00 5\n" +
		"python3.12;[unknown];leaf_fn_01 5\n" +
		"python3.12;[unknown];leaf_fn_02 5\n" +
		"python3.12;[unknown];leaf_fn_03 5\n" +
		"python3.12;[unknown];leaf_fn_04 5\n" +
		"python3.12;[unknown];leaf_fn_05 5\n" +
		"python3.12;[unknown];leaf_fn_06 5\n" +
		"python3.12;[unknown];leaf_fn_07 5\n" +
		"python3.12;[unknown];leaf_fn_08 5\n" +
		"python3.12;[unknown];leaf_fn_09 5\n" +
		"python3.12;[unknown];leaf_fn_10 5\n" +
		"python3.12;[unknown];leaf_fn_11 5\n" +
		"python3.12;[unknown];leaf_fn_12 5\n" +
		"python3.12;[unknown];leaf_fn_13 5\n" +
		"python3.12;[unknown];leaf_fn_14 5\n" +
		"python3.12;[unknown];leaf_fn_15 5\n" +
		"python3.12;[unknown];leaf_fn_16 5\n" +
		"python3.12;[unknown];leaf_fn_17 5\n" +
		"python3.12;[unknown];leaf_fn_18 5\n" +
		"python3.12;[unknown];leaf_fn_19 5\n" +
		"python3.12;[unknown];leaf_fn_20 5\n" +
		"python3.12;[unknown];leaf_fn_21 5\n" +
		"python3.12;[unknown];leaf_fn_22 5\n" +
		"python3.12;[unknown];leaf_fn_23 5\n" +
		"python3.12;[unknown];leaf_fn_24 5\n" +
		"python3.12;[unknown];leaf_fn_25 5\n" +
		"python3.12;[unknown];leaf_fn_26 5\n" +
		"python3.12;[unknown];leaf_fn_27 5\n" +
		"python3.12;[unknown];leaf_fn_28 5\n" +
		"python3.12;[unknown];leaf_fn_29 5\n"
	r := explainText(t, "trunc.folded", text)
	require.NotEmpty(t, r.Findings)
	assert.False(t, r.Flat)
	assert.Equal(t, "faster-serialization", r.Findings[0].Hint, "findings %v", hintsOf(r))
	var why string
	for _, o := range r.RuledOut {
		if o.Hint == "flat-profile" {
			why = o.Reason
		}
	}
	assert.Contains(t, why, "never reach a process root")
}

// cutPython is a folded stack of a CPython 3.12 -X perf DWARF recording:
// unwinding stops at the trampoline of the innermost Python function, so
// the stack is that function and the eval loop running it.
func cutPython(fn string, n int) string {
	return fmt.Sprintf("python3.12;py::%s:/opt/bench/sim.py;_PyEval_EvalFrameDefault %d\n", fn, n)
}

// TestCutStacksFlatFromCoverage: with every stack cut at its innermost
// Python function, the loop that calls the steps is not in the file. The
// shares are flat-sim's under 3.12 DWARF (607 samples): tick 145, then 13
// small methods. The largest is 23.9% (145/607), half takes 3 functions
// (145+109+67 = 321, 52.9%) and 80% takes 7 (486 of 607, 80.1%): no
// function dominates, so the profile is flat, and the fix names the
// largest functions since no loop can be named.
func TestCutStacksFlatFromCoverage(t *testing.T) {
	shape := []struct {
		fn string
		n  int
	}{
		{"tick", 145}, {"Agent.clamp", 109}, {"Agent.remember", 67}, {"Agent.mood", 57},
		{"Agent.label", 46}, {"Agent.bounce", 35}, {"Agent.wrap", 27}, {"Agent.sense", 24},
		{"Agent.move", 20}, {"Agent.score", 16}, {"Agent.tired", 12}, {"Agent.eat", 10},
		{"Agent.grow_old", 8}, {"Agent.step", 9}, {"Agent.age", 8}, {"Agent.rest", 7}, {"Agent.look", 7},
	}
	var text strings.Builder
	for _, s := range shape {
		text.WriteString(cutPython(s.fn, s.n))
	}
	r := explainText(t, "cut.folded", text.String())
	assert.True(t, r.Flat)
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "flat-profile", r.Findings[0].Hint, "findings %v", hintsOf(r))
	assert.Contains(t, r.Summary, "tick 23.9%, Agent.clamp 18.0%, Agent.remember 11.0%")
	assert.Equal(t, []string{"tick", "Agent.clamp", "Agent.remember"}, r.Findings[0].Functions)
}

// TestCutStacksOneLoopNotFlat: the same cut shape where one function holds
// most of the time (io-bigwrite under 3.12 DWARF: a generator at 70%, its
// caller at 11%, the rest spread thin) is a hot loop, not a flat profile,
// however long the tail.
func TestCutStacksOneLoopNotFlat(t *testing.T) {
	var text strings.Builder
	text.WriteString(cutPython("export.<locals>.<genexpr>", 420))
	text.WriteString(cutPython("export", 64))
	for i := range 12 {
		text.WriteString(cutPython(fmt.Sprintf("step_%02d", i), 10))
	}
	r := explainText(t, "cut.folded", text.String())
	assert.False(t, r.Flat)
	for _, f := range r.Findings {
		assert.NotEqual(t, "flat-profile", f.Hint)
	}
}
