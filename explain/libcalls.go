package explain

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// libraryCall is the program's call into a library whose own Python code
// is hot: main calling statistics.mean, whose _sum and _exact_ratio run
// the loop. The program cannot change that loop; it can change the call.
type libraryCall struct {
	caller profile.FrameID // the innermost program frame (one of its lines)
	entry  profile.FrameID // the library function it called
	// callerName and entryName are what the report says: the caller as the
	// program spells it, the entry with its module (statistics.mean).
	callerName, entryName string
	kind                  pkgKind // pkgStdlib or pkgThirdParty
	pkg                   string  // the library's package (statistics, numpy)
	file                  string  // the entry's file
	// lineText and lineWhere are a line profile's line that makes the
	// call and its FILE:N.
	lineText, lineWhere string
	v                   int64
	inner               tally // the library functions the cost is charged to
	// all is every active sample's value under the call; others is
	// the part not charged to the library's Python code, by function
	// (the C functions it calls, the allocator, waits).
	all    int64
	others tally
}

// libraryWork is the Python work of library functions, by the program's
// call into the library it ran under.
type libraryWork struct {
	calls []*libraryCall // by value, highest first
	// at is, per kept sample, 1 + the index in calls of the call its cost
	// is charged to, 0 for none.
	at []int32
}

// libraryCalls charges the Python work (pyWork) of functions in the
// standard library or an installed package to the program's calls into
// them: for each such sample, the innermost Python frame of the
// program's own code and the library function it called. Samples with
// no program frame above the library keep their function (a program run
// from site-packages), unless the stacks stop at their innermost Python
// frame (hidden) or were derived from a call graph, which cuts them at a
// recursion: then the call is the library module's, from callers the
// stacks do not show. Decided from where a frame's file is (packageOf,
// once per frame), per kept sample, once per call of the finding.
func (a *analysis) libraryCalls(pyWork func(k int) bool, hidden bool) *libraryWork {
	w := &libraryWork{}
	lc := &libraryKeys{a: a, kinds: make([]int8, len(a.p.Frames)), grouped: hidden || a.p.Graph != nil}
	byKey := map[[2]string]int{}
	libFn := map[*funcStats]bool{}
	var buf []profile.FrameID
	for k := range a.samples {
		fn := a.sampleFn[k]
		if fn == nil || fn.kind != "python" || !pyWork(k) {
			continue
		}
		lib, seen := libFn[fn]
		if !seen {
			_, kind := packageOf(fn.key.file)
			lib = kind == pkgStdlib || kind == pkgThirdParty
			libFn[fn] = lib
		}
		if !lib {
			continue
		}
		buf = a.stackOf(k, buf)
		key, caller, callee, ok := lc.key(buf)
		if !ok {
			continue // no program frame above the library
		}
		i, ok := byKey[key]
		if !ok {
			i = len(w.calls)
			byKey[key] = i
			w.calls = append(w.calls, a.newLibraryCall(key, caller, callee))
		}
		c := w.calls[i]
		c.v += a.val[k]
		c.inner[fn.key.name] += a.val[k]
		if w.at == nil {
			w.at = make([]int32, len(a.samples))
		}
		w.at[k] = int32(i + 1)
	}
	if len(w.calls) == 0 {
		return w
	}
	if a.p.Graph != nil {
		w.mergeCutRecursions(byKey)
	}
	for _, c := range w.calls {
		if c.entry == profile.NoFrame && len(c.inner) > 0 {
			// Callers not shown: the module's hottest public function is
			// what the program calls (deepcopy, not _deepcopy_dict).
			c.entryName = qualifiedPyName(publicName(c.inner), c.file)
		}
	}
	// The calls' whole cost, for the evidence: what else runs under them.
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		if w.at[k] > 0 {
			w.calls[w.at[k]-1].all += a.val[k]
			continue
		}
		buf = a.stackOf(k, buf)
		if key, _, _, ok := lc.key(buf); ok {
			if i, ok := byKey[key]; ok {
				c := w.calls[i]
				c.all += a.val[k]
				if fn := a.sampleFn[k]; fn != nil {
					c.others[fn.key.name] += a.val[k]
				}
			}
		}
	}
	w.sortCalls()
	return w
}

// libraryKeys names the library call a stack is in, for libraryCalls.
type libraryKeys struct {
	a *analysis
	// kinds caches packageOf's answer per frame: 1 library, 2 program,
	// 3 neither (not Python, or no file), 0 before it is asked.
	kinds []int8
	// grouped: a stack with no program frame counts at its library
	// module (callers not shown) instead of not at all.
	grouped bool
}

func (lc *libraryKeys) kindOf(f profile.FrameID) int8 {
	if lc.kinds[f] == 0 {
		lc.kinds[f] = 3
		if fi := &lc.a.cls.info[f]; fi.rt == rtPython && !fi.pseudo {
			switch _, k := packageOf(lc.a.cls.info[f].file); k {
			case pkgStdlib, pkgThirdParty:
				lc.kinds[f] = 1
			case pkgOwn:
				lc.kinds[f] = 2
			}
		}
	}
	return lc.kinds[f]
}

// key is the call stack is in: the program's frame and the library
// function it called (the caller's label, the entry's name and file), or
// for a grouped stack with no program frame, no caller and the innermost
// library frame's file; ok is false for neither.
func (lc *libraryKeys) key(stack []profile.FrameID) (key [2]string, caller, callee profile.FrameID, ok bool) {
	a := lc.a
	if j, entry := programCall(stack, lc.kindOf); j >= 0 {
		caller, callee = stack[j], stack[entry]
		return [2]string{a.callerLabel(caller), a.cls.info[callee].name + "\x00" + a.cls.info[callee].file}, caller, callee, true
	}
	if !lc.grouped || slices.ContainsFunc(stack, func(f profile.FrameID) bool { return lc.kindOf(f) == 2 }) {
		return key, profile.NoFrame, profile.NoFrame, false
	}
	if j := a.pyFrameAt(stack); j >= 0 && lc.kindOf(stack[j]) == 1 {
		return [2]string{"", a.cls.info[stack[j]].file}, profile.NoFrame, profile.NoFrame, true
	}
	return key, profile.NoFrame, profile.NoFrame, false
}

// newLibraryCall starts the call named key (libraryKeys.key).
func (a *analysis) newLibraryCall(key [2]string, caller, callee profile.FrameID) *libraryCall {
	file := key[1] // a grouped stack's module file
	if callee != profile.NoFrame {
		file = a.cls.info[callee].file
	}
	pkg, kind := packageOf(file)
	c := &libraryCall{caller: caller, entry: callee, callerName: key[0], kind: kind, pkg: pkg, file: file, inner: tally{}, others: tally{}}
	if callee != profile.NoFrame {
		c.entryName = qualifiedPyName(a.cls.info[callee].name, file)
	}
	return c
}

// mergeCutRecursions moves the module groups of a call graph's stacks,
// cut where a recursion comes round again (deepcopy calling
// _deepcopy_dict calling deepcopy), to the program's costliest call into
// the same module file, and renumbers at and byKey to match.
func (w *libraryWork) mergeCutRecursions(byKey map[[2]string]int) {
	merged := make([]int, len(w.calls))
	for i, c := range w.calls {
		merged[i] = i
		if c.entry != profile.NoFrame {
			continue
		}
		best := -1
		for j, o := range w.calls {
			if o.entry != profile.NoFrame && o.file == c.file && (best < 0 || o.v > w.calls[best].v) {
				best = j
			}
		}
		if best >= 0 {
			o := w.calls[best]
			o.v += c.v
			for n, v := range c.inner {
				o.inner[n] += v
			}
			c.v, c.inner, merged[i] = 0, tally{}, best
		}
	}
	for k, i := range w.at {
		if i > 0 {
			w.at[k] = int32(merged[i-1] + 1)
		}
	}
	for key, i := range byKey {
		byKey[key] = merged[i]
	}
}

// sortCalls orders the calls by value, ties by name, and renumbers at.
func (w *libraryWork) sortCalls() {
	order := make([]int, len(w.calls))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		cx, cy := w.calls[order[x]], w.calls[order[y]]
		if cx.v != cy.v {
			return cx.v > cy.v
		}
		return cx.entryName+cx.callerName < cy.entryName+cy.callerName
	})
	rank := make([]int32, len(order))
	sorted := make([]*libraryCall, len(order))
	for r, i := range order {
		rank[i] = int32(r + 1)
		sorted[r] = w.calls[i]
	}
	for k, i := range w.at {
		if i > 0 {
			w.at[k] = rank[i-1]
		}
	}
	w.calls = sorted
}

// programCall finds, in a root-first stack, the innermost frame of the
// program's own code (kind 2) and the outermost library frame (kind 1)
// after it: the call the program made. j is -1 when no program frame
// has a library frame after it.
func programCall(stack []profile.FrameID, kindOf func(profile.FrameID) int8) (j, entry int) {
	entry = -1
	for j = len(stack) - 1; j >= 0; j-- {
		switch kindOf(stack[j]) {
		case 1:
			entry = j
		case 2:
			if entry < 0 {
				return -1, -1
			}
			return j, entry
		}
	}
	return -1, -1
}

// publicName is the costliest name in t without a leading underscore
// (the module's API rather than its helpers), else the costliest.
func publicName(t tally) string {
	top := t.top(len(t))
	for _, n := range top {
		if !strings.HasPrefix(n.name, "_") {
			return n.name
		}
	}
	return top[0].name
}

// callerLabel names a program frame calling into a library: its function
// name, with the file where CPython names the code (<module>, <genexpr>)
// and, where the frames are functions rather than lines (a call graph's),
// the line it starts on.
func (a *analysis) callerLabel(f profile.FrameID) string {
	name, file := a.cls.info[f].name, a.cls.info[f].file
	if !strings.HasPrefix(name, "<") || file == "" {
		return name
	}
	if a.p.Graph != nil {
		return a.codeName(f)
	}
	return name + " in " + path.Base(file)
}

// qualifiedPyName is a library function's name with its module
// (statistics.mean, json.encoder.JSONEncoder.iterencode), read from its
// file's place under the library root; name as it is when the file
// gives no module or the name already starts with it.
func qualifiedPyName(name, file string) string {
	mod := modulePath(file)
	if mod == "" || strings.HasPrefix(name, mod+".") {
		return name
	}
	return mod + "." + name
}

// modulePath is the dotted module of a library file (libraryPath),
// without ".py" and "__init__" ("json/encoder.py" → "json.encoder"); ""
// for other files.
func modulePath(file string) string {
	rel, kind := libraryPath(strings.ReplaceAll(file, `\`, "/"))
	if kind == pkgNone {
		return ""
	}
	rel = strings.TrimSuffix(strings.TrimSuffix(rel, ".py"), "/__init__")
	return strings.ReplaceAll(rel, "/", ".")
}

// top is the calls holding at least share of the active cost, at most n.
func (w *libraryWork) top(a *analysis, share float64, n int) []*libraryCall {
	var out []*libraryCall
	for _, c := range w.calls {
		if len(out) == n || a.activeShare(c.v) < share {
			break
		}
		out = append(out, c)
	}
	return out
}

// libraryLoop is move-hot-loop-native's finding for the program's calls
// into a library whose own Python code is the cost (variant "library"):
// the fix is in the call (a native routine for the same result, fewer
// calls, less data), not in the library's loop.
//
// charged is, per function, the part of its Python work the finding
// claims: the program-loop finding leaves it out. Calls that make no
// finding stay with the functions they are charged to.
func (a *analysis) libraryLoop(ev *evidence, lib *libraryWork) (out []candidate, charged map[*funcStats]int64) {
	top := lib.top(a, 0.05, 3)
	if len(top) == 0 {
		return nil, nil
	}
	// A call the stacks show is one unit of the program's code; a module
	// whose callers they do not show is many calls from anywhere, which
	// no single one of its functions' costs reaching the bar would make
	// a finding without the grouping.
	lead := top[0].v
	if top[0].callerName == "" {
		lead = top[0].inner.top(1)[0].v
	}
	if a.activeShare(lead) < a.minShare("move-hot-loop-native") {
		return nil, nil
	}
	var v int64
	var parts, callers, functions, entries []string
	for _, c := range top {
		v += c.v
		p := c.label(a)
		parts = append(parts, p)
		if c.callerName != "" {
			callers = appendNew(callers, c.callerName)
			functions = appendNew(functions, a.cls.info[c.entry].name)
		}
		entries = appendNew(entries, c.entryName)
	}
	for _, n := range top[0].hottest() {
		functions = appendNew(functions, n.name)
	}
	whose := fmt.Sprintf("%s (%s)", libraryUnit(top[0]), libraryKind(top[0].kind))
	var pkgs []string
	for _, c := range top {
		pkgs = appendNew(pkgs, c.pkg)
	}
	if len(pkgs) > 1 {
		whose = "the libraries " + joinNames(pkgs, 3)
	}
	it := "it"
	if len(pkgs) > 1 {
		it = "them"
	}
	e := fmt.Sprintf("Python code of %s takes %s of the %s under the program's calls into %s: %s", whose, pct(a.activeShare(v)), a.activeNoun(), it, strings.Join(parts, "; "))
	if c := top[0]; c.callerName == "" {
		e = fmt.Sprintf("Python code of %s (%s) takes %s of the %s (%s with what it calls): %s", libraryUnit(c), libraryKind(c.kind), pct(a.activeShare(c.v)), a.activeNoun(), pct(a.activeShare(c.all)), a.fmtNamed(c.hottest()))
		for _, o := range top[1:] {
			e += fmt.Sprintf("; %s", strings.TrimPrefix(o.label(a), " "))
		}
	}
	e += ". That is library code (under " + libraryRoot(top[0].kind) + "), which the program does not change: the program changes its calls into " + it
	if top[0].callerName == "" {
		e += "; the stacks stop at the innermost Python function, so those calls are not in this recording: `perf record -k 1 --call-graph dwarf` of python3.13 -X perf_jit, then `perf inject --jit`, shows them"
	}
	low := !a.cls.nativeFrames
	if low {
		e += "; this recording has Python frames only, so a function's own time also holds the C calls it makes: before replacing the call, record with native frames (" + a.nativeRecordCommand() + ") and check that the eval loop, not C code, runs under these functions"
	}
	if ev.gilInferred > 0 {
		e += fmt.Sprintf(" (about %s of the Python samples were waiting for the GIL, so the running part is smaller)", pct(ev.gilFrac))
	}
	in := map[int32]bool{}
	for i := range top {
		in[int32(i+1)] = true
	}
	charged = map[*funcStats]int64{}
	for k, i := range lib.at {
		if in[i] {
			charged[a.sampleFn[k]] += a.val[k]
		}
	}
	running := 1 - ev.gilFrac
	claim := func(k int) float64 {
		if lib.at != nil && in[lib.at[k]] {
			return running
		}
		return 0
	}
	return []candidate{{hint: "move-hot-loop-native", variant: "library", cat: CatPython, value: v, unit: "python-call",
		what: "Changing the call into the library", evidence: e + ".", functions: functions, callers: callers,
		library: top[0], libraryEntries: entries, lowConfidence: low, claim: claim}}, charged
}

// edgeCalls is how many times caller called callee, where the profile
// has a call graph with counts (cProfile); 0 when unknown.
func (a *analysis) edgeCalls(caller, callee profile.FrameID) int64 {
	g := a.p.Graph
	if g == nil {
		return 0
	}
	for _, e := range g.Callees(caller) {
		if e.Callee == callee {
			return e.Calls
		}
	}
	return 0
}

// libraryUnit is the library as a sentence's subject: "the statistics
// module" for the standard library's, "the numpy package" for an
// installed one.
func libraryUnit(c *libraryCall) string {
	if c.kind == pkgStdlib {
		return "the " + c.pkg + " module"
	}
	return "the " + c.pkg + " package"
}

func libraryKind(kind pkgKind) string {
	if kind == pkgStdlib {
		return "the standard library"
	}
	return "an installed package"
}

// hottest is the library functions holding at least a twentieth of the
// call's cost, at most three.
func (c *libraryCall) hottest() []named {
	var out []named
	for _, n := range c.inner.top(3) {
		if n.v*20 >= c.v {
			out = append(out, n)
		}
	}
	return out
}

func libraryRoot(kind pkgKind) string {
	if kind == pkgStdlib {
		return "the standard library's directory"
	}
	return "site-packages"
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// nativeCallFor is the native routine that gives a library call's result,
// with the call written for args (also its first argument and the rest),
// and why it is faster; ok is false when the rules know none.
func nativeCallFor(entry, args string) (call, why string, ok bool) {
	n, ok := libraryNativeCalls[entry]
	if !ok {
		return "", "", false
	}
	return fillCall(n.form, args, args, args), n.why, true
}

// fillCall writes a nativeCall form (or hoist) for the arguments args,
// first and rest.
func fillCall(form, args, first, rest string) string {
	return strings.NewReplacer("{args}", args, "{first}", first, "{rest}", rest).Replace(form)
}

// withNativeCall rewrites code's calls of entry as the native routine
// for the same result (libraryNativeCalls' form, given each call's own
// arguments), with the statements it hoists (a compiled pattern) first,
// numbered where the calls differ in what they hoist; ok is false when
// code makes no such call or the rules know no routine.
func withNativeCall(code, entry string) (string, bool) {
	n, known := libraryNativeCalls[entry]
	if !known {
		return "", false
	}
	var b strings.Builder
	var raw, hoisted []string // the statements hoisted, as written and as named
	found := false
	for {
		i := strings.Index(code, entry+"(")
		if i < 0 {
			b.WriteString(code)
			break
		}
		open := i + len(entry)
		if i > 0 && isIdentByte(code[i-1]) {
			// Another name ending in this one (my_copy.deepcopy).
			b.WriteString(code[:open])
			code = code[open:]
			continue
		}
		end := closingParen(code, open)
		if end < 0 {
			return "", false
		}
		args := code[open+1 : end]
		first, rest := callArgs(entry, args)
		call := fillCall(n.form, args, first, rest)
		if n.hoist != "" {
			h := fillCall(n.hoist, args, first, rest)
			k := slices.Index(raw, h)
			if k < 0 {
				raw = append(raw, h)
				k = len(raw) - 1
				hoisted = append(hoisted, h)
				if k > 0 {
					// A second pattern gets a name of its own.
					hoisted[k] = strings.Replace(h, "PATTERN", fmt.Sprintf("PATTERN%d", k+1), 1)
				}
			}
			if k > 0 {
				call = strings.Replace(call, "PATTERN", fmt.Sprintf("PATTERN%d", k+1), 1)
			}
		}
		b.WriteString(code[:i])
		b.WriteString(call)
		code = code[end+1:]
		found = true
	}
	if !found {
		return "", false
	}
	out := b.String()
	if len(hoisted) > 0 {
		out = strings.Join(hoisted, "\n") + "\n\n" + out
	}
	return out, true
}

// callArgs splits a call's argument text at its top-level commas, each
// argument trimmed; entry's flags argument (libraryFlagsArg: positional
// at its index, or flags=) goes with the first, which the hoisted
// statement takes (re.compile(pattern, flags)), and the rest stay for
// the call.
func callArgs(entry, args string) (first, rest string) {
	list := splitArgs(args) // the sketches' scanner: brackets and literals skipped
	if len(list) == 0 {
		return "", ""
	}
	for k := range list {
		list[k] = strings.TrimSpace(list[k])
	}
	if at, ok := libraryFlagsArg[entry]; ok {
		for k, x := range list {
			if strings.HasPrefix(x, "flags=") || k == at && !strings.Contains(x, "=") {
				list[0] += ", " + strings.TrimPrefix(x, "flags=")
				list = append(list[:k], list[k+1:]...)
				break
			}
		}
	}
	return list[0], strings.Join(list[1:], ", ")
}

// label is a call's clause in the evidence: who calls what, how often
// where the profile counts calls, its whole cost, the library's own
// Python part with its hottest functions, and what that code calls.
func (c *libraryCall) label(a *analysis) string {
	p := fmt.Sprintf("%s calling %s", c.callerName, c.entryName)
	if c.callerName == "" {
		p = fmt.Sprintf("%s, called from where these stacks do not show,", libraryUnit(c))
	}
	if n := a.edgeCalls(c.caller, c.entry); n > 0 {
		p += fmt.Sprintf(" (%s calls)", thousands(n))
	}
	if c.all > c.v {
		p += fmt.Sprintf(" %s in all, %s of it the library's Python code", pct(a.activeShare(c.all)), pct(a.activeShare(c.v)))
	} else {
		p += fmt.Sprintf(" %s, all of it the library's Python code", pct(a.activeShare(c.v)))
	}
	if in := c.hottest(); len(in) > 0 {
		p += " (" + a.fmtNamed(in) + ")"
	}
	if o := c.others.top(2); len(o) > 0 && c.all > c.v {
		p += fmt.Sprintf(" and %s what it calls (%s)", pct(a.activeShare(c.all-c.v)), a.fmtNamed(o))
	}
	return p
}

// stdlibBuiltin says whether a native function's name, as a call graph
// gives it (module or type, then the function), is CPython's own C code
// (stdlibCModules).
func stdlibBuiltin(name string) bool {
	mod, _, ok := strings.Cut(name, ".")
	return ok && (stdlibCModules[mod] || strings.HasPrefix(mod, "_"))
}
