package explain

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// ownSketches fills the hint's own-name sketches for candidate c: {caller}
// is the Python function (or native caller) the finding names first,
// {entry} the native entry point (the name Python calls), {where} the caller's file and hottest
// line. A sketch needing a name the profile does not give is left out;
// so are sketches in a language the program does not use.
func (a *analysis) ownSketches(c candidate, h hints.Hint) []Sketch {
	names := map[string]string{}
	// quote is the caller's own code around its hottest line, when the
	// source is at hand: the sketch's "before" shows it instead of the
	// catalogue's stand-in.
	var quote string
	// A caller the profile could not name ("the Python loop (not named
	// in this recording)") is no name for code.
	caller := firstName(c.callers, c.functions)
	if c.library != nil {
		// A library call's sketch is the program's code: the library's
		// functions are no place to edit.
		caller = firstName(c.callers)
	}
	if reIdent.MatchString(caller) {
		names["{caller}"] = caller
		fr, ok := a.hottestFrame(caller)
		names["{where}"] = a.whereIs(caller, fr, ok)
		if ok && a.p.Frames[fr].Line > 0 {
			quote, _, _ = quoteFunction(a.src, a.p.Frames[fr].File, int(a.p.Frames[fr].Line), caller)
		}
	}
	if strings.Contains(c.variant, "hook") && len(c.inside) > 0 && reIdent.MatchString(c.inside[0]) {
		names["{hook}"] = c.inside[0]
	}
	if len(c.packages) > 0 && reIdent.MatchString(c.packages[0]) {
		names["{package}"] = c.packages[0]
	}
	if len(c.entries) > 0 {
		names["{entry}"] = a.pyVisible(c.entries[0])
		if owner := ownerType(c.entries[0]); owner != "" {
			names["{owner}"] = owner
		}
	}
	if l := c.library; l != nil {
		names["{call}"] = l.entryName
		if l.lineWhere != "" {
			names["{where}"] = l.lineWhere
		}
		// The stand-in call, and the same call on the native routine
		// (with what that hoists, a compiled pattern).
		args := "data"
		if n, ok := libraryNativeCalls[l.entryName]; ok && n.hoist != "" {
			args = "pattern, text"
		}
		names["{args}"] = args
		if code, ok := withNativeCall("result = "+l.entryName+"("+args+")", l.entryName); ok {
			names["{native}"] = code
		}
	}
	keep := a.forRuntime(hints.Hint{Sketches: h.OwnSketches})
	var out []Sketch
	// Each language's sketch for the variant, or its "/anon" form (no
	// caller names) when the profile does not give every name.
	for _, when := range []string{c.variant, c.variant + "/anon"} {
		for _, s := range keep.Sketches {
			if s.When != when || slices.ContainsFunc(out, func(o Sketch) bool { return o.Language == s.Language }) {
				continue
			}
			before, okB := fill(s.Before, names)
			after, okA := fill(s.After, names)
			if quote != "" && s.Language == "python" && strings.Contains(s.Before, "{where}") {
				before = quotedBefore(before, quote)
				// json put off its C encoder: the same call on orjson, in
				// the program's own arguments.
				if c.variant == "json-pure-python" {
					if call, note, ok := orjsonCall(quote); ok {
						after = leadingComments(after) + "import orjson\n\n" + call + note
					}
				}
				// A library call with a native equivalent: the quoted
				// code with the call replaced, where it is spelled out.
				if l := c.library; l != nil {
					if code, ok := withNativeCall(quote, l.entryName); ok {
						after = leadingComments(after) + code
					}
				}
			}
			// A line profile gives the line's own text: the sketch is
			// that line, and the same line calling the native routine.
			if l := c.library; l != nil && l.lineText != "" && s.Language == "python" && quote == "" {
				if code, ok := withNativeCall(l.lineText, l.entryName); ok {
					before = leadingComments(before) + l.lineText
					after = leadingComments(after) + code
				}
			}
			if okB && okA {
				out = append(out, Sketch{Language: s.Language, Before: before, After: after})
			}
		}
	}
	return out
}

// reHole matches a name left unfilled.
var reHole = regexp.MustCompile(`\{(caller|entry|where|owner|hook|package|call|native|args)\}`)

// reIdent matches a name code can use: a Python qualified name or a native
// path.
var reIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.:<>]*$`)

// ownerType is the type a native method entry point belongs to (PyO3's
// rpds::HashTrieMapPy::__pymethod_insert__ is HashTrieMapPy's), "" for a
// free function.
func ownerType(entry string) string {
	parts := strings.Split(entry, "::")
	if len(parts) < 2 || !strings.HasPrefix(parts[len(parts)-1], "__pymethod_") {
		return ""
	}
	return parts[len(parts)-2]
}

func firstName(lists ...[]string) string {
	for _, l := range lists {
		if len(l) > 0 && l[0] != "" {
			return l[0]
		}
	}
	return ""
}

// fill replaces each {name} in t; ok is false when t uses a name that has
// no value.
func fill(t string, names map[string]string) (string, bool) {
	for k, v := range names {
		t = strings.ReplaceAll(t, k, v)
	}
	return t, !reHole.MatchString(t)
}

// whereIs is "file.py:line" for the function named name from its
// hottest frame best (found says there is one): the line where it calls
// into the mechanism, or its own hot line; the file alone when the
// profile has no lines, and "name()" when it names no file.
func (a *analysis) whereIs(name string, best profile.FrameID, found bool) string {
	if !found {
		return name + "()"
	}
	fr := a.p.Frames[best]
	if fr.Line > 0 {
		return fmt.Sprintf("%s:%d", path.Base(fr.File), fr.Line)
	}
	return path.Base(fr.File)
}

// hottestFrame is the frame of the function named name, among those
// naming a file, whose call-tree nodes carry the most cost (its line
// where the profile has lines). One pass over the call-tree nodes.
func (a *analysis) hottestFrame(name string) (profile.FrameID, bool) {
	best, bestV := profile.FrameID(0), int64(-1)
	for id := 1; id < len(a.p.Nodes); id++ {
		f := a.p.Nodes[id].Frame
		if a.cls.info[f].name != name || a.p.Frames[f].File == "" {
			continue
		}
		if v := a.nodeTotal.at(profile.NodeID(id)); v > bestV {
			best, bestV = f, v
		}
	}
	return best, bestV >= 0
}

// quotedBefore puts the program's own code in place of a sketch's
// stand-in "before": the sketch's leading comment lines stay (they say
// where and why), marked as quoted from the file as it reads now.
func quotedBefore(before, quote string) string {
	return leadingComments(before) + "# (quoted from the source as it reads now)\n" + quote
}

// leadingComments is the comment lines a sketch starts with, each with
// its newline.
func leadingComments(code string) string {
	var b strings.Builder
	for _, l := range strings.Split(code, "\n") {
		if !strings.HasPrefix(l, "#") {
			break
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

// codecDirection says whether the serializer cost under the function
// named caller is mostly decoding or encoding, from the frame names
// below it ("decode", "loads", "scan" against "encode", "dumps"); ""
// when neither shows. One pass over the call-tree nodes with self cost.
func (a *analysis) codecDirection(caller string) string {
	var dec, enc int64
	for id := 1; id < len(a.p.Nodes); id++ {
		v := a.selfOf(profile.NodeID(id))
		if v == 0 {
			continue
		}
		under, d, e := false, false, false
		for n := profile.NodeID(id); n != profile.RootNode; n = a.p.Nodes[n].Parent {
			nm := strings.ToLower(a.cls.info[a.p.Nodes[n].Frame].name)
			if nm == strings.ToLower(caller) {
				under = true
				break
			}
			d = d || strings.Contains(nm, "decode") || strings.Contains(nm, "loads") || strings.Contains(nm, "scan")
			e = e || strings.Contains(nm, "encode") || strings.Contains(nm, "dumps")
		}
		switch {
		case !under:
		case d && !e:
			dec += v
		case e && !d:
			enc += v
		}
	}
	switch {
	case dec > 2*enc:
		return "decode"
	case enc > 2*dec:
		return "encode"
	}
	return ""
}
