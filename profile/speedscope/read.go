package speedscope

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Read reads a speedscope JSON document. name is used only in messages.
// Semantic errors name the JSON path (profiles[2].samples[17]); JSON syntax
// errors name the line and column. An input that is not a JSON object, or
// whose "$schema" is another schema, gives profile.ErrUnrecognized.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	rd := &reader{file: name, opt: opt, lim: opt.Limits.WithDefaults(), src: newSource(br)}
	rd.dec = json.NewDecoder(rd.src)
	rd.dec.UseNumber()
	rd.trie = newTrie(rd.lim.MaxNodes)
	if err := rd.document(); err != nil {
		return nil, err
	}
	p, err := rd.build()
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", name, err)
	}
	return p, nil
}

// rawFrame is one entry of shared.frames as the file spells it.
type rawFrame struct {
	name, file string
	line       int64
}

// reader holds the state of one Read.
type reader struct {
	file string
	opt  profile.ReadOptions
	lim  profile.Limits
	src  *source
	dec  *json.Decoder

	depth int             // JSON nesting depth of the token stream
	raw   json.RawMessage // scratch for one decoded element

	empty       bool // the input had no JSON value at all
	sawProfiles bool
	exporter    string
	groupName   string
	frames      []rawFrame
	framesKnown bool // shared.frames has been read
	trie        *trie
	profiles    []*rawProfile
	stackLimit  int

	warnings []string
	skipped  int
	first    error // the first record skipped, returned when nothing else is valid
	rounded  bool  // some weight was finer than the stored unit
}

// document reads the top-level object.
func (r *reader) document() error {
	t, err := r.dec.Token()
	if err == io.EOF {
		r.empty = true
		return nil
	}
	if err != nil {
		if _, ok := err.(*json.SyntaxError); ok {
			return fmt.Errorf("%s: %w", r.file, profile.ErrUnrecognized)
		}
		return r.src.syntaxError(r.file, err, r.dec.InputOffset())
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("%s: %w", r.file, profile.ErrUnrecognized)
	}
	r.depth = 1
	schema := false
	for r.dec.More() {
		key, err := r.key()
		if err != nil {
			return err
		}
		switch key {
		case "$schema":
			s, err := r.str("$schema")
			if err != nil {
				return err
			}
			if !strings.Contains(strings.ReplaceAll(s, `\/`, "/"), "speedscope.app/file-format-schema.json") {
				return fmt.Errorf("%s: $schema is %q: %w", r.file, s, profile.ErrUnrecognized)
			}
			schema = true
		case "exporter":
			if r.exporter, err = r.optStr("exporter"); err != nil {
				return err
			}
		case "name":
			if r.groupName, err = r.optStr("name"); err != nil {
				return err
			}
		case "shared":
			if err := r.shared(); err != nil {
				return err
			}
		case "profiles":
			if err := r.profileList(); err != nil {
				return err
			}
		default:
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
	if _, err := r.tok(); err != nil {
		return err
	}
	end := r.dec.InputOffset() - 1 // the closing brace
	if _, err := r.dec.Token(); err != io.EOF {
		return r.src.errorAt(r.file, r.dec.InputOffset(), "unexpected data after the top-level object")
	}
	if !r.sawProfiles {
		if !schema {
			return fmt.Errorf("%s: %w", r.file, profile.ErrUnrecognized)
		}
		return r.src.errorAt(r.file, end, `the top-level object has no "profiles"`)
	}
	return nil
}

// shared reads the "shared" object; only its "frames" matter.
func (r *reader) shared() error {
	if err := r.open('{', "shared"); err != nil {
		return err
	}
	for r.dec.More() {
		key, err := r.key()
		if err != nil {
			return err
		}
		if key != "frames" {
			if err := r.skip(); err != nil {
				return err
			}
			continue
		}
		if err := r.open('[', "shared.frames"); err != nil {
			return err
		}
		for i := 0; r.dec.More(); i++ {
			f, err := r.frame(i)
			if err != nil {
				return err
			}
			if len(r.frames) >= r.lim.MaxFrames {
				return &profile.LimitError{File: r.file, Where: fmt.Sprintf("shared.frames[%d]", i), What: "number of frames", Limit: int64(r.lim.MaxFrames), Flag: "--max-frames"}
			}
			r.frames = append(r.frames, f)
		}
		if _, err := r.tok(); err != nil {
			return err
		}
		r.framesKnown = true
	}
	_, err := r.tok()
	return err
}

// frameJSON is one shared.frames entry before its fields are checked.
type frameJSON struct {
	Name, File, Line, Col json.RawMessage
}

func (r *reader) frame(i int) (rawFrame, error) {
	path := func() string { return fmt.Sprintf("shared.frames[%d]", i) }
	if err := r.element(); err != nil {
		return rawFrame{}, err
	}
	if err := r.checkObject(path); err != nil {
		return rawFrame{}, err
	}
	var fj frameJSON
	if err := json.Unmarshal(r.raw, &fj); err != nil {
		return rawFrame{}, r.pathError(path(), err.Error())
	}
	var f rawFrame
	var err error
	if f.name, err = rawString(fj.Name); err != nil {
		return rawFrame{}, r.pathError(path()+".name", err.Error())
	}
	if fj.Name == nil || isNull(fj.Name) {
		if r.opt.Strict {
			return rawFrame{}, r.pathError(path(), `frame has no "name"`)
		}
		r.warn(fmt.Sprintf("%s: %s: frame has no name; using \"(unknown)\"", r.file, path()))
		f.name = "(unknown)"
	}
	if f.file, err = rawString(fj.File); err != nil {
		return rawFrame{}, r.pathError(path()+".file", err.Error())
	}
	if f.line, err = rawInt(fj.Line); err != nil {
		return rawFrame{}, r.pathError(path()+".line", err.Error())
	}
	if _, err = rawInt(fj.Col); err != nil {
		return rawFrame{}, r.pathError(path()+".col", err.Error())
	}
	return f, nil
}

// profileList reads the "profiles" array.
func (r *reader) profileList() error {
	r.sawProfiles = true
	if err := r.open('[', "profiles"); err != nil {
		return err
	}
	for r.dec.More() {
		p := &rawProfile{index: len(r.profiles), maxFrame: -1}
		if err := r.profile(p); err != nil {
			return err
		}
		r.profiles = append(r.profiles, p)
	}
	_, err := r.tok()
	return err
}

// profile reads one profile object. Its keys may come in any order (py-spy
// writes type and unit first, speedscope's old files sort keys), so the
// arrays are kept in compact form until the object ends.
func (r *reader) profile(p *rawProfile) error {
	path := p.path()
	if err := r.open('{', path); err != nil {
		return err
	}
	for r.dec.More() {
		key, err := r.key()
		if err != nil {
			return err
		}
		switch key {
		case "type":
			p.typ, err = r.str(path + ".type")
		case "name":
			p.name, err = r.optStr(path + ".name")
		case "unit":
			p.unit, err = r.str(path + ".unit")
			p.hasUnit = true
		case "startValue":
			p.start, p.hasStart, err = r.number(path + ".startValue")
		case "endValue":
			p.end, p.hasEnd, err = r.number(path + ".endValue")
		case "samples":
			err = r.samples(p)
		case "weights":
			err = r.weights(p)
		case "events":
			err = r.events(p)
		default:
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
	if _, err := r.tok(); err != nil {
		return err
	}
	return r.finish(p)
}

// samples reads profiles[i].samples: arrays of frame indices, root first.
func (r *reader) samples(p *rawProfile) error {
	p.hasSamples = true
	if err := r.open('[', p.path()+".samples"); err != nil {
		return err
	}
	for i := 0; r.dec.More(); i++ {
		if err := r.element(); err != nil {
			return err
		}
		n, err := r.stack(p, i)
		if err != nil {
			if !isRecordError(err) {
				return err
			}
			// A malformed sample is left out (node -1), its weight too.
			if err := r.skipRecord(err, "sample"); err != nil {
				return err
			}
			n = -1
		}
		p.nodes = append(p.nodes, n)
	}
	_, err := r.tok()
	return err
}

// stack interns one sample's stack, held in r.raw. A malformed stack gives
// a *profile.SyntaxError (a record error); limits give a *profile.LimitError.
func (r *reader) stack(p *rawProfile, i int) (int32, error) {
	b := r.raw
	j := skipSpace(b, 0)
	if b[j] != '[' {
		return 0, r.pathError(fmt.Sprintf("%s.samples[%d]", p.path(), i), "want an array of frame indices, got "+rawKind(b[j:]))
	}
	j++
	node := int32(0)
	depth := 0
	for {
		j = skipSpace(b, j)
		if b[j] == ']' {
			break
		}
		if b[j] == ',' {
			j++
			continue
		}
		f, next, err := r.index(b, j, func() string { return fmt.Sprintf("%s.samples[%d][%d]", p.path(), i, depth) })
		if err != nil {
			return 0, err
		}
		if err := r.checkFrame(p, f, b[j:next], "samples", i); err != nil {
			return 0, err
		}
		j = next
		if depth >= r.lim.MaxStackDepth {
			return 0, &profile.LimitError{File: r.file, Where: fmt.Sprintf("%s.samples[%d]", p.path(), i), What: fmt.Sprintf("stack depth (more than %d frames)", r.lim.MaxStackDepth), Limit: int64(r.lim.MaxStackDepth), Flag: "--max-depth"}
		}
		var ok bool
		if node, ok = r.trie.step(node, depth, f); !ok {
			return 0, r.trie.limitError(r.file, fmt.Sprintf("%s.samples[%d]", p.path(), i))
		}
		depth++
	}
	return node, nil
}

// index parses the frame index that starts at b[j]. It returns the index,
// the offset after it, or an error naming path. Indices beyond int32 come
// back as -1 for checkFrame to report.
func (r *reader) index(b []byte, j int, path func() string) (int32, int, error) {
	k := j
	var v int64
	for k < len(b) && b[k] >= '0' && b[k] <= '9' {
		if v <= 1<<31 {
			v = v*10 + int64(b[k]-'0')
		}
		k++
	}
	if k == j || (k < len(b) && (b[k] == '.' || b[k] == 'e' || b[k] == 'E')) {
		// Not a plain non-negative integer: a string, an object, a
		// negative number or an integer in float form (1.0, 1e2).
		end := j
		for end < len(b) && strings.IndexByte("0123456789+-.eE", b[end]) >= 0 {
			end++
		}
		d, ok := parseDecimal(b[j:end])
		if !ok {
			return 0, 0, r.pathError(path(), "want a frame index, got "+rawKind(b[j:]))
		}
		iv, exact, fits := d.scaled(0)
		if !exact || !fits {
			return 0, 0, r.pathError(path(), fmt.Sprintf("frame index %s is not an integer", b[j:end]))
		}
		if iv < 0 || iv > 1<<31-1 {
			return -1, end, nil
		}
		return int32(iv), end, nil
	}
	if v > 1<<31-1 {
		return -1, k, nil
	}
	return int32(v), k, nil
}

// checkFrame reports a frame index out of range when the frame table is
// known; otherwise it remembers the largest index for build to check.
func (r *reader) checkFrame(p *rawProfile, f int32, lit []byte, kind string, i int) error {
	if f < 0 || (r.framesKnown && int(f) >= len(r.frames)) {
		msg := fmt.Sprintf("frame %s out of range", lit)
		if r.framesKnown {
			msg += fmt.Sprintf(" (%d frames)", len(r.frames))
		}
		return r.pathError(fmt.Sprintf("%s.%s[%d]", p.path(), kind, i), msg)
	}
	if !r.framesKnown && f > p.maxFrame {
		p.maxFrame, p.maxAt, p.maxKind = f, i, kind
	}
	return nil
}

// weights reads profiles[i].weights. Unlike stacks, the array is decoded
// as one value and parsed in place from the decoder's buffer: weights take a
// few bytes per sample, and encoding/json allocates three times for every
// bare number it decodes on its own.
func (r *reader) weights(p *rawProfile) error {
	p.hasWeights = true
	wl := weightList{r: r, p: p}
	if err := r.dec.Decode(&wl); err != nil {
		if wl.err != nil {
			return wl.err
		}
		if err == io.EOF {
			return r.src.errorAt(r.file, r.src.total, "unexpected end of input")
		}
		return r.src.syntaxError(r.file, err, r.dec.InputOffset())
	}
	return nil
}

// weightList receives a weights array from the JSON decoder.
type weightList struct {
	r   *reader
	p   *rawProfile
	err error
}

// errStop ends a weights array early; weightList.err says why.
var errStop = errors.New("stop")

// UnmarshalJSON parses b, a syntactically valid JSON value.
func (w *weightList) UnmarshalJSON(b []byte) error {
	path := func(i int) string { return fmt.Sprintf("%s.weights[%d]", w.p.path(), i) }
	j := skipSpace(b, 0)
	if b[j] != '[' {
		w.err = w.r.pathError(w.p.path()+".weights", "want an array, got "+rawKind(b[j:]))
		return errStop
	}
	j++
	var d decimal
	var prev []byte
	for i := 0; ; i++ {
		j = skipSpace(b, j)
		if b[j] == ',' {
			j = skipSpace(b, j+1)
		}
		if b[j] == ']' {
			return nil
		}
		end := j
		for end < len(b) && strings.IndexByte("0123456789+-.eE", b[end]) >= 0 {
			end++
		}
		lit := b[j:end]
		// A repeated literal (py-spy writes the same weight every time)
		// is parsed once. An empty one is not a number: parse it to fail.
		if len(lit) == 0 || prev == nil || !bytes.Equal(lit, prev) {
			var bad error
			var ok bool
			if d, ok = parseDecimal(lit); !ok {
				bad = w.r.pathError(path(i), "want a number, got "+rawKind(b[j:]))
			} else if d.neg() {
				bad = w.r.pathError(path(i), fmt.Sprintf("negative weight %s", lit))
			}
			if bad != nil {
				if w.err = w.r.skipRecord(bad, "sample"); w.err != nil {
					return errStop
				}
				w.p.badWeights = append(w.p.badWeights, i)
				w.p.weights.add(decimal{})
				j = valueEnd(b, j)
				prev = nil
				continue
			}
			prev = lit
		}
		w.p.weights.add(d)
		j = end
	}
}

// eventJSON is one profiles[i].events entry before its fields are checked.
type eventJSON struct {
	Type, Frame, At json.RawMessage
}

// events reads profiles[i].events. A malformed event breaks the nesting
// of the ones after it, so it makes the whole profile skipped.
func (r *reader) events(p *rawProfile) error {
	p.hasEvents = true
	if err := r.open('[', p.path()+".events"); err != nil {
		return err
	}
	for i := 0; r.dec.More(); i++ {
		if err := r.element(); err != nil {
			return err
		}
		p.eventCount++
		if p.broken {
			continue
		}
		ev, err := r.event(p, i)
		if err != nil {
			if !isRecordError(err) {
				return err
			}
			if err := r.skipRecord(err, "profile"); err != nil {
				return err
			}
			p.broken = true
			p.events = nil
			continue
		}
		p.events = append(p.events, ev)
	}
	_, err := r.tok()
	return err
}

// event checks the event held in r.raw.
func (r *reader) event(p *rawProfile, i int) (event, error) {
	path := func() string { return fmt.Sprintf("%s.events[%d]", p.path(), i) }
	if err := r.checkObject(path); err != nil {
		return event{}, err
	}
	var ej eventJSON
	if err := json.Unmarshal(r.raw, &ej); err != nil {
		return event{}, r.pathError(path(), err.Error())
	}
	var ev event
	switch {
	case ej.Type == nil:
		return event{}, r.pathError(path(), `missing "type"`)
	case string(ej.Type) == `"O"`:
		ev.open = true
	case string(ej.Type) == `"C"`:
	default:
		return event{}, r.pathError(path()+".type", fmt.Sprintf(`want "O" or "C", got %s`, ej.Type))
	}
	if ej.Frame == nil {
		return event{}, r.pathError(path(), `missing "frame"`)
	}
	fb := bytes.TrimSpace(ej.Frame)
	f, _, err := r.index(fb, 0, func() string { return path() + ".frame" })
	if err != nil {
		return event{}, err
	}
	if err := r.checkFrame(p, f, fb, "events", i); err != nil {
		return event{}, err
	}
	ev.frame = f
	if ej.At == nil {
		return event{}, r.pathError(path(), `missing "at"`)
	}
	at, ok := parseDecimal(bytes.TrimSpace(ej.At))
	if !ok {
		return event{}, r.pathError(path()+".at", "want a number, got "+rawKind(ej.At))
	}
	ev.at = at
	return ev, nil
}
