package explain

import (
	"fmt"
	"strings"
)

// headline is what to change first, from the top finding: its cause, its
// claim as one number with the sampling interval, and the fix.
func headline(a *analysis, r *Report) Headline {
	if a.active == 0 {
		return Headline{}
	}
	if r.Flat {
		top := "no function"
		if len(r.Hotspots) > 0 {
			top = fmt.Sprintf("the largest, %s, takes %s", r.Hotspots[0].Function, pct(r.Hotspots[0].SelfShare))
		}
		return Headline{
			Cause:    fmt.Sprintf("The profile is flat: no single function or mechanism dominates (%s by itself).", top),
			Evidence: a.coverageSentence(r),
			Fix:      flatFix(a, r),
		}
	}
	for _, f := range r.Findings {
		if f.Cause == "" {
			continue
		}
		h := Headline{Cause: f.Cause, Evidence: upperFirst(f.Claim) + ".", Fix: f.FixShort}
		if f.Confidence == "low" {
			h.Evidence += " This recording cannot tell this cause from another; see the finding."
		}
		return h
	}
	return Headline{}
}

// coverageSentence says how many functions it takes to cover half and 80%
// of the active cost: the shape of a flat profile.
func (a *analysis) coverageSentence(r *Report) string {
	fs := a.functions()
	var sum int64
	half, most := 0, 0
	for i, f := range fs {
		sum += f.self
		if half == 0 && a.activeShare(sum) >= 0.5 {
			half = i + 1
		}
		if most == 0 && a.activeShare(sum) >= 0.8 {
			most = i + 1
			break
		}
	}
	return fmt.Sprintf("%d functions make up half of the active %s and %d make up 80%%.", half, a.costNoun(), most)
}

// summary is the headline, one sentence a line, then the hot-path
// hypothesis in one or two sentences with numbers.
func summary(a *analysis, r *Report) string {
	var b strings.Builder
	if h := r.Headline; h.Cause != "" {
		b.WriteString("Cause: " + h.Cause + "\nEvidence: " + h.Evidence + "\nFix: " + h.Fix + "\n")
	}
	noun := "active " + a.costNoun()
	switch a.recording {
	case RecMemory:
		noun = a.costNoun()
	case RecOffCPU:
		noun = a.costNoun()
	}
	// The largest non-idle category.
	var topCat CategoryShare
	for _, c := range r.Categories {
		if c.Name != string(CatIdle) {
			topCat = c
			break
		}
	}
	if a.active == 0 {
		return fmt.Sprintf("Every sample is idle: the threads recorded were asleep or waiting with nothing to do (%s of %s), so there is nothing to speed up in this recording; record while the workload is busy.", a.fmtValue(a.idle), a.fmtValue(a.total))
	}
	shares := pct(a.activeShare(topCat.Value))
	if a.idle > 0 && shares != pct(topCat.Share) {
		// The categories table is of the total, idle included.
		shares = fmt.Sprintf("%s of the active part, %s of the total", shares, pct(topCat.Share))
	}
	switch {
	case a.recording == RecMemory && a.notAllocations():
		fmt.Fprintf(&b, "The profile counts %s (%s)", a.fmtValue(a.active), a.costNoun())
	case a.recording == RecMemory:
		// The value carries its unit (MiB, allocations): the noun says
		// which total it is ("blocks allocated", "bytes (peak)").
		fmt.Fprintf(&b, "The profile's %s: %s in all", a.costNoun(), a.fmtValue(a.active))
	case a.recording == RecOffCPU && a.eventNoun() == "context switches" && runningCategory(Category(topCat.Name)):
		// A thread switched out while it ran code, not in a blocking
		// call, was preempted: it wanted the CPU, it was not waiting.
		fmt.Fprintf(&b, "The largest part of the %s (%s) switched out threads that were running %s code, not blocked in a call: they were preempted while runnable, which is CPU contention on the host (more runnable threads than CPUs), not waiting", noun, shares, topCat.Name)
	case a.activeShare(topCat.Value) >= 0.5:
		verb := "goes"
		if strings.HasSuffix(noun, "s") {
			verb = "go" // "most of the active instructions go"
		}
		fmt.Fprintf(&b, "Most of the %s %s to %s (%s)", noun, verb, topCat.Name, shares)
	default:
		fmt.Fprintf(&b, "The largest part of the %s goes to %s (%s)", noun, topCat.Name, shares)
	}
	if path := pathSummary(r.HotPath, a.userPath); strings.Contains(path, " → ") {
		fmt.Fprintf(&b, ", along the hot path %s", path)
	}
	if len(r.Hotspots) > 0 {
		h := r.Hotspots[0]
		what := "the top function by self cost"
		if a.recording == RecMemory {
			what = "the top allocating function"
			if a.notAllocations() {
				what = "the top function by " + a.costNoun()
			}
		}
		fmt.Fprintf(&b, "; %s is %s (%s)", what, h.Function, pct(h.SelfShare))
		if unsymbolizedName(h.Function) {
			b.WriteString(", unsymbolized code (no function name: install debug symbols to see what it is)")
		}
	}
	b.WriteString(".")
	switch {
	case r.Flat:
		b.WriteString(" The profile is flat: no single function or cause dominates, so the flat-profile playbook applies.")
	case len(r.Findings) > 0:
		f := r.Findings[0]
		fmt.Fprintf(&b, " Hypothesis: %s is the main lever, worth up to %s", f.Title, pct(f.Share))
		if f.Confidence == "low" {
			b.WriteString(", to be confirmed: this recording cannot tell that cause from another (see the finding's evidence)")
		}
		b.WriteString(".")
	default:
		b.WriteString(" No hint has enough evidence in this profile.")
	}
	if share(a.idle, a.total) >= minIdleNote {
		fmt.Fprintf(&b, " (%s of the total was idle and is left out of the shares.)", pct(share(a.idle, a.total)))
	}
	return b.String()
}

// pathSummary shortens the hot path to its user frames, at most five.
func pathSummary(path []PathFrame, user []int) string {
	var parts []string
	for _, i := range user {
		parts = append(parts, path[i].Function)
	}
	if len(parts) > 5 {
		parts = append(parts[:2], append([]string{"…"}, parts[len(parts)-2:]...)...)
	}
	return strings.Join(parts, " → ")
}

// plan is the measurement plan: for the top findings, the fix and the
// pass/fail targets of its predicted profile, recorded the same way as
// this profile; then what this recording cannot show.
func plan(a *analysis, r *Report) []string {
	out := []string{}
	for i, f := range r.Findings {
		if i >= 3 {
			break
		}
		if f.Hint == "flat-profile" {
			m := strings.TrimSpace(f.Measure)
			out = append(out, fmt.Sprintf("For the flat profile: %s Record each change with `%s` and compare with `hotspot diff`: the total should fall by the sum of the small wins.", m, a.recordCommand()))
			continue
		}
		// Unnumbered: the renderers number the steps (an ordered list in
		// HTML and markdown), and JSON readers get the text alone.
		step := f.FixShort
		if len(f.Targets) > 0 {
			step += " " + strings.Join(f.Targets, " ")
		}
		step += " Then `hotspot diff before after`."
		out = append(out, step)
	}
	for _, n := range r.Quality.Next {
		if strings.HasPrefix(n, "hotspot ") {
			continue // reads the source, records nothing
		}
		out = append(out, "Record what this profile cannot show: "+asCode(n)+".")
	}
	if len(out) == 0 {
		out = append(out, "Re-record with `"+a.recordCommand()+"` after each change and compare with `hotspot diff`.")
	}
	return out
}

// flatFix is a flat profile's first step: the widest loop near the top of
// the stacks and its largest steps where the stacks show one.
func flatFix(a *analysis, r *Report) string {
	if loops := a.loopsNearTop(1); len(loops) > 0 {
		if steps := a.loopSteps(loops[0].name, 3); steps != "" {
			return fmt.Sprintf("Work through %s step by step (the flat-profile playbook), largest first: %s; many small wins, each measured.", loops[0].name, steps)
		}
	}
	if top := a.largestFunctions(3); len(top) >= 2 && loopHidden(&r.Quality) {
		return fmt.Sprintf("Work through the largest functions one by one (the flat-profile playbook), largest first: %s; many small wins, each measured.", a.fmtNamed(top))
	}
	return "Work through the loop step by step (the flat-profile playbook): many small wins, each measured."
}
