package explain

import "regexp"

// signal is a named frame pattern that findings count: the value of the
// active samples with a matching frame anywhere on the stack. Unlike rules,
// signals do not decide categories; they are extra evidence (a regex being
// compiled, the GIL being released) for one hint.
type signal struct {
	id   string
	rt   rtMask
	name *regexp.Regexp // native name, or Python function name
	file *regexp.Regexp // Python file or native module (optional)
	has  []string       // cheap filter: the name contains one of these (optional)
}

// Signal ids.
const (
	sigAllowThreads = "allow-threads"
	sigGILAcquire   = "gil-acquire"
	sigRegex        = "compile-constant"
	sigLinearSearch = "linear-search"
	sigClone        = "clone"
	sigGrowth       = "growth"
	sigGILPool      = "gil-pool"
	sigCopyOnWrite  = "copy-on-write"
	sigExtDealloc   = "ext-dealloc"
	sigPyJSON       = "json-pure-python"
)

// signals is the table of extra evidence patterns.
var signals = []signal{
	{id: sigAllowThreads, rt: mC, has: []string{"pyo3", "PyEval_SaveThread", "PyEval_RestoreThread", "pybind11"}, name: re(`pyo3::marker::Python::(allow_threads|detach)|pyo3::gil::SuspendGIL|pyo3::internal::state::SuspendAttach|^PyEval_(Save|Restore)Thread$|^__Pyx_FastGil_PyEval_SaveThread|pybind11::gil_scoped_release`)},
	// json's pure-Python encoder and decoder: CPython runs them only when
	// its C accelerator is off for the call (indent= before 3.13, a
	// JSONEncoder subclass overriding the C path, _json missing).
	{id: sigPyJSON, rt: mPy, name: re(`^(_iterencode|_iterencode_dict|_iterencode_list|py_encode_basestring(_ascii)?|py_scanstring|JSONObject|JSONArray|_scan_once|py_make_scanner)$`), file: re(`(^|/)json/(encoder|decoder|scanner)\.py$`)},
	// Copy-on-write of shared data (Arc/Rc::make_mut, Cow::to_mut): the
	// copy a persistent structure makes when it is changed while shared.
	{id: sigCopyOnWrite, rt: mNative, has: []string{"make_mut", "to_mut"}, name: re(`::make_mut$|::to_mut$`)},
	// An extension object's deallocator: PyO3's tp_dealloc, pybind11's
	// dealloc, a Cython class's tp_dealloc.
	{id: sigExtDealloc, rt: mNative, has: []string{"tp_dealloc", "dealloc"}, name: re(`pyo3::impl_::pyclass::tp_dealloc|>::tp_dealloc$|pybind11::detail::clear_instance|^__pyx_tp_dealloc_`)},
	// PyO3 up to 0.20 creates and drains a GILPool around every call;
	// the Bound API (0.21+) has none, 0.23 removed it.
	{id: sigGILPool, rt: mNative, has: []string{"GILPool"}, name: re(`pyo3::gil::GILPool`)},
	{id: sigGILAcquire, rt: mC, has: []string{"pyo3", "GILState", "pybind11"}, name: re(`pyo3::gil::GILGuard::acquire|pyo3::internal::state::AttachGuard::(attach|try_attach)|pyo3::marker::Python::(with_gil|attach)$|^PyGILState_Ensure$|^__Pyx_FastGil_PyGILState_Ensure$|pybind11::gil_scoped_acquire`)},
	{id: sigRegex, rt: mPy, name: re(`^(compile|_compile|parse|_parse\w*|_code|_compile_info)$`), file: re(`(^|/)(re/__init__|re/_compiler|re/_parser|sre_compile|sre_parse|re)\.py$`)},
	{id: sigRegex, rt: mPy, name: re(`^(_strptime|_strptime_datetime|_calc_date_time|__calc_weekday|__calc_month)$`), file: re(`(^|/)_strptime\.py$`)},
	{id: sigRegex, rt: mNative, has: []string{"regex", "regcomp", "pcre", "sre"}, name: re(`^regex::(Regex::new|builders::|regex::string::Regex::new)|^regex_automata::(meta::|hybrid::dfa::Builder|nfa::thompson::compiler::)|^regex_syntax::(ast::parse|hir::translate)|^regexp\.(Compile|MustCompile|compile)$|^regexp/syntax\.(Parse|Compile)|^(pcre2?_compile\w*|regcomp)$|^sre_compile$|^_sre_compile$`)},
	{id: sigLinearSearch, rt: mC, has: []string{"contains", "index", "remove", "count", "Index", "Contains", "position", "find", "Search"}, name: re(`^(list_contains|list___contains__|_PySequence_IterSearch|list_index\w*|list_remove\w*|PySequence_Contains|PySequence_Index|tuple_contains|list_count\w*|bytes_find\w*)$|core::slice::<impl \[T\]>::contains|<core::slice::iter::Iter<T> as core::iter::traits::iterator::Iterator>::position|^slices\.(Contains|Index)\w*$`)},
	{id: sigLinearSearch, rt: mPy, name: re(`^(__contains__|index|remove|count)$`), file: re(`(^|/)collections/__init__\.py$`)},
	{id: sigClone, rt: mNative, has: []string{"clone", "format", "to_"}, name: re(`as core::clone::Clone>::clone|alloc::fmt::format|<str as alloc::string::ToString>::to_string|alloc::str::<impl str>::to_(owned|string)|as alloc::borrow::ToOwned>::to_owned|::to_vec$`)},
	// valgrind DHAT prints Rust frames by short name with the std source
	// file: recognise clones and growth by name and file together.
	{id: sigClone, rt: mNative, name: re(`^(clone|to_string|to_owned|to_vec|format|format_inner|clone_from_ref\w*|try_clone_from_ref_in\w*|clone_from|spec_to_string)(<.*>)?$`), file: re(`(^|/)(clone|string|str|slice|borrow|fmt|boxed|mod)\.rs$`)},
	{id: sigGrowth, rt: mNative, name: re(`^(grow_one|grow_amortized|grow_exact|finish_grow|reserve|reserve_for_push|do_reserve_and_handle|try_reserve\w*)(<.*>)?$`), file: re(`(^|/)(raw_vec|mod|vec)\.rs$`)},
	{id: sigGrowth, rt: mC, has: []string{"raw_vec", "reserve", "resize", "Resize", "realloc", "grow", "Grow"}, name: re(`alloc::raw_vec::|::do_reserve_and_handle|^(list_resize|dictresize|insertion_resize|resize_compact|_PyBytes_Resize|_PyUnicodeWriter_\w*Resize\w*|realloc|__libc_realloc|_int_realloc|runtime\.growslice|runtime\.hashGrow|std::vector<.*>::_M_realloc_insert)$`)},
}

// signalIndex lists the distinct signal ids in table order.
func signalIDs() []string {
	var ids []string
	seen := map[string]bool{}
	for _, s := range signals {
		if !seen[s.id] {
			seen[s.id] = true
			ids = append(ids, s.id)
		}
	}
	return ids
}

func (s *signal) match(fi *frameInfo) bool {
	if s.rt&(1<<fi.rt) == 0 {
		return false
	}
	name := fi.name
	if fi.rt == rtPython {
		name = fi.fn
	}
	if len(s.has) > 0 && !containsAny(name, s.has) {
		return false
	}
	if !s.name.MatchString(name) {
		return false
	}
	return s.file == nil || s.file.MatchString(fi.file) || s.file.MatchString(fi.module)
}
