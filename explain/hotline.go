package explain

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Line evidence: profilers that report lines, not stacks (scalene), give
// each line a frame "FILE:N" under its function, with the source text in
// Meta.Attrs under "source:FILE:N", and split its time by where it ran
// (Python, native, system). A hot line is then a finding of its own: the
// line, its text and what kind of time it is.
const minHotLine = 0.10 // a line's share of all measured time to be named as hot

// reLineCall finds a call in a line of Python: a name, dotted or not, then
// "(". Keywords before a parenthesis are not calls.
var reLineCall = regexp.MustCompile(`([A-Za-z_][\w.]*)\s*\(`)

var pyKeywords = map[string]bool{"if": true, "elif": true, "while": true, "for": true, "in": true, "return": true, "and": true, "or": true, "not": true, "yield": true, "assert": true, "del": true, "with": true, "print": false, "lambda": true, "await": true, "is": true, "else": true}

// lineCalls are the calls a source line makes, in order, without keywords
// and "def"/"class" headers.
func lineCalls(text string) []string {
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "def ") || strings.HasPrefix(t, "class ") || strings.HasPrefix(t, "async def ") || strings.HasPrefix(t, "#") {
		return nil
	}
	var out []string
	for _, m := range reLineCall.FindAllStringSubmatch(t, -1) {
		if !pyKeywords[m[1]] && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// lineMechanism is the hint a line's own calls point to, with the call
// that says so, or "" when they say nothing: a line profiler (scalene)
// measures only the program's own files, so the time of the library code
// a line calls is the line's (the patterns are in rules.go).
func lineMechanism(text string) (hint, variant, call string) {
	if m := reLineFoldSlice.FindStringSubmatch(text); m != nil {
		return "algorithmic", "rescan", m[1]
	}
	if m := reLineLogCall.FindStringSubmatch(text); m != nil {
		return "hot-logging", "", m[1]
	}
	for _, c := range lineCalls(text) {
		if lineCodecCalls.has(c) {
			return "faster-serialization", "", c
		}
		if _, ok := libraryNativeCalls[c]; ok {
			// A library function written in Python: its bytecode is
			// charged to the line as the line's Python time.
			return "move-hot-loop-native", "library", c
		}
	}
	return "", "", ""
}

// minMechanismLine is a line's share of all measured time from which its
// calls' mechanism is counted: such a line is evidence of its own, hot or
// not.
const minMechanismLine = 0.01

// lineStat is one source line's measured time, per time value type.
type lineStat struct {
	frame profile.FrameID
	name  string // FILE:N
	text  string // the source line, trimmed
	fn    string // the function it lies in
	times []int64
	all   int64
}

// sourceAttr is the Meta.Attrs key prefix of a line's source text.
const sourceAttr = "source:"

// hasLineEvidence says whether the profile's frames include source lines
// with their text.
func (a *analysis) hasLineEvidence() bool {
	for _, at := range a.p.Meta.Attrs {
		if strings.HasPrefix(at.Key, sourceAttr) {
			return true
		}
	}
	return false
}

// timeTypes are the value types measured in time units, in profile order.
func (a *analysis) timeTypes() []int {
	var out []int
	for i, t := range a.p.SampleTypes {
		if timeUnit(t.Unit) > 0 {
			out = append(out, i)
		}
	}
	return out
}

// lineStats sums each line frame's time over the kept samples that end at
// it, hottest first, with the total of all time types.
func (a *analysis) lineStats() ([]lineStat, []int, int64) {
	tt := a.timeTypes()
	src := map[string]string{}
	for _, at := range a.p.Meta.Attrs {
		if k, ok := strings.CutPrefix(at.Key, sourceAttr); ok {
			src[k] = at.Value
		}
	}
	byFrame := map[profile.FrameID]*lineStat{}
	var order []profile.FrameID
	var all int64
	for _, i := range a.samples {
		s := &a.p.Samples[i]
		var v int64
		for _, j := range tt {
			v += s.Values[j]
		}
		all += v
		nd := &a.p.Nodes[s.Node]
		if nd.Frame == profile.NoFrame {
			continue
		}
		name := a.p.Frames[nd.Frame].Name
		text, ok := src[name]
		if !ok {
			continue
		}
		ls := byFrame[nd.Frame]
		if ls == nil {
			ls = &lineStat{frame: nd.Frame, name: name, text: strings.TrimSpace(text), times: make([]int64, len(tt))}
			if pf := a.p.Nodes[nd.Parent].Frame; pf != profile.NoFrame {
				ls.fn = a.cls.info[pf].name
			}
			byFrame[nd.Frame] = ls
			order = append(order, nd.Frame)
		}
		for x, j := range tt {
			ls.times[x] += s.Values[j]
		}
		ls.all += v
	}
	out := make([]lineStat, 0, len(order))
	for _, f := range order {
		out = append(out, *byFrame[f])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].all != out[j].all {
			return out[i].all > out[j].all
		}
		return out[i].name < out[j].name
	})
	return out, tt, all
}

// detectHotLine names the lines that hold most of the time. Lines whose
// time is mostly Python (the interpreter running them, more than in the
// native code they call) are the hot-loop finding, worded by line.
func detectHotLine(a *analysis, ev *evidence) []candidate {
	if a.recording == RecMemory || !a.hasLineEvidence() {
		return nil
	}
	lines, tt, all := a.lineStats()
	if all <= 0 {
		return nil
	}
	py, nat := -1, -1
	for x, j := range tt {
		switch a.p.SampleTypes[j].Type {
		case "python_time":
			py = x
		case "native_time":
			nat = x
		}
	}
	if py < 0 {
		return nil
	}
	out, mech := a.lineMechanisms(lines, tt, all)
	var hot []lineStat
	var parts, fns []string
	for _, l := range lines {
		if len(hot) >= 3 || share(l.all, all) < minHotLine {
			break
		}
		if mech[l.frame] {
			continue // its calls' mechanism is its own finding
		}
		if nat >= 0 && l.times[py] <= l.times[nat] {
			continue // native work under the line: not the interpreter's
		}
		hot = append(hot, l)
		var split []string
		for x, j := range tt {
			split = append(split, fmt.Sprintf("%s %s", strings.TrimSuffix(a.p.SampleTypes[j].Type, "_time"), pct(share(l.times[x], all))))
		}
		if l.fn != "" && !slices.Contains(fns, l.fn) {
			fns = append(fns, l.fn)
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", a.lineClause(l, tt, all), strings.Join(split, ", ")))
	}
	if len(hot) == 0 {
		return out
	}
	var calls []string
	for _, l := range hot {
		for _, c := range lineCalls(l.text) {
			if !slices.Contains(calls, c) {
				calls = append(calls, c)
			}
		}
	}
	isHot := map[profile.FrameID]bool{}
	for _, l := range hot {
		isHot[l.frame] = true
	}
	e := fmt.Sprintf("The profile reports lines, not stacks; %s. Python time is the interpreter running the line's bytecode, more than in the native code it calls, so the line is a Python loop body to move into vectorised or native code",
		strings.Join(parts, "; "))
	low := false
	if len(calls) > 0 {
		// A line profile cannot tell the interpreter from a short call
		// it makes: the call may be the cost.
		low = true
		e += fmt.Sprintf("; but the hot lines make calls (%s), and a line profiler counts a short native call's time as the line's Python time (scalene attributes time to native code only when a call holds the CPU past its sampling signal), so a call made once per item looks like Python work: if a call is into a library or extension, one call per batch is the fix; record with native frames to tell (%s)", strings.Join(calls, ", "), a.nativeRecordCommand())
	}
	if a.p.Meta.Format == "scalene" {
		e += "; scalene counts as system time what a line spends in system calls or off the CPU (a busy machine raises it)"
	}
	claim := func(k int) bool {
		return isHot[a.p.Nodes[a.p.Samples[a.samples[k]].Node].Frame]
	}
	who := fns
	if len(who) == 0 {
		who = []string{hot[0].name}
	}
	var v int64
	for k := range a.samples {
		if claim(k) {
			v += a.val[k]
		}
	}
	return append(out, candidate{hint: "move-hot-loop-native", cat: CatPython, value: v, unit: "python-call",
		what: "Moving the hot line's loop to native or vectorised code", evidence: e + ".",
		functions: who, callers: who, inside: []string{hot[0].name}, lowConfidence: low, claim: whole(claim)})
}

// lineClause says where line l is, what it reads and how much of all
// the measured time (all, over the time types tt) it takes.
func (a *analysis) lineClause(l lineStat, tt []int, all int64) string {
	where := ""
	if l.fn != "" {
		where = " in " + l.fn
	}
	return fmt.Sprintf("line %s%s, `%s`, takes %s, %s of all the time measured",
		l.name, where, l.text, fmtNS(float64(l.all)*timeUnit(a.p.SampleTypes[tt[0]].Unit)), pct(share(l.all, all)))
}

// lineMechanisms turns the lines whose calls say what their time is for
// (lineMechanism) into one finding per mechanism, and marks those lines.
func (a *analysis) lineMechanisms(lines []lineStat, tt []int, all int64) ([]candidate, map[profile.FrameID]bool) {
	type group struct {
		hint, variant string
		lines         []lineStat
		calls, fns    []string
		v             int64
	}
	var groups []*group
	mech := map[profile.FrameID]bool{}
	for _, l := range lines {
		if share(l.all, all) < minMechanismLine {
			break
		}
		hint, variant, call := lineMechanism(l.text)
		if hint == "" && loggingProtocolFunctions.has(l.fn) {
			// The program's own handler or formatter, which logging
			// calls once per record.
			hint, call = "hot-logging", l.fn
		}
		if hint == "" {
			continue
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return g.hint == hint })
		if i < 0 {
			groups = append(groups, &group{hint: hint, variant: variant})
			i = len(groups) - 1
		}
		g := groups[i]
		g.lines = append(g.lines, l)
		g.v += l.all
		if !slices.Contains(g.calls, call) {
			g.calls = append(g.calls, call)
		}
		if l.fn != "" && !slices.Contains(g.fns, l.fn) {
			g.fns = append(g.fns, l.fn)
		}
		mech[l.frame] = true
	}
	var out []candidate
	for _, g := range groups {
		var parts []string
		isLine := map[profile.FrameID]bool{}
		for i, l := range g.lines {
			isLine[l.frame] = true
			if i < 3 {
				parts = append(parts, a.lineClause(l, tt, all))
			}
		}
		if len(g.lines) > 3 {
			parts = append(parts, fmt.Sprintf("%d more lines", len(g.lines)-3))
		}
		var why, what string
		cat, u := CatPython, "python-call"
		switch g.hint {
		case "algorithmic":
			why = "each runs a builtin fold over a slice copied for the call, which a loop copies and reads again at every step"
			what, u = "A running total or a sliding window instead of folding a fresh slice at every step", "dict-lookup"
		case "hot-logging":
			why = "each makes a logging call, whose formatting, record and handlers run in the logging package and are charged to the line"
			what, cat = "Taking logging out of the hot loop", CatLogging
		case "faster-serialization":
			why = "each calls a codec, whose encoding or decoding is charged to the line"
			what, cat = "A faster codec for the same data", CatSerialization
		case "move-hot-loop-native":
			why = "each calls a library function written in Python, whose bytecode runs as the line's Python time"
			what = "Changing the call into the library"
		}
		e := fmt.Sprintf("The profile reports lines, not stacks; %s: %s (%s; a line profiler measures the program's own files, so the time of the library code a line calls is the line's). The lines take %s of all the time measured",
			strings.Join(parts, "; "), why, strings.Join(g.calls, ", "), pct(share(g.v, all)))
		claim := func(k int) bool { return isLine[a.p.Nodes[a.p.Samples[a.samples[k]].Node].Frame] }
		var v int64
		for k := range a.samples {
			if claim(k) {
				v += a.val[k]
			}
		}
		who := g.fns
		if len(who) == 0 {
			who = []string{g.lines[0].name}
		}
		c := candidate{hint: g.hint, cat: cat, value: v, unit: u, variant: g.variant,
			what: what, evidence: e + ".", functions: who, callers: who, inside: g.calls, claim: whole(claim)}
		if g.variant == "library" {
			c.library = lineLibraryCall(g.fns, g.calls[0], g.lines[0], v)
		}
		out = append(out, c)
	}
	return out, mech
}

// lineLibraryCall is the library call a hot line makes (call, a name
// libraryNativeCalls knows, all in the standard library), from the first
// of the functions fns the lines lie in.
func lineLibraryCall(fns []string, call string, line lineStat, v int64) *libraryCall {
	mod, _, _ := strings.Cut(call, ".")
	return &libraryCall{caller: profile.NoFrame, entry: profile.NoFrame, callerName: first(fns, "the program"),
		entryName: call, kind: pkgStdlib, pkg: mod, lineText: line.text, lineWhere: line.name, v: v, all: v, inner: tally{}, others: tally{}}
}
