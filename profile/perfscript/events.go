package perfscript

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// SamplesSuffix ends the name of the value type that counts the samples of
// an event ("cycles:samples"), beside the one that sums their periods
// ("cycles").
const SamplesSuffix = ":samples"

// maxEvents bounds the distinct events of one input: each adds two values
// to every sample, and real recordings have a handful.
const maxEvents = 64

// noEvent names the event of files printed without the event field.
const noEvent = "event"

// eventIndex returns the index of the event named ev (as printed, modifiers
// included), adding its two value types on first sight and noting its
// spelling in Meta.Comments; -1 when the input already has maxEvents.
func (r *reader) eventIndex(ev []byte) int {
	if r.lastEvent >= 0 && bytes.Equal(ev, r.lastEventRaw) {
		return r.lastEvent
	}
	i := r.lookupEvent(ev)
	r.lastEvent, r.lastEventRaw = i, append(r.lastEventRaw[:0], ev...)
	return i
}

func (r *reader) lookupEvent(ev []byte) int {
	r.noteSpelling(ev)
	bare := bareEvent(ev)
	if len(bare) == 0 {
		bare = []byte(noEvent)
	}
	for i, e := range r.events {
		if bytes.Equal(e.name, bare) {
			return i
		}
	}
	if len(r.events) >= maxEvents {
		return -1
	}
	name := validUTF8(string(bare))
	unit := "count"
	if clockEvent(name) {
		unit = "nanoseconds"
	}
	r.b.AddType(profile.ValueType{Type: name, Unit: unit})
	r.b.AddType(profile.ValueType{Type: name + SamplesSuffix, Unit: "count"})
	r.events = append(r.events, event{name: []byte(name)})
	r.totals = append(r.totals, 0, 0)
	r.values = append(r.values, 0, 0)
	if len(r.events) == 1 {
		r.b.SetDefaultType(0)
		r.b.Meta().Recording = recording(name)
	} else if len(r.events) == 2 {
		r.b.Meta().Comments = append(r.b.Meta().Comments, fmt.Sprintf("several events recorded: %q is the default value type; choose another with --event", r.events[0].name))
	}
	return len(r.events) - 1
}

// noteSpelling records each distinct event spelling once, so modifiers
// such as ":pppH" that the value type names drop stay visible.
func (r *reader) noteSpelling(ev []byte) {
	if n := len(r.rawSeen); n > 0 && bytes.Equal(r.rawSeen[n-1], ev) {
		return
	}
	for _, s := range r.rawSeen {
		if bytes.Equal(s, ev) {
			return
		}
	}
	if len(r.rawSeen) >= headerMax {
		return
	}
	r.rawSeen = append(r.rawSeen, append([]byte(nil), ev...))
	if len(ev) > 0 {
		r.b.Meta().Comments = append(r.b.Meta().Comments, fmt.Sprintf("perf event %q", validUTF8(string(ev))))
	}
}

// recording says what a profile of the event shows: samples taken when a
// thread switches out show where it waited (off-CPU); clock and hardware
// counter events show where it ran (on-CPU). Others are left unknown.
func recording(event string) string {
	switch {
	case strings.Contains(event, "sched_switch"), strings.Contains(event, "sched_stat_sleep"),
		strings.Contains(event, "sched_stat_blocked"), strings.Contains(event, "sched_stat_iowait"),
		event == "context-switches", event == "cs", event == "offcpu-time":
		return "off-cpu"
	case event == "cpu-clock", event == "task-clock", event == "instructions", event == "branches",
		event == "branch-misses", event == "branch-instructions", event == "cache-misses",
		event == "cache-references", strings.Contains(event, "cycles"),
		strings.Contains(event, "instructions"):
		return "on-cpu"
	}
	return ""
}

// EventType returns the index of the value type that sums the periods of
// the named event ("cycles", "cpu-clock:pppH" and "sched:sched_switch:" all
// work: modifiers and a trailing colon are ignored), for choosing what to
// convert or explain. The error lists the events the profile has.
func EventType(p *profile.Profile, event string) (int, error) {
	if i := p.TypeIndex(event); i >= 0 {
		return i, nil
	}
	bare := string(bareEvent([]byte(strings.TrimSuffix(strings.TrimSpace(event), ":"))))
	if i := p.TypeIndex(bare); i >= 0 {
		return i, nil
	}
	var names []string
	for _, t := range p.SampleTypes {
		if !strings.HasSuffix(t.Type, SamplesSuffix) {
			names = append(names, t.Type)
		}
	}
	return -1, fmt.Errorf("no event %q in this profile; it has: %s", event, strings.Join(names, ", "))
}

// clockEvent reports whether a bare event name is a software clock whose
// period is nanoseconds of CPU time.
func clockEvent(name string) bool {
	return name == "cpu-clock" || name == "task-clock"
}
