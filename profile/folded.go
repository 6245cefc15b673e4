package profile

import (
	"bufio"
	"bytes"
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
// left out. Values of a scaled type are written as decimals.
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
	// Merge samples per (stack, root frame) first: label sets that differ
	// only in what the root frame does not show fold into one line.
	type key struct {
		node NodeID
		root string
	}
	roots := map[Labels]string{}
	sums := map[key]int64{}
	var order []key // first-seen order, so nothing below ranges over a map
	for _, s := range p.Samples {
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
		}
		sums[k] += s.Values[vi]
	}
	// Write every line's text into one arena and sort windows of it: a
	// profile with a million deep stacks would otherwise hold a million
	// strings plus a map keyed by them.
	type line struct {
		start, end int
		value      int64
	}
	var arena []byte
	lines := make([]line, 0, len(order))
	var path []FrameID
	for _, k := range order {
		start := len(arena)
		path = path[:0]
		for n := k.node; n != RootNode; n = p.Nodes[n].Parent {
			path = append(path, p.Nodes[n].Frame)
		}
		arena = append(arena, k.root...)
		sep := k.root != "" // an empty frame name still takes its ';'
		for i := len(path) - 1; i >= 0; i-- {
			if sep {
				arena = append(arena, ';')
			}
			sep = true
			arena = append(arena, names[path[i]]...)
		}
		lines = append(lines, line{start, len(arena), sums[k]})
	}
	text := func(l line) []byte { return arena[l.start:l.end] }
	slices.SortFunc(lines, func(a, b line) int { return bytes.Compare(text(a), text(b)) })
	bw := bufio.NewWriterSize(w, 1<<16)
	for i := 0; i < len(lines); {
		l := lines[i]
		v := l.value
		// Different nodes can print the same text (frames that differ only
		// in what folded text does not show): add them up.
		for i++; i < len(lines) && bytes.Equal(text(lines[i]), text(l)); i++ {
			v += lines[i].value
		}
		bw.Write(text(l))
		bw.WriteByte(' ')
		bw.WriteString(FormatScaled(v, scale))
		bw.WriteByte('\n')
	}
	return bw.Flush()
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
	if l.Comm == "" {
		return ""
	}
	root := strings.ReplaceAll(l.Comm, " ", "_")
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
