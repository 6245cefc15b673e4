package explain

import (
	"fmt"

	"github.com/hotspot-dev/hotspot/profile"
)

// hotPathMajority is how much of its parent the heaviest child must hold for
// the hot path to continue through it.
const hotPathMajority = 0.5

// hotPath follows the heaviest child from the root while it holds most of
// its parent's active cost. Direct recursion is folded into one entry.
func (a *analysis) hotPath() []PathFrame {
	p := a.p
	out := []PathFrame{}
	var base []string
	var reps []int
	n := profile.RootNode
	for {
		best := profile.NodeID(-1)
		for _, c := range p.Children(n) {
			if best < 0 || a.nodeTotal.at(c) > a.nodeTotal.at(best) {
				best = c
			}
		}
		if best < 0 || a.nodeTotal.at(best) == 0 || float64(a.nodeTotal.at(best)) < hotPathMajority*float64(a.nodeTotal.at(n)) {
			break
		}
		fi := &a.cls.info[p.Nodes[best].Frame]
		share := a.activeShare(a.nodeTotal.at(best))
		if len(out) == 0 && (fi.pseudo || fi.rt == rtUnknown || isStartup(fi)) {
			// A thread, process or comm label at the root is not code, an
			// unsymbolized root frame names nothing, and the runtime's
			// start-up frames (_start, Py_RunMain, runpy, the thread
			// bootstrap) are on every stack: the path starts below them.
			n = best
			continue
		}
		if k := len(out) - 1; k >= 0 && base[k] == fi.name {
			reps[k]++
			out[k].Function = fmt.Sprintf("%s (recursive ×%d)", fi.name, reps[k])
		} else {
			out = append(out, PathFrame{Function: fi.name, Kind: kindName(fi.rt), TotalShare: share})
			if fi.rt == rtPython || (fi.rt == rtNative && !fi.pseudo) {
				a.userPath = append(a.userPath, len(out)-1)
			}
			base = append(base, fi.name)
			reps = append(reps, 1)
		}
		n = best
	}
	return out
}

// isStartup reports runtime start-up frames (startupFrames in rules.go),
// decided once per frame.
func isStartup(fi *frameInfo) bool { return fi.is(factStartup) }
