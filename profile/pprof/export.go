package pprof

import (
	"encoding/binary"
	"fmt"
	"io"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/profile"
)

// ToPprof converts the model into a pprof profile that FromPprof turns back
// into an equal model (same stacks, values, value types, labels, frames and
// Meta facts):
//
//   - Frame.Name is the function's SystemName and Frame.Display its Name;
//     Frame.File is its Filename and Frame.Line the line's number.
//   - Frame.Module becomes a mapping per distinct module (with zero
//     addresses: the model keeps no address ranges).
//   - Inlined frames share a location with the frame they were inlined
//     into, innermost first, as pprof spells inlining.
//   - An unknown frame named from its address (0x...) with nothing else
//     known becomes a location without lines, as unsymbolized ones are.
//   - ValueType.Scale, Frame.Kind where the import rule would not restore
//     it, and the Meta facts pprof has no field for are written as
//     "hotspot:" comments (see annotationPrefix).
//   - Labels: pid and tid numeric labels, comm and thread string labels,
//     and the Extra pairs as they were (see EncodeExtra).
//
// What does not survive: Sample.Count where no value type counts samples
// ("samples/count", or perf's "EVENT:samples/count"; pprof samples carry
// values only),
// Meta.Warnings and Skipped, the addresses of frames that are not unknown,
// an Inlined mark on the outermost frame of a stack (there is no caller to
// inline into), different modules among frames inlined into one another, and
// Extra values pprof itself drops (numeric 0 without a unit, empty strings).
func ToPprof(p *profile.Profile) (*pprofile.Profile, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("exporting to pprof: invalid profile: %w", err)
	}
	pp := &pprofile.Profile{
		TimeNanos:     p.Meta.TimeNanos,
		DurationNanos: p.Meta.DurationNanos,
		Period:        p.Meta.Period,
	}
	for _, t := range p.SampleTypes {
		pp.SampleType = append(pp.SampleType, &pprofile.ValueType{Type: t.Type, Unit: t.Unit})
	}
	var dflt []string
	pp.DefaultSampleType, dflt = defaultSampleType(p)
	if pt := p.Meta.PeriodType; pt.Type != "" || pt.Unit != "" {
		pp.PeriodType = &pprofile.ValueType{Type: pt.Type, Unit: pt.Unit}
	}

	e := exporter{
		p:        p,
		pp:       pp,
		mappings: map[string]*pprofile.Mapping{},
		funcs:    map[funcKey]*pprofile.Function{},
		single:   map[profile.FrameID]*pprofile.Location{},
		multi:    map[string]*pprofile.Location{},
	}
	pp.Sample = make([]*pprofile.Sample, 0, len(p.Samples))
	for i, s := range p.Samples {
		ps := &pprofile.Sample{Value: append([]int64(nil), s.Values...), Location: e.locations(s.Node)}
		if err := setLabels(ps, *s.Labels); err != nil {
			return nil, fmt.Errorf("exporting to pprof: sample %d: %w", i, err)
		}
		pp.Sample = append(pp.Sample, ps)
	}
	pp.Comments = append(append([]string(nil), p.Meta.Comments...), metaAnnotations(p)...)
	pp.Comments = append(pp.Comments, dflt...)
	pp.Comments = append(pp.Comments, e.kindAnnotations()...)
	if err := pp.CheckValid(); err != nil {
		return nil, fmt.Errorf("exporting to pprof: %w", err)
	}
	return pp, nil
}

// Write writes p as a gzip-compressed pprof protobuf.
func Write(w io.Writer, p *profile.Profile) error {
	pp, err := ToPprof(p)
	if err != nil {
		return err
	}
	return pp.Write(w)
}

// funcKey identifies an exported function. Kind is part of it so that one
// function never needs two kinds.
type funcKey struct {
	name, display, file string
	kind                profile.FrameKind
}

type exporter struct {
	p        *profile.Profile
	pp       *pprofile.Profile
	mappings map[string]*pprofile.Mapping
	funcs    map[funcKey]*pprofile.Function
	kinds    []profile.FrameKind // per function, indexed by ID-1
	single   map[profile.FrameID]*pprofile.Location
	multi    map[string]*pprofile.Location
	group    []profile.FrameID
	key      []byte
}

// locations returns the leaf-first locations of the stack ending at node n.
// Walking parents from the leaf gives leaf-first order directly; frames
// marked Inlined are gathered until the frame they were inlined into.
func (e *exporter) locations(n profile.NodeID) []*pprofile.Location {
	nodes := e.p.Nodes
	out := make([]*pprofile.Location, 0, e.p.Depth(n))
	e.group = e.group[:0]
	for ; n != profile.RootNode; n = nodes[n].Parent {
		f := nodes[n].Frame
		e.group = append(e.group, f)
		if e.p.Frames[f].Inlined && nodes[n].Parent != profile.RootNode {
			continue
		}
		out = append(out, e.location(e.group))
		e.group = e.group[:0]
	}
	return out
}

// location interns the location of one group of frames, innermost first.
func (e *exporter) location(group []profile.FrameID) *pprofile.Location {
	if len(group) == 1 {
		if loc, ok := e.single[group[0]]; ok {
			return loc
		}
	} else {
		e.key = e.key[:0]
		for _, f := range group {
			e.key = binary.LittleEndian.AppendUint32(e.key, uint32(f))
		}
		if loc, ok := e.multi[string(e.key)]; ok {
			return loc
		}
	}
	caller := e.p.Frames[group[len(group)-1]]
	loc := &pprofile.Location{
		ID:      uint64(len(e.pp.Location) + 1),
		Mapping: e.mapping(caller.Module),
		Address: caller.Addr,
	}
	// Only unknown frames keep addresses, and the importer gives them the
	// location's; an unknown frame inlined into a known one lends it its own.
	for _, id := range group {
		if loc.Address != 0 {
			break
		}
		loc.Address = e.p.Frames[id].Addr
	}
	if len(group) > 1 || !addressOnly(caller) {
		loc.Line = make([]pprofile.Line, len(group))
		for i, id := range group {
			f := e.p.Frames[id]
			loc.Line[i] = pprofile.Line{Function: e.function(f), Line: f.Line}
		}
	}
	if loc.Mapping != nil && len(loc.Line) > 0 {
		loc.Mapping.HasFunctions = true
	}
	e.pp.Location = append(e.pp.Location, loc)
	if len(group) == 1 {
		e.single[group[0]] = loc
	} else {
		e.multi[string(e.key)] = loc
	}
	return loc
}

// addressOnly reports whether f is what the importer makes of a location
// without lines, so it can be written as one.
func addressOnly(f profile.Frame) bool {
	return f.Kind == profile.KindUnknown && f.Addr != 0 && f.Name == addrName(f.Addr) &&
		f.Display == f.Name && f.File == "" && f.Line == 0 && !f.Inlined
}

func (e *exporter) mapping(module string) *pprofile.Mapping {
	if module == "" {
		return nil
	}
	if m, ok := e.mappings[module]; ok {
		return m
	}
	m := &pprofile.Mapping{ID: uint64(len(e.pp.Mapping) + 1), File: module}
	e.pp.Mapping = append(e.pp.Mapping, m)
	e.mappings[module] = m
	return m
}

func (e *exporter) function(f profile.Frame) *pprofile.Function {
	k := funcKey{f.Name, f.Display, f.File, f.Kind}
	if fn, ok := e.funcs[k]; ok {
		return fn
	}
	fn := &pprofile.Function{ID: uint64(len(e.pp.Function) + 1), Name: f.Display, SystemName: f.Name, Filename: f.File}
	e.pp.Function = append(e.pp.Function, fn)
	e.kinds = append(e.kinds, f.Kind)
	e.funcs[k] = fn
	return fn
}

// kindAnnotations returns a "hotspot:kind" line for every function whose
// kind the import rule would not restore at one of its locations.
func (e *exporter) kindAnnotations() []string {
	pyOrigin := pythonOrigin(e.pp)
	wrong := make([]bool, len(e.pp.Function))
	for _, loc := range e.pp.Location {
		module := ""
		if loc.Mapping != nil {
			module = loc.Mapping.File
		}
		for _, ln := range loc.Line {
			fn := ln.Function
			got := inferKind(fn.SystemName != "" || fn.Name != "", fn.Filename, module, pyOrigin)
			if got != e.kinds[fn.ID-1] {
				wrong[fn.ID-1] = true
			}
		}
	}
	var out []string
	for i, w := range wrong {
		if w {
			fn := e.pp.Function[i]
			out = append(out, fmt.Sprintf("%skind %d %s %s", annotationPrefix, fn.ID, e.kinds[i], fn.SystemName))
		}
	}
	return out
}

// defaultSampleType names the default type for pprof, which picks the
// first type of that name, or the last type when the name is empty. When
// neither can say it (an earlier type has the same name), it returns a
// "hotspot:default" annotation instead.
func defaultSampleType(p *profile.Profile) (string, []string) {
	d := p.DefaultType
	name := p.SampleTypes[d].Type
	if p.TypeIndex(name) == d {
		return name, nil
	}
	if d == len(p.SampleTypes)-1 {
		return "", nil
	}
	return "", []string{fmt.Sprintf("%sdefault %d", annotationPrefix, d)}
}
