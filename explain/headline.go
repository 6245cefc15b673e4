package explain

import (
	"fmt"
	"math"
	"strings"
)

// entryCallers names the Python functions that call the given native entry
// points, by value, most first.
func (a *analysis) entryCallers(entries []string) []string {
	t := tally{}
	for _, e := range a.entries {
		for _, want := range entries {
			if e.name == want {
				for c, v := range a.callersOf(e) {
					t[c] += v
				}
			}
		}
	}
	return names(t.top(3))
}

// pyVisible is the name Python code calls a native entry point by: PyO3's
// generated wrapper __pyfunction_checksum_one is checksum_one, a method
// wrapper __pymethod_insert__ is insert; otherwise the last path component.
func (a *analysis) pyVisible(entry string) string {
	if lib, ok := strings.CutPrefix(entry, "["); ok {
		// An unsymbolized placeholder ([libcrypto.so.3]) is no function
		// name to cut at a dot: name the library it is in.
		return "code in " + strings.TrimSuffix(lib, "]")
	}
	m := ""
	if re := a.wrapperName(); re != nil {
		m = re.FindString(entry)
	}
	if m != "" {
		m = strings.TrimPrefix(m, "::")
		for _, p := range []string{"__pyfunction_", "__pymethod_"} {
			if strings.HasPrefix(m, p) {
				return strings.TrimSuffix(strings.TrimPrefix(m, p), "__")
			}
		}
	}
	s := entry
	if i := strings.Index(s, "("); i > 0 {
		s = s[:i]
	}
	for _, sep := range []string{"::", "."} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			s = s[i+len(sep):]
		}
	}
	return s
}

// shortName is a function name fit for a sentence: Python qualnames and
// native paths keep their last two components.
func shortName(name string) string {
	if strings.HasPrefix(name, "<") || len(name) <= 40 {
		return name
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 && !strings.ContainsAny(name, " :") {
		// A Go package path: the package's own name and the function
		// (gobench.BenchmarkJSONRoundTrip), not a piece of the domain.
		name = name[i+1:]
		if len(name) <= 40 {
			return name
		}
	}
	for _, sep := range []string{"::", "."} {
		parts := strings.Split(name, sep)
		if len(parts) > 2 {
			return strings.Join(parts[len(parts)-2:], sep)
		}
	}
	return name
}

func mapNames(ns []string, f func(string) string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = f(n)
	}
	return out
}

// activeNoun is "the active time" or, for memory, "bytes allocated",
// following "of".
func (a *analysis) activeNoun() string {
	if a.recording == RecMemory {
		return a.costNoun()
	}
	return "active " + a.costNoun()
}

// inWho is " in " and who where the finding names a caller (named),
// else nothing.
func inWho(named bool, who string) string {
	if !named {
		return ""
	}
	return " in " + who
}

func first(list []string, or string) string {
	if len(list) > 0 && list[0] != "" {
		return list[0]
	}
	return or
}

// causeOf is one sentence, in this program's names, saying what causes a
// finding's cost: the first line of the report when the finding leads.
func (a *analysis) causeOf(c candidate, f *Finding) string {
	caller := shortName(first(c.callers, ""))
	entry := first(c.entries, "")
	share := pct(f.ClaimedShare)
	in := ""
	if caller != "" {
		in = " in " + caller
	}
	switch c.hint {
	case "batch-ffi-calls":
		if first(c.inside, "") == "copy-on-write" && entry != "" {
			return fmt.Sprintf("A persistent structure is grown one %s call at a time: each call copies the shared nodes it changes and the version it replaces is freed right after, %s of the %s.", a.pyVisible(entry), share, a.activeNoun())
		}
		if c.variant == "stdlib-callee" && caller != "" {
			return fmt.Sprintf("%s calls %s, CPython's own C code, once per item: the per-call overhead and the Python loop around the calls take %s of the %s.", caller, entry, share, a.activeNoun())
		}
		if entry != "" && caller != "" {
			who := caller
			if caller == unnamedCaller {
				who = upperFirst(caller) // a description, not a function name: it starts the sentence
			}
			return fmt.Sprintf("%s calls the native %s once per item: the per-call boundary glue and the Python loop around the calls take %s of the %s.", who, a.pyVisible(entry), share, a.activeNoun())
		}
	case "zero-copy-boundary":
		if entry != "" && c.variant == "result-objects" {
			return fmt.Sprintf("%s builds its result as Python objects one at a time (a Python class called per object, keyword dicts, class lookups): %s of the %s.", a.pyVisible(entry), share, a.activeNoun())
		}
		if entry != "" {
			return fmt.Sprintf("Arguments and results of %s are converted element by element between Python objects and native values: the conversion takes %s of the %s.", a.pyVisible(entry), share, a.activeNoun())
		}
	case "release-gil":
		if entry != "" {
			return fmt.Sprintf("%d threads run the native %s while holding the GIL, so they take turns instead of running in parallel: %s of the %s.", max(a.ext(), 2), a.pyVisible(entry), share, a.activeNoun())
		}
	case "binding-upgrade":
		return fmt.Sprintf("The extension is built with PyO3 0.20 or older: its per-call GILPool takes %s of the %s.", share, a.activeNoun())
	case "gil-contention":
		return fmt.Sprintf("Python threads%s contend for the GIL: waiting for it and handing it over take %s of the %s.", in, share, a.activeNoun())
	case "faster-serialization":
		if strings.Contains(c.variant, "hook") {
			codec := "The codec"
			if strings.HasPrefix(c.variant, "json-") {
				codec = "json"
			}
			return fmt.Sprintf("%s calls back into Python for every object it cannot handle itself (%s): %s of the %s.", codec, joinNames(c.inside, 3), share, a.activeNoun())
		}
		if first(c.inside, "") == "json's pure-Python encoder" {
			// A function name starts the sentence as it is spelled.
			return fmt.Sprintf("%s runs json's pure-Python encoder or decoder: the call turns CPython's C accelerator off (indent= before Python 3.13, or a custom encoder class), %s of the %s.", first(c.callers, "The program"), share, a.activeNoun())
		}
		who := ""
		if len(c.callers) > 0 {
			who = " in " + joinNames(c.callers, 3)
		}
		return fmt.Sprintf("Encoding and decoding with %s%s: %s of the %s.", a.codecName(), who, share, a.activeNoun())
	case "hot-logging":
		return fmt.Sprintf("Logging calls%s format and emit records inside the hot loop: %s of the %s.", in, share, a.activeNoun())
	case "move-hot-loop-native":
		if l := c.library; l != nil && l.callerName == "" {
			return fmt.Sprintf("Python code of %s is the cost: %s of the %s is in its functions (%s), %s code the program calls from where these stacks do not show.", libraryUnit(l), share, a.costNoun(), joinNames(names(l.hottest()), 3), strings.TrimPrefix(libraryKind(l.kind), "the "))
		}
		if l := c.library; l != nil && l.lineText != "" {
			return fmt.Sprintf("%s's calls to %s are the cost: %s of the %s is spent in them, %s code written in Python, which a line profiler charges to the calling line.", l.callerName, l.entryName, share, a.costNoun(), possessive(libraryUnit(l)))
		}
		if l := c.library; l != nil {
			calls := libraryCallsPhrase(c)
			unit, inner := libraryUnit(l), ""
			if in := l.hottest(); len(in) > 0 {
				inner = " (" + joinNames(names(in), 3) + ")"
			}
			if oneLibrary(c.libraryEntries) == "" {
				unit, inner = "the libraries", ""
			}
			if c.lowConfidence {
				return fmt.Sprintf("%s are the cost: %s of the %s is in %s functions under them%s, their code or the C it calls (this recording cannot tell which).", calls, share, a.costNoun(), possessive(unit), inner)
			}
			return fmt.Sprintf("%s are the cost: %s of the %s is %s own Python code running under them%s, code the program does not write.", calls, share, a.costNoun(), possessive(unit), inner)
		}
		if c.lowConfidence {
			// Python frames only: a function's own time holds the C it
			// calls, so "bytecode work" would claim what is not known.
			return fmt.Sprintf("Python functions' own time is the cost: %s of the %s is in %s, their code or the C it calls (this recording cannot tell which).", share, a.costNoun(), joinNames(c.callers, 3))
		}
		return fmt.Sprintf("The interpreter running the Python loop%s is the cost: %s of the %s is bytecode work in %s.", in, share, a.costNoun(), joinNames(c.callers, 3))
	case "algorithmic":
		if c.variant == "front-shift" {
			return fmt.Sprintf("A list used as a queue%s: taking or putting an item at its front moves every element after it (list.pop(0), insert(0, x)), %s of the %s.", in, share, a.activeNoun())
		}
		if c.variant == "repeated-sort" {
			return fmt.Sprintf("Sorting%s is the cost: %s of the %s is CPython's sort (%s).", in, share, a.activeNoun(), first(c.inside, "timsort"))
		}
		if c.variant == "growing-concat" {
			return fmt.Sprintf("A result grown by concatenation%s: each step copies everything built so far into a new object (%s), %s of the %s.", in, first(c.inside, "concatenation"), share, a.activeNoun())
		}
		if c.variant == "rescan" {
			return fmt.Sprintf("A slice folded again at every step%s: %s reads a fresh copy of a prefix or window each time, %s of the %s.", in, first(c.inside, "a builtin fold"), share, a.activeNoun())
		}
		return fmt.Sprintf("Linear searches (%s)%s scan a sequence for each lookup: %s of the %s.", first(c.inside, "list membership"), in, share, a.activeNoun())
	case "cache-results":
		return fmt.Sprintf("The same constant input is compiled or parsed again on every call (%s)%s: %s of the %s.", first(c.inside, "compile"), in, share, a.activeNoun())
	case "avoid-clones":
		return fmt.Sprintf("Copies made for ownership (%s)%s: %s of the %s.", shortName(first(c.inside, "clone")), in, share, a.activeNoun())
	case "reduce-allocations":
		if first(c.inside, "") == "temporary allocations" {
			return fmt.Sprintf("Temporary allocations%s, each freed right after it was made: %s of the %s.", in, share, a.activeNoun())
		}
		if a.recording == RecMemory {
			return fmt.Sprintf("Allocation at a few sites%s: %s of the %s.", in, share, a.activeNoun())
		}
		return fmt.Sprintf("Allocating and freeing memory%s: %s of the %s.", in, share, a.activeNoun())
	case "gc-pressure":
		return fmt.Sprintf("Garbage collection triggered by allocation%s: %s of the %s.", in, share, a.activeNoun())
	case "lock-contention":
		return fmt.Sprintf("Threads wait on a lock%s: %s of the %s.", in, share, a.activeNoun())
	case "buffer-io":
		return fmt.Sprintf("Many small reads or writes%s, each a system call: %s of the %s.", in, share, a.activeNoun())
	case "import-overhead":
		if len(c.packages) > 0 {
			return fmt.Sprintf("Importing modules at start-up (the most costly: %s): %s of the %s.", joinNames(c.packages, 2), share, a.activeNoun())
		}
		return fmt.Sprintf("Importing modules at start-up%s: %s of the %s.", in, share, a.activeNoun())
	case "blocking-in-async":
		return fmt.Sprintf("Blocking calls run on the event loop's thread%s, stalling every task: %s of the %s.", in, share, a.activeNoun())
	case "async-overhead":
		return fmt.Sprintf("Scheduling many small async tasks%s: %s of the %s.", in, share, a.activeNoun())
	}
	return fmt.Sprintf("%s%s: %s of the %s.", f.Title, in, share, a.activeNoun())
}

// batchName is the name a batch variant of a per-item function would
// take: checksum_one becomes checksum_many, score becomes score_many.
func batchName(n string) string {
	for _, suf := range []string{"_one", "_item", "_single"} {
		if strings.HasSuffix(n, suf) {
			return strings.TrimSuffix(n, suf) + "_many"
		}
	}
	return n + "_many"
}

// ext is the number of threads seen running extension code (evidence).
func (a *analysis) ext() int { return a.extThreadCount() }

// evidenceNumber is a finding's claim as one number with its sampling
// interval: "62.7% of the active time (254 of 405 samples; 95% CI 58–67%)".
func (a *analysis) evidenceNumber(claimed int64, samples float64) string {
	s := fmt.Sprintf("%s of the %s", pct(a.activeShare(claimed)), a.activeNoun())
	if a.recording == RecMemory {
		return s + fmt.Sprintf(" (%s of %s)", a.fmtValue(claimed), a.fmtValue(a.active))
	}
	n := float64(a.activeCount())
	if n <= 0 {
		return s
	}
	lo, hi := wilson(samples/n, n)
	return s + fmt.Sprintf(" (%s of %s %s; 95%% interval %s)", thousands(int64(math.Round(samples))), thousands(int64(n)), a.countNoun(), pctRange(lo, hi))
}

// fixOf is the fix in one sentence, in this program's names where the
// profile gives them.
func (a *analysis) fixOf(c candidate, generic string) string {
	caller := shortName(first(c.callers, ""))
	entry := first(c.entries, "")
	switch c.hint {
	case "batch-ffi-calls":
		if first(c.inside, "") == "copy-on-write" && entry != "" {
			return fmt.Sprintf("Build each structure in one call with all its items (a constructor or update that takes the whole collection) instead of one %s call per item: a structure only that call holds is filled in place, with no copy and no free per item.", a.pyVisible(entry))
		}
		if c.variant == "stdlib-callee" && caller != "" {
			mapped := fmt.Sprintf("map(%s, items)", entry)
			if typ, method, ok := strings.Cut(entry, "."); ok && builtinType[typ] {
				// A method of a builtin type maps through the bound
				// method of the object the loop calls it on.
				mapped = fmt.Sprintf("map() over the bound method (obj.%s for %s)", method, entry)
				if entry == "dict.get" {
					mapped += ", or collections.Counter(items) where the loop counts,"
				}
			}
			return fmt.Sprintf("Replace the per-item calls to %s in %s with one operation over the whole sequence where one exists (a str or bytes method, a regular expression or str.translate over the whole text, a set or dict built once); where none does, %s drops the Python loop around the calls, which stay. These are CPython's own C functions: no batch entry point can be added beside them.", entry, caller, mapped)
		}
		if entry != "" && caller != "" {
			n := a.pyVisible(entry)
			return fmt.Sprintf("Add a batch entry point beside %s (%s(items), taking the whole sequence) and call it once from %s instead of once per item.", n, batchName(n), caller)
		}
	case "zero-copy-boundary":
		if c.variant == "result-objects" && entry != "" {
			return fmt.Sprintf("Build fewer Python objects in %s: look each Python class up once (GILOnceCell, intern!) instead of per object, pass positional arguments instead of a keyword dict, and build only the objects the caller reads; where the same input comes again, cache the result.", a.pyVisible(entry))
		}
	case "release-gil":
		if entry != "" {
			return fmt.Sprintf("Release the GIL inside %s around the work that touches no Python objects: py.allow_threads(|| ...) (py.detach in PyO3 0.26 and later).", a.pyVisible(entry))
		}
	case "faster-serialization":
		hook := first(c.inside, "")
		switch c.variant {
		case "json-hook-encode":
			return fmt.Sprintf("Convert the values %s handles once, when the data changes, instead of on every encode; or encode with orjson, which writes datetime, UUID and dataclasses itself and calls %s only for the rest.", hook, hook)
		case "json-hook-decode":
			return fmt.Sprintf("Decode into typed objects in one pass (msgspec.json.Decoder with a Struct schema) instead of calling %s for every decoded object.", hook)
		case "codec-hook":
			return fmt.Sprintf("Convert the values %s handles once, before encoding, or use a codec that handles those types natively, so that the codec does not call Python per object.", hook)
		case "py-csv":
			who := inWho(caller != "", joinNames(c.callers, 3))
			return fmt.Sprintf("Write and read rows as lists%s with csv.writer and csv.reader (a fixed column order, and converting each field once where it is used) instead of csv.DictWriter and DictReader, which build or take apart a dict per row in Python; for whole tables, read and write with pyarrow.csv or polars, which parse in C.", who)
		case "py-xml":
			who := inWho(caller != "", joinNames(c.callers, 3))
			return fmt.Sprintf("Serialize and parse%s with lxml (libxml2, in C; lxml.etree keeps ElementTree's API: tostring, fromstring) instead of the standard library's XML modules, whose serializers and document builders are pure Python; send fewer and smaller documents; and where you own the format, move it to a faster codec (JSON with orjson, msgpack, protobuf).", who)
		case "py-codec":
			who := inWho(caller != "", joinNames(c.callers, 3))
			return fmt.Sprintf("Encode and decode fewer and smaller documents%s with %s, which runs in Python (a Python call per object and field); where the format is your own, move the data to one with a codec in C (JSON with orjson or msgspec, msgpack; pickle for data only your programs read); where the format is fixed, use a C implementation of it where one exists.", who, a.pyCodecModule())
		case "go-xml", "go-gob":
			pkg := "encoding/xml"
			if c.variant == "go-gob" {
				pkg = "encoding/gob"
			}
			who := ""
			if caller != "" {
				who = " in " + joinNames(mapNames(c.callers, shortName), 3)
			}
			return fmt.Sprintf("Decode and encode fewer, smaller documents with %s%s (larger pages, batched requests, only the elements used), and where you own the format, move it to a faster codec (protobuf, msgpack, or JSON with a generated codec).", pkg, who)
		}
		if first(c.inside, "") == "json's pure-Python encoder" {
			return fmt.Sprintf("Put %s's call back on a C encoder: on Python 3.13 and later json's C encoder takes indent=; otherwise orjson.dumps(obj, option=orjson.OPT_INDENT_2) (add OPT_SORT_KEYS for sort_keys=True).", first(c.callers, "the caller"))
		}
		if caller != "" && a.runtime() == "go" {
			return fmt.Sprintf("Encode and decode typed structs in %s with a generated or faster codec instead of encoding/json's reflection over generic values, keeping the same JSON.", joinNames(mapNames(c.callers, shortName), 3))
		}
		if caller != "" && !a.cls.pyProc {
			return fmt.Sprintf("Switch %s to a faster codec, keeping the same data shapes.", joinNames(mapNames(c.callers, shortName), 3))
		}
		if caller != "" {
			return fmt.Sprintf("Switch %s to a faster codec (orjson or msgspec), keeping the same data shapes.", joinNames(mapNames(c.callers, shortName), 3))
		}
	case "hot-logging":
		if caller != "" {
			return fmt.Sprintf("Move the logging out of %s's loop, or guard it with isEnabledFor and log one summary per batch.", caller)
		}
	case "algorithmic":
		if c.variant == "front-shift" {
			who := inWho(caller != "", caller)
			return fmt.Sprintf("Make the queue%s a collections.deque (popleft and appendleft take O(1), whatever its length), or keep the list and walk it with an index instead of popping its front.", who)
		}
		if c.variant == "growing-concat" {
			who := inWho(caller != "", caller)
			return fmt.Sprintf("Build the result%s from its pieces once: %s instead of concatenating each piece onto it, which copies the whole result every time.", who, concatFix(first(c.inside, "")))
		}
		if c.variant == "rescan" {
			who := inWho(caller != "", caller)
			return fmt.Sprintf("Keep the fold up to date as the loop%s moves instead of folding a fresh slice each step: a running total (itertools.accumulate) for sums of a prefix, add the item that enters and subtract the one that leaves for a window's sum, a monotonic deque for a window's min or max.", who)
		}
		if c.variant == "repeated-sort" {
			who := inWho(caller != "", caller)
			return fmt.Sprintf("If the sort%s runs inside a loop, sort once: keep the collection sorted as it grows (bisect.insort), take the first few items with heapq.nlargest/nsmallest or a heap of that size (heapq.heappushpop), or sort once after the loop; if it is one sort of a large input, give it a cheap key (a precomputed tuple or number) instead.", who)
		}
		if caller != "" {
			return fmt.Sprintf("Build a set (or dict) once outside %s's loop and look items up in it instead of scanning a list.", caller)
		}
	case "move-hot-loop-native":
		if l := c.library; l != nil {
			where, in := "In "+l.callerName, " in "+l.callerName
			if l.callerName == "" {
				where, in = "Where the program calls "+l.entryName, ""
			}
			if alt, why, ok := nativeCallFor(l.entryName, "..."); ok {
				if h := libraryNativeCalls[l.entryName].hoist; h != "" {
					return fmt.Sprintf("%s, make %s once (at module level, or before the loop) and call %s instead of %s: %s; check that the results agree on your data.", where, fillCall(h, "...", "...", "..."), alt, l.entryName, why)
				}
				return fmt.Sprintf("%s, call %s instead of %s: %s; check that the results agree on your data.", where, alt, l.entryName, why)
			}
			return fmt.Sprintf("Call %s less often or on less data%s (cache its results, or one call per batch), or use a native routine that gives the same result (NumPy, a C or Rust extension): the loop under it is %s code, not the program's.", l.entryName, in, possessive(libraryUnit(l)))
		}
		if caller != "" {
			return fmt.Sprintf("Move %s's loop into native or vectorised code (NumPy, a Rust or C extension that takes the whole batch).", caller)
		}
	}
	if s := firstSentence(generic); s != "" {
		return s
	}
	return generic
}

func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

// codecName names the slow codec the serialization evidence is in.
func (a *analysis) codecName() string {
	json := a.ruleVal["ser.json_c"]
	pickle := a.ruleVal["ser.pickle_c"] + a.ruleVal["ser.pickle_named"]
	goStd := a.ruleVal["ser.go_std"]
	switch {
	case goStd > json && goStd > pickle && a.goCodec != "":
		return "Go's reflection-based " + a.goCodec
	case goStd > json && goStd > pickle:
		return "Go's reflection-based encoding/json"
	case pickle > json:
		return "pickle"
	case a.cls.pyProc:
		for _, c := range pyStdCodecs {
			if c.sum(a.ruleVal) > json {
				return a.codecLabel(c)
			}
		}
		return "the standard library's json"
	}
	return "a slow codec"
}

// concatFix is the linear way to build what a concatenation (by CPython's
// name for it) grows one piece at a time.
func concatFix(op string) string {
	switch op {
	case "bytes_concat", "PyBytes_Concat", "PyBytes_ConcatAndDel", "bytearray_concat":
		return `append the pieces to a list and b"".join(parts) at the end, or extend a bytearray (or write to an io.BytesIO) in place`
	case "PyUnicode_Concat":
		return `append the pieces to a list and "".join(parts) at the end, or write them to an io.StringIO`
	case "tuple_concat":
		return "append to a list and make it a tuple once at the end"
	case "list_concat":
		return "append or extend one list in place (list.append, list.extend, +=)"
	}
	return `collect the pieces in a list and join them once (b"".join, "".join), or grow a mutable buffer (bytearray, io.BytesIO, list.append)`
}

// libraryCallsPhrase names the calls a library finding claims: "main's
// calls to statistics.mean", "classify's calls to re.fullmatch, re.match
// and re.search", "the calls from parse and load to json.decoder.scan".
func libraryCallsPhrase(c candidate) string {
	entries := c.libraryEntries
	if len(entries) == 0 {
		entries = []string{c.library.entryName}
	}
	if len(c.callers) == 1 {
		return fmt.Sprintf("%s's calls to %s", c.callers[0], joinNames(entries, 3))
	}
	return fmt.Sprintf("The calls from %s to %s", joinNames(c.callers, 3), joinNames(entries, 3))
}

// oneLibrary is the top package all entries are in ("re" for re.match and
// re.search), "" when they are in several.
func oneLibrary(entries []string) string {
	lib := ""
	for i, e := range entries {
		top, _, _ := strings.Cut(e, ".")
		if i > 0 && top != lib {
			return ""
		}
		lib = top
	}
	return lib
}

// possessive is "the re module's", "the libraries'".
func possessive(owner string) string {
	if strings.HasSuffix(owner, "s") {
		return owner + "'"
	}
	return owner + "'s"
}
