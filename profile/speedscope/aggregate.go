package speedscope

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// unitKind is what a profile's weights measure.
type unitKind int

const (
	unitNone  unitKind = iota // plain numbers (sample counts, usually)
	unitTime                  // converted to nanoseconds
	unitBytes                 // bytes
)

// rawProfile is one entry of "profiles" while and after it is read.
type rawProfile struct {
	index         int
	typ, name     string
	unit          string
	hasUnit       bool
	start, end    decimal
	hasStart      bool
	hasEnd        bool
	hasSamples    bool
	hasWeights    bool
	hasEvents     bool
	nodes         []int32 // stack ID of each sample; -1 for a malformed one
	weights       weightList
	badWeights    []int // indexes of malformed weights, ascending
	events        []event
	eventCount    int    // events read, including those of a broken profile
	broken        bool   // an event was malformed: the profile is skipped
	maxFrame      int32  // largest frame index seen before the frame table
	maxAt         int    // where maxFrame was seen
	maxKind       string // "samples" or "events"
	skip          bool   // left out: unsupported type or malformed
	sampled       bool
	kind          unitKind
	exp           int32 // stored values are in units of 10^exp of the input unit
	entries       []entry
	durationNanos int64
	uniform       bool // every weight had the same value
	uniformWeight int64
}

func (p *rawProfile) path() string { return "profiles[" + strconv.Itoa(p.index) + "]" }

// unitName is the unit weights are read in, for messages: empty for plain
// numbers (including an unknown unit, read as plain numbers).
func (p *rawProfile) unitName() string {
	if p.kind == unitNone {
		return ""
	}
	return p.unit
}

// entry is one aggregated stack of a profile.
type entry struct {
	stack int32 // stack ID
	count int64
	value int64
}

// event is one evented-profile event.
type event struct {
	at    decimal
	frame int32
	open  bool
}

// weightList stores a profile's weights as indices into the distinct
// values: py-spy writes one weight for every sample and folded-stack
// converters a few small counts, so the distinct values are few. While
// every weight has been the same value, ids stays nil and a profile's
// weights cost nothing per sample; after that, four bytes a sample.
// Evented exports converted to samples carry time deltas, nearly all
// distinct: once the distinct values are many and a quarter of the weights,
// the map goes and each weight keeps a value of its own (20 bytes a
// sample, not the map's 60).
type weightList struct {
	ids    []int32   // value index of each weight; nil while len(values) <= 1
	values []decimal // distinct weights in order of first appearance (every weight once direct)
	index  map[decimal]int32
	direct bool // values holds every weight; index is dropped
	n      int
}

// minDirectValues is the number of distinct weights from which a list that
// is mostly distinct stops looking values up.
const minDirectValues = 1 << 16

func (w *weightList) add(d decimal) {
	switch {
	case len(w.values) == 0:
		w.values = append(w.values, d)
	case w.ids == nil && w.values[0] == d:
	default:
		if w.ids == nil {
			w.ids = make([]int32, w.n, max(2*w.n, 1024))
			w.index = map[decimal]int32{w.values[0]: 0}
		}
		if w.direct {
			w.ids = append(w.ids, int32(len(w.values)))
			w.values = append(w.values, d)
			break
		}
		k, ok := w.index[d]
		if !ok {
			k = int32(len(w.values))
			w.index[d] = k
			w.values = append(w.values, d)
			if len(w.values) >= minDirectValues && 4*len(w.values) > w.n {
				w.direct, w.index = true, nil
			}
		}
		w.ids = append(w.ids, k)
	}
	w.n++
}

// id returns the value index of weight i.
func (w *weightList) id(i int) int32 {
	if w.ids == nil {
		return 0
	}
	return w.ids[i]
}

// unitOf maps a speedscope unit to its kind and, for time, the exponent that
// turns the input unit into nanoseconds.
func unitOf(unit string) (unitKind, int32, bool) {
	switch unit {
	case "none":
		return unitNone, 0, true
	case "nanoseconds":
		return unitTime, 0, true
	case "microseconds":
		return unitTime, -3, true
	case "milliseconds":
		return unitTime, -6, true
	case "seconds":
		return unitTime, -9, true
	case "bytes":
		return unitBytes, 0, true
	}
	return unitNone, 0, false
}

// knownUnits lists the units unitOf accepts, for messages.
const knownUnits = `"none", "nanoseconds", "microseconds", "milliseconds", "seconds" or "bytes"`

// maxWeight spells the largest weight (or total of weights) that fits in an
// int64 stored in units of 10^exp of the input unit, in the input unit.
func maxWeight(exp int32, unit string) string {
	s := strconv.FormatInt(math.MaxInt64, 10)
	if exp < 0 && int(-exp) < len(s) {
		k := len(s) + int(exp)
		s = s[:k] + "." + s[k:]
	}
	if unit != "" && unit != "none" {
		s += " " + unit
	}
	return s
}

// minExp is the finest exponent kept for "none" weights: nine decimals.
const minExp = -9

// finish checks a profile that has been read and aggregates its samples
// per stack, releasing the per-sample data.
func (r *reader) finish(p *rawProfile) error {
	switch p.typ {
	case "sampled":
		p.sampled = true
	case "evented":
	case "":
		return r.dropProfile(p, r.pathError(p.path(), `missing "type"`))
	default:
		if r.opt.Strict {
			return r.pathError(p.path()+".type", fmt.Sprintf(`unsupported profile type %q, want "sampled" or "evented"`, p.typ))
		}
		r.warn(fmt.Sprintf(`%s: %s: unsupported profile type %q, want "sampled" or "evented"; profile skipped`, r.file, p.path(), p.typ))
		r.skipped++
		p.skip = true
		return nil
	}
	kind, exp, ok := unitOf(p.unit)
	if !ok {
		if r.opt.Strict {
			return r.pathError(p.path()+".unit", fmt.Sprintf("unknown unit %q, want %s", p.unit, knownUnits))
		}
		what := fmt.Sprintf("unknown unit %q, want %s", p.unit, knownUnits)
		if !p.hasUnit {
			what = "no unit"
		}
		r.warn(fmt.Sprintf("%s: %s: %s; weights read as plain numbers", r.file, p.path(), what))
	}
	p.kind = kind
	switch kind {
	case unitTime:
		p.exp = exp
	case unitNone:
		p.exp = 0
	}
	if kind == unitTime && p.hasStart && p.hasEnd {
		s, _, ok1 := p.start.scaled(p.exp)
		e, _, ok2 := p.end.scaled(p.exp)
		if ok1 && ok2 && e > s {
			p.durationNanos = e - s
		}
	}
	var err error
	switch {
	case p.sampled:
		err = r.aggregateSamples(p)
	case p.broken:
		p.skip = true
		r.skipped += p.eventCount
	default:
		err = r.replayEvents(p)
	}
	if isRecordError(err) {
		err = r.dropProfile(p, err)
	}
	p.nodes, p.weights, p.events, p.badWeights = nil, weightList{}, nil, nil
	return err
}

// dropProfile leaves out a profile whose samples or events do not fit
// together (weights missing, events badly nested); in strict mode err is
// returned instead.
func (r *reader) dropProfile(p *rawProfile, err error) error {
	if err := r.skipRecord(err, "profile"); err != nil {
		return err
	}
	p.skip = true
	p.entries = nil
	r.skipped += max(len(p.nodes), p.weights.n, p.eventCount, 1)
	return nil
}

// aggregateSamples sums the weights of each distinct stack.
func (r *reader) aggregateSamples(p *rawProfile) error {
	if p.weights.n != len(p.nodes) {
		return r.pathError(p.path()+".weights", fmt.Sprintf("%d weights for %d samples, want one weight per sample", p.weights.n, len(p.nodes)))
	}
	w := &p.weights
	if p.kind == unitNone {
		p.exp = 0
		for _, d := range w.values {
			if d.mant != 0 && d.exp < p.exp {
				p.exp = max(d.exp, minExp)
			}
		}
	}
	// Each distinct weight is scaled once; a weight that does not fit is
	// reported at its first sample, the first time the loop meets it.
	type scaledWeight struct {
		v         int64
		exact, ok bool
	}
	scaled := make([]scaledWeight, len(w.values))
	for k, d := range w.values {
		v, exact, ok := d.scaled(p.exp)
		scaled[k] = scaledWeight{v, exact, ok}
	}
	p.uniform = len(w.values) == 1
	if p.uniform {
		p.uniformWeight = scaled[0].v
	}
	defer r.releaseEntries(p)
	bad := p.badWeights
	for i := 0; i < w.n; i++ {
		sw := scaled[w.id(i)]
		if !sw.ok {
			return r.pathError(fmt.Sprintf("%s.weights[%d]", p.path(), i), "weight too large, want at most "+maxWeight(p.exp, p.unitName()))
		}
		if !sw.exact {
			r.rounded = true
		}
		badWeight := len(bad) > 0 && bad[0] == i
		if badWeight {
			bad = bad[1:]
		}
		if badWeight || p.nodes[i] < 0 {
			r.skipped++
			continue
		}
		if err := r.credit(p, p.nodes[i], sw.v); err != nil {
			return r.pathError(fmt.Sprintf("%s.weights[%d]", p.path(), i), err.Error())
		}
	}
	return nil
}

// releaseEntries clears the slots of r.entryOf that p's entries used.
func (r *reader) releaseEntries(p *rawProfile) {
	for _, e := range p.entries {
		r.entryOf[e.stack] = -1
	}
}

// credit adds v to p's entry of stack. r.entryOf maps stack IDs to
// entries (-1: none): probing a slice by ID is cheaper than a map for
// the hundreds of thousands of samples of a profile.
func (r *reader) credit(p *rawProfile, stack int32, v int64) error {
	if int(stack) >= len(r.entryOf) {
		r.entryOf = slices.Grow(r.entryOf, max(r.stacks.len(), int(stack)+1)-len(r.entryOf))
		for len(r.entryOf) < cap(r.entryOf) {
			r.entryOf = append(r.entryOf, -1)
		}
	}
	k := r.entryOf[stack]
	if k < 0 {
		k = int32(len(p.entries))
		r.entryOf[stack] = k
		p.entries = append(p.entries, entry{stack: stack})
	}
	e := &p.entries[k]
	if e.value+v < e.value {
		return fmt.Errorf("total weight overflows int64, want the weights of one stack to add up to at most %s", maxWeight(p.exp, p.unitName()))
	}
	e.value += v
	e.count++
	return nil
}

// replayEvents turns open/close events into weighted stacks: the time
// between two events goes to the stack open at that moment.
func (r *reader) replayEvents(p *rawProfile) error {
	if p.kind == unitNone {
		p.exp = 0
		for _, ev := range p.events {
			if ev.at.mant != 0 && ev.at.exp < p.exp {
				p.exp = max(ev.at.exp, minExp)
			}
		}
	}
	defer r.releaseEntries(p)
	// The replay walks the trie, so that the node limit counts the
	// frames opened as it always has.
	r.buildTree()
	// ids holds the stack ID of each open prefix, -1 until it is credited.
	var frames, nodes, ids []int32
	var prev int64
	for i, ev := range p.events {
		path := func() string { return fmt.Sprintf("%s.events[%d]", p.path(), i) }
		at, exact, ok := ev.at.scaled(p.exp)
		if !ok {
			return r.pathError(path()+".at", "time too large")
		}
		if !exact {
			r.rounded = true
		}
		if i > 0 && at < prev {
			return r.pathError(path(), fmt.Sprintf("at %s is before the previous event's at %s", r.formatAt(p, at), r.formatAt(p, prev)))
		}
		if len(nodes) > 0 && at > prev {
			top := len(ids) - 1
			if ids[top] < 0 {
				ids[top] = r.stacks.intern(frames)
			}
			if err := r.credit(p, ids[top], at-prev); err != nil {
				return r.pathError(path(), err.Error())
			}
		}
		prev = at
		if ev.open {
			if len(nodes) >= r.lim.MaxStackDepth {
				return &profile.LimitError{File: r.file, Where: path(), What: fmt.Sprintf("stack depth (more than %d frames)", r.lim.MaxStackDepth), Limit: int64(r.lim.MaxStackDepth), Flag: "--max-depth"}
			}
			parent := int32(0)
			if len(nodes) > 0 {
				parent = nodes[len(nodes)-1]
			}
			n, ok := r.trie.step(parent, len(nodes), ev.frame)
			if !ok {
				return r.trie.limitError(r.file, path())
			}
			frames = append(frames, ev.frame)
			nodes = append(nodes, n)
			ids = append(ids, -1)
			continue
		}
		if len(frames) == 0 {
			return r.pathError(path(), fmt.Sprintf("closes frame %s but no frame is open", r.frameRef(ev.frame)))
		}
		if top := frames[len(frames)-1]; top != ev.frame {
			return r.pathError(path(), fmt.Sprintf("closes frame %s but frame %s is open (at %s)", r.frameRef(ev.frame), r.frameRef(top), r.formatAt(p, at)))
		}
		frames, nodes, ids = frames[:len(frames)-1], nodes[:len(nodes)-1], ids[:len(ids)-1]
	}
	if len(frames) > 0 {
		return r.pathError(p.path()+".events", fmt.Sprintf("frame %s is still open after the last event", r.frameRef(frames[len(frames)-1])))
	}
	return nil
}

// frameRef names a frame by index, and by name when the frames are known.
func (r *reader) frameRef(f int32) string {
	if r.framesKnown && int(f) < len(r.frames) {
		return fmt.Sprintf("%d %q", f, r.frames[f].name)
	}
	return strconv.Itoa(int(f))
}

// formatAt prints a replayed time in the profile's input unit.
func (r *reader) formatAt(p *rawProfile, v int64) string {
	if p.exp >= 0 {
		return strconv.FormatInt(v, 10)
	}
	return profile.FormatScaled(v, pow10[-p.exp])
}
