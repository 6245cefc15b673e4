package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOwnPath: the path of the function itself, without the types it was
// instantiated with. The names are real frames of py311-pyo3-dwarf (rpds
// and libcst built with PyO3), written out by hand.
func TestOwnPath(t *testing.T) {
	for name, want := range map[string]string{
		// rpds dropping its own trie nodes: core's drop, not PyO3's.
		"core::ptr::drop_in_place<triomphe::arc::ArcInner<rpds::map::hash_trie_map::Node<rpds::Key,pyo3::instance::Py<pyo3::types::any::PyAny>,archery::shared_pointer::kind::arct::ArcTK>>>": "core::ptr::drop_in_place",
		// libcst's own conversion trait, implemented for its own node.
		"<libcst_native::nodes::op::BinaryOp as libcst_native::nodes::traits::py::TryIntoPy<pyo3::instance::Py<pyo3::types::any::PyAny>>>::try_into_py": "<libcst_native::nodes::op::BinaryOp as libcst_native::nodes::traits::py::TryIntoPy>::try_into_py",
		// PyO3's own trait and impl blocks stay PyO3's.
		"<I as pyo3::types::dict::IntoPyDict>::into_py_dict": "<I as pyo3::types::dict::IntoPyDict>::into_py_dict",
		"pyo3::conversions::std::vec::<impl pyo3::conversion::IntoPy<pyo3::instance::Py<pyo3::types::any::PyAny>> for alloc::vec::Vec<T>>::into_py": "pyo3::conversions::std::vec::<impl pyo3::conversion::IntoPy for alloc::vec::Vec>::into_py",
		"triomphe::arc::Arc<T>::make_mut": "triomphe::arc::Arc::make_mut",
		"_PyEval_EvalFrameDefault":        "_PyEval_EvalFrameDefault",
	} {
		assert.Equal(t, want, ownPath(name), name)
	}
}
