package speedscope

import (
	"bufio"
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hotspot-dev/hotspot/profile"
)

// WriteOptions control Write.
type WriteOptions struct {
	// Value indexes SampleTypes; -1 (or any index out of range) means the
	// profile's DefaultType.
	Value int
}

// maxExpand bounds how many entries one aggregated sample is written back
// as. A sample that merged n input samples is written as n entries (as
// py-spy wrote them), so sample counts survive a round trip.
const maxExpand = 1 << 16

// Write writes p as speedscope JSON: the frame table, then one sampled
// profile per distinct label set, named like py-spy's profiles when the
// labels carry a thread id. Weights are in the chosen value type's unit:
// time units keep their name, bytes are "bytes", anything else is "none"
// (with decimals for a scaled type). The output is deterministic.
func Write(w io.Writer, p *profile.Profile, opt WriteOptions) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	vi := opt.Value
	if vi < 0 || vi >= len(p.SampleTypes) {
		vi = p.DefaultType
	}
	unit, scale := "none", int64(1)
	if vi >= 0 && vi < len(p.SampleTypes) {
		vt := p.SampleTypes[vi]
		switch vt.Unit {
		case "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes":
			unit = vt.Unit
		default:
			scale = max(vt.Scale, 1)
		}
	}
	name := p.Meta.Attr("name")
	if name == "" {
		name = "hotspot profile"
	}
	if len(p.Meta.Approximations) > 0 {
		// speedscope has no place for notes but the document's name, which
		// its viewer shows.
		name += " (approximate: " + strings.Join(p.Meta.Approximations, "; ") + ")"
	}

	bw.WriteString(`{"$schema":"` + SchemaURL + `","exporter":"hotspot","name":`)
	writeString(bw, name)
	bw.WriteString(`,"activeProfileIndex":0,"shared":{"frames":[`)
	for i, f := range p.Frames {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n{\"name\":")
		writeString(bw, f.Name)
		file := f.File
		if file == "" {
			file = f.Module
		}
		if file != "" {
			bw.WriteString(`,"file":`)
			writeString(bw, file)
		}
		if f.Line > 0 {
			bw.WriteString(`,"line":`)
			bw.WriteString(strconv.FormatInt(f.Line, 10))
		}
		bw.WriteByte('}')
	}
	bw.WriteString("]},\n\"profiles\":[")

	for gi, g := range groups(p) {
		if gi > 0 {
			bw.WriteByte(',')
		}
		var total int64
		for _, si := range g.samples {
			if len(p.Samples[si].Values) > vi {
				total += p.Samples[si].Values[vi]
			}
		}
		bw.WriteString("\n{\"type\":\"sampled\",\"name\":")
		writeString(bw, g.name)
		bw.WriteString(`,"unit":"` + unit + `","startValue":0,"endValue":`)
		bw.WriteString(profile.FormatScaled(total, scale))
		bw.WriteString(`,"samples":[`)
		first := true
		var stack []profile.FrameID
		for _, si := range g.samples {
			s := p.Samples[si]
			stack = stackOf(p, s.Node, stack[:0])
			n, _, _ := split(s, vi)
			for range n {
				if !first {
					bw.WriteByte(',')
				}
				first = false
				bw.WriteByte('[')
				for k, f := range stack {
					if k > 0 {
						bw.WriteByte(',')
					}
					bw.WriteString(strconv.Itoa(int(f)))
				}
				bw.WriteByte(']')
			}
		}
		bw.WriteString(`],"weights":[`)
		first = true
		for _, si := range g.samples {
			n, each, last := split(p.Samples[si], vi)
			text := profile.FormatScaled(each, scale)
			for k := range n {
				if !first {
					bw.WriteByte(',')
				}
				first = false
				if k == n-1 {
					text = profile.FormatScaled(last, scale)
				}
				bw.WriteString(text)
			}
		}
		bw.WriteString("]}")
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// split says how many entries sample s is written as: one per merged input
// sample, each weighing an equal share and the last one the remainder, so
// that both the value and the sample count survive. Samples that merged
// more than maxExpand inputs are written as one entry.
func split(s profile.Sample, vi int) (n, each, last int64) {
	var v int64
	if vi < len(s.Values) {
		v = s.Values[vi]
	}
	if s.Count > 1 && s.Count <= maxExpand {
		each = v / s.Count
		return s.Count, each, v - each*(s.Count-1)
	}
	return 1, v, v
}

// stackOf appends the frames of node n, root first.
func stackOf(p *profile.Profile, n profile.NodeID, dst []profile.FrameID) []profile.FrameID {
	d := p.Depth(n)
	dst = slices.Grow(dst, d)[:d]
	for i := d - 1; i >= 0; i-- {
		dst[i] = p.Nodes[n].Frame
		n = p.Nodes[n].Parent
	}
	return dst
}

// group is one written profile: the samples of one label set.
type group struct {
	name    string
	labels  profile.Labels
	samples []int // indexes into Profile.Samples, in model order
}

// groups splits the samples by label set, sorted by profile name and then
// by the labels, so the output does not depend on map order.
func groups(p *profile.Profile) []group {
	index := map[profile.Labels]int{}
	var gs []group
	for i, s := range p.Samples {
		k, ok := index[*s.Labels]
		if !ok {
			k = len(gs)
			index[*s.Labels] = k
			gs = append(gs, group{name: ProfileName(*s.Labels), labels: *s.Labels})
		}
		gs[k].samples = append(gs[k].samples, i)
	}
	slices.SortStableFunc(gs, func(a, b group) int {
		return cmp.Or(
			cmp.Compare(a.name, b.name),
			cmp.Compare(a.labels.PID, b.labels.PID),
			cmp.Compare(a.labels.TID, b.labels.TID),
			compareBool(a.labels.HasPID, b.labels.HasPID),
			compareBool(a.labels.HasTID, b.labels.HasTID),
			cmp.Compare(a.labels.Comm, b.labels.Comm),
			cmp.Compare(a.labels.Thread, b.labels.Thread),
			cmp.Compare(a.labels.Extra, b.labels.Extra),
		)
	})
	return gs
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// writeString writes s as a JSON string. Only the escapes JSON requires
// are used, so names like <module> stay readable; invalid UTF-8 becomes
// U+FFFD.
func writeString(w *bufio.Writer, s string) {
	const hex = "0123456789abcdef"
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			w.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case '\n':
				w.WriteString(`\n`)
			case '\r':
				w.WriteString(`\r`)
			case '\t':
				w.WriteString(`\t`)
			default:
				w.WriteString(`\u00`)
				w.WriteByte(hex[c>>4])
				w.WriteByte(hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.WriteString(s[start:i])
			w.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		i += size
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}
