package flamesvg

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/austin"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// elided names the root's unexplained count: top-level frames too narrow
// to draw. Below the root, a frame's unexplained count is its own.
const elided = "[frames below the minimum width]"

// lossyNote is the caveat every profile read from an SVG carries.
const lossyNote = "read from a flame graph SVG, a lossy source: frames narrower than the writer's minimum width were not drawn, so each frame's undrawn children count as its own (self) cost, and self costs are upper bounds"

// Read reads a flame graph SVG from r. name is used only in messages.
// Errors name the line of the frame at fault: a title without its rect, a
// count that is not a number, a frame with no parent under it, children
// that add up to more than their parent, or a document cut short.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	s := &scanner{br: bufio.NewReaderSize(r, 64<<10), name: name, max: limits.MaxLineBytes, line: 1, total: -1, limits: limits}
	if err := s.run(); err != nil {
		return nil, err
	}
	if s.read == 0 {
		// An empty input (read with --from): an empty profile.
		p, err := folded.Read(bytes.NewReader(nil), name, opt)
		if err != nil {
			return nil, err
		}
		p.Meta.Format = "flamegraph-svg"
		return p, nil
	}
	if len(s.frames) == 0 {
		return nil, &profile.SyntaxError{File: name, Line: max(s.line, 1), Msg: "no frames (<title>NAME (COUNT UNIT, PCT%)</title> followed by <rect>): not a flame graph, or an empty one"}
	}
	root, err := s.link()
	if err != nil {
		return nil, err
	}
	text, err := s.folded(root)
	if err != nil {
		return nil, err
	}
	// austin output drawn as it is (its documented use) has "Thread <id>"
	// roots and "L<n>" line elements: read it as austin, so lines stay
	// lines, unless undrawn top-level frames left a root remainder.
	asAustin := austin.Sniff(text) && !bytes.Contains(text, []byte(elided))
	var p *profile.Profile
	if asAustin {
		p, err = austin.Read(bytes.NewReader(text), name, opt)
	} else {
		p, err = folded.Read(bytes.NewReader(text), name, opt)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: the stacks drawn in the SVG do not read as folded stacks: %w", name, err)
	}
	if asAustin {
		p.Meta.Attrs = nil
		// Each drawn box is a sum of austin's samples, not one: the SVG
		// does not say how many.
		for i := range p.Samples {
			p.Samples[i].Count = 0
		}
	}
	s.meta(p, root)
	if asAustin {
		p.Meta.Producer += " (austin)"
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", name, err)
	}
	return p, nil
}

// folded writes each frame's self count under its stack, root first, as
// folded text.
func (s *scanner) folded(root int) ([]byte, error) {
	digits := 0
	for _, f := range s.frames {
		digits = max(digits, f.count.d)
	}
	self := make([]int64, len(s.frames))
	for i := range s.frames {
		v, ok := s.frames[i].count.at(digits)
		if !ok {
			return nil, &profile.SyntaxError{File: s.name, Line: s.frames[i].line, Msg: "count overflows a 64-bit integer"}
		}
		self[i] += v
		if p := s.frames[i].parent; p >= 0 {
			self[p] -= v
		}
	}
	var buf bytes.Buffer
	var path []string
	for i := range s.frames {
		f := &s.frames[i]
		if self[i] < 0 {
			return nil, &profile.SyntaxError{File: s.name, Line: f.line, Msg: fmt.Sprintf("frame %q: its children's counts add up to more than its own", clip([]byte(f.name)))}
		}
		if strings.ContainsAny(f.name, ";\n\r") && i != root {
			return nil, &profile.SyntaxError{File: s.name, Line: f.line, Msg: fmt.Sprintf("frame name %q holds a ';' or a line break, which a folded stack cannot", clip([]byte(f.name)))}
		}
		if self[i] == 0 {
			continue
		}
		path = path[:0]
		for j := i; j != root; j = s.frames[j].parent {
			path = append(path, s.frames[j].name)
		}
		if i == root {
			path = append(path, elided)
		}
		slices.Reverse(path)
		buf.WriteString(strings.Join(path, ";"))
		buf.WriteByte(' ')
		buf.WriteString(format(self[i], digits))
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// meta names the format, the writer and the count's unit, and adds the
// lossy-source caveat.
func (s *scanner) meta(p *profile.Profile, root int) {
	m := &p.Meta
	m.Format = "flamegraph-svg"
	m.Producer = "flamegraph.pl"
	if s.inferno {
		m.Producer = "inferno"
	}
	unit := s.frames[root].unit
	t := &p.SampleTypes[0]
	switch unit {
	case "samples":
		t.Type, t.Unit = "samples", "count"
	case "usec", "us", "microseconds":
		t.Type, t.Unit = "wall", "microseconds"
	case "ms", "milliseconds":
		t.Type, t.Unit = "wall", "milliseconds"
	case "ns", "nanoseconds":
		t.Type, t.Unit = "wall", "nanoseconds"
	case "bytes":
		t.Type, t.Unit = "space", "bytes"
	default:
		t.Type, t.Unit = unit, "count"
	}
	m.Attrs = append(m.Attrs, profile.Attr{Key: "countname", Value: unit})
	slices.SortFunc(m.Attrs, func(a, b profile.Attr) int { return strings.Compare(a.Key, b.Key) })
	m.Approximations = append(m.Approximations, lossyNote)
	m.Warn(s.name + ": " + lossyNote + ".")
}
