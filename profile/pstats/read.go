package pstats

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/hotspot-dev/hotspot/profile"
)

// Value types: time in nanoseconds (the files hold float seconds; a
// nanosecond is below both profilers' timer resolution) and exact calls.
const (
	timeIndex  = 0
	callsIndex = 1
)

// key is a function's identity in the file: (filename, firstlineno, name).
type key struct {
	file string
	line int64
	name string
}

// entry is one function's row as the file holds it.
type entry struct {
	key
	off      int64
	cc, nc   int64
	tt, ct   int64 // nanoseconds
	callers  []callerRow
	intCalls bool // python -m profile: callers hold call counts only
}

type callerRow struct {
	key
	off    int64
	nc, cc int64
	tt, ct int64
	hasCT  bool
}

// Read reads a pstats file from r. name is used only in messages. The
// profile carries the exact call graph (Profile.Graph) and stacks derived
// from it; errors are one line naming the byte offset of the object at
// fault and what was expected.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	d := &decoder{r: bufio.NewReader(r), name: name, maxBytes: limits.MaxLineBytes}
	head, err := d.r.Peek(8)
	if len(head) == 0 && err == io.EOF {
		return emptyProfile(name, limits), nil
	}
	if err != nil && err != io.EOF {
		return nil, d.eof(err)
	}
	empty := len(head) == 2 && head[0]&^flagRef == '{' && head[1] == '0'
	if !empty && !Sniff(head) {
		return nil, fmt.Errorf("%s: offset 0: not a pstats file (want a marshal dict whose first key is a (filename, line, function) tuple): %w", name, profile.ErrUnrecognized)
	}
	top, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := d.r.ReadByte(); err != io.EOF {
		return nil, d.errorf(d.off, "data after the stats dict: want the end of the file")
	}
	entries, err := decodeEntries(d, top.(dict))
	if err != nil {
		return nil, err
	}
	return build(name, limits, entries)
}

func emptyProfile(name string, limits profile.Limits) *profile.Profile {
	b := profile.NewBuilder(name, valueTypes(false), limits)
	b.Meta().Format = "pstats"
	return b.Profile()
}

// valueTypes: cProfile times with perf_counter (wall clock), python -m
// profile with process_time (CPU) by default.
func valueTypes(pure bool) []profile.ValueType {
	t := "wall"
	if pure {
		t = "cpu"
	}
	return []profile.ValueType{{Type: t, Unit: "nanoseconds"}, {Type: profile.CallsType, Unit: "count"}}
}

func decodeEntries(d *decoder, top dict) ([]entry, error) {
	out := make([]entry, 0, len(top))
	for _, kv := range top {
		k, err := d.key(kv.k, kv.off, "stats key")
		if err != nil {
			return nil, err
		}
		e := entry{key: k, off: kv.off}
		where := fmt.Sprintf("entry %s", k)
		v, ok := kv.v.(tuple)
		if !ok || len(v) != 5 {
			return nil, d.errorf(kv.off, "%s: want the tuple (cc, nc, tt, ct, callers), got %s", where, describe(kv.v))
		}
		if e.cc, err = d.count(v[0], kv.off, where+": cc"); err != nil {
			return nil, err
		}
		if e.nc, err = d.count(v[1], kv.off, where+": nc"); err != nil {
			return nil, err
		}
		if e.tt, err = d.seconds(v[2], kv.off, where+": tt"); err != nil {
			return nil, err
		}
		if e.ct, err = d.seconds(v[3], kv.off, where+": ct"); err != nil {
			return nil, err
		}
		callers, ok := v[4].(dict)
		if !ok {
			return nil, d.errorf(kv.off, "%s: callers: want a dict, got %s", where, typeName(v[4]))
		}
		for _, c := range callers {
			ck, err := d.key(c.k, c.off, where+": caller key")
			if err != nil {
				return nil, err
			}
			row := callerRow{key: ck, off: c.off}
			cw := fmt.Sprintf("%s: caller %s", where, ck)
			switch cv := c.v.(type) {
			case int64:
				// python -m profile: the caller's call count alone.
				if row.nc, err = d.count(cv, c.off, cw); err != nil {
					return nil, err
				}
				row.cc = row.nc
				e.intCalls = true
			case tuple:
				if len(cv) != 4 {
					return nil, d.errorf(c.off, "%s: want the tuple (nc, cc, tt, ct), got %d elements", cw, len(cv))
				}
				// The caller tuples hold nc before cc, unlike the entry's own.
				if row.nc, err = d.count(cv[0], c.off, cw+": nc"); err != nil {
					return nil, err
				}
				if row.cc, err = d.count(cv[1], c.off, cw+": cc"); err != nil {
					return nil, err
				}
				if row.tt, err = d.seconds(cv[2], c.off, cw+": tt"); err != nil {
					return nil, err
				}
				if row.ct, err = d.seconds(cv[3], c.off, cw+": ct"); err != nil {
					return nil, err
				}
				row.hasCT = true
			default:
				return nil, d.errorf(c.off, "%s: want a call count or the tuple (nc, cc, tt, ct), got %s", cw, typeName(c.v))
			}
			e.callers = append(e.callers, row)
		}
		out = append(out, e)
	}
	return out, nil
}

// String is the key as pstats prints it, quoted when the file or name
// holds a control character, so an error stays one line.
func (k key) String() string {
	s := fmt.Sprintf("%s:%d(%s)", k.file, k.line, k.name)
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// key decodes (filename, firstlineno, funcname). python -m profile's root
// has a code object where the name should be.
func (d *decoder) key(v any, off int64, what string) (key, error) {
	t, ok := v.(tuple)
	if !ok || len(t) != 3 {
		return key{}, d.errorf(off, "%s: want the tuple (filename, line, function), got %s", what, describe(v))
	}
	file, ok1 := t[0].(string)
	line, ok2 := t[1].(int64)
	var fn string
	var ok3 bool
	switch n := t[2].(type) {
	case string:
		fn, ok3 = n, true
	case code:
		fn, ok3 = n.name, true
		if n.filename != "" {
			fn = fmt.Sprintf("%s (%s)", n.name, n.filename)
		}
	}
	if !ok1 || !ok2 || !ok3 {
		return key{}, d.errorf(off, "%s: want (str, int, str), got (%s, %s, %s)", what, typeName(t[0]), typeName(t[1]), typeName(t[2]))
	}
	return key{file, line, fn}, nil
}

func (d *decoder) count(v any, off int64, what string) (int64, error) {
	n, ok := v.(int64)
	if !ok {
		if _, big := v.(interface{ BitLen() int }); big {
			return 0, d.errorf(off, "%s: count %v does not fit a 64-bit integer", what, v)
		}
		return 0, d.errorf(off, "%s: want a call count (int), got %s", what, typeName(v))
	}
	if n < 0 {
		return 0, d.errorf(off, "%s: negative call count %d", what, n)
	}
	return n, nil
}

// maxSeconds is the longest time that fits int64 nanoseconds.
const maxSeconds = float64(math.MaxInt64 / 1_000_000_000)

func (d *decoder) seconds(v any, off int64, what string) (int64, error) {
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case int64:
		f = float64(n)
	default:
		return 0, d.errorf(off, "%s: want a time in seconds (float), got %s", what, typeName(v))
	}
	if math.IsNaN(f) || f < 0 || f > maxSeconds {
		return 0, d.errorf(off, "%s: time %v s is not a duration (want 0 to %d seconds)", what, f, int64(math.MaxInt64/1_000_000_000))
	}
	return int64(math.Round(f * 1e9)), nil
}

func describe(v any) string {
	if t, ok := v.(tuple); ok {
		return fmt.Sprintf("a tuple of %d elements", len(t))
	}
	return typeName(v)
}

// build turns the entries into the graph and its derived stacks.
func build(name string, limits profile.Limits, entries []entry) (*profile.Profile, error) {
	pure := false
	for _, e := range entries {
		pure = pure || e.intCalls || e.file == "profile" && e.line == 0
	}
	b := profile.NewBuilder(name, valueTypes(pure), limits)
	m := b.Meta()
	m.Format = "pstats"
	m.Producer = "cProfile"
	m.Recording = "wall"
	if pure {
		m.Producer = "profile"
		m.Recording = "on-cpu"
	}
	ids := map[key]profile.FrameID{}
	g := &profile.Graph{}
	var calls, prim, tt int64
	for _, e := range entries {
		id, err := b.Frame(frameOf(e.key))
		if err != nil {
			return nil, err
		}
		if _, dup := ids[e.key]; dup {
			return nil, fmt.Errorf("%s: offset %d: entry %s appears twice", name, e.off, e.key)
		}
		ids[e.key] = id
		g.Funcs = append(g.Funcs, profile.GraphFunc{Frame: id, Self: []int64{e.tt, e.nc}, Inclusive: []int64{e.ct, e.nc}, Calls: e.nc, PrimitiveCalls: e.cc})
		if calls+e.nc < calls || tt+e.tt < tt {
			return nil, fmt.Errorf("%s: offset %d: entry %s: the totals overflow a 64-bit integer", name, e.off, e.key)
		}
		calls, prim, tt = calls+e.nc, prim+e.cc, tt+e.tt
	}
	type edgeKey struct{ caller, callee profile.FrameID }
	seenEdge := map[edgeKey]bool{}
	for _, e := range entries {
		for _, c := range e.callers {
			caller, ok := ids[c.key]
			if !ok {
				// pstats itself keeps such callers (print_callers shows
				// them); a file merged from parts can have them. The
				// caller has no entry, so it gets one with no cost.
				id, err := b.Frame(frameOf(c.key))
				if err != nil {
					return nil, err
				}
				ids[c.key], caller = id, id
				g.Funcs = append(g.Funcs, profile.GraphFunc{Frame: id, Self: []int64{0, 0}, Inclusive: []int64{0, 0}})
				m.Warn(fmt.Sprintf("%s: offset %d: caller %s of %s has no entry of its own; kept with no cost", name, c.off, c.key, e.key))
			}
			ct := c.ct
			if !c.hasCT {
				ct = 0
			}
			// A marshal dict may repeat a key, and two keys may name one
			// function: either way one caller edge would be counted twice.
			if k := (edgeKey{caller, ids[e.key]}); seenEdge[k] {
				return nil, fmt.Errorf("%s: offset %d: caller %s of %s appears twice", name, c.off, c.key, e.key)
			} else {
				seenEdge[k] = true
			}
			g.Edges = append(g.Edges, profile.GraphEdge{Caller: caller, Callee: ids[e.key], Calls: c.nc, Inclusive: []int64{ct, c.nc}})
		}
	}
	g.Sort()
	m.Attrs = append(m.Attrs,
		profile.Attr{Key: "function_calls", Value: fmt.Sprint(calls)},
		profile.Attr{Key: "primitive_calls", Value: fmt.Sprint(prim)},
		profile.Attr{Key: "total_seconds", Value: fmt.Sprintf("%.3f", float64(tt)/1e9)},
	)
	m.Comments = append(m.Comments, fmt.Sprintf("%d function calls (%d primitive calls) in %.3f seconds", calls, prim, float64(tt)/1e9))
	if pure {
		m.Comments = append(m.Comments, "written by python -m profile: callers carry call counts only, so stacks split time by calls")
	}
	if err := profile.DeriveStacks(b, g, timeIndex); err != nil {
		return nil, err
	}
	m.Approximations = append(m.Approximations, "cProfile records only the thread that started it; native frames and C accelerators have no entries of their own")
	return b.Profile(), nil
}

// addrSuffix is the address Python 3.12+ cProfile puts in the names of
// Python functions reached from C ("<function Random.seed at 0x7f..>"):
// it changes every run, so it is no part of the identity.
var addrSuffix = regexp.MustCompile(` at 0x[0-9a-fA-F]+>$`)

// frameOf names a function. Python functions keep their file and first
// line; builtins ('~' in cProfile, ” in profile) are C code, cleaned for
// display: "<method 'append' of 'list' objects>" reads list.append.
func frameOf(k key) profile.Frame {
	if k.file != "~" && !(k.file == "" && k.line == 0) {
		return profile.Frame{Name: k.name, File: k.file, Line: k.line, Kind: profile.KindPython}
	}
	n := addrSuffix.ReplaceAllString(k.name, ">")
	f := profile.Frame{Name: n, Display: builtinDisplay(n), Kind: profile.KindNative}
	if strings.HasPrefix(n, "<function ") {
		f.Kind = profile.KindPython
	}
	return f
}

func builtinDisplay(n string) string {
	if s, ok := strings.CutPrefix(n, "<built-in method "); ok {
		return strings.TrimSuffix(s, ">")
	}
	if s, ok := strings.CutPrefix(n, "<function "); ok {
		return strings.TrimSuffix(s, ">")
	}
	if s, ok := strings.CutPrefix(n, "<method '"); ok {
		if meth, rest, ok := strings.Cut(s, "' of '"); ok {
			if typ, ok := strings.CutSuffix(rest, "' objects>"); ok {
				return typ + "." + meth
			}
		}
	}
	return n
}
