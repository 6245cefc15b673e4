package explain

import (
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"github.com/hotspot-dev/hotspot/profile"
)

// NodeCategories returns, for every call-tree node of p (indexed by
// profile.NodeID), the category explain charges a sample whose stack ends
// at that node, with the default rules and the profile's default value
// type. The root's entry is "". It classifies every node; a flame graph,
// which draws a few thousand of them, should ask NodeCategorizer instead.
func NodeCategories(p *profile.Profile) []string {
	out := bigmem.Written[string](len(p.Nodes))
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
	return NewClassifier(p).NodeCategorizer()
}

// Classifier is the classification of one profile's frames with the
// default rules (their facts and the rules each can match, the larger
// part of explaining a profile of many distinct frames) and of the
// stacks classified so far. Explain (through Options.Classifier) and the
// flame graph's NodeCategorizer of the same profile can share one
// instead of each classifying every frame again. Not safe for
// concurrent use.
type Classifier struct {
	p *profile.Profile
	c *classifier
}

// NewClassifier classifies the frames of p with DefaultRules.
func NewClassifier(p *profile.Profile) *Classifier {
	return &Classifier{p: p, c: newClassifier(p, DefaultRules())}
}

// NodeCategorizer is the package's NodeCategorizer over cl's profile,
// reusing its classification.
func (cl *Classifier) NodeCategorizer() func(profile.NodeID) string {
	p := cl.p
	if len(p.Nodes) == 0 || len(p.SampleTypes) == 0 {
		return func(profile.NodeID) string { return "" }
	}
	vi := p.DefaultType
	if vi < 0 || vi >= len(p.SampleTypes) {
		vi = 0
	}
	a := &analysis{p: p, vi: vi, cls: cl.c, ruleVal: map[string]int64{}}
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
