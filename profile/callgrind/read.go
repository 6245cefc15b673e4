package callgrind

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/internal/lines"
)

// fnKey identifies a function: its object and its name as callgrind wrote
// them. The file is not part of it: a call names its target's file only
// when it differs, and inlined-file switches (fi=/fe=) would split one
// function otherwise.
type fnKey struct{ ob, fn string }

type fnData struct {
	key   fnKey
	file  string
	self  []int64
	calls int64 // calls into it, summed over its callers
}

type edgeKey struct{ caller, callee int }

type edgeData struct {
	calls int64
	incl  []int64
}

// reader holds the state of one Read.
type reader struct {
	name   string
	lr     *lines.Reader
	limits profile.Limits

	events    []string
	positions int // position columns on each cost line
	summary   []int64
	totals    []int64
	header    []string // comments for Meta: creator, cmd, ...

	// name compression tables, one per kind
	obNames, flNames, fnNames map[int]string

	ob, fl    string
	cur       int // current function, -1 before the first fn=
	cob, cfi  string
	cfn       int // callee of the next calls=, -1 when none
	inCall    bool
	callCount int64
	callLine  int

	funcs  []fnData
	byKey  map[fnKey]int
	edges  map[edgeKey]*edgeData
	sawFn  bool
	costs  []int64 // scratch
	others int     // jump/jcnd lines skipped
}

// Read reads a callgrind profile from r. name is used only in messages.
// Errors name the line and what was expected there.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	rd := &reader{
		name: name, lr: lines.New(r, name, limits.MaxLineBytes), limits: limits, positions: 1,
		obNames: map[int]string{}, flNames: map[int]string{}, fnNames: map[int]string{},
		cur: -1, cfn: -1, byKey: map[fnKey]int{}, edges: map[edgeKey]*edgeData{},
	}
	for {
		line, err := rd.lr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := rd.line(line); err != nil {
			return nil, err
		}
	}
	if rd.inCall {
		return nil, &profile.SyntaxError{File: name, Line: rd.callLine, Msg: "calls= line without the cost line that must follow it: the file is cut short"}
	}
	if rd.lr.Line > 0 && rd.events == nil {
		return nil, &profile.SyntaxError{File: name, Line: 1, Msg: "not callgrind output: no 'events:' line"}
	}
	return rd.build()
}

func (rd *reader) errorf(format string, args ...any) error {
	return rd.lr.Errorf(format, args...)
}

func (rd *reader) line(line []byte) error {
	if len(line) == 0 || line[0] == '#' {
		return nil
	}
	c := line[0]
	if c >= '0' && c <= '9' || c == '+' || c == '-' || c == '*' {
		return rd.cost(line)
	}
	if rd.inCall {
		return rd.errorf("want the cost line of the calls= line %d, got %q", rd.callLine, clip(line))
	}
	if k, v, ok := bytes.Cut(line, []byte("=")); ok && isKey(k) {
		return rd.assign(string(k), string(v))
	}
	if k, v, ok := bytes.Cut(line, []byte(":")); ok && isKey(k) {
		return rd.headerLine(string(k), strings.TrimSpace(string(v)))
	}
	return rd.errorf("want a cost line, a key=value line or a header 'key: value', got %q", clip(line))
}

func isKey(k []byte) bool {
	if len(k) == 0 || len(k) > 20 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}

func (rd *reader) headerLine(k, v string) error {
	switch k {
	case "events":
		if rd.sawFn {
			return rd.errorf("'events:' after cost lines: want it in the header")
		}
		rd.events = strings.Fields(v)
		if len(rd.events) == 0 {
			return rd.errorf("'events:' names no event")
		}
	case "positions":
		if rd.sawFn {
			return rd.errorf("'positions:' after cost lines: want it in the header")
		}
		f := strings.Fields(v)
		if len(f) == 0 || len(f) > 3 {
			return rd.errorf("positions %q: want one to three of instr, line", v)
		}
		rd.positions = len(f)
	case "summary", "totals":
		n, err := rd.numbers(v, k)
		if err != nil {
			return err
		}
		if k == "summary" {
			rd.summary = n
		} else {
			rd.totals = n
		}
	case "creator", "cmd", "pid", "part", "thread", "version":
		rd.header = append(rd.header, k+": "+v)
	}
	return nil // desc:, event: and unknown header keys carry nothing hotspot uses
}

func (rd *reader) numbers(v, what string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Fields(v) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n < 0 {
			return nil, rd.errorf("%s: %q is not a non-negative 64-bit count", what, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// name resolves compressed names: "(id) name" defines id, "(id)" refers to
// it, and a plain name is itself.
func (rd *reader) name_(table map[int]string, v, what string) (string, error) {
	if !strings.HasPrefix(v, "(") {
		return v, nil
	}
	end := strings.IndexByte(v, ')')
	if end < 0 {
		return "", rd.errorf("%s=%s: want '(id)' or '(id) name'", what, clip([]byte(v)))
	}
	id, err := strconv.Atoi(v[1:end])
	if err != nil || id < 0 {
		return "", rd.errorf("%s=%s: name id %q is not a number", what, clip([]byte(v)), v[1:end])
	}
	if len(v) > end+1 {
		rest := strings.TrimPrefix(v[end+1:], " ")
		table[id] = rest
		return rest, nil
	}
	n, ok := table[id]
	if !ok {
		return "", rd.errorf("%s=(%d): name id %d was never defined (want '(%d) name' earlier in the file)", what, id, id, id)
	}
	return n, nil
}

func (rd *reader) assign(k, v string) error {
	var err error
	switch k {
	case "ob":
		rd.ob, err = rd.name_(rd.obNames, v, k)
	case "fl":
		rd.fl, err = rd.name_(rd.flNames, v, k)
	case "fi", "fe", "jfi":
		_, err = rd.name_(rd.flNames, v, k) // inlined code's file, a jump target's: names only
	case "jfn":
		_, err = rd.name_(rd.fnNames, v, k)
	case "fn":
		var n string
		if n, err = rd.name_(rd.fnNames, v, k); err == nil {
			rd.cur, err = rd.function(fnKey{rd.ob, n}, rd.fl)
			rd.sawFn = true
		}
	case "cob":
		rd.cob, err = rd.name_(rd.obNames, v, k)
	case "cfi", "cfl":
		rd.cfi, err = rd.name_(rd.flNames, v, k)
	case "cfn":
		var n string
		if n, err = rd.name_(rd.fnNames, v, k); err == nil {
			ob := rd.ob
			if rd.cob != "" {
				ob = rd.cob
			}
			file := rd.cfi
			if file == "" {
				file = rd.fl
			}
			rd.cfn, err = rd.function(fnKey{ob, n}, file)
		}
	case "calls":
		return rd.callsLine(v)
	case "jump", "jcnd":
		rd.others++ // control-flow edges: not part of the call graph
	default:
		return rd.errorf("unknown key %q: want ob, fl, fi, fe, fn, cob, cfi, cfl, cfn, calls, jump, jcnd, jfi or jfn", k)
	}
	return err
}

func (rd *reader) function(k fnKey, file string) (int, error) {
	if i, ok := rd.byKey[k]; ok {
		return i, nil
	}
	if len(rd.funcs) >= rd.limits.MaxFrames {
		return 0, &profile.LimitError{File: rd.name, Line: rd.lr.Line, What: "number of distinct functions", Limit: int64(rd.limits.MaxFrames), Flag: "--max-frames"}
	}
	rd.byKey[k] = len(rd.funcs)
	rd.funcs = append(rd.funcs, fnData{key: k, file: file})
	return len(rd.funcs) - 1, nil
}

func (rd *reader) callsLine(v string) error {
	if rd.cur < 0 {
		return rd.errorf("calls= before any fn=: want the calling function first")
	}
	if rd.cfn < 0 {
		return rd.errorf("calls= without cfn=: want the called function first")
	}
	f := strings.Fields(v)
	if len(f) == 0 {
		return rd.errorf("calls=%s: want 'calls=<count> <target position>'", v)
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n < 0 {
		return rd.errorf("calls=%s: call count %q is not a non-negative 64-bit integer", v, f[0])
	}
	rd.inCall, rd.callCount, rd.callLine = true, n, rd.lr.Line
	return nil
}

// cost reads a cost line: position columns, then one count per event
// (missing trailing counts are 0).
func (rd *reader) cost(line []byte) error {
	if rd.events == nil {
		return rd.errorf("cost line before the 'events:' header")
	}
	if rd.cur < 0 {
		return rd.errorf("cost line before any fn=: want a function first")
	}
	fields := bytes.Fields(line)
	if len(fields) < rd.positions {
		return rd.errorf("cost line has %d fields, want %d position columns first", len(fields), rd.positions)
	}
	for _, p := range fields[:rd.positions] {
		if !isPosition(p) {
			return rd.errorf("position %q: want a number, 0x address, +N, -N or *", clip(p))
		}
	}
	vals := fields[rd.positions:]
	if len(vals) > len(rd.events) {
		return rd.errorf("cost line has %d costs for %d events", len(vals), len(rd.events))
	}
	rd.costs = rd.costs[:0]
	for _, f := range vals {
		n, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil || n < 0 {
			return rd.errorf("cost %q is not a non-negative 64-bit count", clip(f))
		}
		rd.costs = append(rd.costs, n)
	}
	if rd.inCall {
		rd.inCall = false
		k := edgeKey{rd.cur, rd.cfn}
		e := rd.edges[k]
		if e == nil {
			e = &edgeData{incl: make([]int64, len(rd.events))}
			rd.edges[k] = e
		}
		if err := addTo(e.incl, rd.costs); err != nil {
			return rd.errorf("%v", err)
		}
		if e.calls+rd.callCount < e.calls {
			return rd.errorf("the sum of calls= counts overflows a 64-bit integer")
		}
		e.calls += rd.callCount
		rd.cob, rd.cfi, rd.cfn = "", "", -1
		return nil
	}
	fd := &rd.funcs[rd.cur]
	if fd.self == nil {
		fd.self = make([]int64, len(rd.events))
	}
	if err := addTo(fd.self, rd.costs); err != nil {
		return rd.errorf("%v", err)
	}
	return nil
}

func addTo(sum, add []int64) error {
	for i, v := range add {
		if sum[i] > math.MaxInt64-v {
			return fmt.Errorf("the sum of the costs overflows a 64-bit integer")
		}
		sum[i] += v
	}
	return nil
}

func isPosition(p []byte) bool {
	switch {
	case len(p) == 1 && p[0] == '*':
		return true
	case p[0] == '+' || p[0] == '-':
		p = p[1:]
	case len(p) > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		for _, c := range p[2:] {
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
		return true
	}
	if len(p) == 0 {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// recSuffix is callgrind's recursion-level suffix ("f'2", --separate-recs).
var recSuffix = regexp.MustCompile(`'[0-9]+$`)

// build turns the functions and edges into the graph and derives stacks.
func (rd *reader) build() (*profile.Profile, error) {
	nt := len(rd.events)
	types := make([]profile.ValueType, 0, nt+1)
	for _, e := range rd.events {
		types = append(types, profile.ValueType{Type: e, Unit: "count"})
	}
	types = append(types, profile.ValueType{Type: profile.CallsType, Unit: "count"})
	b := profile.NewBuilder(rd.name, types, rd.limits)
	m := b.Meta()
	m.Format = "callgrind"
	m.Producer = "valgrind callgrind"
	m.Recording = "on-cpu"
	for _, h := range rd.header {
		if c, ok := strings.CutPrefix(h, "creator: "); ok {
			m.Producer = c
		}
	}
	m.Comments = append(m.Comments, rd.header...)
	if nt == 0 {
		return b.Profile(), nil
	}
	// Frames in function order of first appearance; IDs are the Builder's.
	ids := make([]profile.FrameID, len(rd.funcs))
	for i, f := range rd.funcs {
		name := f.key.fn
		id, err := b.Frame(profile.Frame{Name: name, Display: recSuffix.ReplaceAllString(name, ""), File: f.file, Module: f.key.ob, Kind: profile.KindNative})
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	self := make([]int64, nt)
	for i := range rd.funcs {
		if rd.funcs[i].self == nil {
			rd.funcs[i].self = make([]int64, nt)
		}
		if err := addTo(self, rd.funcs[i].self); err != nil {
			return nil, fmt.Errorf("%s: %v", rd.name, err)
		}
	}
	keys := make([]edgeKey, 0, len(rd.edges))
	for k := range rd.edges {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].callee != keys[j].callee {
			return keys[i].callee < keys[j].callee
		}
		return keys[i].caller < keys[j].caller
	})
	g := &profile.Graph{}
	incl := make([][]int64, len(rd.funcs))
	prim := make([]int64, len(rd.funcs))
	for i, f := range rd.funcs {
		incl[i] = append([]int64(nil), f.self...)
	}
	for _, k := range keys {
		e := rd.edges[k]
		if k.caller != k.callee {
			for j, v := range e.incl {
				incl[k.caller][j] = min(incl[k.caller][j], math.MaxInt64-v) + v // saturates; capped below
			}
			prim[k.callee] += e.calls
		}
		rd.funcs[k.callee].calls += e.calls
		g.Edges = append(g.Edges, profile.GraphEdge{Caller: ids[k.caller], Callee: ids[k.callee], Calls: e.calls, Inclusive: append(append([]int64(nil), e.incl...), e.calls)})
	}
	for i, f := range rd.funcs {
		in := make([]int64, nt+1)
		for j := 0; j < nt; j++ {
			// A cycle (recursion beyond --separate-recs) counts its cost
			// again in each of its members: cap at the total.
			in[j] = min(incl[i][j], self[j])
		}
		in[nt] = f.calls
		g.Funcs = append(g.Funcs, profile.GraphFunc{Frame: ids[i], Self: append(append([]int64(nil), f.self...), f.calls), Inclusive: in, Calls: f.calls, PrimitiveCalls: prim[i]})
	}
	g.Sort()
	rd.checkTotals(m, self)
	if err := profile.DeriveStacks(b, g, 0); err != nil {
		return nil, err
	}
	m.Approximations = append(m.Approximations, fmt.Sprintf("callgrind counts %s (events, not time) under valgrind's serialised threads; its call graph separates recursion levels as name'N", strings.Join(rd.events, ", ")))
	return b.Profile(), nil
}

// checkTotals compares the sum of self costs with the totals: and summary:
// lines, which are the tool's own counts; a difference is a warning.
func (rd *reader) checkTotals(m *profile.Meta, self []int64) {
	for _, ref := range []struct {
		what string
		v    []int64
	}{{"totals", rd.totals}, {"summary", rd.summary}} {
		if ref.v == nil {
			continue
		}
		m.Attrs = append(m.Attrs, profile.Attr{Key: ref.what, Value: joinInts(ref.v)})
		var diff []string
		for j := range ref.v {
			if j < len(self) && ref.v[j] != self[j] {
				diff = append(diff, fmt.Sprintf("%s %d, not %d", rd.events[j], ref.v[j], self[j]))
			}
		}
		if diff != nil {
			m.Warn(fmt.Sprintf("%s: the %s: line differs from the sum of the cost lines (which hotspot uses): %s", rd.name, ref.what, strings.Join(diff, "; ")))
		}
	}
	m.Attrs = append(m.Attrs, profile.Attr{Key: "events", Value: strings.Join(rd.events, " ")})
	sort.Slice(m.Attrs, func(i, j int) bool { return m.Attrs[i].Key < m.Attrs[j].Key })
}

func joinInts(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(s, " ")
}
