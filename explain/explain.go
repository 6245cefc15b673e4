// Package explain is hotspot's engine: it classifies every frame, attributes
// every sample's cost to one category, finds hotspots and the hot path,
// counts Python<->native crossings, judges what the recording can show, and
// maps the evidence to hints from the catalogue.
//
// The steps of Explain:
//  1. filter samples (--focus, --ignore, --thread) and pick the value type;
//  2. classify each sample's stack with the rule table (rules.go, classify.go);
//  3. attribute values to categories, idle apart (attribute.go);
//  4. hotspots and the hot path over the active part (hotspots.go, hotpath.go);
//  5. crossings and boundary glue (crossings.go);
//  6. recording kind and capture quality (quality.go);
//  7. findings from the evidence, ranked by the cost they could remove
//     (findings.go, impact.go), then the summary and plan (summary.go).
//
// Explain never prints and is deterministic: the same profile and options
// give the same Report.
package explain

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// Options select what to explain.
type Options struct {
	Path   string         // input path, echoed in the report
	Value  int            // index of the value type; -1 for the profile's default
	Focus  *regexp.Regexp // keep only samples with a frame matching (display name or file)
	Ignore *regexp.Regexp // drop samples with a frame matching
	Thread string         // regexp over thread name, tid or comm
	Top    int            // hotspots to list; 0 means 20
	Items  int64          // items processed during the recording, for per-item estimates; 0 if unknown
	// Rules replaces the default rule table (tests); nil means DefaultRules().
	Rules []Rule
	// Classifier, when Rules is nil, is the profile's classification
	// made by NewClassifier, shared with a flame graph's
	// NodeCategorizer; nil means Explain classifies the frames itself.
	// It must be of the profile explained.
	Classifier *Classifier
	// Source, when set, gives the text of the program's source lines, to
	// quote the lines findings name (hotspot explain --source DIR).
	Source SourceReader
}

// DefaultTop is the number of hotspots listed unless Options.Top says otherwise.
const DefaultTop = 20

// Explain analyses p and returns the report. cat is the hint catalogue the
// findings draw their prose from.
func Explain(p *profile.Profile, cat *hints.Catalogue, opt Options) (*Report, error) {
	if p == nil {
		return nil, fmt.Errorf("explain: %w", profile.ErrNoSamples)
	}
	if cat == nil {
		return nil, fmt.Errorf("explain: no hint catalogue")
	}
	vi := opt.Value
	if vi < 0 {
		vi = p.DefaultType
	}
	if vi < 0 || vi >= len(p.SampleTypes) {
		return nil, fmt.Errorf("explain: value type %d out of range (%d types)", vi, len(p.SampleTypes))
	}
	if opt.Top <= 0 {
		opt.Top = DefaultTop
	}
	rules := opt.Rules
	if rules == nil {
		rules = DefaultRules()
	}
	var thread *regexp.Regexp
	if opt.Thread != "" {
		var err error
		if thread, err = regexp.Compile(opt.Thread); err != nil {
			return nil, fmt.Errorf("explain: --thread: %w", err)
		}
	}
	var a *analysis
	if opt.Classifier != nil && opt.Rules == nil && opt.Classifier.p == p {
		a = &analysis{p: p, vi: vi, cls: opt.Classifier.c, ruleVal: map[string]int64{}}
	} else {
		a = newAnalysis(p, vi, rules)
	}
	a.catalogue = cat
	a.src = opt.Source
	a.filter(opt.Focus, opt.Ignore, thread)
	if len(a.samples) == 0 || a.total == 0 {
		what := "the profile has no samples"
		if opt.Focus != nil || opt.Ignore != nil || thread != nil {
			what = "no samples are left after --focus/--ignore/--thread"
		} else if len(p.Samples) > 0 {
			what = fmt.Sprintf("every sample has zero %s", p.SampleTypes[vi].Type)
		}
		return nil, fmt.Errorf("explain %s: %s: %w", nameOr(opt.Path), what, profile.ErrNoSamples)
	}
	a.recording = inferRecording(a)
	a.attribute()

	r := &Report{
		Schema:      Schema,
		Input:       Input{Path: opt.Path, Format: p.Meta.Format, Recording: a.recording, Producer: p.Meta.Producer},
		SampleType:  SampleType{Name: p.SampleTypes[vi].Type, Unit: p.SampleTypes[vi].Unit},
		Total:       a.total,
		Idle:        a.idle,
		ActiveTotal: a.active,
		Samples:     a.count,
		Warnings:    []string{},
		Findings:    []Finding{},
		Hotspots:    []Hotspot{},
		Plan:        []string{},
	}
	r.Categories = a.categoryShares()
	// Crossings writes only its own per-sample tables (sampleEntry,
	// sampleGlue, entries) and hotspots and the hot path only theirs
	// (fns, sampleFn, userPath); all three read what attribute left.
	// On a large profile they run at once.
	inParts2(len(a.samples), func() {
		r.Hotspots = a.hotspots(opt.Top)
		r.HotPath = a.hotPath()
	}, func() { r.Crossings = a.crossings() })
	r.Quality = a.quality()
	r.Warnings = append(r.Warnings, a.warnings(r)...)
	ev := a.evidence(r)
	r.Findings = findings(a, ev, cat, opt.Items)
	a.ruleOutUsualSuspects()
	a.ruleOutCompiling(ev)
	r.RuledOut = a.ruledOutNow(r.Findings)
	// The playbook is about where CPU goes: its spec says which recordings
	// it applies to (an off-CPU recording's spread-out waits are not a flat
	// CPU profile).
	flatSpec, _ := cat.Lookup("flat-profile")
	r.Flat = ev.flat && !hasStrongFinding(r.Findings) && flatSpec.Spec.Applies(a.recording)
	// Stacks cut at a Python function keep every frame below it: a
	// mechanism's frames are gathered there still.
	if cut := r.Quality.Truncated - r.Quality.TruncatedAtPython; r.Flat && cut >= maxTruncatedFlat && len(r.Findings) > 0 {
		// Flat means no mechanism claims much. Stacks cut short under
		// their leaf hide the callers that gather a mechanism's leaves
		// (a decoder's allocations, number parsing, dict inserts), so a
		// mechanism found on the few stacks that show it may be far
		// larger: do not call the profile flat over it.
		r.Flat = false
		a.ruleOut(candidate{hint: "flat-profile"}, fmt.Sprintf("%s of the stacks never reach a process root, so a mechanism whose cost spreads over many leaf functions cannot be gathered under its callers: %s, %s where the stacks show it, may be larger", pct(r.Quality.Truncated), r.Findings[0].Hint, pct(r.Findings[0].ClaimedShare)))
		r.RuledOut = a.ruledOutNow(r.Findings)
	}
	if r.Flat {
		// The flat-profile playbook leads: the small findings that remain
		// are among the many small wins it asks for.
		r.Findings = append([]Finding{flatFinding(a, ev, cat)}, r.Findings...)
	}
	a.attachLines(r.Findings, opt.Source)
	a.callCountsLimit(r, opt.Items)
	if opt.Source == nil && slices.ContainsFunc(r.Findings, func(f Finding) bool { return len(f.Lines) > 0 && f.Lines[0].Text == "" }) {
		r.Quality.Next = append(r.Quality.Next, fmt.Sprintf("hotspot explain %s --source DIR   # quote the findings' lines from the source in DIR", shellWord(nameOr(opt.Path))))
	}
	r.Headline = headline(a, r)
	r.Summary = summary(a, r)
	r.Plan = plan(a, r)
	return r, nil
}

// maxTruncatedFlat is the share of truncated stacks from which a profile
// with any finding is not called flat (flat-profile's evidence is the
// absence of a mechanism, which broken stacks cannot show).
const maxTruncatedFlat = 0.5

func nameOr(path string) string {
	if path == "" {
		return "profile"
	}
	return path
}

// ruledOutNow is the not-recommended list without hints that are findings
// anyway (a hint can be raised twice, for two shapes of evidence).
func (a *analysis) ruledOutNow(fs []Finding) []RuledOut {
	out := []RuledOut{}
	for _, r := range a.ruledOut {
		if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Hint == r.Hint }) {
			out = append(out, r)
		}
	}
	return out
}
