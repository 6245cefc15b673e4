package speedscope

import (
	"bufio"
	"bytes"
	"encoding/json"
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
	return read(r, name, opt, false)
}

// read is Read; with alwaysTree every stack is walked into the trie from
// the start, as it was before the trie was built only when needed (tests
// compare the two).
func read(r io.Reader, name string, opt profile.ReadOptions, alwaysTree bool) (*profile.Profile, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	rd := &reader{file: name, opt: opt, lim: opt.Limits.WithDefaults(), s: newScanner(br, name)}
	rd.trie = newTrie(rd.lim.MaxNodes)
	if alwaysTree {
		rd.buildTree()
	}
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
	s    *scanner
	// frameBuf holds the frame indices of the stack being read.
	frameBuf []int32

	depth int    // JSON nesting depth of the token stream
	raw   []byte // the element read last, in the decoder's buffer

	empty       bool // the input had no JSON value at all
	sawProfiles bool
	exporter    string
	groupName   string
	frames      []rawFrame
	framesKnown bool // shared.frames has been read
	stacks      stackTable
	trie        *trie   // built only when needed: see mayStep
	tree        bool    // the trie holds every stack read
	entryOf     []int32 // entry index of each stack in the profile being aggregated, -1: none
	profiles    []*rawProfile
	stackLimit  int

	warnings []string
	skipped  int
	first    error // the first record skipped, returned when nothing else is valid
	rounded  bool  // some weight was finer than the stored unit
}

// document reads the top-level object.
func (r *reader) document() error {
	c, err := r.s.locate()
	if err == io.EOF {
		r.empty = true
		return nil
	}
	if err != nil {
		return err
	}
	if c != '{' {
		return r.firstToken()
	}
	if _, err := r.tok(); err != nil {
		return err
	}
	schema := false
	for r.more() {
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
				return fmt.Errorf("%s: $schema is %q, want %q: %w", r.file, s, SchemaURL, profile.ErrUnrecognized)
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
	end := r.s.prevEnd - 1 // the closing brace
	if err := r.trailing(); err != nil {
		return err
	}
	if !r.sawProfiles {
		if !schema {
			return r.notSpeedscope()
		}
		return r.s.errorAt(end, `the top-level object has no "profiles"`)
	}
	return nil
}

// shared reads the "shared" object; only its "frames" matter.
func (r *reader) shared() error {
	if err := r.open('{', "shared"); err != nil {
		return err
	}
	for r.more() {
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
		for i := 0; r.more(); i++ {
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
	if f, ok := fastFrame(r.raw); ok {
		return f, nil
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
	for r.more() {
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
	for r.more() {
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

// notSpeedscope reports input that is not a speedscope document at all,
// saying what one looks like; it wraps profile.ErrUnrecognized so that
// callers can try the next format.
func (r *reader) notSpeedscope() error {
	return fmt.Errorf(`%s: not a speedscope document (want a JSON object with "$schema": %q and "shared.frames"): %w`, r.file, SchemaURL, profile.ErrUnrecognized)
}
