package explain

import (
	"fmt"
	"strings"
)

// summary is the hot-path hypothesis in one or two sentences with numbers.
func summary(a *analysis, r *Report) string {
	var b strings.Builder
	noun := "active time"
	switch a.recording {
	case RecMemory:
		noun = "bytes allocated"
	case RecOffCPU:
		noun = "off-CPU time"
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
	case a.recording == RecMemory:
		fmt.Fprintf(&b, "The profile counts %s allocated", a.fmtValue(a.active))
	case a.activeShare(topCat.Value) >= 0.5:
		fmt.Fprintf(&b, "Most of the %s goes to %s (%s)", noun, topCat.Name, shares)
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

// plan is the measurement plan: what to record next and what should move.
func plan(a *analysis, r *Report) []string {
	out := []string{}
	for i, f := range r.Findings {
		if i >= 3 {
			break
		}
		m := f.Measure
		if m == "" {
			m = "re-record the same workload"
		}
		if f.Hint == "flat-profile" {
			out = append(out, fmt.Sprintf("For the flat profile: %s What should move: the total time, and the per-category totals each change targets.", strings.TrimSpace(m)))
			continue
		}
		now := pct(share(a.cat(Category(f.Category)), a.total))
		out = append(out, fmt.Sprintf("After the %s change: %s What should move: the %s category (now %s of the total), by up to the %s of active time this finding puts on it.", f.Hint, strings.TrimSpace(m), f.Category, now, pct(f.Share)))
	}
	for _, n := range r.Quality.Next {
		out = append(out, "Record what this profile cannot show: "+n)
	}
	if len(out) == 0 {
		out = append(out, "Re-record with the same command after each change and compare with `hotspot diff`.")
	}
	return out
}
