package explain

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// SourceReader gives the text of line n of a program file as the profile
// names it (source.Tree reads them from a directory).
type SourceReader interface {
	Line(file string, n int) (string, bool)
}

// SourceLine is a line of the program's own code that a finding's cost
// runs through: where a function it names calls into the mechanism, or
// does the work itself.
type SourceLine struct {
	Function string  `json:"function"`
	File     string  `json:"file"`
	Line     int64   `json:"line"`
	Value    int64   `json:"value"` // active cost of the samples under this line
	Share    float64 `json:"share"` // Value's share of the active total
	// Text is the line as the source file reads now (--source), or as
	// the profile carries it (scalene); empty when neither has it.
	Text string `json:"text,omitempty"`
}

const (
	// linesPerFunction and linesPerFinding bound what a finding quotes.
	linesPerFunction = 2
	linesPerFinding  = 4
	// minSecondLine is the part of its function's cost a second line of
	// the same function needs to be quoted too.
	minSecondLine = 0.2
	// functionsQuoted is how many of a finding's functions get lines.
	functionsQuoted = 3
)

// attachLines gives each finding the hottest source lines of the first
// functions it names, in one pass over the call-tree nodes for all
// findings. A function's cost is counted once per stack: where it
// recurses, only its outermost frame's line is charged.
func (a *analysis) attachLines(fs []Finding, src SourceReader) {
	want := map[string]int{}
	var names []string
	for _, f := range fs {
		for _, fn := range f.Functions[:min(len(f.Functions), functionsQuoted)] {
			if _, ok := want[fn]; !ok {
				want[fn] = len(names)
				names = append(names, fn)
			}
		}
	}
	if len(names) == 0 {
		return
	}
	// A frame is a line of a function in one of two shapes: a frame that
	// carries its current line (py-spy, pprof, speedscope), or, in a line
	// profile (scalene), a "FILE:N" frame under its function's frame,
	// whose own line is the def line.
	lineProfile := a.hasLineEvidence()
	fnIdx := make([]int32, len(a.p.Frames))
	isLine := make([]bool, len(a.p.Frames))
	found := false
	for id := range a.p.Frames {
		fnIdx[id] = -1
		if i, ok := want[a.cls.info[id].name]; ok {
			fnIdx[id] = int32(i)
		}
		fr := &a.p.Frames[id]
		if lineProfile {
			isLine[id] = fr.Line > 0 && a.p.Meta.Attr(sourceAttr+fr.Name) != ""
		} else {
			isLine[id] = fr.Line > 0 && fr.File != "" && fnIdx[id] >= 0
		}
		found = found || isLine[id]
	}
	if !found {
		return
	}
	type key struct {
		fn    int32
		frame profile.FrameID
	}
	byLine := map[key]int64{}
	fnTotal := make([]int64, len(names))
	nodes := a.p.Nodes
	for id := 1; id < len(nodes); id++ {
		f := nodes[id].Frame
		if !isLine[f] || a.nodeTotal.at(profile.NodeID(id)) == 0 {
			continue
		}
		fn, above := fnIdx[f], nodes[id].Parent
		if lineProfile {
			if above == profile.RootNode {
				continue
			}
			fn, above = fnIdx[nodes[above].Frame], nodes[above].Parent
		}
		if fn < 0 {
			continue
		}
		outermost := true
		for n := above; n != profile.RootNode; n = nodes[n].Parent {
			if fnIdx[nodes[n].Frame] == fn {
				outermost = false
				break
			}
		}
		if outermost {
			byLine[key{fn, f}] += a.nodeTotal.at(profile.NodeID(id))
			fnTotal[fn] += a.nodeTotal.at(profile.NodeID(id))
		}
	}
	// Frames of the same file and line (a py-spy frame per caller line
	// is one frame; pprof may repeat a line under two addresses) merge.
	type lineKey struct {
		fn   int32
		file string
		line int64
	}
	merged := map[lineKey]int64{}
	for k, v := range byLine {
		fr := &a.p.Frames[k.frame]
		merged[lineKey{k.fn, fr.File, fr.Line}] += v
	}
	perFn := make([][]SourceLine, len(names))
	for k, v := range merged {
		perFn[k.fn] = append(perFn[k.fn], SourceLine{Function: names[k.fn], File: k.file, Line: k.line, Value: v, Share: a.activeShare(v)})
	}
	for i := range perFn {
		slices.SortFunc(perFn[i], func(x, y SourceLine) int {
			if c := cmp.Compare(y.Value, x.Value); c != 0 {
				return c
			}
			if x.File != y.File {
				return strings.Compare(x.File, y.File)
			}
			return cmp.Compare(x.Line, y.Line)
		})
		keep := perFn[i][:0]
		for j, l := range perFn[i] {
			if j >= linesPerFunction || j > 0 && float64(l.Value) < minSecondLine*float64(fnTotal[i]) {
				break
			}
			l.Text = a.lineText(src, l.File, l.Line)
			keep = append(keep, l)
		}
		perFn[i] = keep
	}
	for fi := range fs {
		var out []SourceLine
		for _, fn := range fs[fi].Functions[:min(len(fs[fi].Functions), functionsQuoted)] {
			out = append(out, perFn[want[fn]]...)
		}
		fs[fi].Lines = out[:min(len(out), linesPerFinding)]
	}
}

// lineText is the text of a source line: from the source tree the user
// named, else from the profile (scalene carries its lines), else "".
func (a *analysis) lineText(src SourceReader, file string, line int64) string {
	if src != nil {
		if t, ok := src.Line(file, int(line)); ok {
			return t
		}
	}
	return strings.TrimSpace(a.p.Meta.Attr(fmt.Sprintf("%s%s:%d", sourceAttr, file, line)))
}

// reDef matches a Python function header: indentation, then the name.
var reDef = regexp.MustCompile(`^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(`)

// maxDefDistance is how far above its hot line a function's header is
// looked for.
const maxDefDistance = 200

// quoteFunction quotes function fn around its line n of file from src:
// its def line, "..." for what lies between, and the statement at line n
// (with its continuation lines while brackets are open), dedented to the
// def. first is the header's line number. ok is false when the file, the
// header or a balanced statement is not found: a partial quote would
// misrepresent the code.
func quoteFunction(src SourceReader, file string, n int, fn string) (code string, first int, ok bool) {
	if src == nil || !strings.HasSuffix(file, ".py") {
		return "", 0, false
	}
	hot, ok := src.Line(file, n)
	if !ok {
		return "", 0, false
	}
	name := fn[strings.LastIndexByte(fn, '.')+1:]
	hotIndent := len(hot) - len(strings.TrimLeft(hot, " "))
	def, defIndent := 0, 0
	for i := n; i >= max(1, n-maxDefDistance); i-- {
		t, ok := src.Line(file, i)
		if !ok {
			continue
		}
		if m := reDef.FindStringSubmatch(t); m != nil && len(m[1]) < hotIndent || m != nil && i == n {
			if m[2] != name {
				return "", 0, false // the line lies in another function
			}
			def, defIndent = i, len(m[1])
			break
		}
	}
	if def == 0 {
		return "", 0, false
	}
	var b strings.Builder
	header, _ := src.Line(file, def)
	b.WriteString(header[defIndent:])
	if def == n {
		return b.String(), def, true
	}
	if n > def+1 {
		b.WriteString("\n" + strings.Repeat(" ", hotIndent-defIndent) + "...")
	}
	depth := 0
	for i := n; i < n+8; i++ {
		t, ok := src.Line(file, i)
		if !ok || len(t) < defIndent {
			return "", 0, false
		}
		b.WriteString("\n" + t[defIndent:])
		depth += bracketDepth(t)
		if depth <= 0 {
			return b.String(), def, true
		}
	}
	return "", 0, false
}

// bracketDepth is how many brackets line opens minus how many it closes,
// outside string literals and comments: enough to find where a call that
// spans lines ends.
func bracketDepth(line string) int {
	d := 0
	scanCode(line, func(_ int, c byte) bool {
		switch c {
		case '(', '[', '{':
			d++
		case ')', ']', '}':
			d--
		}
		return true
	})
	return d
}

// reShellSafe matches a word a POSIX shell reads as itself.
var reShellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+=,-]+$`)

// shellWord is path as one shell word: as is when safe, else in single
// quotes. Several inputs ("a + b") and none are PROFILE.
func shellWord(path string) string {
	switch {
	case path == "" || path == "profile" || strings.Contains(path, " + "):
		return "PROFILE"
	case reShellSafe.MatchString(path):
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}
