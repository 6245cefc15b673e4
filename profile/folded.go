package profile

import (
	"bufio"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// FoldedOptions control WriteFolded. The zero value writes the default value
// type with plain frame names, and a process-name root frame where the
// samples carry one (as stackcollapse-perf does).
type FoldedOptions struct {
	// Value indexes SampleTypes; -1 means the profile's DefaultType.
	Value int
	// PID and TID extend the process root frame to comm-PID and
	// comm-PID/TID, as stackcollapse-perf's --pid and --tid do.
	PID, TID bool
	// Kernel and JIT suffix kernel frames with _[k] and JIT frames with _[j].
	Kernel, JIT bool
}

// WriteFolded writes the profile as folded stacks: one line per distinct
// stack, "root;...;leaf count", sorted by byte order, which is also the
// canonical text form used by golden tests. Stacks whose value is 0 are
// left out. Values of a scaled type are written as decimals. A profile
// read from perf script is written as the collapsers write it: frames
// whose name starts with '(' are left out, and so is a stack left with no
// frame (inferno's rule; the model keeps both for explain).
func WriteFolded(w io.Writer, p *Profile, opt FoldedOptions) error {
	vi := opt.Value
	if vi < 0 || vi >= len(p.SampleTypes) {
		vi = p.DefaultType
	}
	scale := int64(1)
	if len(p.SampleTypes) > 0 && p.SampleTypes[vi].Scale > 1 {
		scale = p.SampleTypes[vi].Scale
	}
	names := make([]string, len(p.Frames))
	for i, f := range p.Frames {
		names[i] = foldedName(f, opt)
	}
	collapse := p.Meta.Format == "perf"
	var dropped []bool // frames the collapsers leave out
	if collapse {
		dropped = make([]bool, len(p.Frames))
		for i, f := range p.Frames {
			dropped[i] = strings.HasPrefix(f.Name, "(")
		}
	}
	// Merge samples per (stack, root frame) first: label sets that differ
	// only in what the root frame does not show fold into one line.
	type key struct {
		node NodeID
		root string
	}
	roots := map[Labels]string{}
	sums := map[key]int64{}
	var order []key // first-seen order, so nothing below ranges over a map
	// stacks[i] is order[i]'s stack when the reader kept it (SampleStack):
	// then no path is walked up the tree.
	var stacks [][]FrameID
	for i := range p.Samples {
		s := &p.Samples[i]
		if len(s.Values) <= vi || s.Values[vi] == 0 {
			continue
		}
		root, ok := roots[s.Labels]
		if !ok {
			root = rootFrame(s.Labels, opt)
			roots[s.Labels] = root
		}
		k := key{s.Node, root}
		if _, seen := sums[k]; !seen {
			order = append(order, k)
			if p.stacks != nil {
				st, _ := p.SampleStack(s)
				stacks = append(stacks, st)
			}
		}
		sums[k] += s.Values[vi]
	}
	// Sort the lines by their text without writing it out: each line is
	// its root frame and its root-first path of frame IDs (a few bytes a
	// frame, where the text of a million deep stacks takes a gigabyte),
	// compared as the joined text would compare.
	ft := foldedText{names: names}
	ft.lines = make([]foldedLine, 0, len(order))
	// Size the paths once (a node's depth bounds its path's length), so
	// that a million deep stacks do not grow and copy the array a dozen
	// times. Stacks the reader kept are used where they are.
	total := 0
	for i, k := range order {
		if i >= len(stacks) || stacks[i] == nil || collapse {
			total += int(p.Nodes[k.node].Depth)
		}
	}
	paths := make([]FrameID, 0, total)
	for i, k := range order {
		var path []FrameID
		if i < len(stacks) && stacks[i] != nil && !collapse {
			path = stacks[i]
		} else {
			start := len(paths)
			for n := k.node; n != RootNode; n = p.Nodes[n].Parent {
				if f := p.Nodes[n].Frame; !collapse || !dropped[f] {
					paths = append(paths, f)
				}
			}
			path = paths[start:len(paths):len(paths)]
			slices.Reverse(path)
		}
		if collapse && len(path) == 0 {
			continue
		}
		ft.lines = append(ft.lines, foldedLine{root: k.root, path: path, value: sums[k]})
	}
	slices.SortFunc(ft.lines, ft.compare)
	bw := bufio.NewWriterSize(w, 1<<16)
	for i := 0; i < len(ft.lines); {
		l := ft.lines[i]
		v := l.value
		// Different nodes can print the same text (frames that differ only
		// in what folded text does not show): add them up.
		for i++; i < len(ft.lines) && ft.compare(ft.lines[i], l) == 0; i++ {
			v += ft.lines[i].value
		}
		last := ""
		for j, n := 0, ft.items(l); j < n; j++ {
			if j > 0 {
				bw.WriteByte(';')
			}
			last = ft.item(l, j)
			bw.WriteString(last)
		}
		if endsWithCount(last) {
			// "f 0 1" would read as a differential line (counts 0 and 1);
			// a trailing ';' ends the stack without adding a frame, for
			// hotspot and flamegraph.pl alike.
			bw.WriteByte(';')
		}
		bw.WriteByte(' ')
		bw.WriteString(FormatScaled(v, scale))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// endsWithCount reports whether a frame name ends in whitespace and a
// number, which a folded reader would take for a first count.
func endsWithCount(name string) bool {
	i := len(name)
	for i > 0 && (name[i-1] >= '0' && name[i-1] <= '9' || name[i-1] == '.') {
		i--
	}
	if i == len(name) || i == 0 {
		return false
	}
	switch name[i-1] {
	case ' ', '\t', '\v', '\f', '\r':
		return true
	}
	return false
}

// foldedLine is one line of folded output before it is written: the root
// frame ("" for none) and its frames, root first (a window of one shared
// array, or the stack the reader kept).
type foldedLine struct {
	root  string
	path  []FrameID // root-first frames, read-only
	value int64
}

// foldedText holds the lines of a folded profile as frame paths. A line's
// text is its items (the root frame when there is one, then each frame's
// name) joined by ';'.
type foldedText struct {
	names []string
	lines []foldedLine
}

func (t *foldedText) items(l foldedLine) int {
	n := len(l.path)
	if l.root != "" {
		n++
	}
	return n
}

func (t *foldedText) item(l foldedLine, j int) string {
	if l.root != "" {
		if j == 0 {
			return l.root
		}
		j--
	}
	return t.names[l.path[j]]
}

// sameItem reports whether item j of a and b is the same text, by frame ID
// first (the common case, and cheap) and by text otherwise.
func (t *foldedText) sameItem(a, b foldedLine, j int) bool {
	if (a.root != "") == (b.root != "") && (a.root == "" || j > 0) {
		k := j
		if a.root != "" {
			k--
		}
		fa, fb := a.path[k], b.path[k]
		if fa == fb {
			return true
		}
		return t.names[fa] == t.names[fb]
	}
	return t.item(a, j) == t.item(b, j)
}

// compare orders two lines as bytes.Compare orders their texts.
func (t *foldedText) compare(a, b foldedLine) int {
	if a.root != b.root {
		return t.compareFrom(a, b, 0)
	}
	// Same root: compare the paths frame by frame, by ID first.
	pa, pb := a.path, b.path
	j := 0
	for j < len(pa) && j < len(pb) && (pa[j] == pb[j] || t.names[pa[j]] == t.names[pb[j]]) {
		j++
	}
	if a.root != "" {
		j++ // items count the root
	}
	return t.compareFrom(a, b, j)
}

// compareFrom compares two lines whose items before j are equal.
func (t *foldedText) compareFrom(a, b foldedLine, j int) int {
	na, nb := t.items(a), t.items(b)
	for j < na && j < nb && t.sameItem(a, b, j) {
		j++
	}
	if (j == na || j == nb) && j > 0 {
		// One text is a prefix of the other, which goes on with a ';'
		// (or they are equal).
		return na - nb
	}
	if j < na && j < nb {
		// Item j differs. Where neither is a prefix of the other, the
		// first differing byte lies inside it.
		x, y := t.item(a, j), t.item(b, j)
		n := min(len(x), len(y))
		if r := strings.Compare(x[:n], y[:n]); r != 0 {
			return r
		}
	}
	// One item is a prefix of the other (or a line has no items): compare
	// byte by byte from item j on, separators included.
	ca := textCursor{t: t, l: a, n: na, j: j}
	cb := textCursor{t: t, l: b, n: nb, j: j}
	for {
		x, y := ca.next(), cb.next()
		if x != y {
			return x - y
		}
		if x < 0 {
			return 0
		}
	}
}

// textCursor walks a line's text byte by byte from item j on.
type textCursor struct {
	t    *foldedText
	l    foldedLine
	n, j int
	s    string
	off  int
	init bool
}

// next returns the next byte of the text, or -1 at its end.
func (c *textCursor) next() int {
	if c.j >= c.n {
		return -1 // a line with no items
	}
	if !c.init {
		c.s, c.init = c.t.item(c.l, c.j), true
	}
	if c.off < len(c.s) {
		b := c.s[c.off]
		c.off++
		return int(b)
	}
	if c.j+1 >= c.n {
		return -1
	}
	c.j++
	c.s, c.off = c.t.item(c.l, c.j), 0
	return ';'
}

// FormatScaled writes v/scale exactly, as a decimal when scale > 1.
func FormatScaled(v, scale int64) string {
	if scale <= 1 {
		return strconv.FormatInt(v, 10)
	}
	digits := len(strconv.FormatInt(scale, 10)) - 1
	s := strconv.FormatInt(v/scale, 10) + "." + leftPad(strconv.FormatInt(v%scale, 10), digits)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

func rootFrame(l Labels, opt FoldedOptions) string {
	// Without a process name there is no root frame, unless --pid or --tid
	// asked for one and the sample has the id: "?" stands for the name,
	// as it does for a missing pid.
	if l.Comm == "" && !(opt.PID && l.HasPID) && !(opt.TID && l.HasTID) {
		return ""
	}
	root := "?"
	if l.Comm != "" {
		root = strings.ReplaceAll(l.Comm, " ", "_")
	}
	if opt.PID || opt.TID {
		pid := "?"
		if l.HasPID {
			pid = strconv.FormatInt(l.PID, 10)
		}
		root += "-" + pid
		if opt.TID {
			tid := "?"
			if l.HasTID {
				tid = strconv.FormatInt(l.TID, 10)
			}
			root += "/" + tid
		}
	}
	return root
}

var jitModule = regexp.MustCompile(`(^|/)(perf-\d+\.map|jitted-\d+-\d+\.so)$`)

// foldedName is a frame's folded text. Inlined frames get no _[k]/_[j]
// suffix, as in stackcollapse-perf: a split Java "a->b" frame is marked _[i]
// in its name instead, and perf's "(inlined)" entries have no dso of their
// own to classify.
func foldedName(f Frame, opt FoldedOptions) string {
	name := strings.ReplaceAll(f.Name, ";", ":")
	// A line break inside a name (JSON and pprof inputs can hold one) would
	// split its line in two: write it as the two characters \n. A lone CR
	// stays, since the folded reader keeps it inside a name.
	name = strings.ReplaceAll(name, "\n", `\n`)
	switch {
	case f.Inlined:
		return name
	case opt.Kernel && f.Kind == KindKernel:
		return name + "_[k]"
	case opt.JIT && (f.Kind == KindJIT || jitModule.MatchString(f.Module)):
		return name + "_[j]"
	}
	return name
}

// IsJITModule reports whether a module name is a JIT symbol map or a jitdump
// object (perf's /tmp/perf-PID.map, perf inject's jitted-PID-N.so).
func IsJITModule(module string) bool { return jitModule.MatchString(module) }
