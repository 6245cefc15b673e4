package perfscript

import (
	"fmt"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// describe records in Meta the time the samples span, the CPUs they ran
// on, whether the callchains look cut short and which Python frames they
// hold.
func (r *reader) describe(p *profile.Profile) {
	m := &p.Meta
	if r.hasTime {
		m.DurationNanos = r.maxTime - r.minTime
	}
	r.turns.describe(m, len(r.events) > 0 && clockEvent(string(r.events[0].name)))
	r.switches.describe(m)
	r.cpus.describe(m)
	if r.userSamples > 0 && 2*r.cutShort > r.userSamples {
		m.Truncated = true
		m.Comments = append(m.Comments, fmt.Sprintf("%d of %d samples with user-space frames reach no entry point (_start, start_thread, clone...): callchains are probably cut short (unwinding stopped early: code without frame pointers, or a --call-graph dwarf stack copy too small)", r.cutShort, r.userSamples))
	}
	python := ""
	for _, f := range p.Frames {
		if f.Kind == profile.KindPython {
			python = "perf-trampoline"
			break
		}
		if strings.HasPrefix(f.Name, "_PyEval_EvalFrame") {
			python = "interpreter-only"
		}
	}
	if python != "" {
		setAttr(m, "python", python)
	}
}

// complete reports whether the record's callchain has user-space frames
// and whether it reaches an entry point.
func (r *reader) complete() (user, entry bool) {
	for _, e := range r.entries {
		if e.kind != profile.KindKernel && !(e.inlined && len(e.protos) == 0) {
			user = true
		}
		if e.entry {
			entry = true
			break
		}
	}
	return user, entry
}

// countFound counts a sample with user-space frames, and whether its
// callchain reaches an entry point.
func (r *reader) countFound(user, entry bool) {
	if user {
		r.userSamples++
		if !entry {
			r.cutShort++
		}
	}
}
