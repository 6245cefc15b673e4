package perfscript

import (
	"bytes"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// switches splits the sched_switch events of an off-CPU recording into
// voluntary ones (the thread blocked: prev_state S, D and the other
// sleeping states) and involuntary ones (preempted while runnable:
// prev_state R), and, where the events carry timestamps, measures how
// long each thread stayed off the CPU: until the recording shows it
// running again, either switched in (it is an event's next_pid) or
// switching out once more (an upper bound, when the switch-in was made by
// a process the recording does not follow). It keeps one pending switch
// per thread, no per-event memory.
type switches struct {
	counts [2]int64 // [voluntary, involuntary]
	offNs  [2]int64 // time off the CPU, summed over the timed switches
	timed  [2]int64 // switches whose end was seen
	// at5ms counts the voluntary switches that ended 4.9-5.4 ms after
	// they began: a timed wait that ran out at CPython's default GIL
	// switch interval (5 ms) and was woken by its own timeout, plus the
	// scheduler's delay. The engine decides what they mean.
	at5ms   int64
	pending map[int64]pendingSwitch
	// offByEntry is, per entry of the merged stacks (aggregate.go), the
	// time its switches kept their threads off the CPU, closed at the
	// recording's end for threads that never ran again; credited counts
	// the switches timed so.
	offByEntry []int64
	credited   int64
}

// The window of at5ms, in nanoseconds.
const (
	at5msFrom = 4_900_000
	at5msTo   = 5_400_000
)

type pendingSwitch struct {
	at    int64
	kind  int   // 0 voluntary, 1 involuntary
	line  int   // its event line, which startedAt matches
	entry int32 // the merged stack its record was added to; -1 until then
}

// maxPendingThreads bounds the threads followed for off-CPU time.
const maxPendingThreads = 1 << 16

var (
	schedSwitch = []byte("sched_switch")
	prevState   = []byte("prev_state=")
	nextPID     = []byte("next_pid=")
)

// add reads one event: ev is its parsed header, on line line.
func (s *switches) add(ev *eventLine, line int) {
	if !bytes.HasSuffix(ev.event, schedSwitch) {
		return
	}
	state := field(ev.trailing, prevState)
	if len(state) == 0 {
		return
	}
	kind := 0
	if state[0] == 'R' {
		kind = 1
	}
	s.counts[kind]++
	if !ev.hasTime || !ev.hasTID {
		return
	}
	if s.pending == nil {
		s.pending = map[int64]pendingSwitch{}
	}
	s.end(ev.tid, ev.timeNs)
	if next, err := strconv.ParseInt(string(field(ev.trailing, nextPID)), 10, 64); err == nil {
		s.end(next, ev.timeNs)
	}
	if len(s.pending) < maxPendingThreads {
		s.pending[ev.tid] = pendingSwitch{at: ev.timeNs, kind: kind, line: line, entry: -1}
	}
}

// end closes thread tid's pending switch at time t: it is running again.
func (s *switches) end(tid, t int64) {
	p, ok := s.pending[tid]
	if !ok || t < p.at {
		return
	}
	s.offNs[p.kind] += t - p.at
	s.timed[p.kind]++
	if d := t - p.at; p.kind == 0 && d >= at5msFrom && d <= at5msTo {
		s.at5ms++
	}
	s.credit(p, t)
	delete(s.pending, tid)
}

// startedAt ties thread tid's switch whose record began on line, just
// added to the merged stacks as entry, to that entry. A record of another
// event, or of a switch that is not followed, changes nothing.
func (s *switches) startedAt(tid int64, line int, entry int32) {
	if p, ok := s.pending[tid]; ok && p.entry < 0 && p.line == line {
		p.entry = entry
		s.pending[tid] = p
	}
}

// credit adds the time from switch p to t to p's entry.
func (s *switches) credit(p pendingSwitch, t int64) {
	if p.entry < 0 {
		return
	}
	for int(p.entry) >= len(s.offByEntry) {
		s.offByEntry = append(s.offByEntry, 0)
	}
	s.offByEntry[p.entry] += t - p.at
	s.credited++
}

// finish closes the switches still open at the recording's end, at end
// (their threads were off the CPU at least that long), and adds the time
// of every entry's switches to it.
func (s *switches) finish(end int64, aggs []aggStack) {
	for _, p := range s.pending {
		if end >= p.at {
			s.credit(p, end)
		}
	}
	s.pending = nil
	for i, ns := range s.offByEntry {
		if i < len(aggs) {
			aggs[i].offNs += ns
		}
	}
}

// field returns the value of "key=value" in tracepoint fields, up to the
// next space.
func field(fields, key []byte) []byte {
	i := bytes.Index(fields, key)
	if i < 0 {
		return nil
	}
	v := fields[i+len(key):]
	if j := bytes.IndexByte(v, ' '); j >= 0 {
		v = v[:j]
	}
	return v
}

// describe records the split in Meta.Attrs: switches_voluntary and
// switches_involuntary always, and where timestamps allowed, the time off
// the CPU of the switches whose end was seen (offcpu_voluntary_ns over
// offcpu_voluntary_timed switches, the same for involuntary), and how
// many voluntary ones ended 4.9-5.4 ms later (offcpu_voluntary_at_5ms).
func (s *switches) describe(m *profile.Meta) {
	if s.counts[0]+s.counts[1] == 0 {
		return
	}
	names := [2]string{"voluntary", "involuntary"}
	for k, n := range names {
		setAttr(m, "switches_"+n, strconv.FormatInt(s.counts[k], 10))
		if s.timed[k] > 0 {
			setAttr(m, "offcpu_"+n+"_ns", strconv.FormatInt(s.offNs[k], 10))
			setAttr(m, "offcpu_"+n+"_timed", strconv.FormatInt(s.timed[k], 10))
		}
	}
	if s.timed[0] > 0 {
		setAttr(m, "offcpu_voluntary_at_5ms", strconv.FormatInt(s.at5ms, 10))
	}
}
