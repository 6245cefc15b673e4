package pprof

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// FromPprof converts a decoded pprof profile into the model. name is the
// input's name, used in messages only. pp must have passed CheckValid;
// FromPprof checks again so that hand-made profiles get the same messages.
//
// Every sample type becomes a value type, in order; DefaultSampleType (or,
// when unset, the last type, as pprof does) becomes DefaultType. Each
// location expands into one frame per line entry, innermost first, and the
// leaf-first sample stack is reversed into the model's root-first order.
// Negative values are rejected: the model keeps costs, not differences.
func FromPprof(pp *pprofile.Profile, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	if pp == nil {
		return nil, &profile.SyntaxError{File: name, Offset: -1, Msg: "no profile"}
	}
	if err := pp.CheckValid(); err != nil {
		return nil, &profile.SyntaxError{File: name, Offset: -1, Msg: "invalid pprof profile: " + err.Error()}
	}
	im := newImporter(pp, name, opt)
	for i, s := range pp.Sample {
		if err := im.add(i, s.Location, s.Value, labelsFrom(s)); err != nil {
			return nil, err
		}
	}
	return im.finish()
}

// importer turns one pprof profile's samples into the model, one sample at
// a time, so that samples can come from pprof's decoded Profile or
// straight from the protobuf (fromProto).
type importer struct {
	name     string
	pp       *pprofile.Profile // the header: types, locations, functions
	b        *profile.Builder
	conv     *converter
	countIdx int
	sums     []int64
	stack    []profile.FrameID // scratch, reused by every sample
	// stacksOnly leaves the call tree unbuilt (ReadOptions.StacksOnly).
	stacksOnly bool
}

// newImporter sets up the model's value types and metadata from pp's
// header; pp's samples are not read.
func newImporter(pp *pprofile.Profile, name string, opt profile.ReadOptions) *importer {
	notes, comments := parseAnnotations(pp.Comments)

	types := make([]profile.ValueType, len(pp.SampleType))
	var unnamed []string
	for i, st := range pp.SampleType {
		types[i] = profile.ValueType{Type: st.Type, Unit: st.Unit, Scale: notes.scaleOf(i, st.Type)}
		if st.Type == "" {
			// pprof allows a nameless type; the model needs a name.
			types[i].Type = fmt.Sprintf("value%d", i)
			unnamed = append(unnamed, fmt.Sprintf("%s: sample_type[%d] has no name; calling it %q", name, i, types[i].Type))
		}
	}
	if len(types) == 0 {
		// A profile with no sample types has no samples either (CheckValid);
		// the model needs one type, so it gets the neutral one.
		types = []profile.ValueType{{Type: "samples", Unit: "count"}}
	}
	b := profile.NewBuilder(name, types, opt.Limits)
	// pprof samples come in no useful order and share little: interning
	// whole stacks and laying the tree out once is cheaper than walking
	// it per sample (profile.Builder.DeferTree).
	b.DeferTree()
	m := b.Meta()
	m.Format = "pprof"
	m.Comments = comments
	m.TimeNanos, m.DurationNanos, m.Period = pp.TimeNanos, pp.DurationNanos, pp.Period
	if pt := pp.PeriodType; pt != nil {
		m.PeriodType = profile.ValueType{Type: pt.Type, Unit: pt.Unit}
	}
	m.Producer, m.Recording = notes.producer, notes.recording
	if !notes.hasProducer {
		m.Producer = guessProducer(pp)
	}
	if !notes.hasRecording {
		m.Recording = guessRecording(pp.SampleType, pp.PeriodType)
	}
	m.Truncated = notes.truncated
	m.Approximations = append(m.Approximations, notes.approx...)
	m.Attrs = notes.attrs
	for _, w := range unnamed {
		m.Warn(w)
	}
	switch {
	case notes.dflt > 0 && notes.dflt <= len(pp.SampleType):
		b.SetDefaultType(notes.dflt - 1)
	case len(pp.SampleType) > 0:
		b.SetDefaultType(defaultIndex(pp, m))
	}
	return &importer{
		name:     name,
		pp:       pp,
		b:        b,
		conv:     newConverter(b, notes, pp),
		countIdx: sampleCountIndex(pp.SampleType),
		sums:     make([]int64, len(pp.SampleType)),

		stacksOnly: opt.StacksOnly,
	}
}

// add adds sample i with its leaf-first locations, values and labels.
func (im *importer) add(i int, locs []*pprofile.Location, values []int64, labels profile.Labels) error {
	if err := im.checkValues(i, values); err != nil {
		return err
	}
	stack := im.stack[:0]
	for _, loc := range locs {
		ids, err := im.conv.location(loc)
		if err != nil {
			return err
		}
		stack = append(stack, ids...)
	}
	im.stack = stack
	return im.addStack(values, labels)
}

// addIDs is add for a sample whose locations are given by id, each of
// them in the table sd resolves: the frames of a location already seen
// are found by its id, without reading the Location itself (a cache miss
// a location in a profile of a million samples).
func (im *importer) addIDs(i int, sd *sampleDecoder, ids []uint64, values []int64, labels profile.Labels) error {
	if err := im.checkValues(i, values); err != nil {
		return err
	}
	stack := im.stack[:0]
	for _, id := range ids {
		var frames []profile.FrameID
		if id < uint64(len(im.conv.byID)) {
			frames = im.conv.byID[id]
		}
		if frames == nil {
			var err error
			if frames, err = im.conv.location(sd.location(id)); err != nil {
				return err
			}
		}
		stack = append(stack, frames...)
	}
	im.stack = stack
	return im.addStack(values, labels)
}

// checkValues refuses negative values and totals that overflow.
func (im *importer) checkValues(i int, values []int64) error {
	for j, v := range values {
		if v < 0 {
			return &profile.SyntaxError{File: im.name, Path: fmt.Sprintf("sample[%d]", i),
				Msg: fmt.Sprintf("negative %s value %d (hotspot does not read difference profiles)", typeName(im.pp.SampleType[j]), v)}
		}
		if im.sums[j]+v < im.sums[j] {
			return &profile.SyntaxError{File: im.name, Path: fmt.Sprintf("sample[%d]", i),
				Msg: fmt.Sprintf("the %s total overflows a 64-bit integer", typeName(im.pp.SampleType[j]))}
		}
		im.sums[j] += v
	}
	return nil
}

// addStack adds the sample whose leaf-first frames are in im.stack.
func (im *importer) addStack(values []int64, labels profile.Labels) error {
	stack := im.stack
	// pprof stacks are leaf-first; the model's are root-first.
	for l, r := 0, len(stack)-1; l < r; l, r = l+1, r-1 {
		stack[l], stack[r] = stack[r], stack[l]
	}
	// A samples/count column says how many samples each pprof sample
	// stands for; keep it as the model's count so that noise estimates
	// and a round trip through pprof see the real sample count.
	count := int64(1)
	if im.countIdx >= 0 && im.countIdx < len(values) {
		count = values[im.countIdx]
	}
	return im.b.Add(stack, labels, count, values...)
}

// finish builds and checks the model.
func (im *importer) finish() (*profile.Profile, error) {
	build := im.b.Build
	if im.stacksOnly {
		build = im.b.BuildStacks
	}
	p, err := build()
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", im.name, err)
	}
	return p, nil
}

// converter interns the frames of each location once.
type converter struct {
	b        *profile.Builder
	notes    annotations
	pyOrigin bool
	// byID caches frames by location id when ids are dense, as every
	// producer writes them; locs is the fallback for sparse ids.
	byID [][]profile.FrameID
	locs map[*pprofile.Location][]profile.FrameID
}

func newConverter(b *profile.Builder, notes annotations, pp *pprofile.Profile) *converter {
	c := &converter{b: b, notes: notes, pyOrigin: pythonOrigin(pp)}
	var maxID uint64
	for _, l := range pp.Location {
		maxID = max(maxID, l.ID)
	}
	if maxID <= 2*uint64(len(pp.Location))+64 {
		c.byID = make([][]profile.FrameID, maxID+1)
	}
	return c
}

// location returns the frames of loc, innermost (leaf) first.
func (c *converter) location(loc *pprofile.Location) ([]profile.FrameID, error) {
	dense := loc.ID < uint64(len(c.byID))
	if dense {
		if ids := c.byID[loc.ID]; ids != nil {
			return ids, nil
		}
	} else if ids, ok := c.locs[loc]; ok {
		return ids, nil
	}
	module := ""
	if loc.Mapping != nil {
		module = loc.Mapping.File
	}
	var ids []profile.FrameID
	if len(loc.Line) == 0 {
		// An unsymbolized location: its address is all there is.
		id, err := c.b.Frame(profile.Frame{Name: addrName(loc.Address), Module: module, Kind: profile.KindUnknown, Addr: loc.Address})
		if err != nil {
			return nil, err
		}
		ids = []profile.FrameID{id}
	} else {
		ids = make([]profile.FrameID, len(loc.Line))
		for i, ln := range loc.Line {
			f := c.frame(ln, loc, module)
			// Every line but the last was inlined into the one after it.
			f.Inlined = i < len(loc.Line)-1
			id, err := c.b.Frame(f)
			if err != nil {
				return nil, err
			}
			ids[i] = id
		}
	}
	if dense {
		c.byID[loc.ID] = ids
	} else {
		if c.locs == nil {
			// A location missing from the table (a hand-made profile).
			c.locs = map[*pprofile.Location][]profile.FrameID{}
		}
		c.locs[loc] = ids
	}
	return ids, nil
}

func (c *converter) frame(ln pprofile.Line, loc *pprofile.Location, module string) profile.Frame {
	fn := ln.Function
	f := profile.Frame{File: fn.Filename, Module: module, Line: ln.Line}
	switch {
	case fn.SystemName != "" && fn.Name != "" && fn.SystemName != fn.Name:
		// The producer demangled the linker name itself.
		f.Name, f.Display = fn.SystemName, fn.Name
	case fn.SystemName != "" || fn.Name != "":
		f.Name = fn.SystemName
		if f.Name == "" {
			f.Name = fn.Name
		}
		f.Display = f.Name
		if mayNeedCleaning(f.Name) {
			f.Display = symbol.Clean(f.Name)
		}
		f.Display = withoutOwnFile(f.Display, fn.Filename)
	}
	f.Kind = inferKind(f.Name != "", f.File, module, c.pyOrigin)
	if note, ok := c.notes.kind[fn.ID]; ok && note.name == f.Name {
		f.Kind = note.kind
	}
	if f.Name == "" {
		f.Name = addrName(loc.Address)
		f.Display = f.Name
	}
	if f.Kind == profile.KindUnknown {
		// Unknown frames are told apart by address, as line-less ones are.
		f.Addr = loc.Address
	}
	return f
}

// withoutOwnFile drops the "FILE:LINE - " some converters put before a
// function's name when FILE is the function's own file ("lib/app.py:-1 -
// handle", as Pyroscope writes py-spy's frames): the file and line are in
// their own fields, and the name alone is what py-spy and perf print.
func withoutOwnFile(name, file string) string {
	if file == "" || !strings.HasPrefix(name, file) || len(name) <= len(file) || name[len(file)] != ':' {
		return name
	}
	rest := name[len(file)+1:]
	rest = strings.TrimPrefix(rest, "-")
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 || !strings.HasPrefix(rest[i:], " - ") || len(rest) == i+3 {
		return name
	}
	return rest[i+3:]
}

func addrName(a uint64) string { return fmt.Sprintf("0x%x", a) }

func typeName(t *pprofile.ValueType) string {
	n := t.Type
	if t.Unit != "" {
		n += "/" + t.Unit
	}
	// The names are the file's text: an error naming one stays one line.
	if strings.ContainsFunc(n, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return strconv.Quote(n)
	}
	return n
}

// defaultIndex picks DefaultType the way pprof picks its default sample
// index: DefaultSampleType when set, else the last type.
func defaultIndex(pp *pprofile.Profile, m *profile.Meta) int {
	if pp.DefaultSampleType != "" {
		for i, st := range pp.SampleType {
			if st.Type == pp.DefaultSampleType {
				return i
			}
		}
		m.Warn(fmt.Sprintf("default sample type %q is not among the sample types; using the last one", pp.DefaultSampleType))
	}
	return len(pp.SampleType) - 1
}

// guessRecording names what the sample types measure, for the common
// pprof profile kinds; "" when they say nothing clear. fgprof (period type
// "wallclock") samples every goroutine, running or waiting, and a goroutine
// profile lists them all: both are wall-clock views.
func guessRecording(types []*pprofile.ValueType, period *pprofile.ValueType) string {
	if period != nil && period.Type == "wallclock" {
		return "wall"
	}
	for _, t := range types {
		if t.Type == "goroutine" {
			return "wall"
		}
	}
	for _, t := range types {
		switch {
		case t.Type == "cpu":
			return "on-cpu"
		case t.Type == "wall":
			return "wall"
		case strings.HasPrefix(t.Type, "alloc_") || strings.HasPrefix(t.Type, "inuse_"):
			return "memory"
		case t.Type == "contentions" || t.Type == "delay":
			return "off-cpu"
		}
	}
	return ""
}

// guessProducer recognises Go runtime profiles by their runtime entry
// points; other producers leave no mark pprof keeps.
func guessProducer(pp *pprofile.Profile) string {
	for _, f := range pp.Function {
		switch f.Name {
		case "runtime.main", "runtime.goexit", "runtime.mcall", "runtime.mstart", "runtime.systemstack":
			return "go runtime"
		}
	}
	return ""
}

// mayNeedCleaning is a cheap test for names symbol.Clean could change
// (mangled C++ or Rust, legacy escapes, Rust hash suffixes), so the common
// Go and Python names skip its regular expressions.
func mayNeedCleaning(name string) bool {
	return strings.HasPrefix(name, "_Z") || strings.HasPrefix(name, "__Z") || strings.HasPrefix(name, "_R") ||
		strings.Contains(name, "$") || strings.Contains(name, "::h")
}

// sampleCountIndex returns the index of the value type that counts
// samples, or -1: "samples/count" as Go and most recorders name it, or
// "EVENT:samples/count" as perf recordings name it beside the event's
// period (hotspot's own export of a perf script), so that a perf profile
// keeps its sample counts, and its noise estimates, through pprof.
func sampleCountIndex(types []*pprofile.ValueType) int {
	for i, t := range types {
		if t.Unit == "count" && (t.Type == "samples" || strings.HasSuffix(t.Type, ":samples")) {
			return i
		}
	}
	return -1
}
