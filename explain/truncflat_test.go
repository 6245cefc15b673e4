package explain

import (
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
