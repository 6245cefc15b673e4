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

// signalNeeds are the literal tests of each signal's name pattern
// (prefilter.go), and signalHas its has list as one, in table order: most
// frames fail them without running the regexp.
var signalNeeds, signalHas = func() (names, has []quickNeeds) {
	names, has = make([]quickNeeds, len(signals)), make([]quickNeeds, len(signals))
	for i := range signals {
		names[i] = quick(needsOf(signals[i].name))
		var n needs
		for _, h := range signals[i].has {
			n = append(n, needLit{s: h})
		}
		has[i] = quick(n)
	}
	return names, has
}()

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
	sigSort         = "sort"
)

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

// match reports whether fi matches signal i. ps holds the byte pairs of
// fi's rule name, or is nil to run the plain tests.
func (s *signal) match(fi *frameInfo, i int, ps *pairSet) bool {
	if s.rt&(1<<fi.rt) == 0 {
		return false
	}
	name := fi.ruleName()
	if ps == nil {
		if len(s.has) > 0 && !containsAny(name, s.has) || !s.name.MatchString(name) {
			return false
		}
	} else if !signalHas[i].may(name, ps) || !signalNeeds[i].match(s.name, name, ps) {
		return false
	}
	return s.file == nil || s.file.MatchString(fi.file) || s.file.MatchString(fi.module)
}
