package explain

import (
	"fmt"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// Feature thresholds: where a measurement turns into a feature a finding
// can use (a glue-to-work ratio that means "per-item calls", a Python share
// that means "the program is its Python loop"). A hint's own floors (the
// least share and samples its claim needs) are in its spec, in the
// catalogue.
const (
	minGILOnCPU    = 0.01 // hand-over share on CPU with several CPU-bound Python threads
	minGILSwitches = 0.10 // GIL waits as a share of context switches (off-CPU counts)
	minGILWait     = 0.05 // GIL waits as a share of waiting time: contention without CPU-bound threads
	minGlueRatio   = 0.30 // glue / (glue + work) under third-party entries
	minPythonLoop  = 0.40 // python share of active
	strongFinding  = 0.10 // a finding at least this large means the profile is not flat
)

// candidate is a finding before the catalogue's prose is added.
type candidate struct {
	hint  string
	cat   Category
	ctx   string
	value int64   // cost the finding is about
	frac  float64 // fraction of value it could remove (1 when unset)
	unit  string  // unit-cost id for the per-item envelope
	what  string  // subject of the impact sentence
	// waitShare is, where a recording of context switches timed them, the
	// claim's share of the active time off the CPU (0: not timed): what
	// the fix shortens in waiting, where value counts switches.
	waitShare float64
	evidence  string
	functions []string
	// lowConfidence caps the severity at medium: the recording cannot
	// tell this cause from another (the evidence says which and why).
	lowConfidence bool
	// claim names the samples the finding is about; resolveClaims turns
	// it into value, so that no unit of cost is claimed twice. lateClaim
	// is taken after every finding's direct claim: parallelism lost, a
	// share of samples another finding explains first.
	claim, lateClaim claimFn
	// remove is the part of the value the fix removes, low and high
	// (the spec's range; frac scales both).
	remove [2]float64
	// The program's own names the cause and fix sentences and sketches
	// use: the callers (Python functions, usually), the native entry
	// points, and the hottest frames inside the mechanism.
	callers, entries, inside []string
	// packages: for import-overhead, the packages whose import costs most.
	packages []string
	// variant picks the hint's own sketch for this finding's shape ("" for
	// the main one; "json-pure-python" for json's Python encoder).
	variant string
	// gone are frames the fix takes off the stacks: the measurement's
	// frame-level targets.
	gone []goneFrames
	// refine, when set, names the functions again from the samples the
	// finding holds once the claims are resolved: a detector names them
	// from all its evidence, part of which a finding that causes it may
	// take (allocation sites inside another finding's copies).
	refine func(take []float64) (functions, callers []string)
	// moves says the fix moves the claimed work to another thread rather
	// than removing it (a CPU-bound step taken off an event loop): the
	// loop is freed, the CPU time stays.
	moves bool
	// emptyWhy, when set, says why the claim can come out empty (the
	// evidence is there but cannot be attributed), for the report's list
	// of hints considered and not recommended.
	emptyWhy string
	// library is, for move-hot-loop-native's library variant, the
	// program's costliest call into the library; libraryEntries names
	// every library function the claimed calls enter, callers every
	// program function making them.
	library        *libraryCall
	libraryEntries []string
}

// findings maps the evidence to hints, keeps those with enough evidence,
// and ranks them by the cost they could remove.
func findings(a *analysis, ev *evidence, cat *hints.Catalogue, items int64) []Finding {
	var cs []candidate
	for _, d := range detectors {
		cs = append(cs, d(a, ev)...)
	}
	out := []Finding{}
	rs := a.resolveClaims(cs)
	for i, r := range rs {
		rs[i].take = nil // a table per finding, a float a sample: not kept past this loop
		if r.frac == 0 {
			r.frac = 1
		}
		r.remove = r.spec.Remove
		if r.refine != nil {
			if fs, cs := r.refine(r.take); len(fs) > 0 {
				r.functions, r.callers = fs, cs
			}
		}
		var offNote string
		r.waitShare, offNote = a.claimOffCPU(r.take)
		f := a.toFinding(r.candidate, cat, items)
		f.Evidence += a.claimNote(r)
		f.Cause = a.causeOf(r.candidate, &f)
		f.Claim = a.evidenceNumber(r.value, r.samples) + offNote
		f.FixShort = a.fixOf(r.candidate, f.Fix)
		if h, ok := cat.Lookup(r.hint); ok {
			if _, own := h.CauseFor(r.variant); own {
				// A cause of its own has its own fix: the catalogue's
				// general one is about the hint's main case.
				f.Fix = f.FixShort
			}
			// The catalogue's generic sketches only where the profile
			// does not give the names for the program's own.
			if own := a.ownSketches(r.candidate, h); len(own) > 0 {
				f.Sketches = own
			}
		}
		f.Targets = append(a.goneTargets(&r.candidate), a.targets(&f, r.moves)...)
		out = append(out, f)
	}
	rankFindings(out)
	return out
}

// rankFindings sorts by removable value per unit of risk (a fix that
// adds a dependency or a second language must save more than a local edit
// to rank above it), findings the recording cannot confirm after those
// with direct evidence, then by hint id.
func rankFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		li, lj := fs[i].Confidence == "low", fs[j].Confidence == "low"
		if li != lj {
			return lj
		}
		if ri, rj := fs[i].Share/hints.RiskUnits(fs[i].Risk), fs[j].Share/hints.RiskUnits(fs[j].Risk); ri != rj {
			return ri > rj
		}
		return fs[i].Hint < fs[j].Hint
	})
}

// minShare is a hint's floor on the share of the active total its evidence
// must reach (the spec's min_share).
func (a *analysis) minShare(hint string) float64 {
	if h, ok := a.catalogue.Lookup(hint); ok {
		return h.Spec.MinShare
	}
	return 1
}

// The hot-loop finding does not count: in a flat profile it is the
// interpreter's cost spread over many functions, which is what flat means.
// Its library cause does: the calls into one library are one place to act.
func hasStrongFinding(fs []Finding) bool {
	for _, f := range fs {
		if f.Share >= strongFinding && (f.Hint != "move-hot-loop-native" || f.libraryCall) {
			return true
		}
	}
	return false
}

// toFinding adds the catalogue's prose to a candidate.
func (a *analysis) toFinding(c candidate, cat *hints.Catalogue, items int64) Finding {
	if c.remove == [2]float64{} {
		c.remove = [2]float64{1, 1}
	}
	sh := a.activeShare(c.value) * c.frac * c.remove[1]
	f := Finding{
		Hint: c.hint, Category: string(c.cat), Share: sh, Severity: severity(sh),
		Evidence: c.evidence, Context: c.ctx, Functions: c.functions,
		Value: int64(float64(c.value) * c.frac * c.remove[1]), Title: c.hint,
		Claimed: c.value, ClaimedShare: a.activeShare(c.value),
		RemoveLow: c.frac * c.remove[0], RemoveHigh: c.frac * c.remove[1],
	}
	if c.lowConfidence {
		f.Confidence = "low"
		if f.Severity == "high" {
			f.Severity = "medium"
		}
	}
	h, ok := cat.Lookup(c.hint)
	if ok {
		h = a.forRuntime(h)
		f.Title, f.Tradeoffs, f.Measure = h.Title, h.Tradeoffs, h.Measure
		f.Fix = h.Fix
		// A cause of its own under the hint (json's callbacks beside the
		// codec swap) reads as what it is, with its own tradeoffs.
		f.Risk = h.RiskFor(c.variant)
		cs, own := h.CauseFor(c.variant)
		if own {
			f.Title, f.Tradeoffs, f.Measure = cs.Title, cs.Tradeoffs, cs.Measure
		}
		for _, s := range h.Sketches {
			if !cs.NoSketches {
				f.Sketches = append(f.Sketches, Sketch{Language: s.Language, Before: s.Before, After: s.After})
			}
		}
		if c.unit == "" && len(h.UnitCosts) > 0 {
			c.unit = h.UnitCosts[0]
		}
	}
	if len(c.functions) > 0 {
		if f.Fix != "" && !strings.HasSuffix(f.Fix, ".") {
			f.Fix += "."
		}
		f.Fix = strings.TrimSpace(f.Fix + " Start with " + joinNames(c.functions, 3) + ".")
	}
	what := c.what
	if what == "" {
		what = "Fixing this"
	}
	f.ExpectedImpact = a.impact(cat, what, c.value, f.RemoveLow, f.RemoveHigh, c.unit, items, c.moves, c.waitShare)
	f.waitShare = c.waitShare
	f.libraryCall = c.library != nil
	return f
}

func joinNames(ns []string, n int) string {
	if len(ns) > n {
		ns = ns[:n]
	}
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

func names(list []named) []string {
	out := make([]string, 0, len(list))
	for _, n := range list {
		out = append(out, n.name)
	}
	return out
}

// detector turns evidence into zero or more candidates.
type detector func(a *analysis, ev *evidence) []candidate

// detectors in a fixed order (ranking is by value; order only breaks ties).
var detectors = []detector{
	detectSerialization, detectLogging, detectGIL, detectGILReacquire, detectBoundary, detectBindingVersion,
	detectPerItemCalls, detectHotLine, detectAlloc, detectGC, detectLock, detectIO, detectAsync, detectImport,
	detectCache, detectAlgorithmic, detectPythonLoop, detectDual,
}

// samplesOf says how many samples a value is, when values are not counts.
func (a *analysis) about(v int64) string {
	sh := a.activeShare(v)
	if a.count > 0 && a.count != a.total {
		// Sample counts only when values are not the counts themselves
		// (folded stacks weighted by period would print nanoseconds as
		// "samples").
		return fmt.Sprintf("%s of the active %s (≈ %s of %s %s)", pct(sh), a.costNoun(), thousands(int64(sh*float64(a.activeCount()))), thousands(a.activeCount()), a.countNoun())
	}
	return pct(sh) + " of the active " + a.costNoun()
}

func (a *analysis) costNoun() string {
	if a.recording == RecMemory {
		return memoryNoun(a.p.SampleTypes[a.vi].Type, a.p.SampleTypes[a.vi].Unit)
	}
	if a.recording == RecOffCPU {
		if a.switchEvents() {
			return a.eventNoun()
		}
		return "off-CPU time"
	}
	if a.p.Meta.Format == "callgrind" {
		// Event counts, not time: say which.
		if t := a.p.SampleTypes[a.vi].Type; t != "Ir" {
			return t + " events"
		}
		return "instructions"
	}
	return "time"
}

// activeCount is the number of input samples that are not idle.
func (a *analysis) activeCount() int64 {
	var n int64
	for k, i := range a.samples {
		if a.class[k].Cat != CatIdle {
			n += a.p.Samples[i].Count
		}
	}
	return n
}

func detectSerialization(a *analysis, ev *evidence) []candidate {
	v := ev.ctxTotal[CatSerialization]
	if !a.slowCodec(ev) {
		return nil
	}
	callers := ev.callers[CatSerialization].top(3)
	inside := ev.inside[CatSerialization].top(3)
	e := fmt.Sprintf("%s runs under a serializer (encode or decode frames on the stack)%s", upperFirst(a.about(v)), a.layers(CatSerialization))
	if len(callers) > 0 {
		e += "; called from " + a.fmtNamed(callers)
		if reached, thin := thinCallers(callers, v); thin {
			// Stacks cut short above the codec (DWARF unwinding stops
			// at the innermost Python frame) hide who calls it.
			e += fmt.Sprintf(" (together %s: the rest of its stacks show no caller above the codec)", pct(a.activeShare(reached)))
			callers = nil
		}
	}
	if len(inside) > 0 {
		e += "; hottest inside: " + a.fmtNamed(inside)
	}
	what := "A codec several times faster (msgspec/orjson decode and encode in a fraction of stdlib json's time)"
	if a.runtime() == "go" {
		what = "Typed structs, streamed encoders and a faster or generated codec instead of reflection over generic values"
	}
	var out []candidate
	// Python callbacks the codec makes per object come first: a faster
	// codec removes only part of them, so they are a cause of their own.
	if c, ok := a.hookCandidate(ev); ok {
		out = append(out, c)
	}
	// json's pure-Python path is a cause of its own: the same data through
	// the C encoder costs several times less, often with no new codec.
	if py := ev.sig[sigPyJSON]; a.activeShare(py) >= a.minShare("faster-serialization") {
		who := ev.sigCall[sigPyJSON].top(3)
		pe := fmt.Sprintf("%s runs in json's pure-Python encoder or decoder (%s), which CPython uses only when its C accelerator is off for the call (indent= before Python 3.13, a JSONEncoder subclass, or no _json module)", upperFirst(a.about(py)), a.fmtNamed(ev.sigWho[sigPyJSON].top(3)))
		if len(who) > 0 {
			pe += "; called from " + a.fmtNamed(who)
		}
		out = append(out, candidate{hint: "faster-serialization", cat: CatSerialization, value: py, unit: "json-stdlib-per-kb",
			what: "Putting the call back on a C encoder (Python 3.13's json, or orjson)", evidence: pe + ".",
			functions: names(who), callers: names(who), inside: []string{"json's pure-Python encoder"}, variant: "json-pure-python",
			gone:  []goneFrames{{what: "json's pure-Python encoder or decoder", names: names(ev.sigWho[sigPyJSON].top(3)), share: a.activeShare(py)}},
			claim: whole(func(k int) bool { return ev.hasSig(k, sigPyJSON) })})
	}
	variant := goCodecVariant(ev.inside[CatSerialization])
	// The standard library's XML or csv, not json or pickle: its own advice.
	for _, c := range pyStdCodecs {
		if variant == "" && a.cls.pyProc && c.sum(ev.ctxRule)*2 >= v {
			variant = c.variant
		}
	}
	switch variant {
	case "py-csv":
		what = "Reading and writing CSV rows as lists (csv.writer/csv.reader) instead of dicts, or whole tables in C (pyarrow.csv, polars)"
	case "py-xml":
		what = "Serializing and parsing XML in C (lxml.etree), fewer and smaller documents, or a faster format where you own it"
	case "py-codec":
		what = fmt.Sprintf("Fewer and smaller documents through %s, or a format with a codec in C where you own it", a.pyCodecModule())
	case "go-xml":
		what = "Fewer and smaller documents through encoding/xml, or a faster format where you own it"
	case "go-gob":
		what = "Fewer and smaller documents through encoding/gob, or a faster format where you own it"
	}
	if a.codecName() == "the standard library's json" && len(callers) > 0 {
		if d := a.codecDirection(callers[0].name); d != "" {
			variant = "json-" + d
		}
	}
	return append(out, candidate{hint: "faster-serialization", cat: CatSerialization, value: v, unit: "json-stdlib-per-kb",
		what: what, variant: variant,
		evidence: e + ".", functions: names(callers), callers: names(callers), inside: names(inside),
		claim: whole(func(k int) bool { return a.class[k].Ctx == CatSerialization || a.class[k].Cat == CatSerialization })})
}

// slowCodec says whether serialization is large and mostly a slow codec
// (stdlib json or pickle, Go's encoding/json): then a faster codec is the
// fix, allocation under it included. Already on a fast codec there is no
// evidence a swap helps.
func (a *analysis) slowCodec(ev *evidence) bool {
	v := ev.ctxTotal[CatSerialization]
	if a.activeShare(v) < a.minShare("faster-serialization") {
		return false
	}
	std := ev.ctxRule["ser.json_py"] + ev.ctxRule["ser.json_c"] + ev.ctxRule["ser.pickle_c"] + ev.ctxRule["ser.pickle_named"] + ev.ctxRule["ser.go_std"]
	if a.cls.pyProc {
		// Python's own XML and csv modules; expat in a C program (fontconfig
		// reading its configuration) is no codec to swap.
		for _, c := range pyStdCodecs {
			std += c.sum(ev.ctxRule)
		}
	}
	return std*2 >= v
}

// pyStdCodec is one of the Python standard library's codecs beside json
// and pickle that has advice of its own: the finding's variant, the name
// the report gives it, and the rules whose frames are it.
type pyStdCodec struct {
	variant, name string
	rules         []string
}

// pyStdCodecs are tried in order: the first that holds half the
// serialization names it.
var pyStdCodecs = []pyStdCodec{
	{"py-xml", "the standard library's XML modules", []string{"ser.xml_py", "ser.xml_c"}},
	{"py-csv", "the standard library's csv module", []string{"ser.csv_py", "ser.csv_c"}},
	// Any other codec written in Python: named by its module (pyCodecName).
	{"py-codec", "", []string{"ser.py_other"}},
}

// pyCodecModule names the codec written in Python that does most of the
// serialization (ser.py_other's frames): the module of the function with
// the most cost under it, by its package where the module is a part of
// one (tomllib/_parser.py is tomllib).
func (a *analysis) pyCodecModule() string {
	if a.pyCodec != "" {
		return a.pyCodec
	}
	a.pyCodec = "a codec written in Python"
	rule := a.cls.rule("ser.py_other")
	var best int64
	for _, f := range a.functions() {
		if rule == nil || f.total <= best || f.kind != kindName(rtPython) || !rule.File.MatchString(f.key.file) {
			continue
		}
		best, a.pyCodec = f.total, codecModule(f.key.file)
	}
	return a.pyCodec
}

// codecModule is the name a Python programmer imports for the codec in
// file: plistlib for .../plistlib.py, tomllib for .../tomllib/_parser.py,
// protobuf for google/protobuf/internal/python_message.py.
func codecModule(file string) string {
	file = strings.ReplaceAll(file, `\`, "/")
	if strings.Contains(file, "google/protobuf/") {
		return "protobuf's pure-Python implementation"
	}
	dir, base := path.Split(file)
	base = strings.TrimSuffix(base, ".py")
	pkg := path.Base(strings.TrimSuffix(dir, "/"))
	switch pkg {
	case "tomllib", "toml", "email", "msgpack", "marshmallow":
		return pkg
	}
	return base
}

// codecLabel is the name the report gives the codec c: its own, or the
// module of the codec written in Python.
func (a *analysis) codecLabel(c pyStdCodec) string {
	if c.name == "" {
		return a.pyCodecModule() + " (written in Python)"
	}
	return c.name
}

// sum is the value of c's rules in a tally by rule.
func (c pyStdCodec) sum(byRule map[string]int64) int64 {
	var v int64
	for _, r := range c.rules {
		v += byRule[r]
	}
	return v
}

func detectLogging(a *analysis, ev *evidence) []candidate {
	v := ev.ctxTotal[CatLogging]
	if a.activeShare(v) < a.minShare("hot-logging") {
		return nil
	}
	callers := ev.callers[CatLogging].top(3)
	inside := ev.inside[CatLogging].top(3)
	e := fmt.Sprintf("%s runs under logging calls%s", upperFirst(a.about(v)), a.layers(CatLogging))
	if len(callers) > 0 {
		e += ", logged from " + a.fmtNamed(callers)
	}
	if len(inside) > 0 {
		e += "; hottest inside logging: " + a.fmtNamed(inside)
	}
	return []candidate{{hint: "hot-logging", cat: CatLogging, value: v, unit: "python-call",
		what: "Taking logging out of the hot loop", evidence: e + ".", functions: names(callers), callers: names(callers), inside: names(inside),
		claim: whole(func(k int) bool { return a.class[k].Ctx == CatLogging || a.class[k].Cat == CatLogging })}}
}

func detectGIL(a *analysis, ev *evidence) []candidate {
	g := a.cat(CatGIL)
	inferred := false
	if g == 0 && ev.gilInferred > 0 {
		g, inferred = ev.gilInferred, true
	}
	// Off the CPU with frame pointers no frame names the GIL wait; waits
	// running out at the switch interval, with other threads running
	// code meanwhile, say the unattributed futex waits are the GIL's.
	timedOut := false
	if g == 0 && a.waitsAmbiguous() {
		if ok, _, _ := a.gilTimeouts(); ok {
			g, timedOut = a.callerlessWaits(), true
		}
	}
	released := a.extReleases(ev)
	// Where the recording shows inlined frames, a release inside the
	// extension (allow_threads is inlined) would be on the stack: its
	// absence is evidence by itself, and GIL waits only corroborate.
	inlined := false
	for i := range a.p.Frames {
		if a.p.Frames[i].Inlined {
			inlined = true
			break
		}
	}
	// release-gil: several threads run third-party native work that holds
	// the GIL (no frame releases it) while the GIL shows contention.
	// Without GIL frames or inlined ones (frame pointers), the threads'
	// timing is the evidence: on CPU, runs one thread at a time as long
	// as the GIL's switch interval.
	serial, turns := false, ""
	if a.recording == RecOnCPU {
		serial, turns = a.takingTurns()
	}
	if ev.extThreads >= 2 && a.extDominates(ev, g) && !released && (g > 0 || inlined || serial) {
		v := g
		if a.recording == RecOnCPU {
			// On CPU the waiting is invisible; the lever is running the
			// native work of k threads in parallel instead of one at a time.
			k := float64(ev.extThreads)
			v = g + int64((1-1/k)*float64(ev.extWork))
		}
		e := fmt.Sprintf("%d threads run native work in third-party extensions (%s), and no frame shows the GIL released around it (allow_threads/detach/PyEval_SaveThread from the extension), so they run one at a time; the GIL shows in %s",
			ev.extThreads, pct(a.activeShare(ev.extWork)), a.about(g))
		if inferred {
			e += " (inferred from the threads' overlap: the recording has no GIL frames)"
		}
		if timedOut {
			_, at, timed := a.gilTimeouts()
			e += fmt.Sprintf(" (futex waits no frame names: %s of the %s blocked waits that ended ran out 4.9–5.4 ms after they began, at CPython's 5 ms switch interval, when a GIL waiter asks the holder to drop it; a holder running Python would drop it sooner, so the holder was in native code)", thousands(at), thousands(timed))
		}
		if serial && g == 0 {
			e += fmt.Sprintf("; the samples show the threads taking turns, %s (CPython passes the GIL after its 5 ms switch interval; threads running side by side would interleave sample by sample)", turns)
		}
		if a.recording == RecOnCPU {
			e += fmt.Sprintf("; on CPU the threads' waiting is invisible, so the estimate counts the parallelism lost: %s + (1 − 1/%d) × %s = %s", pct(a.activeShare(g)), ev.extThreads, pct(a.activeShare(ev.extWork)), pct(a.activeShare(v)))
		}
		var late claimFn
		if a.recording == RecOnCPU {
			// On CPU the waiting is invisible: what the fix gains is the
			// native work of k threads run side by side, not one at a time.
			lost := 1 - 1/float64(ev.extThreads)
			late = func(k int) float64 {
				if en := a.sampleEntry[k]; en != nil && !en.stdlib && !a.sampleGlue[k] {
					return lost
				}
				return 0
			}
		}
		claim := whole(func(k int) bool { return a.class[k].Cat == CatGIL || timedOut && a.class[k].Callerless })
		return []candidate{{hint: "release-gil", cat: CatGIL, value: v, unit: "gil-handover",
			what: "Releasing the GIL around the native work (so the threads run in parallel)", evidence: e + ".", functions: topEntries(a, 3), entries: topEntries(a, 3), callers: a.entryCallers(topEntries(a, 3)), claim: claim, lateClaim: late}}
	}
	// Re-taking the GIL after an extension's released section is the price
	// of releasing it, not Python threads fighting: leave it out.
	reacq := min(ev.gilReacquire, g)
	g -= reacq
	// On CPU, hand-overs between several CPU-bound Python threads are the
	// visible tip of contention: the threads run one at a time.
	onCPUThreads := a.recording == RecOnCPU && ev.pyThreads >= 2 && a.activeShare(g) >= minGILOnCPU
	limit := minGILWait
	if a.recording == RecOffCPU && timeUnit(a.p.SampleTypes[a.vi].Unit) == 0 {
		// Context-switch counts, not durations: many short waits count
		// as much as long ones, so ask for more.
		limit = minGILSwitches
	}
	if a.activeShare(g) < limit && !onCPUThreads {
		return nil
	}
	// Switch counts weigh a short hand-over as much as a long wait: where
	// the recording also timed each switch, the waits must hold their
	// share of the time too, or they are a few short hand-overs (start-up,
	// imports), not threads taking turns on the GIL.
	gilTime, offTime, timed := a.offCPUTime(func(k int) float64 {
		if a.class[k].Cat == CatGIL && !ev.hasSig(k, sigAllowThreads) {
			return 1
		}
		return 0
	})
	spec, _ := a.catalogue.Lookup("gil-contention")
	if timed && limit == minGILSwitches && share(gilTime, offTime) < minGILWait && a.missingFeature(spec.Spec.Needs) == "" {
		a.ruleOut(candidate{hint: "gil-contention"}, fmt.Sprintf("GIL waits are %s of the context switches but %s of the time off the CPU (%s of %s): short hand-overs, not threads waiting on each other for the GIL", pct(a.activeShare(g)), pct(share(gilTime, offTime)), fmtNS(float64(gilTime)), fmtNS(float64(offTime))))
		return nil
	}
	waiters := ev.inside[CatGIL].top(3)
	var e string
	v := g
	switch {
	case inferred:
		e = fmt.Sprintf("%d threads ran Python code over the same wall-clock span: %s samples of Python work across them against %s samples for the longest thread, so at most one in %.1f could hold the GIL; about %s was waiting for it (inferred: py-spy without --native cannot show take_gil)",
			ev.threads, thousands(ev.pyBusy), thousands(ev.perThreadMax), float64(ev.pyBusy)/float64(ev.perThreadMax), a.about(g))
		if ev.blockedThreads > 0 {
			e += fmt.Sprintf("; %d more thread(s) sat on a single line throughout, blocked in a call, and are left out", ev.blockedThreads)
		}
	case a.recording == RecOnCPU:
		e = fmt.Sprintf("Threads spend %s handing the GIL over (take_gil/drop_gil, futex wake-ups and context switches on CPU)", a.about(g))
		if ev.pyThreads >= 2 {
			k := float64(ev.pyThreads)
			v = g + int64((1-1/k)*float64(ev.pyThreadVal))
			e += fmt.Sprintf("; %d threads are CPU-bound in Python and the GIL lets one run at a time, so the estimate adds the parallelism lost, (1 − 1/%d) of their Python work (%s): %s + (1 − 1/%d) × %s = %s", ev.pyThreads, ev.pyThreads, pct(a.activeShare(ev.pyThreadVal)), pct(a.activeShare(g)), ev.pyThreads, pct(a.activeShare(ev.pyThreadVal)), pct(a.activeShare(v)))
		}
	default:
		e = fmt.Sprintf("Threads spend %s waiting for the GIL", a.about(g))
		if len(waiters) > 0 {
			e += "; waiting in " + a.fmtNamed(waiters)
		}
	}
	if reacq > 0 {
		e += fmt.Sprintf("; another %s is re-taking the GIL after native work that released it, which is left out", pct(a.activeShare(reacq)))
	}
	fns := names(ev.callers[CatGIL].top(3))
	if len(fns) == 0 {
		fns = a.topPythonFunctions(3)
	}
	claim := func(k int) float64 {
		switch {
		case inferred:
			if ev.leafPy[k] && a.class[k].Cat != CatGIL {
				return ev.gilFrac
			}
			return 0
		case a.class[k].Cat == CatGIL:
			if ev.hasSig(k, sigAllowThreads) {
				return 0 // re-taking the GIL after released native work
			}
			return 1
		}
		return 0
	}
	var late claimFn
	if a.recording == RecOnCPU && ev.pyThreads >= 2 {
		lost := 1 - 1/float64(ev.pyThreads)
		late = func(k int) float64 {
			if a.class[k].Cat != CatGIL && ev.leafPy[k] && ev.pyThreadSet[a.threadOf(k)] {
				return lost
			}
			return 0
		}
	}
	return []candidate{{hint: "gil-contention", cat: CatGIL, value: v, unit: "gil-handover",
		what: "Removing GIL contention (processes, or native code that releases the GIL)", evidence: e + ".", functions: fns, callers: fns, claim: claim, lateClaim: late}}
}

// extReleases reports whether the recording shows third-party native
// code releasing the GIL: a release frame (PyO3's allow_threads, or
// PyEval_SaveThread/RestoreThread called from the extension) under a
// third-party entry. CPython's own modules releasing it around a blocking
// call (a queue's get, a socket read) say nothing of the extension's work.
func (a *analysis) extReleases(ev *evidence) bool {
	for k := range a.samples {
		if !ev.hasSig(k, sigAllowThreads) {
			continue
		}
		if en := a.sampleEntry[k]; en != nil && !en.stdlib {
			return true
		}
	}
	return false
}

// minExtShare is the least share of the active cost that third-party
// native work must have before release-gil blames it (on CPU), and
// minExtRunning the least share of the running code it must be in an
// off-CPU recording, whose waits say nothing of which code runs.
const (
	minExtShare   = 0.20
	minExtRunning = 0.50
)

// extDominates reports whether third-party native work is enough of the
// profile to be what holds the GIL. On CPU that is its share of the
// cost. Off the CPU the cost is waiting, and what holds the GIL shows
// only where threads were switched out while running (preemptions): there
// the native work must be most of that running code, with GIL waits g
// beside it.
func (a *analysis) extDominates(ev *evidence, g int64) bool {
	if a.recording != RecOffCPU {
		return a.activeShare(ev.extWork) >= minExtShare
	}
	running := a.runningSwitches()
	return g > 0 && running > 0 && float64(ev.extWork) >= minExtRunning*float64(running)
}

func topEntries(a *analysis, n int) []string {
	var out []string
	es := append([]*entryStats(nil), a.entries...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].work != es[j].work {
			return es[i].work > es[j].work
		}
		return es[i].name < es[j].name
	})
	for _, e := range es {
		if len(out) >= n {
			break
		}
		if !e.stdlib && e.work > 0 {
			out = append(out, e.name)
		}
	}
	return out
}

func (a *analysis) topPythonFunctions(n int) []string {
	var out []string
	for _, f := range a.functions() {
		if len(out) >= n || f.self == 0 {
			break
		}
		if f.kind == "python" {
			out = append(out, f.key.name)
		}
	}
	return out
}

func detectGILReacquire(a *analysis, ev *evidence) []candidate {
	v := ev.sig[sigGILAcquire]
	if a.activeShare(v) < a.minShare("gil-reacquire") {
		return nil
	}
	who := ev.sigWho[sigGILAcquire].top(2)
	callers := ev.sigCall[sigGILAcquire].top(3)
	e := fmt.Sprintf("Taking the GIL from native code (%s) is on the stack in %s", a.fmtNamed(who), a.about(v))
	if len(callers) > 0 {
		e += ", called from " + a.fmtNamed(callers)
	}
	return []candidate{{hint: "gil-reacquire", cat: CatGIL, value: v, unit: "gil-handover",
		what: "Taking the GIL once per batch instead of per item", evidence: e + ".", functions: names(callers),
		claim: whole(func(k int) bool { return ev.hasSig(k, sigGILAcquire) })}}
}

// batchCallers returns the Python functions that call third-party native
// entry points in a per-item pattern, with the value of their own Python
// work (the loop around the calls), when the boundary glue is large next
// to the native work. Both detectBoundary and detectPythonLoop use it.
func (a *analysis) batchCallers(ev *evidence) (glue, work int64, callers []named) {
	var std int64
	for _, e := range a.entries {
		if e.stdlib {
			std += e.glue
			continue
		}
		work += e.work
	}
	glue = a.cat(CatFFI) + a.catCtx(CatAlloc, CatFFI) - std
	if glue <= 0 || a.activeShare(glue) < a.minShare("batch-ffi-calls") || share(glue, glue+work) < minGlueRatio {
		return glue, work, nil
	}
	t := tally{}
	for _, e := range a.entries {
		if !e.stdlib {
			for c, v := range a.callersOf(e) {
				t[c] += v
			}
		}
	}
	var calledFrom int64
	for _, v := range t {
		calledFrom += v
	}
	if calledFrom*2 < glue+work {
		// Frame-pointer and pre-3.12 recordings stop at the first
		// libpython frame: the caller side is the interpreter running
		// the loop above the entry points, unnamed. Decided from the
		// entries' own stacks (most of their cost has no Python frame
		// above it), not from the whole profile: one stray Python frame
		// elsewhere names no caller of these calls.
		var interp int64
		for k := range a.samples {
			if a.class[k].Cat == CatInterpreter && a.sampleEntry[k] == nil {
				interp += a.val[k]
			}
		}
		if a.activeShare(interp) >= 0.05 {
			callers = append(callers, named{unnamedCaller, interp})
		}
		return glue, work, callers
	}
	for _, c := range t.top(5) {
		var own int64
		for _, f := range ev.fns {
			if f.kind == "python" && f.key.name == c.name {
				own += f.pySelf
			}
		}
		own += ev.pyChurnBy[c.name]
		if a.activeShare(own) >= 0.05 {
			callers = append(callers, named{c.name, own})
		}
	}
	return glue, work, callers
}

func detectBoundary(a *analysis, ev *evidence) []candidate {
	// Calls that each copy a shared structure are the batching finding of
	// their own (perCallCopies); conversion is weighed either way.
	out := a.perCallCopies(ev)
	glue, work, callers := a.batchCallers(ev)
	if len(out) > 0 || glue <= 0 || a.activeShare(glue) < a.minShare("batch-ffi-calls") {
		callers = nil // too little per-call glue to batch away, or batched above
	}
	ratio := share(glue, glue+work)
	// Per-element conversion (a sequence walked or built element by
	// element), not the per-call wrapper's argument extraction: that is
	// the per-call toll batching removes.
	convert := a.cat(CatConvert) + a.catCtx(CatAlloc, CatConvert)
	entries := []string{}
	detail := ""
	for _, e := range a.entries {
		if e.stdlib || e.glue+e.convert == 0 || len(entries) >= 3 {
			continue
		}
		entries = append(entries, e.name)
		if detail != "" {
			detail += ", "
		}
		detail += fmt.Sprintf("%s (glue %s, work %s", e.name, pct(a.activeShare(e.glue)), pct(a.activeShare(e.work)))
		if e.convert > 0 {
			detail += fmt.Sprintf(", element conversion %s", pct(a.activeShare(e.convert)))
		}
		detail += ")"
	}
	if len(callers) > 0 {
		var loop int64
		for _, c := range callers {
			loop += c.v
		}
		e := fmt.Sprintf("Per-call boundary glue (PyO3 trampolines, GIL pool, argument extraction, result conversion, call glue) takes %s against %s of native work under the same entry points (glue is %s of the boundary cost, over %s Python→native transitions on the sampled stacks), and the Python loops making the calls spend %s in their own per-item work (%s): the signature of one call per item; glue and loop together are %s",
			a.about(glue), pct(a.activeShare(work)), pct(ratio), thousands(a.pyToNative()), pct(a.activeShare(loop)), a.fmtNamed(callers), pct(a.activeShare(glue+loop)))
		if detail != "" {
			e += "; by entry point: " + detail
		}
		isCaller := map[string]bool{}
		for _, c := range callers {
			isCaller[c.name] = true
		}
		claim := func(k int) bool {
			if a.sampleGlue[k] {
				return !a.sampleEntry[k].stdlib
			}
			if isGlue(a.class[k]) {
				return true
			}
			if isCaller[unnamedCaller] && a.class[k].Cat == CatInterpreter && a.sampleEntry[k] == nil {
				return true
			}
			fn := a.sampleFn[k]
			if fn == nil || fn.kind != "python" || !isCaller[fn.key.name] {
				return ev.churn[k] && isCaller[ev.site(k)]
			}
			return a.class[k].Cat == CatPython || ev.churn[k]
		}
		out = append(out, candidate{hint: "batch-ffi-calls", cat: CatFFI, value: glue + loop, unit: "pyo3-crossing",
			what: "One call per batch instead of per item (removing the per-call glue and the Python loop around it)", evidence: e + ".", functions: append(names(callers), entries...),
			callers: names(callers), entries: entries, claim: whole(claim)})
	}
	if a.activeShare(convert) >= a.minShare("zero-copy-boundary") {
		e := fmt.Sprintf("Converting arguments and results object by object between Python objects and native values (walking a list into a Vec, building a list, a dict or a tree of Python objects from native data) takes %s", a.about(convert))
		if al := a.catCtx(CatAlloc, CatConvert); al > 0 {
			e += fmt.Sprintf(", %s of it allocation inside the conversion", pct(a.activeShare(al)))
		}
		// The entry points that convert; where the stacks are cut below
		// them, the extension's code that does the converting.
		var convEntries []string
		for _, en := range a.entries {
			if !en.stdlib && en.convert > 0 && len(convEntries) < 3 {
				convEntries = append(convEntries, en.name)
			}
		}
		if len(convEntries) == 0 {
			if builders := a.callersOfCat(CatConvert, 3); len(builders) > 0 {
				e += "; converted by " + a.fmtNamed(builders)
				convEntries = names(builders)
			}
		}
		// Mostly the extension's own code building Python objects (a
		// class called per object, keyword dicts): the fix is in how it
		// builds them, not in passing buffers.
		variant := ""
		what := "Passing buffers or views instead of converting"
		if parts := a.buildParts(); parts.sum()*2 >= convert {
			variant = "result-objects"
			what = "Building fewer Python objects (classes looked up once, positional arguments, only what is read)"
			e += "; the extension builds its result as Python objects: " + a.fmtNamed(parts.top(4))
		}
		out = append(out, candidate{hint: "zero-copy-boundary", variant: variant, cat: CatConvert, ctx: "alloc inside the boundary conversion", value: convert, unit: "py-alloc",
			what: what, evidence: e + ".", functions: convEntries, entries: convEntries, callers: a.entryCallers(convEntries),
			claim: whole(a.convertSample)})
	}
	return out
}

// convertSample says whether kept sample k is conversion at the boundary:
// its category, or allocation inside it.
func (a *analysis) convertSample(k int) bool {
	cl := a.class[k]
	return cl.Cat == CatConvert || (cl.Cat == CatAlloc && cl.Ctx == CatConvert)
}

// buildParts splits the conversion cost of an extension building Python
// objects (rule ffi.build) by what its code asks PyO3 for: calling
// classes, filling dicts (keyword arguments among them), looking classes
// up. Its sum is that cost.
func (a *analysis) buildParts() tally {
	t := tally{}
	var buf []profile.FrameID
	for k := range a.samples {
		if !a.convertSample(k) || a.class[k].CtxRule != "ffi.build" {
			continue
		}
		buf = a.stackOf(k, buf)
		part := "other objects"
		for _, f := range buf {
			switch fi := &a.cls.info[f]; {
			case fi.is(factPyCall):
				part = "calling Python classes"
			case fi.is(factPyDict):
				part = "filling dicts (keyword arguments)"
			case fi.is(factPyLookup):
				part = "looking classes up (import, getattr)"
			default:
				continue
			}
			break
		}
		t[part] += a.val[k]
	}
	return t
}

// perCallCopies finds extension calls that each copy a shared structure
// (copy-on-write under the entry point) and whose previous result the
// interpreter frees right after (the extension's deallocator called from
// the eval loop): a persistent structure grown one call at a time. One
// call with all the items fills a structure only it holds, with no copy
// and no free per item, so the fix is a batch, though the boundary glue is
// small.
func (a *analysis) perCallCopies(ev *evidence) []candidate {
	var cow, free, glue int64
	entries := tally{}
	callers := tally{}
	for k := range a.samples {
		en := a.sampleEntry[k]
		if en == nil || en.stdlib || a.class[k].Cat == CatIdle {
			continue
		}
		switch {
		case ev.hasSig(k, sigExtDealloc):
			free += a.val[k]
		case a.sampleGlue[k]:
		case ev.hasSig(k, sigCopyOnWrite):
			cow += a.val[k]
			entries[en.name] += a.val[k]
			for c, v := range a.callersOf(en) {
				callers[c] += v
			}
		}
	}
	if cow == 0 || free == 0 || a.activeShare(cow+free) < 2*a.minShare("batch-ffi-calls") {
		return nil
	}
	ent := names(entries.top(3))
	for k := range a.samples {
		if en := a.sampleEntry[k]; en != nil && a.sampleGlue[k] && hasName(entries.top(3), en.name) && !ev.hasSig(k, sigExtDealloc) {
			glue += a.val[k]
		}
	}
	who := names(callers.top(3))
	if len(who) == 0 {
		who = []string{unnamedCaller}
	}
	e := fmt.Sprintf("Calls into %s copy shared data before changing it (copy-on-write: %s) in %s, and the interpreter frees the extension's previous objects (%s) in %s: each call makes a new version of a persistent structure and the old one dies right after. Per-call copies and frees together are %s, against %s of boundary glue, so the cost is what each call does, not the crossing",
		joinNames(ent, 3), a.fmtNamed(ev.sigWho[sigCopyOnWrite].top(2)), pct(a.activeShare(cow)), a.fmtNamed(ev.sigWho[sigExtDealloc].top(2)), pct(a.activeShare(free)), pct(a.activeShare(cow+free)), pct(a.activeShare(glue)))
	isEntry := map[string]bool{}
	for _, n := range ent {
		isEntry[n] = true
	}
	claim := func(k int) bool {
		en := a.sampleEntry[k]
		if en == nil || en.stdlib {
			return false
		}
		return ev.hasSig(k, sigExtDealloc) || (isEntry[en.name] && (ev.hasSig(k, sigCopyOnWrite) || a.sampleGlue[k]))
	}
	return []candidate{{hint: "batch-ffi-calls", cat: CatFFI, value: cow + free, unit: "pyo3-crossing",
		what: "Building the structure in one call (no copy and no free per item)", evidence: e + ".",
		functions: ent, callers: who, entries: ent, inside: []string{"copy-on-write"}, variant: "copy-on-write", claim: whole(claim),
		gone: []goneFrames{
			{what: "copy-on-write", names: names(ev.sigWho[sigCopyOnWrite].top(2)), share: a.activeShare(cow)},
			{what: "freeing the replaced versions", names: names(ev.sigWho[sigExtDealloc].top(2)), share: a.activeShare(free)},
		}}}
}

// detectBindingVersion finds per-call costs of a binding API that newer
// releases removed: PyO3's GILPool (up to 0.20), created and drained on
// every call from Python.
func detectBindingVersion(a *analysis, ev *evidence) []candidate {
	v := ev.sig[sigGILPool]
	if a.recording == RecMemory || a.activeShare(v) < a.minShare("binding-upgrade") {
		return nil
	}
	entries := []string{}
	for _, e := range a.entries {
		if !e.stdlib && e.glue > 0 && len(entries) < 3 {
			entries = append(entries, e.name)
		}
	}
	e := fmt.Sprintf("PyO3's GILPool (%s) is on the stack in %s: the extension is built with PyO3 0.20 or older, whose trampoline creates and drains a pool of owned references around every call; PyO3 0.21's Bound API made it optional and 0.23 removed it",
		a.fmtNamed(ev.sigWho[sigGILPool].top(2)), a.about(v))
	if len(entries) > 0 {
		e += "; under " + joinNames(entries, 3)
	}
	return []candidate{{hint: "binding-upgrade", cat: CatFFI, value: v, unit: "pyo3-crossing",
		what: "Upgrading PyO3 (no per-call GILPool)", evidence: e + ".", functions: entries, entries: entries,
		claim: whole(func(k int) bool { return ev.hasSig(k, sigGILPool) })}}
}

// unnamedCaller stands for the Python code calling an extension in a
// recording that names no Python functions.
const unnamedCaller = "the Python loop (not named in this recording)"

// hasPythonFrames says whether any frame of the profile is a Python
// function.
func (a *analysis) hasPythonFrames() bool {
	for i := range a.cls.info {
		if a.cls.info[i].rt == rtPython {
			return true
		}
	}
	return false
}

func (a *analysis) pyToNative() int64 {
	var n int64
	for _, e := range a.entries {
		n += e.samples
	}
	return n
}

func detectAlloc(a *analysis, ev *evidence) []candidate {
	var out []candidate
	if a.notAllocations() {
		return nil
	}
	// A memory profile's allocation volume, worked out once: whether it
	// matters (weighty) and the sentence that says so.
	rate, weighty := "", true
	if a.recording == RecMemory {
		rate, weighty = a.memoryWeight()
	}
	if c, ok := a.temporaries(ev); ok && a.recording == RecMemory && a.churnDominates(c, ev, weighty) {
		// Frees tracked: the temporaries are the churn, counted, and
		// what a fix removes.
		return []candidate{c}
	}
	al := a.cat(CatAlloc)
	// On the CPU, the copies are the allocation under a clone frame: what
	// avoid-clones claims and reduce-allocations leaves to it. (A memory
	// recording's every sample is allocation.)
	clone := ev.sig[sigClone]
	if a.recording != RecMemory {
		clone = 0
		for k := range a.samples {
			if a.class[k].Cat == CatAlloc && ev.hasSig(k, sigClone) {
				clone += a.val[k]
			}
		}
	}
	// Allocations whose callers the stacks lost are shared between the
	// copies and the rest as the allocations with callers are.
	seenClone := clone
	orphans := a.orphanAllocations(func(k int) bool { return ev.hasSig(k, sigClone) })
	w := orphans.share()
	clone += int64(math.Round(w * float64(orphans.value)))
	orphaned := func(k int) bool { return orphans.mark != nil && orphans.mark[k] }
	sites := ev.allocSite.top(5)
	for len(sites) > 1 && a.activeShare(sites[len(sites)-1].v) < 0.001 {
		sites = sites[:len(sites)-1] // "0.0%" sites say nothing
	}
	ctxs := a.allocContexts()
	if !weighty {
		// Too little allocation for any change to matter: say so,
		// with the numbers, where the profile is all allocation.
		a.ruleOut(candidate{hint: "reduce-allocations", functions: names(sites)}, rate+", too little for fewer allocations to change the run")
		return nil
	}
	cloneFinding := a.activeShare(clone) >= a.minShare("avoid-clones")
	if cloneFinding {
		who := ev.sigWho[sigClone].top(3)
		callers := ev.sigCall[sigClone].top(3)
		e := fmt.Sprintf("Copies made for ownership (%s) account for %s", a.fmtNamed(who), a.about(seenClone))
		if len(callers) > 0 {
			e += ", made in " + a.fmtNamed(callers)
		}
		if w > 0 {
			// Say how many allocations lost their callers, how they were
			// shared, and what would show them.
			e += fmt.Sprintf("; the allocator (%s) takes another %s in stacks cut off right above it, so the recording does not show who allocated; of the allocation it shows with its callers, copies hold %s (%s against %s), and this finding counts that part of it, %s: %s in all. Stacks that reach the callers (perf record --call-graph dwarf) would show it directly",
				a.fmtNamed(orphans.who.top(3)), pct(a.activeShare(orphans.value)), pct(w), pct(a.activeShare(orphans.cloneSeen)), pct(a.activeShare(orphans.otherSeen)), pct(w*a.activeShare(orphans.value)), pct(a.activeShare(clone)))
		}
		out = append(out, candidate{hint: "avoid-clones", cat: CatAlloc, value: clone, unit: "rust-alloc",
			what: "Borrowing instead of copying", evidence: e + ".", functions: names(callers), callers: names(callers), inside: names(who),
			claim: func(k int) float64 {
				switch {
				case ev.hasSig(k, sigClone) && (a.recording == RecMemory || a.class[k].Cat == CatAlloc):
					return 1
				case orphaned(k):
					return w
				}
				return 0
			}})
	}
	// Copies for ownership are left to avoid-clones when it has a finding
	// of its own; too few for one, they stay in this finding's claim.
	rest := al
	if cloneFinding {
		rest -= clone
	}
	if a.recording != RecMemory {
		// Python object churn under plain Python code is the cost of running
		// that code: move-hot-loop-native covers it. Allocation inside a
		// slow codec goes with faster-serialization.
		rest -= ev.pyChurn
		if a.slowCodec(ev) {
			rest -= a.catCtx(CatAlloc, CatSerialization)
		}
	}
	if a.recording == RecMemory {
		// Everything is allocation: the removable part is what the top
		// sites allocate, and growth (reallocation) is the surest win.
		var top int64
		for _, s := range sites {
			top += s.v
		}
		growth := ev.sig[sigGrowth]
		e := fmt.Sprintf("%s; the top allocation sites are %s", rate, a.fmtNamed(sites))
		if bi := a.blocksType(); bi >= 0 && bi != a.vi {
			// The allocator's cost is per block, not per byte: name the
			// sites that allocate most often, with their blocks.
			blocks := tally{}
			var all int64
			for k, i := range a.samples {
				b := a.p.Samples[i].Values[bi]
				all += b
				if ev.site(k) != "" {
					blocks[ev.site(k)] += b
				}
			}
			if top := blocks.top(3); len(top) > 0 && all > 0 {
				var parts []string
				for _, t := range top {
					parts = append(parts, fmt.Sprintf("%s %s blocks (%s)", t.name, thousands(t.v), pct(share(t.v, all))))
				}
				e += "; by blocks, which is what allocation time follows: " + strings.Join(parts, ", ")
			}
		}
		if growth > 0 {
			e += fmt.Sprintf("; container growth (realloc, Vec/list/dict resizing) is on the stack of %s", pct(a.activeShare(growth)))
		}
		if ctxs != "" {
			e += "; by context: " + ctxs
		}
		if v := a.profilerCost(); a.activeShare(v) >= minProfilerNote {
			// The sites under the profiler are not the program's to
			// change: say how much of the cost they are.
			e += fmt.Sprintf("; %s is under Go's profiler itself (runtime/pprof writing or serving profiles): the cost of being profiled, which collecting less often reduces", pct(a.activeShare(v)))
		}
		if c := min(clone, top); c > 0 {
			e += fmt.Sprintf("; the top sites together allocate %s, %s of it copies for ownership (avoid-clones), leaving %s", pct(a.activeShare(top)), pct(a.activeShare(c)), pct(a.activeShare(top-c)))
		} else {
			e += fmt.Sprintf("; the top sites together allocate %s", pct(a.activeShare(top)))
		}
		if top-clone > 0 {
			topSite := map[string]bool{}
			for _, st := range sites {
				topSite[st.name] = true
			}
			out = append(out, candidate{hint: "reduce-allocations", cat: CatAlloc, ctx: a.dominantAllocContext(), value: top - min(clone, top), unit: "rust-alloc",
				what: "Preallocating, reusing buffers and cutting temporaries at the top sites", evidence: e + ".", functions: names(sites), callers: names(sites),
				claim: whole(func(k int) bool { return topSite[ev.site(k)] })})
		}
		return out
	}
	if a.activeShare(rest) >= a.minShare("reduce-allocations") {
		what := "Allocation and freeing (malloc/free, pymalloc, container growth)"
		switch a.runtime() {
		case "go":
			what = "Heap allocation (mallocgc, slice, map and string growth)"
		case "rust", "c":
			what = "Allocation and freeing (malloc/free, container growth)"
		}
		e := fmt.Sprintf("%s take %s", what, a.about(al))
		if len(sites) > 0 {
			e += ", allocated from " + a.fmtNamed(sites[:min(3, len(sites))])
		}
		if ctxs != "" {
			e += "; by context: " + ctxs
		}
		if g := ev.sig[sigGrowth]; a.activeShare(g) >= 0.01 {
			e += fmt.Sprintf("; container growth (realloc, resizing, and the copying it does) is on the stack in %s", pct(a.activeShare(g)))
		}
		if clone > 0 && !cloneFinding {
			e += fmt.Sprintf("; %s is copies for ownership (clone, to_string), too few for a finding of their own and counted here", pct(a.activeShare(clone)))
		}
		if rest != al {
			// Name what other findings cover so the base of the estimate
			// is a number stated here.
			var covered []string
			if clone > 0 && cloneFinding {
				covered = append(covered, fmt.Sprintf("%s copies for ownership (avoid-clones)", pct(a.activeShare(clone))))
			}
			if ev.pyChurn > 0 {
				covered = append(covered, fmt.Sprintf("%s Python object churn of the eval loop (part of running Python code)", pct(a.activeShare(ev.pyChurn))))
			}
			if a.slowCodec(ev) {
				if v := a.catCtx(CatAlloc, CatSerialization); v > 0 {
					covered = append(covered, fmt.Sprintf("%s allocation inside the codec (faster-serialization)", pct(a.activeShare(v))))
				}
			}
			if len(covered) > 0 {
				e += fmt.Sprintf("; leaving out %s, %s remains for this finding", joinNames(covered, len(covered)), pct(a.activeShare(rest)))
			}
		}
		unit := "rust-alloc"
		if a.cls.pyProc {
			unit = "py-alloc"
		}
		codec := a.slowCodec(ev)
		out = append(out, candidate{hint: "reduce-allocations", cat: CatAlloc, ctx: a.dominantAllocContext(), value: rest, unit: unit,
			what: "Halving the allocations (preallocate, reuse, fewer temporaries)", evidence: e + ".", functions: names(sites[:min(3, len(sites))]), callers: names(sites[:min(3, len(sites))]),
			refine: func(take []float64) ([]string, []string) {
				held := tally{}
				for k, t := range take {
					if t > 0 && ev.site(k) != "" {
						held[ev.site(k)] += int64(t * float64(a.val[k]))
					}
				}
				top := names(held.top(3))
				return top, top
			},
			// What the evidence leaves out for other findings is left out of
			// the claim too, or this finding, ranked first, would take the
			// copies avoid-clones names.
			claim: func(k int) float64 {
				cl := a.class[k]
				switch {
				case cl.Cat != CatAlloc || ev.churn[k] || codec && cl.Ctx == CatSerialization || cloneFinding && ev.hasSig(k, sigClone):
					return 0
				case cloneFinding && orphaned(k):
					return 1 - w
				}
				return 1
			}})
	}
	return out
}

// dominantAllocContext names the context of most of the allocation
// ("alloc under serialization"), or "" when no telling context (not plain
// native or Python code) holds half of it.
func (a *analysis) dominantAllocContext() string {
	ci := catIndex(CatAlloc)
	for xi, c := range catOrder {
		if c != CatAlloc && c != CatNative && c != CatPython && c != CatInterpreter && a.ctxVal[ci][xi]*2 > a.catVal[ci] {
			return "alloc under " + string(c)
		}
	}
	return ""
}

// allocContexts describes where allocation happens by context.
func (a *analysis) allocContexts() string {
	ci := catIndex(CatAlloc)
	type cv struct {
		c Category
		v int64
	}
	var list []cv
	for xi, c := range catOrder {
		if v := a.ctxVal[ci][xi]; v > 0 && c != CatAlloc && a.activeShare(v) >= 0.01 {
			list = append(list, cv{c, v})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].v > list[j].v })
	var parts []string
	for _, x := range list {
		parts = append(parts, fmt.Sprintf("under %s %s", x.c, pct(a.activeShare(x.v))))
	}
	return strings.Join(parts, ", ")
}

// thinCallers sums what the named callers reach and says whether it is
// under a quarter of v, the finding's cost: then the callers are not what
// causes it (the rest of its stacks show no caller of the program), and a
// finding names none.
func thinCallers(callers []named, v int64) (reached int64, thin bool) {
	for _, c := range callers {
		reached += c.v
	}
	return reached, reached*4 < v
}

func simple(hint string, cat Category, what, unit, subject string) detector {
	return func(a *analysis, ev *evidence) []candidate {
		v := a.cat(cat)
		if a.recording == RecMemory || a.activeShare(v) < a.minShare(hint) {
			return nil
		}
		inside := ev.inside[cat].top(3)
		e := fmt.Sprintf("%s takes %s", subject, a.about(v))
		if len(inside) > 0 {
			e += "; hottest frames: " + a.fmtNamed(inside)
		}
		callers := a.callersOfCat(cat, 3)
		var fns []string
		if len(callers) > 0 {
			e += "; reached from " + a.fmtNamed(callers)
			if reached, thin := thinCallers(callers, v); thin {
				// A collector's background threads run with no caller of
				// the program above them: a few callers of a sliver of
				// the cost are not what causes it.
				e += fmt.Sprintf(" (together %s: the rest of its stacks show no caller of the program, as a runtime's own threads or stacks that stop early do not)", pct(a.activeShare(reached)))
				callers = nil
				if cat == CatGC && !a.cls.pyProc {
					// Go's and the JVM's collectors run beside the program,
					// paced by how much it allocates (CPython's runs in the
					// thread that allocates, where its callers show): where
					// the program spends its time allocating is what to
					// look at, not a measured cause.
					if sites := ev.allocSite.top(2); len(sites) > 0 {
						e += "; the time allocating, by the site that allocates, is most in " + a.fmtNamed(sites)
						fns = names(sites)
					}
				}
			}
		}
		if fns == nil {
			fns = names(callers)
		}
		return []candidate{{hint: hint, cat: cat, value: v, unit: unit, what: what, evidence: e + ".", functions: fns, callers: names(callers), inside: names(inside),
			claim: whole(func(k int) bool { return a.class[k].Cat == cat })}}
	}
}

var detectGC = detectGarbage

// detectLock raises lock-contention when threads wait on locks: in an
// off-CPU or wall-clock recording, lock waits; on CPU, where one thread's
// uncontended lock and unlock also show, lock work in two or more threads.
func detectLock(a *analysis, ev *evidence) []candidate {
	if a.recording == RecOnCPU {
		idx, _ := a.threadNumbers()
		threads := map[int32]bool{}
		for k := range a.samples {
			if a.class[k].Cat == CatLock {
				threads[idx[k]] = true
			}
		}
		if len(threads) < 2 {
			return nil
		}
	}
	cs := simple("lock-contention", CatLock, "Reducing contention on the shared state", "mutex-uncontended", "Waiting on locks (futex, mutex, condvar)")(a, ev)
	if a.recording == RecOffCPU {
		cs = a.withoutWakes(cs)
	}
	if len(cs) == 0 {
		return cs
	}
	if spins, v, loops := a.poolSpins(); v > 0 {
		why := fmt.Sprintf("%s of the %s is worker threads spinning (sched_yield) in their own loop right under the thread's entry (%s): a pool polling for work, not a lock its callers contend for; it costs CPU when idle workers outnumber free cores: cap the pool (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS) or let idle workers sleep (OMP_WAIT_POLICY=PASSIVE)",
			pct(a.activeShare(v)), a.activeNoun(), a.fmtNamed(loops.top(2)))
		rest := cs[0].value - v
		if a.activeShare(rest) < a.minShare("lock-contention") {
			a.ruleOut(cs[0], why)
			return nil
		}
		claim := cs[0].claim
		cs[0].value = rest
		cs[0].evidence = strings.TrimSuffix(cs[0].evidence, ".") + "; leaving out " + why + "."
		cs[0].claim = func(k int) float64 {
			if spins[k] {
				return 0
			}
			return claim(k)
		}
	}
	var retake int64
	for k := range a.samples {
		if a.class[k].GILRetake {
			retake += a.val[k]
		}
	}
	if retake > 0 {
		cs[0].evidence = strings.TrimSuffix(cs[0].evidence, ".") + fmt.Sprintf("; of that, %s of the %s is the GIL changing hands inside the contended acquire (CPython releases the GIL only when the lock is held, and the thread must take it back once the lock is granted).", pct(a.activeShare(retake)), a.activeNoun())
	}
	if a.waitsAmbiguous() {
		// The waits no frame attributes may be the GIL's: the finding
		// claims only waits whose frames name a lock (the blind spot says
		// what the rest could be).
		cs[0].claim = whole(func(k int) bool { return a.class[k].Cat == CatLock && !a.class[k].Callerless })
		cs[0].emptyWhy = fmt.Sprintf("the waits it would claim (%s of the %s) have no caller on the stack and may as well be GIL waits; this recording cannot tell them apart (see what it cannot see)", pct(a.activeShare(a.callerlessWaits())), a.activeNoun())
	}
	return cs
}

// lockWakes marks the off-CPU samples whose lock frames are the releasing
// side (a wake, a post, an unlock): the thread was switched out while
// handing a lock over, running, not waiting for one. Decided once per
// call-tree node.
func (a *analysis) lockWakes() []bool {
	wakes := make([]bool, len(a.samples))
	byNode := map[profile.NodeID]bool{}
	var buf []profile.FrameID
	for k, i := range a.samples {
		if a.class[k].Cat != CatLock {
			continue
		}
		node := a.p.Samples[i].Node
		w, ok := byNode[node]
		if !ok {
			buf = a.stackOf(k, buf)
			for _, f := range buf {
				if a.cls.info[f].is(factLockWake) {
					w = true
					break
				}
			}
			byNode[node] = w
		}
		wakes[k] = w
	}
	return wakes
}

// withoutWakes keeps an off-CPU lock-contention candidate only where
// threads wait on locks. Switches while waking a waiter (the waker
// preempted by the thread it woke) are handing a lock over: part of the
// cost of contention where threads also wait, but a producer signalling
// idle consumers (a pool's work queue) is no contention when nobody
// waits.
func (a *analysis) withoutWakes(cs []candidate) []candidate {
	if len(cs) == 0 {
		return cs
	}
	wakes := a.lockWakes()
	var woke int64
	for k := range a.samples {
		if wakes[k] {
			woke += a.val[k]
		}
	}
	waits := cs[0].value - woke
	if woke == 0 || a.activeShare(waits) >= a.minShare(cs[0].hint) {
		return cs
	}
	a.ruleOut(cs[0], fmt.Sprintf("of the %s in lock frames, %s is threads switched out while waking a waiter (futex wake, condvar signal, unlock), handing a lock over; the waits on locks are %s, under the %s this hint needs", a.about(cs[0].value), pct(a.activeShare(woke)), pct(a.activeShare(waits)), pct(a.minShare(cs[0].hint))))
	return nil
}

// detectGarbage raises gc-pressure, worded for the collector the evidence
// is in (CPython's cyclic collector, Go's, another runtime's).
func detectGarbage(a *analysis, ev *evidence) []candidate {
	what, subject := "Creating fewer container objects and cycles", "CPython's cyclic garbage collection"
	switch {
	case a.ruleVal["gc.go"] > a.ruleVal["gc.cpython"]+a.ruleVal["gc.traverse"]:
		what, subject = "Allocating less on the heap (fewer collections and mark assists)", "Go's garbage collector (background marking, assists, sweeping)"
	case a.ruleVal["gc.jvm_dotnet"] > a.ruleVal["gc.cpython"]+a.ruleVal["gc.traverse"]:
		what, subject = "Allocating less on the heap", "The runtime's garbage collector"
	}
	return simple("gc-pressure", CatGC, what, "py-alloc", subject)(a, ev)
}

// callersOfCat names the nearest user (Python or native work) frames above
// the samples of category c.
func (a *analysis) callersOfCat(c Category, n int) []named {
	t := tally{}
	for k := range a.samples {
		if a.class[k].Cat != c {
			continue
		}
		stack := a.stackOf(k, nil)
		for j := len(stack) - 1; j >= 0; j-- {
			f := stack[j]
			fi := &a.cls.info[f]
			if fi.pseudo || !(fi.rt == rtPython || fi.rt == rtNative) || len(a.cls.leaf[f]) > 0 || len(a.cls.ctx[f]) > 0 || isRuntimeFrame(fi) {
				continue
			}
			t[fi.name] += a.val[k]
			break
		}
	}
	return t.top(n)
}

func detectIO(a *analysis, ev *evidence) []candidate {
	if a.recording != RecOnCPU && a.recording != RecWall {
		return nil
	}
	// Only system-call evidence counts: Python code in network libraries
	// (io context) is CPU work that fewer syscalls would not remove.
	// Buffering merges transfers (reads and writes); the calls around
	// them (open, close and the writeback a close starts, fsync, stat)
	// happen once per file whatever the buffer.
	reads, writes := a.ioDirections()
	sys := reads + writes
	if sys == 0 {
		return nil
	}
	// Buffering helps many small transfers in one direction. Reads and
	// writes taking turns on the same thread are request/response round
	// trips, which a buffer cannot merge; a thread that only writes beside
	// one that only reads is a stream in each direction.
	mixed, streams, unit := a.ioTurns()
	if mixed*2 >= sys {
		if a.activeShare(sys) >= a.minShare("buffer-io") {
			why := fmt.Sprintf("reads and writes take turns on the same threads (%s reads, %s writes of the system-call time): request/response round trips, which a buffer cannot merge", pct(share(reads, sys)), pct(share(writes, sys)))
			if a.threadSrc != threadsFromLabels {
				// Without thread ids a writer thread beside a reader
				// thread (a stream, which buffering helps) looks the
				// same as one thread's round trips: say so, not more.
				why = fmt.Sprintf("the recording has no thread ids, so its reads (%s of the system-call time) and writes (%s) cannot be put on threads: a stream between a writer and a reader thread, which buffering helps, looks the same here as one thread's request/response round trips, which it does not (record with thread ids: perf script's default fields, stackcollapse-perf.pl --tid, py-spy --threads)", pct(share(reads, sys)), pct(share(writes, sys)))
			}
			a.ruleOut(candidate{hint: "buffer-io"}, why)
		}
		return nil
	}
	c := simple("buffer-io", CatIO, "Fewer, larger reads and writes", "syscall", "Time in system calls and I/O")(a, ev)
	for i := range c {
		if reads+writes > 0 {
			d, v := "writes", writes
			if reads > writes {
				d, v = "reads", reads
			}
			c[i].evidence = strings.TrimSuffix(c[i].evidence, ".") + fmt.Sprintf("; %s of the system-call time is %s, in one direction (not request/response round trips).", pct(share(v, reads+writes)), d)
			if streams {
				c[i].evidence += fmt.Sprintf(" The reads (%s) and writes (%s) are on different %s, each one way: a stream from one to the other, not round trips.", pct(share(reads, sys)), pct(share(writes, sys)), unit)
			}
		}
		c[i].value = sys
		dirs := a.ioTransfers()
		c[i].claim = whole(func(k int) bool { return dirs[k] != ioOther })
	}
	return c
}

func detectAsync(a *analysis, ev *evidence) []candidate {
	out := simple("async-overhead", CatAsync, "Fewer, larger tasks", "tokio-spawn", "Async scheduling (event loop, task polling, wake-ups)")(a, ev)
	// Blocking calls on an event-loop or runtime worker thread.
	var v int64
	t := tally{}
	for k := range a.samples {
		cl := a.class[k]
		if !cl.Async {
			continue
		}
		if cl.Cat == CatIO || cl.Cat == CatLock || cl.Rule == "idle.sleep" {
			v += a.val[k]
			stack := a.stackOf(k, nil)
			if len(stack) > 0 {
				t[a.cls.info[stack[len(stack)-1]].name] += a.val[k]
			}
		}
	}
	// CPU-bound work inside task steps on the loop thread blocks the loop
	// as much as a blocking call: one coroutine holding most of the loop
	// thread's CPU means every other task waits for its steps.
	if a.recording == RecOnCPU || a.recording == RecWall {
		cpu := tally{}
		var loop int64
		// A step's work is charged to the innermost Python function on the
		// stack (the coroutine or the helper it calls), so native work it
		// calls (a hash, a compressor) counts as that step's; without
		// Python frames, to the function with the self cost. The table is
		// made on the first such sample: most profiles have none.
		var stepOf []string
		var buf []profile.FrameID
		for k := range a.samples {
			cl := a.class[k]
			if !cl.Async || cl.Cat == CatIdle {
				continue
			}
			loop += a.val[k]
			if cl.Cat == CatAsync || cl.Cat == CatIO || cl.Cat == CatLock || cl.Cat == CatGIL {
				continue
			}
			if stepOf == nil {
				stepOf = make([]string, len(a.samples))
			}
			buf = a.stackOf(k, buf)
			for j := len(buf) - 1; j >= 0; j-- {
				if fi := &a.cls.info[buf[j]]; fi.rt == rtPython {
					stepOf[k] = fi.name
					break
				}
			}
			if fn := a.sampleFn[k]; stepOf[k] == "" && fn != nil {
				stepOf[k] = fn.key.name
			}
			if stepOf[k] != "" {
				cpu[stepOf[k]] += a.val[k]
			}
		}
		if top := cpu.top(1); len(top) > 0 && loop > 0 && top[0].v*2 >= loop && a.activeShare(top[0].v) >= a.minShare("blocking-in-async") {
			name := top[0].name
			e := fmt.Sprintf("CPU-bound work runs inside task steps on the event loop's thread: %s does %s of the loop thread's %s (%s), and no other task runs while one of its steps computes", name, pct(share(top[0].v, loop)), a.costNoun(), a.about(top[0].v))
			out = append(out, candidate{hint: "blocking-in-async", cat: CatAsync, value: top[0].v, unit: "syscall", moves: true,
				what: "Moving the CPU-bound step off the loop (run_in_executor/to_thread, or native code that releases the GIL)", evidence: e + ".",
				functions: []string{name}, callers: []string{name},
				claim: whole(func(k int) bool { return stepOf[k] == name })})
		}
	}
	if a.active > 0 && a.activeShare(v) >= a.minShare("blocking-in-async") {
		e := fmt.Sprintf("Blocking calls (sleep, file or socket I/O, lock waits) run on event-loop or async-runtime threads for %s: %s", a.about(v), a.fmtNamed(t.top(3)))
		out = append(out, candidate{hint: "blocking-in-async", cat: CatAsync, value: v, unit: "syscall",
			what: "Moving blocking calls off the loop (run_in_executor/spawn_blocking)", evidence: e + ".",
			claim: whole(func(k int) bool {
				cl := a.class[k]
				return cl.Async && (cl.Cat == CatIO || cl.Cat == CatLock || cl.Rule == "idle.sleep")
			})})
	}
	return out
}

func detectImport(a *analysis, ev *evidence) []candidate {
	v := ev.ctxTotal[CatImport]
	if a.recording == RecMemory || a.activeShare(v) < a.minShare("import-overhead") {
		return nil
	}
	callers := ev.callers[CatImport].top(3)
	e := fmt.Sprintf("%s runs under the import machinery (finding, loading and executing modules)%s", upperFirst(a.about(v)), a.layers(CatImport))
	if len(callers) > 0 {
		e += "; imported from " + a.fmtNamed(callers)
	}
	inside := ev.inside[CatImport].top(3)
	if len(inside) > 0 {
		e += "; hottest inside: " + a.fmtNamed(inside)
	}
	// What -X importtime would rank: the packages being imported, each
	// sample charged to one (importedPackage), so their shares add up.
	pkgs := ev.importPkg.top(4)
	if len(pkgs) > 0 {
		e += "; by the package being imported (a sample counts for the outermost installed package whose module body runs, else the standard library's, else the program's own): " + a.fmtNamed(pkgs)
	}
	frac := 1.0
	if g, fn := a.graphContextCost(CatImport); fn != "" && g < v {
		// Stacks derived from a call graph pass callees' costs through
		// the import machinery's calls of the eval loop (a recursion
		// cycle): the graph's own inclusive cost of the outermost import
		// function is the bound.
		frac = float64(g) / float64(v)
		e += fmt.Sprintf("; the call graph's inclusive cost of %s, which holds every import, is only %s: stacks derived through the interpreter's recursion cycles overstate the rest, so the finding claims that", fn, a.about(g))
		if a.activeShare(g) < a.minShare("import-overhead") {
			return nil
		}
	}
	inImport := func(k int) bool { return a.class[k].Ctx == CatImport || a.class[k].Cat == CatImport }
	return []candidate{{hint: "import-overhead", cat: CatImport, value: int64(float64(v) * frac), unit: "syscall",
		what: "Lazy imports off the start path", evidence: e + ".", functions: names(callers), callers: names(callers), inside: names(inside), packages: lazyCandidates(pkgs, ev.importInstalled, v),
		claim: func(k int) float64 {
			if inImport(k) {
				return frac
			}
			return 0
		}}}
}

// lazyCandidates are the imported packages the program could import
// later: installed ones (not the standard library's, which start-up needs
// or which cost little, nor the program's own modules, whose cost is the
// work their bodies do), each at least a tenth of the import cost total.
func lazyCandidates(pkgs []named, installed map[string]bool, total int64) []string {
	var out []string
	for _, p := range pkgs {
		if installed[p.name] && p.v*10 >= total {
			out = append(out, p.name)
		}
	}
	return out
}

func detectCache(a *analysis, ev *evidence) []candidate {
	v := ev.sig[sigRegex]
	if a.recording == RecMemory || a.activeShare(v) < a.minShare("cache-results") {
		return nil
	}
	callers := ev.sigCall[sigRegex].top(3)
	if a.onlyLibraryFunctions(ev, ev.sigCall[sigRegex]) {
		// re.match calling re._compile: the library's own per-call cache
		// lookup, which memoizing in the program does not remove; the
		// program's calls into the library are the library-call finding's.
		a.ruleOutAs("cache-results", "Caching the compiled or parsed input", fmt.Sprintf("the compiling (%s) runs inside library functions that look their input up in their own cache on every call (%s), not in the program's code: the fix is in the program's calls into them (compile once and call the compiled object)", a.fmtNamed(ev.sigWho[sigRegex].top(2)), a.fmtNamed(callers)))
		return nil
	}
	e := fmt.Sprintf("Compiling or parsing the same constant input again (%s) takes %s", a.fmtNamed(ev.sigWho[sigRegex].top(2)), a.about(v))
	if len(callers) > 0 {
		e += ", called from " + a.fmtNamed(callers)
	}
	return []candidate{{hint: "cache-results", cat: categoryOfSignal(a, ev), value: v, unit: "python-call",
		what: "Computing it once", evidence: e + ".", functions: names(callers), callers: names(callers), inside: names(ev.sigWho[sigRegex].top(2)),
		claim: whole(func(k int) bool { return ev.hasSig(k, sigRegex) })}}
}

// onlyLibraryFunctions says whether every function named in t is a Python
// function of the standard library or an installed package (packageOf),
// and none of that name is the program's.
func (a *analysis) onlyLibraryFunctions(ev *evidence, t tally) bool {
	lib := map[string]bool{}
	for _, f := range ev.fns {
		if _, in := t[f.key.name]; !in {
			continue
		}
		_, kind := packageOf(f.key.file)
		if f.kind != "python" || kind != pkgStdlib && kind != pkgThirdParty {
			return false
		}
		lib[f.key.name] = true
	}
	return len(t) > 0 && len(lib) == len(t)
}

func categoryOfSignal(a *analysis, ev *evidence) Category {
	if a.cls.pyProc {
		return CatPython
	}
	return CatNative
}

func detectAlgorithmic(a *analysis, ev *evidence) []candidate {
	if a.recording == RecMemory {
		return nil
	}
	shift := a.frontShift()
	if shift.v > ev.sig[sigLinearSearch] && a.activeShare(shift.v) >= a.minShare("algorithmic") {
		e := fmt.Sprintf("Moving a list's elements to take an item from its front or put one there (list.pop(0), insert(0, x), del a[0]: CPython moves every element after it, %s under %s) takes %s", a.fmtNamed(shift.moves.top(1)), a.fmtNamed(shift.ops.top(2)), a.about(shift.v))
		callers := shift.callers.top(3)
		if len(callers) > 0 {
			e += ", in " + a.fmtNamed(callers)
		}
		return []candidate{{hint: "algorithmic", cat: CatPython, value: shift.v, unit: "dict-lookup", variant: "front-shift",
			what: "A deque, which takes and puts items at either end without moving the rest", evidence: e + ".",
			functions: names(callers), callers: names(callers), inside: names(shift.ops.top(2)),
			claim: whole(func(k int) bool { return shift.mark[k] })}}
	}
	if c, ok := a.sortCandidate(ev); ok {
		return []candidate{c}
	}
	if c, ok := a.concatCandidate(ev); ok {
		return []candidate{c}
	}
	if c, ok := a.rescanCandidate(ev); ok {
		return []candidate{c}
	}
	v := ev.sig[sigLinearSearch]
	if v == 0 {
		return nil
	}
	scan := func(k int) bool { return ev.hasSig(k, sigLinearSearch) }
	o := a.orphanComparisons(scan)
	w := o.share()
	total := v + int64(math.Round(w*float64(o.value)))
	if a.activeShare(total) < a.minShare("algorithmic") {
		return nil
	}
	callers := ev.sigCall[sigLinearSearch].top(3)
	e := fmt.Sprintf("Linear searches (%s) take %s", a.fmtNamed(ev.sigWho[sigLinearSearch].top(2)), a.about(v))
	if len(callers) > 0 {
		e += ", called from " + a.fmtNamed(callers)
	}
	if w > 0 {
		// The stacks lost the comparisons' callers: say how many there
		// are, how they were shared, and what would show them.
		e += fmt.Sprintf("; comparisons (%s), which a scan makes for every element it passes, take another %s in stacks cut off right above them, so the recording does not show who made them", a.fmtNamed(o.who.top(3)), pct(a.activeShare(o.value)))
		if o.otherSeen > 0 {
			e += fmt.Sprintf("; of the comparison callers it does show, the scans hold %s (%s against %s for %s), and this finding counts that part of them, %s", pct(w), pct(a.activeShare(o.scanSeen)), pct(a.activeShare(o.otherSeen)), a.fmtNamed(o.others.top(2)), pct(w*a.activeShare(o.value)))
		} else {
			e += "; the scans are the only comparison callers it shows, and this finding counts them all"
		}
		e += ". Stacks that reach the callers (perf record --call-graph dwarf) would show it directly"
	}
	return []candidate{{hint: "algorithmic", cat: CatPython, value: total, unit: "dict-lookup",
		what: "A set or dict lookup instead of a scan", evidence: e + ".", functions: names(callers), callers: names(callers), inside: names(ev.sigWho[sigLinearSearch].top(2)),
		claim: func(k int) float64 {
			switch {
			case scan(k):
				return 1
			case o.mark != nil && o.mark[k]:
				return w
			}
			return 0
		}}}
}

// minSortShare is the share of the active cost CPython's sort must hold
// for the sorting to be the algorithmic finding: a program that sorts
// once, at its end, spends a little of its time there.
const minSortShare = 0.25

// sortCandidate is the algorithmic finding for sorting that dominates the
// profile (CPython's timsort, called from Python): most often a sort
// inside a loop, of a collection that grows or to take its first few
// items, where keeping it sorted (bisect) or a heap does the same work
// once. A single sort of a large input looks the same in a profile, so the
// advice says which case it is for.
func (a *analysis) sortCandidate(ev *evidence) (candidate, bool) {
	v := ev.sig[sigSort]
	if v <= ev.sig[sigLinearSearch] || a.activeShare(v) < max(minSortShare, a.minShare("algorithmic")) {
		return candidate{}, false
	}
	callers := ev.sigCall[sigSort].top(3)
	e := fmt.Sprintf("Sorting (%s) takes %s", a.fmtNamed(ev.sigWho[sigSort].top(2)), a.about(v))
	if len(callers) > 0 {
		e += ", called from " + a.fmtNamed(callers)
	}
	e += "; a profile cannot count the calls: the finding holds where the sort runs inside a loop (re-sorting a growing collection, or sorting to take its first few items), not for one sort of a large input"
	return candidate{hint: "algorithmic", cat: CatPython, value: v, unit: "dict-lookup", variant: "repeated-sort",
		what: "Keeping the collection sorted (bisect.insort) or a heap (heapq) instead of sorting it again", evidence: e + ".",
		functions: names(callers), callers: names(callers), inside: names(ev.sigWho[sigSort].top(2)),
		claim: whole(func(k int) bool { return ev.hasSig(k, sigSort) })}, true
}

// minConcatShare is the share of the active cost that concatenations
// copying their operands must hold for them to be the algorithmic
// finding: building one large result by concatenation is cheap next to a
// loop that copies everything so far on every step.
const minConcatShare = 0.2

// concatCost is the cost of CPython concatenating sequences into new
// objects: per kept sample whether it is one, the value, how much of it
// is the copy itself (a memory move under the concatenation), the
// concatenations by name and the innermost Python functions that made
// them.
type concatCost struct {
	v, copied, freed int64
	mark             []bool
	ops, callers     tally
}

// growingConcat finds samples in a concatenation (concatFrames) below
// the innermost Python frame. Concatenating small objects costs the
// call and the new object; copying dominates only when an operand is
// large, and a large operand concatenated again and again is a result
// grown one piece at a time (blob += piece on bytes, out = out + line on
// a str another name holds, a tuple extended by one): O(n) per step,
// O(n²) in all.
func (a *analysis) growingConcat() concatCost {
	var cc concatCost
	if !slices.ContainsFunc(a.cls.info, func(fi frameInfo) bool { return fi.is(factConcat) }) {
		return cc
	}
	cc.mark, cc.ops, cc.callers = make([]bool, len(a.samples)), tally{}, tally{}
	var buf []profile.FrameID
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		at, py := -1, a.pyFrameAt(buf)
		for j := len(buf) - 1; j > py; j-- {
			if a.cls.info[buf[j]].is(factConcat) {
				at = j
				break
			}
		}
		if at < 0 {
			continue
		}
		v := a.val[k]
		cc.v += v
		cc.mark[k] = true
		cc.ops[a.cls.info[buf[at]].name] += v
		if slices.ContainsFunc(buf[at+1:], func(f profile.FrameID) bool { return a.cls.info[f].is(factMemMove) }) {
			cc.copied += v
		}
		if c := a.innermostPython(buf); c != "" {
			cc.callers[c] += v
		}
	}
	// The result each step replaces is freed by the Python code that
	// rebinds its name, outside the concatenation: in the functions that
	// concatenate, a free with no Python frame between it and them is
	// the same cause.
	for k := range a.samples {
		if cc.mark[k] || a.class[k].Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		j := a.pyFrameAt(buf)
		free := slices.ContainsFunc(buf[j+1:], func(f profile.FrameID) bool { return a.cls.info[f].is(factFree) })
		if !free || j < 0 || cc.callers[a.cls.info[buf[j]].name] == 0 || a.cls.info[buf[j]].pseudo {
			continue
		}
		v := a.val[k]
		cc.v += v
		cc.freed += v
		cc.mark[k] = true
	}
	return cc
}

// minRescanShare is the share of the active cost that folding freshly
// copied slices (sum, min, max over a[i:j]) must hold for it to be the
// algorithmic finding, as for sorting: a program that does it once spends
// a little of its time there.
const minRescanShare = 0.25

// rescanCost is the cost of CPython folding slices copied for the call:
// the folds, the copies and the frees of the copies, marked per kept
// sample, by fold and by the innermost Python function that made them.
type rescanCost struct {
	fold, copied, freed int64
	mark                []bool
	folds, callers      tally
}

// windowRescan finds a Python function that folds a sequence with a
// builtin (sum, min, max, ...) and copies slices (a[i:j]) below itself,
// with no Python frame between: sum(values[:i + 1]) or max(prices[i - w:i])
// in a loop copies the prefix or window and reads it again at every step,
// O(n) a step where a running total or a sliding window is O(1). The
// copies' frees in the same functions are the same cause.
func (a *analysis) windowRescan() rescanCost {
	var rc rescanCost
	if !slices.ContainsFunc(a.cls.info, func(fi frameInfo) bool { return fi.is(factReduce) }) {
		return rc
	}
	rc.mark, rc.folds, rc.callers = make([]bool, len(a.samples)), tally{}, tally{}
	// Per kept sample: 1 a fold, 2 a slice copy, 3 a free, under caller.
	kind := make([]int8, len(a.samples))
	caller := make([]profile.FrameID, len(a.samples))
	folds, copies, frees := map[profile.FrameID]int64{}, map[profile.FrameID]int64{}, map[profile.FrameID]int64{}
	var buf []profile.FrameID
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		j := a.pyFrameAt(buf)
		fold, slice, free := -1, false, false
		for i := j + 1; i < len(buf); i++ {
			fi := &a.cls.info[buf[i]]
			if fold < 0 && fi.is(factReduce) {
				fold = i
			}
			slice = slice || fi.is(factSliceCopy)
			free = free || fi.is(factFree)
		}
		if j < 0 || a.cls.info[buf[j]].pseudo {
			continue
		}
		caller[k] = buf[j]
		switch {
		case fold >= 0:
			kind[k] = 1
			folds[buf[j]] += a.val[k]
		case slice:
			kind[k] = 2
			copies[buf[j]] += a.val[k]
		case free:
			kind[k] = 3
			frees[buf[j]] += a.val[k]
		}
	}
	// A function's folds read fresh slices when it copies slices too, and
	// copying and freeing them costs at least a twentieth of folding
	// them: a copy costs less than comparing or adding every item again
	// (max over floats), but not twenty times less.
	rescans := func(f profile.FrameID) bool {
		return folds[f] > 0 && copies[f] > 0 && (copies[f]+frees[f])*20 >= folds[f]
	}
	for k := range a.samples {
		if kind[k] == 0 || !rescans(caller[k]) {
			continue
		}
		v := a.val[k]
		switch kind[k] {
		case 1:
			rc.fold += v
			buf = a.stackOf(k, buf)
			for j := len(buf) - 1; j >= 0; j-- {
				if a.cls.info[buf[j]].is(factReduce) {
					rc.folds[a.cls.info[buf[j]].name] += v
					break
				}
			}
		case 2:
			rc.copied += v
		case 3:
			rc.freed += v
		}
		rc.mark[k] = true
		rc.callers[a.cls.info[caller[k]].name] += v
	}
	return rc
}

// rescanCandidate is the algorithmic finding for folding freshly copied
// slices step after step: the folds and the copies hold a quarter of the
// active cost or more.
func (a *analysis) rescanCandidate(ev *evidence) (candidate, bool) {
	rc := a.windowRescan()
	made := rc.fold + rc.copied
	if made <= ev.sig[sigLinearSearch] || a.activeShare(made) < max(minRescanShare, a.minShare("algorithmic")) {
		return candidate{}, false
	}
	callers := rc.callers.top(3)
	e := fmt.Sprintf("Folding a sequence with a builtin (%s) takes %s, and copying the slices it folds (a[i:j], copied for each call) %s", a.fmtNamed(rc.folds.top(2)), a.about(rc.fold), a.about(rc.copied))
	if len(callers) > 0 {
		e += ", in " + a.fmtNamed(callers)
	}
	if rc.freed > 0 {
		e += fmt.Sprintf("; freeing the copies takes %s more", a.about(rc.freed))
	}
	e += "; each step copies the prefix or window and reads it again, O(n) a step; a profile cannot count the calls: the finding holds where the slice grows or slides inside a loop, not for one fold of one large slice"
	return candidate{hint: "algorithmic", cat: CatPython, value: made + rc.freed, unit: "dict-lookup", variant: "rescan",
		what: "A running total or a sliding window (itertools.accumulate, a monotonic deque) instead of folding a fresh slice at every step", evidence: e + ".",
		functions: names(callers), callers: names(callers), inside: names(rc.folds.top(2)),
		claim: whole(func(k int) bool { return rc.mark[k] })}, true
}

// concatCandidate is the algorithmic finding for a result grown by
// concatenation: concatenations hold a fifth of the active cost or more,
// most of it copying their operands.
func (a *analysis) concatCandidate(ev *evidence) (candidate, bool) {
	cc := a.growingConcat()
	made := cc.v - cc.freed
	if made <= ev.sig[sigLinearSearch] || cc.copied*2 < made || a.activeShare(made) < max(minConcatShare, a.minShare("algorithmic")) {
		return candidate{}, false
	}
	callers := cc.callers.top(3)
	e := fmt.Sprintf("Concatenating into new objects (%s) takes %s, %s of it copying the operands (a memory move under the concatenation): each step copies everything built so far", a.fmtNamed(cc.ops.top(2)), a.about(made), pct(float64(cc.copied)/float64(made)))
	if len(callers) > 0 {
		e += ", in " + a.fmtNamed(callers)
	}
	if cc.freed > 0 {
		e += fmt.Sprintf("; freeing the results the steps replace, in the same functions, takes %s more", a.about(cc.freed))
	}
	return candidate{hint: "algorithmic", cat: CatPython, value: cc.v, unit: "dict-lookup", variant: "growing-concat",
		what: "Collecting the pieces and joining them once (or a bytearray, io.BytesIO, list.append) instead of concatenating onto the result", evidence: e + ".",
		functions: names(callers), callers: names(callers), inside: names(cc.ops.top(2)),
		claim: whole(func(k int) bool { return cc.mark[k] })}, true
}

// shiftCost is the cost of lists moving their elements to take or put an
// item at the front: per kept sample whether it is one, the value, the
// list operations and memory moves by name, and the innermost Python
// functions that made them.
type shiftCost struct {
	v                   int64
	mark                []bool
	ops, moves, callers tally
}

// frontShift finds samples whose leaf is a memory move (or CPython's
// insert loop) right under a list operation that shifts the elements
// after an index (listShiftFrames): the O(n) step of using a list as a
// queue. A pop() from the end moves nothing and is not counted.
func (a *analysis) frontShift() shiftCost {
	sc := shiftCost{mark: make([]bool, len(a.samples)), ops: tally{}, moves: tally{}, callers: tally{}}
	var buf []profile.FrameID
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		n := len(buf)
		if n < 2 {
			continue
		}
		leaf, up := &a.cls.info[buf[n-1]], &a.cls.info[buf[n-2]]
		var op, move string
		switch {
		case leaf.is(factMemMove) && up.is(factListShift):
			op, move = up.name, leaf.name
		case leaf.is(factListShiftLoop):
			op, move = leaf.name, leaf.name
		default:
			continue
		}
		v := a.val[k]
		sc.v += v
		sc.mark[k] = true
		sc.ops[op] += v
		sc.moves[move] += v
		if c := a.innermostPython(buf); c != "" {
			sc.callers[c] += v
		}
	}
	return sc
}

// goCodecVariant names the finding's shape when Go's standard XML or gob
// codec, not encoding/json, does most of the serialization work (by the
// frames on top of the stacks): the JSON advice does not apply there.
func goCodecVariant(inside tally) string {
	var jsonV, xmlV, gobV int64
	for name, v := range inside {
		switch {
		case strings.HasPrefix(name, "encoding/xml."):
			xmlV += v
		case strings.HasPrefix(name, "encoding/gob."):
			gobV += v
		case strings.HasPrefix(name, "encoding/json."):
			jsonV += v
		}
	}
	switch {
	case xmlV > jsonV && xmlV >= gobV && xmlV > 0:
		return "go-xml"
	case gobV > jsonV && gobV > xmlV:
		return "go-gob"
	}
	return ""
}

func detectPythonLoop(a *analysis, ev *evidence) []candidate {
	if a.recording == RecMemory || a.recording == RecOffCPU || a.hasLineEvidence() {
		// Line profiles: detectHotLine words it by line.
		return nil
	}
	py := a.cat(CatPython) + a.cat(CatInterpreter) + ev.pyChurn
	if a.activeShare(py) < minPythonLoop {
		return nil
	}
	var top []named
	_, _, batch := a.batchCallers(ev)
	// Methods generated from a string (a dataclass's __init__ and __lt__)
	// are the cost of making and comparing objects where they are called:
	// their Python work counts at their callers.
	genCaller, gen, genBy := a.generatedCallers()
	// pyWork: sample k is Python work (the interpreter, or the objects it
	// allocates), what this finding counts.
	pyWork := func(k int) bool { return a.class[k].Cat == CatPython || a.class[k].Cat == CatAlloc }
	// Library functions' Python work counts at the program's calls into
	// the library (libraryLoop), where the program can act.
	lib := a.libraryCalls(pyWork, ev.loopHidden)
	out, libCharged := a.libraryLoop(ev, lib)
	genAt := tally{} // generated methods' Python work, by calling function
	for k, c := range genCaller {
		if c != "" && pyWork(k) {
			genAt[c] += a.val[k]
		}
	}
	for _, f := range ev.fns {
		if f.kind != "python" || hasName(batch, f.key.name) || a.isPerItemCaller(f.key.name) || generatedFile(f.key.file) {
			continue // a per-item loop: batch-ffi-calls or the per-item finding covers it
		}
		// Its own Python work, less the linear searches it makes (the
		// algorithmic finding covers those), and that of the generated
		// methods it calls (once, for the first function of its name).
		v := f.pySelf + f.allocSelf - ev.sigCall[sigLinearSearch][f.key.name] + genAt[f.key.name] - libCharged[f]
		delete(genAt, f.key.name)
		if a.activeShare(v) >= 0.05 {
			top = append(top, named{f.key.name, v})
		}
	}
	sort.SliceStable(top, func(i, j int) bool { return top[i].v > top[j].v })
	if len(top) > 3 {
		top = top[:3]
	}
	if len(top) == 0 || a.activeShare(top[0].v) < a.minShare("move-hot-loop-native") {
		return out
	}
	var v int64
	for _, t := range top {
		v += t.v
	}
	lead := "Pure Python code (the eval loop, its helpers and the objects it allocates)"
	if !a.cls.nativeFrames {
		lead = "Time in Python functions themselves (their code and, in this Python-only recording, the C calls they make)"
	}
	e := fmt.Sprintf("%s takes %s; the hottest functions by their own Python work are %s", lead, a.about(py), a.fmtNamed(top))
	if len(top) > 1 {
		e += fmt.Sprintf(", together %s", pct(a.activeShare(v)))
	}
	var genInTop int64
	for k, c := range genCaller {
		if c != "" && hasName(top, c) && pyWork(k) {
			genInTop += a.val[k]
		}
	}
	if genInTop > 0 {
		e += fmt.Sprintf("; %s of it is in methods generated from a string (%s), counted at the functions that call them (%s): making and comparing objects of classes whose methods dataclasses, namedtuple or attrs wrote, one Python call per object made and per comparison", pct(a.activeShare(genInTop)), a.fmtNamed(gen.top(3)), a.fmtNamed(genBy.top(3)))
	}
	if ev.pyChurn > 0 && a.activeShare(ev.pyChurn) >= 0.05 {
		e += fmt.Sprintf("; %s of it is allocating and freeing Python objects (ints, floats, temporaries)", pct(a.activeShare(ev.pyChurn)))
	}
	if ev.gilInferred > 0 {
		// In a wall-clock profile with GIL contention part of that time was
		// waiting, not running: the claim leaves that part to the GIL.
		e += fmt.Sprintf(" (about %s of their samples were waiting for the GIL, so the running part is smaller)", pct(ev.gilFrac))
	}
	low := false
	spread, oneLine := a.lineEvidence(top[0].name)
	switch {
	case !a.cls.nativeFrames && spread != "":
		// Several body lines share the time: the interpreter working
		// through the loop, which a single C call could not spread.
		e += "; " + spread
	case !a.cls.nativeFrames:
		// Python-only stacks (py-spy without --native, other pure-Python
		// samplers): a function's own time holds the C calls it makes, so
		// NumPy or builtin work looks like interpreter work.
		low = true
		if oneLine != "" {
			e += "; " + oneLine
		}
		e += "; this recording has Python frames only, so a function's own time also holds the C calls it makes (NumPy, builtins, extension functions) and the recording cannot tell interpreter work from native work: before rewriting, record with native frames (" + a.nativeRecordCommand() + ") and check that the eval loop and its helpers (_PyEval_EvalFrameDefault, attribute and dict lookups), not an extension, run under these functions"
	}
	inTop := map[*funcStats]bool{}
	for _, f := range ev.fns {
		if hasName(top, f.key.name) && f.kind == "python" {
			inTop[f] = true
		}
	}
	running := 1 - ev.gilFrac // in a wall-clock recording with GIL contention, part was waiting
	claim := func(k int) float64 {
		if !pyWork(k) {
			return 0
		}
		if inTop[a.sampleFn[k]] || genCaller != nil && genCaller[k] != "" && hasName(top, genCaller[k]) {
			return running
		}
		return 0
	}
	return append(out, candidate{hint: "move-hot-loop-native", cat: CatPython, value: v, unit: "python-call",
		what: "Moving the hot loop to native or vectorised code", evidence: e + ".", functions: names(top), callers: names(top), lowConfidence: low, claim: claim})
}

// detectDual finds the same operation hot both as a Python function and as
// a native function (matching last name components).
func detectDual(a *analysis, ev *evidence) []candidate {
	if a.recording == RecMemory {
		return nil
	}
	pyTot := map[string]*funcStats{}
	for _, f := range ev.fns {
		if f.kind == "python" && a.activeShare(f.total) >= a.minShare("dual-implementation") {
			k := strings.ToLower(lastComponent(f.key.name))
			if len(k) >= 5 && !genericName[k] && pyTot[k] == nil {
				pyTot[k] = f
			}
		}
	}
	var out []candidate
	seen := map[string]bool{}
	for _, f := range ev.fns {
		if f.kind != "native" || a.activeShare(f.total) < a.minShare("dual-implementation") {
			continue
		}
		k := strings.ToLower(lastComponent(f.key.name))
		pf := pyTot[k]
		if pf == nil || seen[k] || a.nested(pf.key.name, f.key.name) {
			continue
		}
		seen[k] = true
		v := min(pf.total, f.total)
		e := fmt.Sprintf("The same operation is hot in two implementations: Python %s (%s total) and native %s (%s total), on separate paths", pf.key.name, pct(a.activeShare(pf.total)), f.key.name, pct(a.activeShare(f.total)))
		slow := pf // the implementation with more cost is the one to route away from
		if pf.total < f.total {
			slow = f
		}
		out = append(out, candidate{hint: "dual-implementation", cat: CatPython, value: v, unit: "python-call",
			what: "Routing callers to the faster implementation", evidence: e + ".", functions: []string{pf.key.name, f.key.name},
			claim: whole(func(k int) bool { return a.sampleFn[k] == slow })})
	}
	return out
}

var genericName = map[string]bool{"__call__": true, "<module>": true, "wrapper": true, "__init__": true, "inner": true, "_call": true, "start": true, "apply": true, "{{closure}}": true, "__new__": true, "execute": true, "handle": true, "process": true, "update": true, "build": true, "write": true, "flush": true, "close": true, "clone": true, "insert": true, "remove": true, "append": true, "extend": true, "result": true, "decode": true, "encode": true, "parse": true, "format": true, "_bootstrap": true, "_bootstrap_inner": true}

func lastComponent(s string) string {
	if i := strings.Index(s, "<"); i > 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, "::")
	for _, sep := range []string{"::", "."} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			s = s[i+len(sep):]
		}
	}
	return strings.Trim(s, "_")
}

// nested reports whether native function nat runs under Python function py
// in most of its samples (then it is py's implementation, not a duplicate).
func (a *analysis) nested(py, nat string) bool {
	var under, all int64
	for k := range a.samples {
		stack := a.stackOf(k, nil)
		hasNat, hasPy := false, false
		for _, f := range stack {
			n := a.cls.info[f].name
			if n == nat {
				hasNat = true
			}
			if n == py {
				hasPy = true
			}
		}
		if hasNat {
			all += a.val[k]
			if hasPy {
				under += a.val[k]
			}
		}
	}
	return under*2 >= all
}

// flatFinding is the flat-profile playbook with this profile's totals.
func flatFinding(a *analysis, ev *evidence, cat *hints.Catalogue) Finding {
	var parts []string
	for i, c := range catOrder {
		if c == CatIdle || a.catVal[i] == 0 {
			continue
		}
		if a.activeShare(a.catVal[i]) >= 0.01 {
			parts = append(parts, fmt.Sprintf("%s %s", c, pct(a.activeShare(a.catVal[i]))))
		}
	}
	top := "none"
	if len(ev.fns) > 0 {
		top = fmt.Sprintf("%s at %s", ev.fns[0].key.name, pct(a.activeShare(ev.fns[0].self)))
	}
	loops := a.loopsNearTop(3)
	e := fmt.Sprintf("No function stands out (the largest by itself is %s) and no cause other than running Python code as a whole claims %s or more. %s Totals by category: %s. Allocation totals %s and boundary glue %s across the whole profile",
		top, pct(strongFinding), a.coverageSentence(nil), strings.Join(parts, ", "), pct(a.activeShare(a.cat(CatAlloc))), pct(a.activeShare(a.cat(CatFFI))))
	if len(loops) > 0 {
		e += "; the widest frames near the top of the stacks (loops whose bodies spread thin below) are " + a.fmtNamed(loops)
		if steps := a.loopSteps(loops[0].name, 8); steps != "" {
			e += "; " + loops[0].name + " step by step: " + steps
		}
	}
	fns := names(loops)
	if len(loops) == 0 && ev.loopHidden {
		// Stacks that stop at their innermost Python frame do not show the
		// loop: the largest functions by their own cost are the steps.
		if top := a.largestFunctions(8); len(top) >= 2 {
			e += "; the stacks stop at the innermost Python function, so the loop that calls the steps is not shown; by their own cost the largest functions are " + a.fmtNamed(top)
			fns = names(top[:min(3, len(top))])
		}
	}
	top1 := CatNative
	var best int64 = -1
	for i, c := range catOrder {
		if c != CatIdle && a.catVal[i] > best {
			top1, best = c, a.catVal[i]
		}
	}
	c := candidate{hint: "flat-profile", cat: top1, value: 0, evidence: e + ".", functions: fns}
	f := a.toFinding(c, cat, 0)
	f.Share, f.Severity, f.Value = 0, "low", 0
	f.ExpectedImpact = "Many small wins add up: twenty changes that each cut 1% of the time remove about 18% together; no single change here is expected to remove more than a few percent."
	return f
}

// largestFunctions is up to n functions with the largest self cost,
// largest first.
func (a *analysis) largestFunctions(n int) []named {
	var out []named
	for _, f := range a.functions() {
		if len(out) == n || f.self == 0 {
			break
		}
		out = append(out, named{f.key.name, f.self})
	}
	return out
}

// loopSteps breaks the loop frame named name down into the steps of its
// body (the nearest user frames below it, past the interpreter's own
// frames), each with its share of the active cost, largest first, at most
// n of them.
func (a *analysis) loopSteps(name string, n int) string {
	top := a.loopStepTally(name).top(n)
	if len(top) < 2 {
		return ""
	}
	return a.fmtNamed(top)
}

// loopStepTally is the cost of each step of the loop frame named name,
// over every node of that frame.
func (a *analysis) loopStepTally(name string) tally {
	// The summary, the flat finding and its fix ask for the same loop's
	// steps: each a walk over every node of the tree.
	if steps, ok := a.stepTallies[name]; ok {
		return steps
	}
	steps := tally{}
	defer func() {
		if a.stepTallies == nil {
			a.stepTallies = map[string]tally{}
		}
		a.stepTallies[name] = steps
	}()
	for id := 1; id < len(a.p.Nodes); id++ {
		if a.cls.info[a.p.Nodes[id].Frame].name == name {
			a.userSteps(profile.NodeID(id), steps)
		}
	}
	return steps
}

// userFrame says whether a frame is the program's own code (Python, or an
// extension's native code), not the interpreter, libc, the kernel or a
// label.
func (a *analysis) userFrame(f profile.FrameID) bool {
	fi := &a.cls.info[f]
	return !fi.pseudo && (fi.rt == rtPython || fi.rt == rtNative && !a.cls.cpythonSide(fi))
}

// userSteps adds to t the cost of the nearest user frames below node id,
// by name: the steps of its body, however many interpreter frames lie
// between.
func (a *analysis) userSteps(id profile.NodeID, t tally) {
	for _, c := range a.p.Children(id) {
		switch {
		case a.nodeTotal.at(c) == 0:
		case a.userFrame(a.p.Nodes[c].Frame):
			t[a.cls.info[a.p.Nodes[c].Frame].name] += a.nodeTotal.at(c)
		default:
			a.userSteps(c, t)
		}
	}
}

// loopsNearTop finds user frames near the root (within a few user frames
// of it) that hold most of the active cost while the steps of their body
// split it: the loops a flat profile hides.
func (a *analysis) loopsNearTop(n int) []named {
	// Evidence, the flat finding and its fix ask for these loops: each a
	// walk down the tree.
	if a.nearTop == nil {
		a.nearTop = a.loopsNearTopTally()
	}
	return a.nearTop.top(n)
}

func (a *analysis) loopsNearTopTally() tally {
	t := tally{}
	p := a.p
	var walk func(id profile.NodeID, depth int)
	walk = func(id profile.NodeID, depth int) {
		if depth > 6 {
			return
		}
		if id != profile.RootNode && a.userFrame(p.Nodes[id].Frame) {
			depth++
			if a.activeShare(a.nodeTotal.at(id)) >= 0.2 {
				steps := tally{}
				a.userSteps(id, steps)
				var largest int64
				for _, v := range steps {
					largest = max(largest, v)
				}
				if len(steps) >= 3 && largest*2 < a.nodeTotal.at(id) {
					name := a.cls.info[p.Nodes[id].Frame].name
					t[name] = max(t[name], a.nodeTotal.at(id))
				}
			}
		}
		for _, c := range p.Children(id) {
			if a.nodeTotal.at(c) > 0 {
				walk(c, depth)
			}
		}
	}
	walk(profile.RootNode, 0)
	return t
}

func hasName(list []named, name string) bool {
	for _, n := range list {
		if n.name == name {
			return true
		}
	}
	return false
}

// Memory-profile significance: a memory profile always shows allocation;
// whether it matters depends on the rate. An allocation and its free cost
// on the order of allocInstrs instructions (allocNS nanoseconds) in glibc,
// jemalloc or Go's allocator, so blocks × that over the run's length
// estimates the share of execution spent allocating.
const (
	allocInstrs     = 120
	allocNS         = 60.0
	minAllocExec    = 0.05    // estimated share of execution in the allocator
	minBlocksNoRate = 100_000 // without a run length: this many blocks...
	minBytesNoRate  = 64 << 20
)

// churnDominates says whether a memory profile's temporaries (c) are
// its allocation finding: the allocation volume matters (weighty), or most
// allocations are temporaries (a buffer per call is the program's whole
// allocation pattern, however short the run); and copies for ownership do
// not hold most of the allocations, which avoid-clones says better (a
// clone dropped right away is a temporary too).
func (a *analysis) churnDominates(c candidate, ev *evidence, weighty bool) bool {
	if ev.sig[sigClone]*2 >= a.active {
		return false
	}
	return weighty || a.activeShare(c.value) >= 0.5
}

// blocksType and allocBytesType index the value types that count blocks
// allocated and bytes allocated, or -1: the allocation volume, whatever
// value type the report is about.
func (a *analysis) blocksType() int {
	for j, t := range a.p.SampleTypes {
		switch strings.ToLower(t.Type) {
		case "alloc_objects", "blocks", "tbk", "total_blocks", "objects", "allocations":
			return j
		}
	}
	return -1
}

func (a *analysis) allocBytesType() int {
	for j, t := range a.p.SampleTypes {
		switch strings.ToLower(t.Type) {
		case "alloc_space", "tb", "total_bytes", "bytes":
			return j
		}
	}
	return -1
}

// memoryWeight says whether a memory profile's allocation volume is large
// enough to act on, with a sentence giving the numbers.
func (a *analysis) memoryWeight() (string, bool) {
	bi := a.blocksType()
	yi := a.allocBytesType()
	var blocks, bytes int64
	for k, i := range a.samples {
		if bi >= 0 {
			blocks += a.p.Samples[i].Values[bi]
		}
		if yi >= 0 {
			bytes += a.p.Samples[i].Values[yi]
		} else {
			bytes += a.val[k]
		}
	}
	te, _ := strconv.ParseFloat(a.p.Meta.Attr("te"), 64)
	tu := a.p.Meta.Attr("tu")
	est := -1.0
	switch {
	case te > 0 && tu == "instrs" && bi >= 0:
		est = float64(blocks) * allocInstrs / te
	case te > 0 && (tu == "µs" || tu == "us") && bi >= 0:
		est = float64(blocks) * allocNS / (te * 1e3)
	case a.p.Meta.DurationNanos > 0 && bi >= 0:
		est = float64(blocks) * allocNS / float64(a.p.Meta.DurationNanos)
	}
	if est >= 0 && a.p.Meta.Format == "heaptrack" {
		// heaptrack's run time holds its own work on every allocation
		// and free (the program runs several times slower under it):
		// the share is a lower bound, and a small one says nothing, so
		// the count decides, as where no run length is known.
		s := fmt.Sprintf("%s blocks (%s) were allocated in %s under heaptrack; at about %.0f ns per allocation and free that is at least %s of the run (heaptrack's own work on each allocation is in the run time too)", thousands(blocks), fmtBytes(float64(bytes)), fmtNS(float64(a.p.Meta.DurationNanos)), allocNS, pct(min(est, 1)))
		return s, est >= minAllocExec || blocks >= minBlocksNoRate || bytes >= minBytesNoRate
	}
	if est >= 0 {
		s := fmt.Sprintf("%s blocks (%s) were allocated; at about %d instructions per allocation and free that is ≈ %s of the run's execution", thousands(blocks), fmtBytes(float64(bytes)), allocInstrs, pct(min(est, 1)))
		return s, est >= minAllocExec
	}
	s := fmt.Sprintf("%s allocated", fmtBytes(float64(bytes)))
	if yi < 0 {
		s = fmt.Sprintf("%s of %s", a.fmtValue(a.active), a.costNoun())
	}
	if bi >= 0 {
		s = fmt.Sprintf("%s blocks (%s) were allocated", thousands(blocks), fmtBytes(float64(bytes)))
	}
	return s, blocks >= minBlocksNoRate || bytes >= minBytesNoRate
}

// layers splits the active value under context c by the category each
// sample went to, so a share that includes a context layer says what it is
// made of: ": 61.5% serialization itself and 26.3% alloc under it". Parts
// under 0.1% are left out; empty when c is the only layer.
func (a *analysis) layers(c Category) string {
	ci := catIndex(c)
	var parts []string
	if v := a.ctxVal[ci][ci]; v > 0 {
		parts = append(parts, fmt.Sprintf("%s is %s itself", pct(a.activeShare(v)), c))
	}
	type cv struct {
		c Category
		v int64
	}
	var rest []cv
	for i, x := range catOrder {
		if x == c || x == CatIdle {
			continue
		}
		if v := a.ctxVal[i][ci]; a.activeShare(v) >= 0.001 {
			rest = append(rest, cv{x, v})
		}
	}
	if len(rest) == 0 {
		return ""
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].v > rest[j].v })
	for _, x := range rest {
		parts = append(parts, fmt.Sprintf("%s %s under it", pct(a.activeShare(x.v)), x.c))
	}
	return ", of which " + joinNames(parts, len(parts))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// memoryNoun says what a memory value type counts, so that bytes still
// live at exit are never called "allocated": DHAT's and pprof's type names,
// and a unit-based fallback.
func memoryNoun(typ, unit string) string {
	switch strings.ToLower(typ) {
	case "alloc_space", "total_bytes", "tb", "bytes", "allocated":
		return "bytes allocated"
	case "alloc_objects", "total_blocks", "tbk", "blocks", "allocations":
		return "blocks allocated"
	case "peak_space", "gb", "at_gmax_bytes":
		return "bytes live at the global peak"
	case "peak_objects", "gbk", "at_gmax_blocks":
		return "blocks live at the global peak"
	case "end_space", "eb", "at_end_bytes", "leaked":
		return "bytes still live at exit"
	case "end_objects", "ebk", "at_end_blocks":
		return "blocks still live at exit"
	case "max_space", "mb":
		return "bytes of the largest live size per site"
	case "inuse_space":
		return "bytes in use"
	case "inuse_objects":
		return "objects in use"
	case "copy_space":
		return "bytes copied"
	case "copy_objects":
		return "copies"
	case "read_bytes":
		return "bytes read"
	case "write_bytes":
		return "bytes written"
	case "units":
		return "units counted"
	case "events":
		return "events counted"
	case "lifetime":
		return "block lifetime"
	}
	if strings.EqualFold(unit, "bytes") {
		return "bytes (" + typ + ")"
	}
	return typ
}

// ioDirections splits the system-call cost into reads and writes.
func (a *analysis) ioDirections() (reads, writes int64) {
	dirs := a.ioTransfers()
	for k := range a.samples {
		switch dirs[k] {
		case ioRead:
			reads += a.val[k]
		case ioWrite:
			writes += a.val[k]
		}
	}
	return reads, writes
}

// ioTurns measures how much of the transfer time is on threads that take
// turns reading and writing (each direction at least minTurnShare of the
// thread's transfers): requests and responses. streams is true when there
// are reads and writes but every thread does mostly one of them: a stream
// from one thread to another. Without thread ids (a folded file) threads
// cannot be told apart, but processes can, by the process id or the
// command name stackcollapse-perf puts at each stack's root: each process
// is taken for one thread, so a writer beside a reader in one process
// still counts as turns, never the other way round; unit then says
// "processes". Where a process takes turns that way, the Python function
// that issues each transfer (the innermost Python frame above it) is the
// finer witness: a request/response loop reads and writes from the same
// function, a writer thread and a reader thread from different ones. It
// decides only where most of the transfer time has such a caller; unit
// then names the functions.
func (a *analysis) ioTurns() (mixed int64, streams bool, unit string) {
	dirs := a.ioTransfers()
	if a.threadSrc == threadsFromLabels {
		idx, _ := a.threadNumbers()
		mixed, streams = a.turnsBy(dirs, func(k int) int { return int(idx[k]) })
		return mixed, streams, "threads"
	}
	// One pass over the transfers numbers each one's unit twice: by
	// process (its labels' pid and name, or else the command name at its
	// stacks' root), and by process and the innermost Python function
	// above it, the finer grouping; and sums each caller's reads and
	// writes.
	type unitKey struct {
		comm   string
		pid    int64
		hasPID bool
		root   profile.FrameID
		caller string
	}
	procs, units := map[unitKey]int{}, map[unitKey]int{}
	number := func(m map[unitKey]int, u unitKey) int {
		g, ok := m[u]
		if !ok {
			g = len(m)
			m[u] = g
		}
		return g
	}
	byProc, byCaller := make([]int, len(a.samples)), make([]int, len(a.samples))
	var sys, withCaller int64
	reads, writes := tally{}, tally{}
	var buf []profile.FrameID
	for k := range a.samples {
		if dirs[k] == ioOther {
			continue
		}
		l := a.p.Samples[a.samples[k]].Labels
		u := unitKey{comm: l.Comm, pid: l.PID, hasPID: l.HasPID, root: -1}
		buf = a.stackOf(k, buf)
		if len(buf) > 0 && a.cls.info[buf[0]].pseudo {
			u.root = buf[0]
		}
		byProc[k] = number(procs, u)
		u.caller = a.innermostPython(buf)
		byCaller[k] = number(units, u)
		sys += a.val[k]
		if u.caller != "" {
			withCaller += a.val[k]
			if dirs[k] == ioRead {
				reads[u.caller] += a.val[k]
			} else {
				writes[u.caller] += a.val[k]
			}
		}
	}
	mixed, streams = a.turnsBy(dirs, func(k int) int { return byProc[k] })
	if mixed*2 < sys || withCaller*2 < sys {
		return mixed, streams, "processes"
	}
	m, st := a.turnsBy(dirs, func(k int) int { return byCaller[k] })
	if m*2 >= sys || len(reads) == 0 || len(writes) == 0 {
		return mixed, streams, "processes"
	}
	return m, st, fmt.Sprintf("Python functions (%s writes, %s reads; with no thread ids in the recording, the functions that issue the calls stand in for threads)", writes.top(1)[0].name, reads.top(1)[0].name)
}

// turnsBy is the transfer time on units (numbered by groupOf) that take
// turns reading and writing, and whether there are reads and writes but
// no unit takes turns.
func (a *analysis) turnsBy(dirs []int8, groupOf func(k int) int) (mixed int64, streams bool) {
	type rw struct{ r, w int64 }
	var per []rw
	for k := range a.samples {
		if dirs[k] == ioOther {
			continue
		}
		g := groupOf(k)
		for g >= len(per) {
			per = append(per, rw{})
		}
		if dirs[k] == ioRead {
			per[g].r += a.val[k]
		} else {
			per[g].w += a.val[k]
		}
	}
	readers, writers := false, false
	for _, t := range per {
		if float64(min(t.r, t.w)) >= minTurnShare*float64(t.r+t.w) {
			mixed += t.r + t.w
		}
		readers = readers || t.r > 0
		writers = writers || t.w > 0
	}
	return mixed, mixed == 0 && readers && writers
}

// pyFrameAt is the index of stack's innermost Python frame, -1 when it
// has none: the frames after it are the native code that frame called.
func (a *analysis) pyFrameAt(stack []profile.FrameID) int {
	j := len(stack) - 1
	for j >= 0 && a.cls.info[stack[j]].rt != rtPython {
		j--
	}
	return j
}

// innermostPython is the name of the innermost Python function in stack,
// "" where the stack has none.
func (a *analysis) innermostPython(stack []profile.FrameID) string {
	for j := len(stack) - 1; j >= 0; j-- {
		if fi := &a.cls.info[stack[j]]; fi.rt == rtPython && !fi.pseudo {
			return fi.name
		}
	}
	return ""
}

// minTurnShare is the least share of a thread's transfer time its smaller
// direction needs for the thread to count as taking turns. Tuning set:
// request/response threads read 42-71% of theirs (io-rpc-thread); one-way
// writers read nothing (io-unbuffered, io-bigwrite, log-audit).
const minTurnShare = 0.10

// Transfer directions of a system-call sample (ioTransfers).
const (
	ioOther int8 = iota // open, close, fsync, stat: per file, not per transfer
	ioRead
	ioWrite
)

// ioTransfers gives each kept sample in a system call its direction: a
// read or a write (the transfers buffering merges), or another call. The
// innermost transfer frame decides; stacks are walked once per node.
func (a *analysis) ioTransfers() []int8 {
	if a.ioDirs != nil {
		return a.ioDirs
	}
	byNode := map[profile.NodeID]int8{}
	a.ioDirs = make([]int8, len(a.samples))
	for k, i := range a.samples {
		r := a.class[k].Rule
		if r != "io.kernel" && r != "io.libc" && r != "io.cpython" {
			continue
		}
		node := a.p.Samples[i].Node
		d, ok := byNode[node]
		if !ok {
			stack := a.stackOf(k, nil)
			for j := len(stack) - 1; j >= 0 && d == ioOther; j-- {
				switch fi := &a.cls.info[stack[j]]; {
				case fi.is(factWriteCall):
					d = ioWrite
				case fi.is(factReadCall):
					d = ioRead
				}
			}
			byNode[node] = d
		}
		a.ioDirs[k] = d
	}
	return a.ioDirs
}

// lineEvidence reads where a Python function's own time sits by line, when
// the recording gives lines: spread says the time is spread over three or
// more lines with none holding half (interpreted work in the body);
// oneLine says one line holds 80% or more (most likely the C code that
// line calls). Both are "" when the lines do not say. One pass over the
// call-tree nodes.
func (a *analysis) lineEvidence(fn string) (spread, oneLine string) {
	byLine := map[int64]int64{}
	var total int64
	for id := 1; id < len(a.p.Nodes); id++ {
		v := a.selfOf(profile.NodeID(id))
		if v == 0 {
			continue
		}
		f := a.p.Nodes[id].Frame
		if fi := &a.cls.info[f]; fi.rt != rtPython || fi.name != fn {
			continue
		}
		total += v
		if l := a.p.Frames[f].Line; l > 0 {
			byLine[l] += v
		}
	}
	if total == 0 || len(byLine) == 0 {
		return "", ""
	}
	var lines []int64
	for l := range byLine {
		lines = append(lines, l)
	}
	sort.Slice(lines, func(i, j int) bool {
		if byLine[lines[i]] != byLine[lines[j]] {
			return byLine[lines[i]] > byLine[lines[j]]
		}
		return lines[i] < lines[j]
	})
	top := lines[0]
	topShare := share(byLine[top], total)
	n := 0
	for _, l := range lines {
		if share(byLine[l], total) >= 0.05 {
			n++
		}
	}
	switch {
	case n >= 3 && topShare < 0.5:
		return fmt.Sprintf("%s's own time spreads over %d lines (the largest, line %d, holds %s of it): interpreted work in the loop body, not one C call", fn, n, top, pct(topShare)), ""
	case topShare >= 0.8:
		return "", fmt.Sprintf("%s of %s's own time is on line %d alone, most likely the C code that line calls (a builtin or an extension) rather than the loop's bytecode", pct(topShare), fn, top)
	}
	return "", ""
}
