package explain

import "github.com/hotspot-dev/hotspot/profile"

// NodeCategories returns, for every call-tree node of p (indexed by
// profile.NodeID), the category explain charges a sample whose stack ends
// at that node, with the default rules and the profile's default value
// type. The root's entry is "". Flame graphs colour frames by it; it
// classifies each distinct stack once, as Explain does.
func NodeCategories(p *profile.Profile) []string {
	out := make([]string, len(p.Nodes))
	if len(p.Nodes) == 0 || len(p.SampleTypes) == 0 {
		return out
	}
	vi := p.DefaultType
	if vi < 0 || vi >= len(p.SampleTypes) {
		vi = 0
	}
	a := newAnalysis(p, vi, DefaultRules())
	a.filter(nil, nil, nil)
	a.recording = inferRecording(a)
	forced := a.forcedCategory()
	for n := 1; n < len(p.Nodes); n++ {
		c := a.cls.classifyNode(profile.NodeID(n)).Cat
		if forced != "" {
			c = forced
		}
		out[n] = string(c)
	}
	return out
}
