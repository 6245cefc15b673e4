package explain

import "github.com/hotspot-dev/hotspot/profile"

// NodeCategories returns, for every call-tree node of p (indexed by
// profile.NodeID), the category explain charges a sample whose stack ends
// at that node, with the default rules and the profile's default value
// type. The root's entry is "". It classifies every node; a flame graph,
// which draws a few thousand of them, should ask NodeCategorizer instead.
func NodeCategories(p *profile.Profile) []string {
	out := make([]string, len(p.Nodes))
	of := NodeCategorizer(p)
	for n := 1; n < len(p.Nodes); n++ {
		out[n] = of(profile.NodeID(n))
	}
	return out
}

// NodeCategorizer returns a function giving NodeCategories' answer for one
// node, computed when first asked: the frames are classified once up
// front, each node's stack only when it is asked for. The function is not
// safe for concurrent use.
func NodeCategorizer(p *profile.Profile) func(profile.NodeID) string {
	if len(p.Nodes) == 0 || len(p.SampleTypes) == 0 {
		return func(profile.NodeID) string { return "" }
	}
	vi := p.DefaultType
	if vi < 0 || vi >= len(p.SampleTypes) {
		vi = 0
	}
	a := newAnalysis(p, vi, DefaultRules())
	a.filter(nil, nil, nil)
	a.recording = inferRecording(a)
	forced := a.forcedCategory()
	return func(n profile.NodeID) string {
		if n <= profile.RootNode || int(n) >= len(p.Nodes) {
			return ""
		}
		if forced != "" {
			return string(forced)
		}
		return string(a.cls.classifyNode(n).Cat)
	}
}
