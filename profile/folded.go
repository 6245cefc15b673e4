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
	ft := &foldedText{names: names, roots: []string{""}}
	lines, nodes := ft.merge(p, vi, opt)
	// Sort the lines by their text without writing it out: each line is
	// its root frame and its root-first path of frame IDs (a few bytes a
	// frame, where the text of a million deep stacks takes a gigabyte),
	// compared as the joined text would compare.
	//
	// Size the paths once (a node's depth bounds its path's length), so
	// that a million deep stacks do not grow and copy the array a dozen
	// times. Stacks the reader kept are used where they are.
	total := 0
	for i, l := range lines {
		if l.path == nil || collapse {
			total += p.Depth(nodes[i])
		}
	}
	paths := make([]FrameID, 0, total)
	ft.lines = lines[:0]
	for i, l := range lines {
		if l.path == nil || collapse {
			start := len(paths)
			for n := nodes[i]; n != RootNode; n = p.Nodes[n].Parent {
				if f := p.Nodes[n].Frame; !collapse || !dropped[f] {
					paths = append(paths, f)
				}
			}
			l.path = paths[start:len(paths):len(paths)]
			slices.Reverse(l.path)
		}
		if collapse && len(l.path) == 0 {
			continue
		}
		ft.lines = append(ft.lines, l)
	}
	ft.rank()
	order, same := ft.sort()
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := 0; i < len(order); {
		l := ft.lines[order[i]]
		v := l.value
		// Different nodes can print the same text (frames that differ only
		// in what folded text does not show): add them up.
		for i++; i < len(order) && same[i]; i++ {
			v += ft.lines[order[i]].value
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

// merge sums the samples with a value per (stack, root frame), one line
// each in first-seen order (nothing here ranges over a map), with the
// stack the reader kept as its path when there is one (then no path is
// walked up the tree), and each line's leaf node.
func (t *foldedText) merge(p *Profile, vi int, opt FoldedOptions) ([]foldedLine, []NodeID) {
	// A line is a leaf node or, where the reader kept the stacks, a stack
	// (then the tree may not be built: see Builder.BuildStacks), with a
	// root frame.
	type key struct {
		node  NodeID
		stack int32
		root  int32
	}
	rootOf := map[Labels]int32{}
	rootID := map[string]int32{"": 0}
	var lastLabels Labels
	lastRoot := int32(-1)
	byKey := map[key]int32{}
	// byStack[s] is 1 + the line of stack s first seen, when the reader
	// kept its stacks: most stacks have one root, and a slice indexed by
	// stack costs less than the map, which then holds only the others.
	var byStack []int32
	if p.stacks != nil {
		byStack = make([]int32, len(p.stacks))
	}
	lines := make([]foldedLine, 0, len(p.Samples))
	nodes := make([]NodeID, 0, len(p.Samples))
	for i := range p.Samples {
		s := &p.Samples[i]
		if len(s.Values) <= vi || s.Values[vi] == 0 {
			continue
		}
		if lastRoot < 0 || *s.Labels != lastLabels {
			r, ok := rootOf[*s.Labels]
			if !ok {
				text := rootFrame(*s.Labels, opt)
				if r, ok = rootID[text]; !ok {
					r = int32(len(t.roots))
					t.roots = append(t.roots, text)
					rootID[text] = r
				}
				rootOf[*s.Labels] = r
			}
			lastLabels, lastRoot = *s.Labels, r
		}
		st, kept := p.SampleStack(s)
		var slot *int32
		if kept {
			slot = &byStack[s.stack-1]
			if *slot != 0 && lines[*slot-1].root == lastRoot {
				lines[*slot-1].value += s.Values[vi]
				continue
			}
		}
		k := key{s.Node, s.stack, lastRoot}
		if slot == nil || *slot != 0 {
			if at, ok := byKey[k]; ok {
				lines[at].value += s.Values[vi]
				continue
			}
			byKey[k] = int32(len(lines))
		} else {
			*slot = int32(len(lines)) + 1
		}
		lines = append(lines, foldedLine{path: st, value: s.Values[vi], root: lastRoot})
		nodes = append(nodes, s.Node)
	}
	return lines, nodes
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

// foldedLine is one line of folded output before it is written: its root
// frame (an index in foldedText.roots, 0 for none) and its frames, root
// first (a window of one shared array, or the stack the reader kept).
type foldedLine struct {
	path  []FrameID // root-first frames, read-only
	value int64
	root  int32
}

// foldedText holds the lines of a folded profile as frame paths. A line's
// text is its items (the root frame when there is one, then each frame's
// name) joined by ';'.
//
// Lines are compared as tokens: an item followed by the ';' that goes on
// to the next one, or the last item, followed by the end of the text.
// When no item holds a ';', each text splits into tokens one way only and
// no token is a prefix of another, so two texts compare as their first
// differing tokens do, and rank gives each token its place among all of
// them: comparing lines then compares integers. Otherwise (a root frame
// with a ';' in it) lines are compared byte by byte (compareText).
type foldedText struct {
	names []string
	roots []string // roots[0] is "": no root frame
	// cont and last are each frame's token ranks, as a middle item and as
	// the last; rootCont and rootLast each root's. nil: compare texts.
	cont, last         []int32
	rootCont, rootLast []int32
	// empty is the rank of the token of an empty last item.
	empty int32
	lines []foldedLine
}

// rank sets the token ranks, unless an item holds a ';'.
func (t *foldedText) rank() {
	for _, r := range t.roots {
		if strings.Contains(r, ";") {
			return
		}
	}
	for _, n := range t.names {
		if strings.Contains(n, ";") {
			return
		}
	}
	// The distinct items, the empty one included.
	id := map[string]int32{}
	var items []string
	intern := func(s string) int32 {
		i, ok := id[s]
		if !ok {
			i = int32(len(items))
			items = append(items, s)
			id[s] = i
		}
		return i
	}
	intern("")
	nameID := make([]int32, len(t.names))
	for i, n := range t.names {
		nameID[i] = intern(n)
	}
	rootID := make([]int32, len(t.roots))
	for i, r := range t.roots {
		rootID[i] = intern(r)
	}
	// Token 2i is item i going on with a ';', 2i+1 item i ending the text,
	// which sorts before any byte.
	tokens := make([]int32, 2*len(items))
	for i := range tokens {
		tokens[i] = int32(i)
	}
	cmp := func(x, y int32) int {
		a, b := items[x/2], items[y/2]
		n := min(len(a), len(b))
		if r := strings.Compare(a[:n], b[:n]); r != 0 {
			return r
		}
		next := func(s string, tok int32) int {
			switch {
			case len(s) > n:
				return int(s[n])
			case tok%2 == 0:
				return ';'
			}
			return -1
		}
		return next(a, x) - next(b, y)
	}
	slices.SortFunc(tokens, cmp)
	rank := make([]int32, len(tokens))
	for i, tok := range tokens {
		if i > 0 {
			rank[tok] = rank[tokens[i-1]]
			if cmp(tokens[i-1], tok) != 0 {
				rank[tok]++
			}
		}
	}
	t.cont, t.last = make([]int32, len(t.names)), make([]int32, len(t.names))
	for i, n := range nameID {
		t.cont[i], t.last[i] = rank[2*n], rank[2*n+1]
	}
	t.rootCont, t.rootLast = make([]int32, len(t.roots)), make([]int32, len(t.roots))
	for i, r := range rootID {
		t.rootCont[i], t.rootLast[i] = rank[2*r], rank[2*r+1]
	}
	t.empty = rank[1]
}

// sort returns the lines' indexes in the order of their texts, and for
// each position whether its text is the same as the one before.
func (t *foldedText) sort() (order []int32, same []bool) {
	n := len(t.lines)
	order = make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	same = make([]bool, n)
	if t.cont == nil {
		slices.SortFunc(order, func(x, y int32) int { return t.compare(t.lines[x], t.lines[y]) })
		for i := 1; i < n; i++ {
			same[i] = t.compare(t.lines[order[i-1]], t.lines[order[i]]) == 0
		}
		return order, same
	}
	// By token ranks, one item at a time from the first, each group of
	// lines whose items so far are the same sorted by its next token (a
	// radix sort): each token is looked at about once, where comparing
	// lines reads their shared items again at every comparison. Lines in
	// a group have all gone on with a ';' so far, so none has ended; a
	// token that ends a line ends every line in its run (no token both
	// ends a line and goes on), and those lines are the same text.
	keys := make([]uint64, n)
	// split sorts one group by its next token and returns the groups of
	// lines that go on; lines that end together are marked the same.
	// Groups are disjoint windows of order, keys and same, so different
	// groups can be split at once.
	split := func(g window, todo []window) []window {
		for i := g.lo; i < g.hi; i++ {
			l := order[i]
			keys[i] = uint64(uint32(t.tokenAt(t.lines[l], int(g.depth))))<<32 | uint64(uint32(l))
		}
		ks := keys[g.lo:g.hi]
		slices.Sort(ks)
		for i, k := range ks {
			order[int(g.lo)+i] = int32(uint32(k))
		}
		start := g.lo
		for i := g.lo + 1; i <= g.hi; i++ {
			if i < g.hi && keys[i]>>32 == keys[start]>>32 {
				continue
			}
			if i-start > 1 {
				if l := t.lines[order[start]]; t.endsAt(l, int(g.depth)) {
					for k := start + 1; k < i; k++ {
						same[k] = true
					}
				} else {
					todo = append(todo, window{start, i, g.depth + 1})
				}
			}
			start = i
		}
		return todo
	}
	drainGroups(n, split)
	return order, same
}

// tokenAt returns the rank of item j of l, which has more than j items or
// none (then its text is empty, as the text of one empty item is).
func (t *foldedText) tokenAt(l foldedLine, j int) int32 {
	n := t.items(l)
	if n == 0 {
		return t.empty
	}
	return t.token(l, j, n)
}

// endsAt reports whether item j is l's last (or l has none).
func (t *foldedText) endsAt(l foldedLine, j int) bool {
	return j >= t.items(l)-1
}

func (t *foldedText) items(l foldedLine) int {
	n := len(l.path)
	if l.root != 0 {
		n++
	}
	return n
}

func (t *foldedText) item(l foldedLine, j int) string {
	if l.root != 0 {
		if j == 0 {
			return t.roots[l.root]
		}
		j--
	}
	return t.names[l.path[j]]
}

// token returns the rank of item j of a line of n items.
func (t *foldedText) token(l foldedLine, j, n int) int32 {
	end := j == n-1
	if l.root != 0 {
		if j == 0 {
			if end {
				return t.rootLast[l.root]
			}
			return t.rootCont[l.root]
		}
		j--
	}
	if end {
		return t.last[l.path[j]]
	}
	return t.cont[l.path[j]]
}

// compare orders two lines as bytes.Compare orders their texts.
func (t *foldedText) compare(a, b foldedLine) int {
	if t.cont == nil {
		return t.compareText(a, b)
	}
	j := 0 // items known equal
	if a.root == b.root {
		// Skip the frames both paths share, but for the last of either,
		// whose token differs.
		pa, pb := a.path, b.path
		n := min(len(pa), len(pb)) - 1
		for j < n && (pa[j] == pb[j] || t.cont[pa[j]] == t.cont[pb[j]]) {
			j++
		}
		if a.root != 0 {
			j++
		}
	}
	na, nb := t.items(a), t.items(b)
	if na == 0 || nb == 0 {
		// A line of no items has the empty text, as a line whose one
		// item is empty does.
		ea, eb := t.emptyText(a, na), t.emptyText(b, nb)
		switch {
		case ea && eb:
			return 0
		case ea:
			return -1
		case eb:
			return 1
		}
	}
	for ; j < na && j < nb; j++ {
		if x, y := t.token(a, j, na), t.token(b, j, nb); x != y {
			return int(x - y)
		}
	}
	return na - nb
}

// emptyText reports whether a line of n items has the empty text.
func (t *foldedText) emptyText(l foldedLine, n int) bool {
	return n == 0 || n == 1 && t.token(l, 0, 1) == t.empty
}

// sameItem reports whether item j of a and b is the same text, by frame ID
// first (the common case, and cheap) and by text otherwise.
func (t *foldedText) sameItem(a, b foldedLine, j int) bool {
	if (a.root != 0) == (b.root != 0) && (a.root == 0 || j > 0) {
		k := j
		if a.root != 0 {
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

// compareText orders two lines as bytes.Compare orders their texts, byte
// by byte where their items differ.
func (t *foldedText) compareText(a, b foldedLine) int {
	if a.root != b.root {
		return t.compareFrom(a, b, 0)
	}
	// Same root: compare the paths frame by frame, by ID first.
	pa, pb := a.path, b.path
	j := 0
	for j < len(pa) && j < len(pb) && (pa[j] == pb[j] || t.names[pa[j]] == t.names[pb[j]]) {
		j++
	}
	if a.root != 0 {
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
