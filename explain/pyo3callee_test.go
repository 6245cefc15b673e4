package explain

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// pyo3CalleeStacks are root-first stacks of a Python program calling a
// PyO3 extension, whose bindings call CPython's internals directly: a dict
// insert that allocates, and a list iterator stepping through the
// argument. Each frame is "name module"; 60 and 40 samples.
var pyo3CalleeStacks = []struct {
	n      int
	frames []string
}{
	{60, []string{
		"_PyEval_EvalFrameDefault " + libpy, "ext::_::__pyfunction_tag_all " + extSO,
		"<I as pyo3::types::dict::IntoPyDict>::into_py_dict " + extSO, "pyo3::types::dict::PyDict::set_item " + extSO,
		"insert_to_emptydict " + libpy, "new_keys_object " + libpy, "_PyObject_Malloc " + libpy, "pymalloc_alloc " + libpy,
	}},
	{40, []string{
		"_PyEval_EvalFrameDefault " + libpy, "ext::_::__pyfunction_tag_all " + extSO,
		"pyo3::types::sequence::extract_sequence " + extSO,
		"<&pyo3::types::iterator::PyIterator as core::iter::traits::iterator::Iterator>::next " + extSO,
		"PyIter_Next " + libpy, "listiter_next " + libpy, "Py_INCREF " + libpy,
	}},
}

// TestPyO3CalleesAreCPythonsWithoutModules: a folded file names no
// modules, so insert_to_emptydict and listiter_next are bare C names
// there. Called by PyO3, which calls C only through CPython's C API, they
// are CPython's, as the perf text's libpython says: the same categories
// and the same allocation site (PyDict::set_item, not the dict helper)
// from both.
func TestPyO3CalleesAreCPythonsWithoutModules(t *testing.T) {
	var perf, fold strings.Builder
	add := eventsOf(&perf, 7)
	for _, s := range pyo3CalleeStacks {
		leafFirst := slices.Clone(s.frames)
		slices.Reverse(leafFirst)
		add(s.n, leafFirst...)
		names := make([]string, len(s.frames))
		for i, f := range s.frames {
			names[i] = f[:strings.LastIndex(f, " ")]
		}
		fmt.Fprintf(&fold, "python3.12;%s %d\n", strings.Join(names, ";"), s.n)
	}
	fromPerf := explainText(t, "pyo3.perf.txt", perf.String())
	fromFolded := explainText(t, "pyo3.folded", fold.String())
	shares := func(r *Report) map[string]float64 {
		m := map[string]float64{}
		for _, c := range r.Categories {
			m[c.Name] = c.Share
		}
		return m
	}
	assert.Equal(t, map[string]float64{"alloc": 0.6, "convert": 0.4}, shares(fromPerf))
	assert.Equal(t, shares(fromPerf), shares(fromFolded))
	site := func(r *Report) string {
		for _, f := range r.Findings {
			if f.Hint == "reduce-allocations" {
				return f.Evidence
			}
		}
		return ""
	}
	assert.Contains(t, site(fromFolded), "allocated from pyo3::types::dict::PyDict::set_item")
	assert.NotContains(t, site(fromFolded), "insert_to_emptydict")
}
