package explain

import "fmt"

// Frame-level targets: some fixes take a mechanism's frames off the stacks
// altogether (json's pure-Python encoder once the call is back on a C
// encoder, a codec callback once the values are converted up front, the
// stdlib codec's frames once another codec replaces it, an insert's
// copy-on-write once the structure is built in one call). For those the
// sharpest pass/fail line is not a share but the frames themselves: "no X
// under Y". A re-recording that still shows them says the fix did not
// take, whatever the totals do.

// goneFrames are frames a finding's fix removes, with their share today.
type goneFrames struct {
	what  string   // what they are, in a few words ("json's pure-Python encoder")
	when  string   // the fix that removes them, when only one of the fixes offered does
	names []string // the hottest of them, as the report names them
	share float64  // their share of the active cost today
}

// maxGoneShare is what may be left of frames a fix removes before the
// measurement fails: stragglers (a code path the fix missed, a sample at
// the edge of the change) rather than the mechanism.
const maxGoneShare = 0.01

// goneTargets are a candidate's frame-level pass/fail lines.
func (a *analysis) goneTargets(c *candidate) []string {
	var out []string
	for _, g := range c.gone {
		if len(g.names) == 0 || g.share <= maxGoneShare {
			continue
		}
		where := ""
		if len(c.callers) > 0 && c.callers[0] != unnamedCaller {
			where = " under " + joinOr(c.callers, 3)
		}
		pass := "Pass"
		if g.when != "" {
			pass += " (" + g.when + ")"
		}
		out = append(out, fmt.Sprintf(pass+": no frame of %s (%s) left%s, today %s of the active %s; fail: more than %s.",
			g.what, joinOr(g.names, 3), where, pct(g.share), a.costNoun(), pct(maxGoneShare)))
	}
	return out
}

// joinOr lists up to n names as "a, b or c".
func joinOr(ns []string, n int) string {
	if len(ns) > n {
		ns = ns[:n]
	}
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	s := ns[0]
	for _, x := range ns[1 : len(ns)-1] {
		s += ", " + x
	}
	return s + " or " + ns[len(ns)-1]
}
