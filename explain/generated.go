package explain

import (
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// generatedFile reports a Python "file" that names code generated at run
// time, compiled from a string: dataclasses and namedtuple write their
// __init__, __eq__, __lt__ ... this way ("<string>"), attrs names its own
// ("<attrs generated init ...>"), the decorator package "<decorator-gen-N>".
// Nobody edits that code: its cost is paid where it is called.
func generatedFile(file string) bool {
	if !strings.HasPrefix(file, "<") {
		return false
	}
	return file == "<string>" || strings.Contains(file, "generated") || strings.HasPrefix(file, "<decorator-gen-") || strings.HasPrefix(file, "<makefun-gen-")
}

// generatedCallers charges the self cost of generated Python methods to
// the Python function that called them, the nearest frame above that is
// not generated: per kept sample whose function is generated, that
// caller's name (or ""), with the generated functions' and the callers'
// tallies.
func (a *analysis) generatedCallers() (callerOf []string, gen, by tally) {
	gen, by = tally{}, tally{}
	var buf []profile.FrameID
	for k := range a.samples {
		f := a.sampleFn[k]
		if f == nil || f.kind != "python" || !generatedFile(f.key.file) {
			continue
		}
		if callerOf == nil {
			callerOf = make([]string, len(a.samples))
		}
		v := a.val[k]
		gen[f.key.name] += v
		buf = a.stackOf(k, buf)
		stack := buf
		leaf := a.leafOf(k, stack)
		for j := leaf - 1; j >= 0; j-- {
			fi := &a.cls.info[stack[j]]
			if fi.rt == rtPython && !fi.pseudo && !generatedFile(fi.file) {
				callerOf[k] = fi.name
				by[fi.name] += v
				break
			}
		}
	}
	return callerOf, gen, by
}
