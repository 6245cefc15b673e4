package profile

import (
	"regexp"
	"strconv"
)

// SampleFilter is the sample selection of --focus, --ignore and --thread,
// with pprof's semantics: Focus keeps a sample when any frame on its stack
// matches, Ignore drops it when any frame matches, Thread keeps it when its
// thread name, command or thread id matches. Frames match on their display
// name, raw name or file. A nil field selects nothing out.
type SampleFilter struct {
	Focus, Ignore, Thread *regexp.Regexp
}

// Active reports whether the filter can drop a sample.
func (f SampleFilter) Active() bool {
	return f.Focus != nil || f.Ignore != nil || f.Thread != nil
}

// Select returns p restricted to the samples f keeps: a shallow copy that
// shares p's frames, nodes and metadata, so renderers that draw from the
// samples (flame graphs) show what explain and diff analysed. Without an
// active filter it returns p itself.
func (f SampleFilter) Select(p *Profile) *Profile {
	if !f.Active() {
		return p
	}
	focus, ignore := f.frameHits(p, f.Focus), f.frameHits(p, f.Ignore)
	// Verdicts per node, computed root first (parents have smaller IDs),
	// so each stack is judged once whatever number of samples share it.
	const hitFocus, hitIgnore = 1, 2
	hits := make([]uint8, len(p.Nodes))
	for n := 1; n < len(p.Nodes); n++ {
		nd := p.Nodes[n]
		h := hits[nd.Parent]
		if focus != nil && focus[nd.Frame] {
			h |= hitFocus
		}
		if ignore != nil && ignore[nd.Frame] {
			h |= hitIgnore
		}
		hits[n] = h
	}
	out := *p
	out.Samples = nil
	for _, s := range p.Samples {
		h := hits[s.Node]
		if focus != nil && h&hitFocus == 0 || h&hitIgnore != 0 {
			continue
		}
		if f.Thread != nil && !threadMatches(f.Thread, *s.Labels) {
			continue
		}
		out.Samples = append(out.Samples, s)
	}
	return &out
}

func (f SampleFilter) frameHits(p *Profile, re *regexp.Regexp) []bool {
	if re == nil {
		return nil
	}
	hit := make([]bool, len(p.Frames))
	for i, fr := range p.Frames {
		hit[i] = re.MatchString(fr.Display) || fr.Name != fr.Display && re.MatchString(fr.Name) || fr.File != "" && re.MatchString(fr.File)
	}
	return hit
}

func threadMatches(re *regexp.Regexp, l Labels) bool {
	return l.Thread != "" && re.MatchString(l.Thread) ||
		l.Comm != "" && re.MatchString(l.Comm) ||
		l.HasTID && re.MatchString(strconv.FormatInt(l.TID, 10))
}
