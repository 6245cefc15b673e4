package views

import (
	"regexp"

	"github.com/hotspot-dev/hotspot/profile"
)

// Options choose what a view counts.
type Options struct {
	// Value indexes the profile's SampleTypes; -1 means its DefaultType.
	Value int
	// Lines makes the unit a source line (function, file and line) instead
	// of a function (function and file).
	Lines bool
	// Show keeps only frames whose function name matches; Hide drops
	// frames whose name matches. Samples are kept either way: a stack left
	// with no frames still counts in the total.
	Show, Hide *regexp.Regexp
}

// Func names one unit of a view: a function, or a source line of one.
type Func struct {
	Name string `json:"function"`
	File string `json:"file"`
	Line int64  `json:"line,omitempty"`
}

// keyer interns the view's units and maps each distinct frame to one
// (or to -1 when the frame is hidden), so names are looked at once per
// frame, not once per sample.
type keyer struct {
	p       *profile.Profile
	opt     Options
	ofFrame []int32 // per FrameID: key index, -1 hidden, -2 not yet computed
	index   map[Func]int32
	funcs   []Func
}

func newKeyer(p *profile.Profile, opt Options) *keyer {
	k := &keyer{p: p, opt: opt, ofFrame: make([]int32, len(p.Frames)), index: map[Func]int32{}}
	for i := range k.ofFrame {
		k.ofFrame[i] = -2
	}
	return k
}

func frameName(f profile.Frame) string {
	if f.Display != "" {
		return f.Display
	}
	return f.Name
}

func (k *keyer) key(id profile.FrameID) int32 {
	if v := k.ofFrame[id]; v != -2 {
		return v
	}
	f := k.p.Frames[id]
	name := frameName(f)
	if (k.opt.Show != nil && !k.opt.Show.MatchString(name)) || (k.opt.Hide != nil && k.opt.Hide.MatchString(name)) {
		k.ofFrame[id] = -1
		return -1
	}
	fn := Func{Name: name, File: f.File}
	if fn.File == "" {
		fn.File = f.Module
	}
	if k.opt.Lines {
		fn.Line = f.Line
	}
	i, ok := k.index[fn]
	if !ok {
		i = int32(len(k.funcs))
		k.index[fn] = i
		k.funcs = append(k.funcs, fn)
	}
	k.ofFrame[id] = i
	return i
}

// stack appends the kept keys of node n's stack to buf, root first.
func (k *keyer) stack(n profile.NodeID, buf []int32) []int32 {
	buf = buf[:0]
	for ; n != profile.RootNode; n = k.p.Nodes[n].Parent {
		if key := k.key(k.p.Nodes[n].Frame); key >= 0 {
			buf = append(buf, key)
		}
	}
	for i, j := 0, len(buf)-1; i < j; i, j = i+1, j-1 {
		buf[i], buf[j] = buf[j], buf[i]
	}
	return buf
}

// valueIndex resolves Options.Value.
func valueIndex(p *profile.Profile, v int) int {
	if v < 0 || v >= len(p.SampleTypes) {
		return p.DefaultType
	}
	return v
}

// leafValues sums the chosen value per leaf node: the one pass over the
// samples every view starts from.
func leafValues(p *profile.Profile, vi int) []int64 {
	self := make([]int64, len(p.Nodes))
	if vi < 0 || vi >= len(p.SampleTypes) {
		return self
	}
	for _, s := range p.Samples {
		self[s.Node] += s.Values[vi]
	}
	return self
}

func share(v, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(v) / float64(total)
}
