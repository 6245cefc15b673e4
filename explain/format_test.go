package explain

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

func TestFormatting(t *testing.T) {
	assert.Equal(t, "1,234,567", thousands(1234567))
	assert.Equal(t, "-1,000", thousands(-1000))
	assert.Equal(t, "999", thousands(999))
	assert.Equal(t, "681 ns", fmtNS(681))
	assert.Equal(t, "4.20 µs", fmtNS(4200))
	assert.Equal(t, "12.0 ms", fmtNS(12e6))
	assert.Equal(t, "1.30 s", fmtNS(1.3e9))
	assert.Equal(t, "1.50 KiB", fmtBytes(1536))
	assert.Equal(t, "12.3%", pct(0.1234))
	assert.Equal(t, "9.7–34 of them", rangeCount(9.72, 34.0))
	for _, tc := range []struct {
		share float64
		want  string
	}{{0.2, "high"}, {0.05, "medium"}, {0.049, "low"}} {
		assert.Equal(t, tc.want, severity(tc.share))
	}
	assert.InDelta(t, 0.06, noise(0.1, 100), 1e-9, "2σ of a 10% share over 100 samples")
}

// TestHotPathAndCrossings uses a real PyO3 stack (fixtures/perf/
// py311-pyo3-dwarf.perf.txt: rpds HashTrieMap.insert called from Python,
// calling Key.__hash__ back in Python) to check crossings and the hot path.
func TestHotPathAndCrossings(t *testing.T) {
	so := "/opt/python/3.11.7/lib/python3.11/site-packages/rpds/rpds.cpython-311-x86_64-linux-gnu.so"
	lib := "/opt/python/3.11.7/lib/libpython3.11.so.1.0"
	n := func(name, mod string) profileFrame { return profileFrame{name, mod} }
	base := []profileFrame{
		n("_PyEval_EvalFrameDefault", lib),
		n("rpds::<impl pyo3::impl_::pyclass::PyMethods<rpds::HashTrieMapPy> for pyo3::impl_::pyclass::PyClassImplCollector<rpds::HashTrieMapPy>>::py_methods::ITEMS::trampoline", so),
		n("pyo3::impl_::trampoline::trampoline", so),
		n("rpds::HashTrieMapPy::__pymethod_insert__", so),
	}
	work := append(append([]profileFrame{}, base...), n("rpds::map::hash_trie_map::HashTrieMap<K,V,P,H>::insert_mut", so))
	glue := append(append([]profileFrame{}, base...), n("<pyo3::instance::Bound<pyo3::types::any::PyAny> as pyo3::types::any::PyAnyMethods>::hash", so), n("PyObject_Hash", lib))
	back := append(append([]profileFrame{}, glue[:len(glue)-1]...), n("slot_tp_hash", lib), n("_PyEval_EvalFrameDefault", lib))
	p := buildProfile(t, map[int][]profileFrame{6: work, 3: glue, 1: back})
	r, err := Explain(p, testCatalogue(), Options{Value: -1})
	assert.NoError(t, err)
	assert.Equal(t, int64(10), r.Crossings.PythonToNative)
	assert.Equal(t, int64(1), r.Crossings.NativeToPython)
	if assert.Len(t, r.Crossings.Entries, 1) {
		e := r.Crossings.Entries[0]
		assert.Equal(t, "rpds::HashTrieMapPy::__pymethod_insert__", e.Function)
		assert.Equal(t, int64(3), e.Glue)
		assert.Equal(t, int64(6), e.Work)
	}
	var path []string
	for _, f := range r.HotPath {
		path = append(path, f.Function)
	}
	assert.Equal(t, []string{"_PyEval_EvalFrameDefault", base[1].name, base[2].name, base[3].name, work[4].name}, path,
		"the hot path follows the child holding most of its parent (6 of 10) and stops at the leaf")
	assert.Equal(t, []CategoryShare{{Name: "native", Value: 6, Share: 0.6}, {Name: "ffi", Value: 3, Share: 0.3}, {Name: "interpreter", Value: 1, Share: 0.1}}, r.Categories)
}

type profileFrame struct{ name, module string }

// buildProfile makes a profile with one stack (root first) per weight.
func buildProfile(t *testing.T, stacks map[int][]profileFrame) *profile.Profile {
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	weights := make([]int, 0, len(stacks))
	for w := range stacks {
		weights = append(weights, w)
	}
	sort.Ints(weights)
	for _, w := range weights {
		var fs []profile.Frame
		for _, f := range stacks[w] {
			fs = append(fs, profile.Frame{Name: f.name, Module: f.module, Kind: profile.KindNative})
		}
		require.NoError(t, b.AddFrames(fs, profile.Labels{}, int64(w), int64(w)))
	}
	p := b.Profile()
	require.NoError(t, p.Validate())
	return p
}
