package perfscript

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the perf script importer as a value for format detection.
type Format struct{}

// Name returns "perf".
func (Format) Name() string { return "perf" }

// Sniff reports whether head looks like perf script text.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads perf script text.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}

// Read parses `perf script` text from r, streaming it line by line. name
// is used only in messages. Each event (cycles, cpu-clock, a tracepoint...)
// becomes two value types: the sum of periods and the sample count; the
// first event seen is the default.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	rd := newReader(r, name, opt)
	if err := rd.runParallel(rd.br, parallelWorkers(), chunkSize); err != nil {
		return nil, err
	}
	return rd.finish()
}

// maxCachedLines bounds the parsed-line cache: inputs whose lines rarely
// repeat (every address distinct) are parsed line by line past it, so
// memory stays proportional to distinct frames, not to the input.
const maxCachedLines = 1 << 20

// headerMax bounds how many "# key : value" header lines are kept in
// Meta.Comments.
const headerMax = 64

// reader holds the state of one Read.
type reader struct {
	name string
	opt  profile.ReadOptions
	lim  profile.Limits
	br   *bufio.Reader
	long []byte // a line longer than br's buffer
	b    *profile.Builder

	lineNo     int
	sawEvent   bool // an event line was seen: the header is over
	headerless bool // records are callchains with no event line (-F ip,sym)
	sawDSO     bool // a callchain line with a "(dso)" was read
	events     []event
	rawSeen    [][]byte // event spellings already noted in Meta.Comments
	// lastEvent is the index of the event spelled lastEventRaw (-1: none).
	lastEvent    int
	lastEventRaw []byte
	totals       []int64 // running sum per value type, to report overflow
	samples      int
	records      int
	// userSamples and cutShort count the samples with user-space frames
	// and those of them that reach no entry point (_start, start_thread...).
	userSamples, cutShort int
	// minTime and maxTime bound the sample timestamps, for Meta.DurationNanos.
	minTime, maxTime int64
	hasTime          bool
	// turns measures how the threads took turns on the default event.
	turns turns
	// switches splits sched_switch events and times them off the CPU.
	switches switches
	// cpus is the set of CPUs the records ran on.
	cpus cpuSet

	// the record being read
	inRecord  bool
	rec       record
	entries   []*lineInfo // callchain lines, leaf first
	recWarned bool        // this record was already warned about
	recLines  int         // callchain lines seen, valid or not

	pendingEmpty int  // line of a stackless event whose warning waits for the next line
	orphans      bool // skipping callchain lines cut from their event by a blank line
	firstProblem string

	cache [2]map[string]*lineInfo // by line text; [1] for java processes
	// key is the current line's callchain key number within its chunk
	// (runParallel), -1 when unknown; local maps key numbers to what they
	// resolved to in this chunk, per cache.
	key   int32
	local [2][]*lineInfo
	// ev is the current line parsed as an event line by a worker, or nil.
	ev *parsedEvent
	// nResolved counts the blocks resolved to stacks (block.go).
	nResolved uint32

	cacheLimit int // entries per cache map
	blockLimit int // callchain blocks kept (block.go)
	inl        map[inlKey][]profile.FrameID
	display    map[string]string
	lastComm   []byte
	java       int // 1 while reading a java* process's record: selects cache[1]
	comm       string
	stack      []profile.FrameID
	stacks     stacks // samples merged per distinct stack, added to b at the end
	values     []int64

	// srcline support: locations of the record's entries, the line of the
	// last callchain entry, and every interned frame by ID.
	srcs      []srcRef
	lastStack int
	frameVals []profile.Frame
	srcFrames map[srcKey]profile.FrameID
}

// event is one value-type pair: period sums at index 2*i, counts at 2*i+1.
type event struct {
	name    []byte // bare event name ("cpu-clock")
	periods bool   // some record of the event had a period column
}

type record struct {
	line   int
	event  int
	period int64
	labels profile.Labels
}

func newReader(r io.Reader, name string, opt profile.ReadOptions) *reader {
	lim := opt.Limits.WithDefaults()
	rd := &reader{
		name:       name,
		opt:        opt,
		lim:        lim,
		br:         bufio.NewReaderSize(r, 64<<10),
		b:          profile.NewBuilder(name, nil, lim),
		inl:        map[inlKey][]profile.FrameID{},
		srcFrames:  map[srcKey]profile.FrameID{},
		display:    map[string]string{},
		lastEvent:  -1,
		key:        -1,
		cacheLimit: maxCachedLines,
		blockLimit: maxBlocks,
	}
	rd.cache[0] = map[string]*lineInfo{}
	rd.cache[1] = map[string]*lineInfo{}
	m := rd.b.Meta()
	m.Format, m.Producer = "perf", "perf"
	return rd
}

// run reads the input line by line on this goroutine (runParallel splits
// and tokenizes it on others) and feeds each line to the record state
// machine.
func (r *reader) run() error {
	for {
		line, err := r.readLine()
		if err != nil && err != io.EOF {
			return err
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		if err := r.line(line); err != nil {
			return err
		}
		if err == io.EOF {
			break
		}
	}
	return r.end()
}

// line handles the next input line, newline included.
func (r *reader) line(line []byte) error {
	r.lineNo++
	if line[0] == '#' {
		r.header(line)
		return nil
	} else if line = trimRight(line); len(line) == 0 {
		return r.endRecord()
	} else if r.inRecord {
		return r.inRecordLine(line)
	}
	return r.outsideLine(line)
}

// end finishes the last record once the input is over.
func (r *reader) end() error {
	if err := r.endRecord(); err != nil {
		return err
	}
	return r.flushPending("")
}

// readLine returns the next line including its newline, enforcing
// Limits.MaxLineBytes.
func (r *reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(r.long) > r.lim.MaxLineBytes {
				return nil, r.lineLimit()
			}
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if n := len(trimNewline(line)); n > r.lim.MaxLineBytes {
		return nil, r.lineLimit()
	}
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading %s: line %d: %w", r.name, r.lineNo+1, err)
	}
	return line, err
}

func (r *reader) lineLimit() error {
	return &profile.LimitError{File: r.name, Line: r.lineNo + 1, What: "line length", Limit: int64(r.lim.MaxLineBytes), Flag: "--max-line"}
}

// header keeps "# key : value" lines of perf script --header in Meta.
func (r *reader) header(line []byte) {
	if r.sawEvent {
		return
	}
	text := strings.TrimSpace(validUTF8(string(bytes.TrimLeft(line, "# "))))
	key, val, ok := strings.Cut(text, " : ")
	if !ok {
		return
	}
	m := r.b.Meta()
	if len(m.Comments) < headerMax {
		m.Comments = append(m.Comments, text)
	}
	switch strings.TrimSpace(key) {
	case "perf version":
		setAttr(m, "perf_version", strings.TrimSpace(val))
	case "cmdline":
		setAttr(m, "cmdline", strings.TrimSpace(val))
	}
}

// setAttr sets a Meta attribute, keeping Attrs sorted by key.
func setAttr(m *profile.Meta, key, val string) {
	for i, a := range m.Attrs {
		if a.Key == key {
			m.Attrs[i].Value = val
			return
		}
		if a.Key > key {
			m.Attrs = append(m.Attrs[:i], append([]profile.Attr{{Key: key, Value: val}}, m.Attrs[i:]...)...)
			return
		}
	}
	m.Attrs = append(m.Attrs, profile.Attr{Key: key, Value: val})
}

// outsideLine handles a line between records: it must be an event line,
// or, in a file whose records have no header (perf script -F ip,sym), a
// callchain line that starts the next record.
func (r *reader) outsideLine(line []byte) error {
	if (r.headerless || !r.sawEvent) && callchainLine(line) {
		r.headerless = true
		if err := r.startRecord(eventLine{}); err != nil {
			return err
		}
		if ok, err := r.stackLine(line); ok || err != nil {
			return err
		}
		r.inRecord, r.records = false, r.records-1
	}
	ev, ok := r.eventLine(line)
	if ok && ev.event == nil && !ev.nonSample {
		// Without an event field, a digit word alone does not make an
		// event line: "7f00 foo 123 bar (/x)" is a stray callchain line.
		if _, _, _, isStack := splitStackLine(line); isStack {
			ok = false
		}
	}
	if ok {
		if err := r.flushPending(""); err != nil {
			return err
		}
		r.orphans = false
		if ev.nonSample {
			r.sawEvent = true
			return nil
		}
		return r.startRecord(ev)
	}
	if !r.sawEvent {
		return fmt.Errorf("%s:%d: not perf script text: want an event line such as \"comm 123 456.789: 1000 cycles:\": %w", r.name, r.lineNo, profile.ErrUnrecognized)
	}
	if _, _, _, isStack := splitStackLine(line); isStack {
		if r.orphans {
			return nil
		}
		if r.pendingEmpty > 0 {
			r.orphans = true
			return r.flushPending(fmt.Sprintf("; the callchain at line %d is cut from it by a blank line and skipped", r.lineNo))
		}
	}
	if err := r.flushPending(""); err != nil {
		return err
	}
	return r.warn(r.lineNo, fmt.Sprintf("want an event line such as \"comm 123 456.789: 1000 cycles:\", got %q; skipped", clip(line)))
}

// eventLine parses line as an event line, unless a worker already did.
func (r *reader) eventLine(line []byte) (eventLine, bool) {
	if r.ev != nil {
		return r.ev.ev, r.ev.ok
	}
	return parseEventLine(line)
}

// flushPending ends the wait after a stackless event (kept with no
// frames): when a callchain follows it after a blank line (more says
// where), that callchain was cut from it, which is worth a warning.
func (r *reader) flushPending(more string) error {
	if r.pendingEmpty == 0 {
		return nil
	}
	line := r.pendingEmpty
	r.pendingEmpty = 0
	if more == "" {
		return nil
	}
	return r.warn(line, "event line without callchain lines (want indented 'address symbol (module)' lines after it, as perf record -g writes): kept with no frames"+more)
}

// inRecordLine handles a line inside a record: a callchain line, a
// srcline, or the start of the next record when a blank line is missing.
func (r *reader) inRecordLine(line []byte) error {
	if ok, err := r.stackLine(line); ok || err != nil {
		return err
	}
	if ev, ok := r.eventLine(line); ok && (ev.event != nil || ev.nonSample) {
		if err := r.endRecord(); err != nil {
			return err
		}
		return r.outsideLine(line)
	}
	r.recLines++
	if isSrcLine(line) {
		if n := len(r.entries); n > 0 && r.lastStack == r.lineNo-1 {
			if file, ln, ok := parseSrcLine(line); ok {
				r.srcs = append(r.srcs, srcRef{entry: n - 1, file: file, line: ln})
			}
		}
		return nil
	}
	if r.recWarned {
		return nil
	}
	r.recWarned = true
	return r.warn(r.lineNo, fmt.Sprintf("want a callchain line 'address symbol (module)' in the event at line %d, got %q; skipped", r.rec.line, clip(line)))
}

// stackLine appends a callchain entry to the record; ok is false when the
// line is not one. Each distinct line text is parsed once: the cache is
// looked up before the line is validated, since nearly all lines repeat.
func (r *reader) stackLine(line []byte) (ok bool, err error) {
	if k := r.key; k >= 0 {
		// runParallel's workers saw this line's text before: reuse what
		// it resolved to earlier in the chunk.
		if info := r.local[r.java][k]; info != nil {
			return true, r.addEntry(info)
		}
	}
	s := trimLeft(line)
	indented := len(s) < len(line)
	i := pcEnd(s)
	pc, rest := s, []byte(nil)
	switch {
	case i > 0:
		pc, rest = s[:i], s[i+1:]
	case indented && len(s) > 0 && allHexBytes(s):
		// "pc" alone: perf script -F ip
	default:
		return false, nil
	}
	key := rest
	if r.opt.Addrs && bytes.Contains(rest, unknownSym) || len(rest) == 0 {
		key = s // the frame name holds the address
	}
	info, hit := r.cache[r.java][string(key)]
	if !hit {
		bare := false
		if _, _, ok := splitSymDSO(rest); !ok {
			// perf script -F without dso ("pc sym") or sym ("pc"): read
			// only on an indented line, where nothing else can be, and in
			// a file that prints no dso elsewhere (there, such a line is
			// one cut short).
			if !indented || r.sawDSO {
				return false, nil
			}
			bare = true
		} else {
			r.sawDSO = true
		}
		if info, err = r.newLineInfo(pc, rest, r.java == 1, bare); err != nil {
			return true, r.at(err, r.lineNo)
		}
		if len(r.cache[r.java]) < r.cacheLimit {
			r.cache[r.java][string(key)] = info
		} else {
			info.uncached = true
		}
	}
	if r.key >= 0 && !info.uncached {
		r.local[r.java][r.key] = info
	}
	return true, r.addEntry(info)
}

// addEntry appends a callchain entry to the record.
func (r *reader) addEntry(info *lineInfo) error {
	r.recLines++
	r.lastStack = r.lineNo
	if len(r.entries) >= r.lim.MaxStackDepth {
		return &profile.LimitError{File: r.name, Line: r.lineNo, What: "stack depth", Limit: int64(r.lim.MaxStackDepth), Flag: "--max-depth"}
	}
	r.entries = append(r.entries, info)
	return nil
}

var unknownSym = []byte("[unknown]")

// trimLeft drops leading spaces and tabs.
func trimLeft(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

// trimRight drops trailing whitespace, including the newline.
func trimRight(s []byte) []byte {
	for n := len(s); n > 0; n-- {
		if c := s[n-1]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return s[:n]
		}
	}
	return s[:0]
}

// startRecord begins the record of an event line. A callchain entry on the
// event line itself (perf script without -g) makes a one-frame record that
// ends at once.
func (r *reader) startRecord(ev eventLine) error {
	r.sawEvent = true
	r.records++
	r.inRecord, r.recWarned, r.recLines = true, false, 0
	r.entries = r.entries[:0]
	r.srcs = r.srcs[:0]
	r.java = 0
	if bytes.HasPrefix(ev.comm, []byte("java")) {
		r.java = 1 // the collapsers tidy Java names for java* processes
	}
	if !bytes.Equal(ev.comm, r.lastComm) {
		r.lastComm = append(r.lastComm[:0], ev.comm...)
		r.comm = validUTF8(string(ev.comm))
	}
	r.rec = record{
		line:   r.lineNo,
		event:  r.eventIndex(ev.event),
		period: 1,
		labels: profile.Labels{Comm: r.comm, TID: ev.tid, HasTID: ev.hasTID, PID: ev.pid, HasPID: ev.hasPID},
	}
	if ev.hasPeriod {
		r.rec.period = ev.period
		if r.rec.event >= 0 {
			r.events[r.rec.event].periods = true
		}
	}
	if ev.hasTime {
		if !r.hasTime || ev.timeNs < r.minTime {
			r.minTime = ev.timeNs
		}
		if !r.hasTime || ev.timeNs > r.maxTime {
			r.maxTime = ev.timeNs
		}
		r.hasTime = true
	}
	if r.rec.event == 0 && ev.hasTime && ev.hasTID {
		r.turns.add(ev.tid, ev.timeNs, ev.period, ev.hasPeriod)
	}
	r.switches.add(&ev, r.lineNo)
	if ev.hasCPU {
		r.cpus.add(ev.cpu)
	}
	if r.rec.event < 0 {
		r.recWarned = true // its lines are read and dropped with the record
		return r.warn(r.lineNo, fmt.Sprintf("more than %d distinct events; the record of event %q is skipped", maxEvents, clip(ev.event)))
	}
	if len(ev.trailing) > 0 {
		r.key = -1 // the line's key is not the trailing entry's
		if ok, err := r.stackLine(ev.trailing); ok || err != nil {
			if err != nil {
				return err
			}
			return r.endRecord()
		}
	}
	return nil
}

// endRecord turns the finished record into a sample.
func (r *reader) endRecord() error {
	if !r.inRecord {
		return nil
	}
	r.inRecord = false
	if r.rec.event < 0 {
		return nil
	}
	if len(r.entries) == 0 {
		if r.recLines > 0 || r.recWarned {
			return nil // its lines were malformed, and warned about
		}
		// No callchain at all: stackcollapse-perf.pl keeps such an event
		// (as a bare comm), and so does the model, with no frames; the
		// folded writer leaves it out, as inferno does.
		r.pendingEmpty = r.rec.line
	}
	r.countFound(r.complete())
	if err := r.buildStack(); err != nil {
		return err
	}
	return r.addSample(r.stack, hashIDs(r.stack), nil)
}

// buildStack turns the record's callchain entries, leaf first, into
// r.stack, root first, interning the frames of inlined entries per caller
// and of entries with a source line.
func (r *reader) buildStack() error {
	r.stack = r.stack[:0]
	var caller *lineInfo
	src := len(r.srcs) - 1
	for i := len(r.entries) - 1; i >= 0; i-- {
		info := r.entries[i]
		if !info.inlined {
			r.stack = append(r.stack, info.ids...)
			caller = info
		} else {
			ids, err := r.inlinedIDs(info, caller)
			if err != nil {
				return r.at(err, r.rec.line)
			}
			r.stack = append(r.stack, ids...)
		}
		for ; src >= 0 && r.srcs[src].entry >= i; src-- {
			// The location belongs to the entry's innermost function.
			if n := len(r.stack); r.srcs[src].entry == i && n > 0 && len(info.ids)+len(info.protos) > 0 {
				id, err := r.withSource(r.stack[n-1], r.srcs[src].file, r.srcs[src].line)
				if err != nil {
					return r.at(err, r.rec.line)
				}
				r.stack[n-1] = id
			}
		}
	}
	return nil
}

// addSample adds the record's sample: stack, root first, and its hash;
// res is the block the stack was resolved from, if any.
func (r *reader) addSample(stack []profile.FrameID, hash uint64, res *resolved) error {
	k := r.rec.event
	if r.totals[2*k] > 1<<63-1-r.rec.period {
		return &profile.SyntaxError{File: r.name, Line: r.rec.line, Msg: fmt.Sprintf("the sum of %s periods overflows int64", r.events[k].name)}
	}
	r.totals[2*k] += r.rec.period
	r.totals[2*k+1]++
	var entry int32
	if res != nil {
		entry = r.stacks.addBlock(res, r.rec.labels, k, r.rec.period, r.rec.line)
	} else {
		entry = r.stacks.add(stack, hash, r.rec.labels, k, r.rec.period, r.rec.line)
	}
	// The switch this record began waits for its thread to run again:
	// its time off the CPU goes to this entry.
	if r.rec.labels.HasTID {
		r.switches.startedAt(r.rec.labels.TID, r.rec.line, entry)
	}
	r.samples++
	return nil
}

// at places a limit error at the record or line it happened in.
func (r *reader) at(err error, line int) error {
	var le *profile.LimitError
	if errors.As(err, &le) && le.Where == "" && le.Line == 0 {
		le.Line = line
	}
	return err
}

// warn records a skipped malformed record, or fails in strict mode.
func (r *reader) warn(line int, msg string) error {
	if r.opt.Strict {
		return &profile.SyntaxError{File: r.name, Line: line, Msg: msg}
	}
	if r.firstProblem == "" {
		r.firstProblem = fmt.Sprintf("line %d: %s", line, msg)
	}
	m := r.b.Meta()
	m.Skipped++
	m.Warn(fmt.Sprintf("%s:%d: %s", r.name, line, msg))
	return nil
}

// finish builds and validates the profile.
func (r *reader) finish() (*profile.Profile, error) {
	if r.samples == 0 && r.records > 0 {
		msg := fmt.Sprintf("no valid sample in %d event record(s)", r.records)
		if r.firstProblem != "" {
			msg += "; first problem at " + r.firstProblem
		}
		return nil, &profile.SyntaxError{File: r.name, Line: r.lineNo, Msg: msg}
	}
	if len(r.events) == 0 {
		// Empty input: an empty profile still needs a value type.
		r.b.AddType(profile.ValueType{Type: "samples", Unit: "count"})
	}
	r.switches.finish(r.maxTime, r.stacks.aggs)
	if err := r.flushStacks(); err != nil {
		return nil, err
	}
	p := r.b.Profile()
	for i, e := range r.events {
		if t := &p.SampleTypes[2*i]; !e.periods && t.Unit != "count" {
			// Each event weighed 1: the values count samples.
			p.Meta.Comments = append(p.Meta.Comments, fmt.Sprintf("perf event %q has no period column: each event counts 1, so its values are samples, not %s", e.name, t.Unit))
			t.Unit = "count"
		}
	}
	r.describe(p)
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", r.name, err)
	}
	return p, nil
}

// clip shortens a line quoted in a warning.
func clip(line []byte) string {
	const max = 120
	if len(line) > max {
		return validUTF8(string(line[:max])) + "..."
	}
	return validUTF8(string(line))
}

func trimNewline(s []byte) []byte {
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s = s[:n-1]
		if n > 1 && s[n-2] == '\r' {
			s = s[:n-2]
		}
	}
	return s
}

func allHexBytes(s []byte) bool {
	for _, c := range s {
		if !isHex(c) {
			return false
		}
	}
	return true
}
