package heaptrack

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/internal/lines"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// ip is one instruction pointer: its frames leaf first (the symbolized
// function, then the functions it was inlined into, outward).
type ip struct {
	addr   uint64
	module int
	frames []frameRef
}

type frameRef struct{ fn, file, line int }

type trace struct{ ip, parent int32 }

type allocInfo struct {
	size  int64
	trace int32
}

// traceCost is what one trace's allocations cost.
type traceCost struct {
	allocs, temps     int64
	allocated, leaked int64
	// peakVer/peakVal: the lazy snapshot of leaked at the latest peak.
	peakVer int64
	peakVal int64
}

// dataReader holds the state of reading one data file.
type dataReader struct {
	lr      *lines.Reader
	name    string
	limits  profile.Limits
	version int64 // file format version from the "v" line; 0 before it
	strs    []string
	ips     []ip
	traces  []trace
	infos   []allocInfo
	cost    []traceCost // per trace index (0: no trace)
	live    int64       // bytes live now
	peak    int64
	peakVer int64 // bumped whenever live passes peak
	// last is the info of the "+" just read. heaptrack starts it at 0 and
	// resets it to 0 after each "-", so a "-" of info 0 after another "-"
	// also counts as temporary there; doing the same keeps the totals
	// equal to heaptrack_print's.
	last   int
	allocs int64
	temps  int64
	time   int64 // last "c" timestamp, ms
	rss    int64 // largest "R", pages
	page   int64
	cmd    string
	fields [][]byte
}

func newDataReader(lr *lines.Reader, name string, limits profile.Limits) *dataReader {
	return &dataReader{lr: lr, name: name, limits: limits, strs: []string{""}, ips: []ip{{}}, traces: []trace{{}}, cost: []traceCost{{}}}
}

func (d *dataReader) errorf(format string, args ...any) error { return d.lr.Errorf(format, args...) }

// line handles one record.
func (d *dataReader) line(l []byte) error {
	if len(l) == 0 {
		return nil
	}
	if d.version == 0 && l[0] != 'v' && l[0] != '#' {
		return d.errorf("want the version line 'v <heaptrack version> <file format version>' first, got %q", clip(l))
	}
	if len(l) >= 2 && l[1] != ' ' {
		return d.errorf("want a record '<kind> <hex fields>', got %q", clip(l))
	}
	switch l[0] {
	case '#', 'S', 'A': // comments, suppressions, attach marks
		return nil
	case 'v':
		f := d.split(l, 3, 3)
		if f == nil {
			return d.errorf("want 'v <heaptrack version> <file format version>', got %q", clip(l))
		}
		v, ok := parseHex(f[2])
		if !ok || v == 0 {
			return d.errorf("file format version %q is not a hex number", f[2])
		}
		d.version = int64(v)
		return nil
	case 'X':
		d.cmd = string(bytes.TrimSpace(l[1:]))
		return nil
	case 'I':
		f := d.split(l, 3, 3)
		if f != nil {
			if v, ok := parseHex(f[1]); ok {
				d.page = int64(v)
			}
		}
		return nil
	case 's':
		return d.str(l)
	case 'i':
		return d.ip(l)
	case 't':
		f, err := d.nums(l, 2)
		if err != nil {
			return err
		}
		ipi, parent := f[0], f[1]
		if ipi == 0 || ipi >= uint64(len(d.ips)) {
			return d.errorf("trace %d: instruction pointer %d is not defined (want 1 to %d)", len(d.traces), ipi, len(d.ips)-1)
		}
		if parent >= uint64(len(d.traces)) {
			return d.errorf("trace %d: parent trace %d is not defined yet", len(d.traces), parent)
		}
		if len(d.traces) >= d.limits.MaxNodes {
			return &profile.LimitError{File: d.name, Line: d.lr.Line, What: "number of traces", Limit: int64(d.limits.MaxNodes), Flag: "--max-nodes"}
		}
		d.traces = append(d.traces, trace{int32(ipi), int32(parent)})
		d.cost = append(d.cost, traceCost{})
		return nil
	case 'a':
		f, err := d.nums(l, 2)
		if err != nil {
			return err
		}
		if f[1] >= uint64(len(d.traces)) {
			return d.errorf("allocation info %d: trace %d is not defined", len(d.infos), f[1])
		}
		if f[0] > 1<<48 {
			return d.errorf("allocation info %d: size %d is larger than any address space", len(d.infos), f[0])
		}
		if len(d.infos) >= d.limits.MaxNodes {
			return &profile.LimitError{File: d.name, Line: d.lr.Line, What: "number of allocation infos", Limit: int64(d.limits.MaxNodes), Flag: "--max-nodes"}
		}
		d.infos = append(d.infos, allocInfo{int64(f[0]), int32(f[1])})
		return nil
	case '+', '-':
		f, err := d.nums(l, 1)
		if err != nil {
			return err
		}
		if f[0] >= uint64(len(d.infos)) {
			return d.errorf("allocation info %d is not defined (%d so far)", f[0], len(d.infos))
		}
		return d.event(l[0], int(f[0]))
	case 'c':
		f, err := d.nums(l, 1)
		if err != nil {
			return err
		}
		d.time = int64(min(f[0], 1<<62))
		return nil
	case 'R':
		f, err := d.nums(l, 1)
		if err != nil {
			return err
		}
		d.rss = max(d.rss, int64(min(f[0], 1<<40)))
		return nil
	}
	return d.errorf("unknown record kind %q (want one of v X I s i t a + - c R A S #)", l[0])
}

// event counts one allocation or deallocation of info k.
func (d *dataReader) event(kind byte, k int) error {
	info := d.infos[k]
	c := &d.cost[info.trace]
	if c.peakVer != d.peakVer {
		c.peakVer, c.peakVal = d.peakVer, c.leaked
	}
	if kind == '+' {
		if d.live > 1<<62-info.size {
			return d.errorf("live memory overflows")
		}
		c.allocs++
		c.allocated += info.size
		c.leaked += info.size
		d.allocs++
		d.live += info.size
		if d.live > d.peak {
			d.peak = d.live
			d.peakVer++
		}
		d.last = k
		return nil
	}
	if c.leaked < info.size {
		return d.errorf("deallocation of allocation info %d, of which nothing is live", k)
	}
	if d.last == k {
		c.temps++
		d.temps++
	}
	d.last = 0
	c.leaked -= info.size
	d.live -= info.size
	return nil
}

// str reads "s <hex length> <string>" (format 3 and later) or "s <string>".
func (d *dataReader) str(l []byte) error {
	rest := l[min(len(l), 2):]
	if d.version >= 3 {
		n, s, ok := bytes.Cut(rest, []byte(" "))
		ln, okn := parseHex(n)
		if !ok || !okn || ln != uint64(len(s)) {
			return d.errorf("want 's <hex length> <string>' with the string that long, got %q", clip(l))
		}
		rest = s
	}
	if len(d.strs) >= d.limits.MaxFrames {
		return &profile.LimitError{File: d.name, Line: d.lr.Line, What: "number of strings", Limit: int64(d.limits.MaxFrames), Flag: "--max-frames"}
	}
	d.strs = append(d.strs, string(rest))
	return nil
}

// ip reads "i <ip> <module> [<func> <file> <line> [<func> <file> <line>]...]".
func (d *dataReader) ip(l []byte) error {
	f, err := d.nums(l, -1)
	if err != nil {
		return err
	}
	// After the module: the function, its file and line when known, then
	// one function-file-line triple per inlined frame.
	if len(f) < 2 || (len(f)-2)%3 == 2 {
		return d.errorf("want 'i <ip> <module> [<function> [<file> <line>] [<function> <file> <line>]...]', got %d fields", len(f))
	}
	p := ip{addr: f[0]}
	if f[1] >= uint64(len(d.strs)) {
		return d.errorf("instruction pointer %d: module string %d is not defined", len(d.ips), f[1])
	}
	p.module = int(f[1])
	rest := f[2:]
	if len(rest)%3 == 1 {
		rest = append([]uint64{rest[0], 0, 0}, rest[1:]...)
	}
	for j := 0; j < len(rest); j += 3 {
		if rest[j] >= uint64(len(d.strs)) || rest[j+1] >= uint64(len(d.strs)) {
			return d.errorf("instruction pointer %d: string %d is not defined", len(d.ips), max(rest[j], rest[j+1]))
		}
		p.frames = append(p.frames, frameRef{int(rest[j]), int(rest[j+1]), int(min(rest[j+2], 1<<31))})
	}
	if len(d.ips) >= d.limits.MaxFrames {
		return &profile.LimitError{File: d.name, Line: d.lr.Line, What: "number of instruction pointers", Limit: int64(d.limits.MaxFrames), Flag: "--max-frames"}
	}
	d.ips = append(d.ips, p)
	return nil
}

// split returns the space-separated fields of l when there are lo to hi of them.
func (d *dataReader) split(l []byte, lo, hi int) [][]byte {
	d.fields = d.fields[:0]
	for _, f := range bytes.Split(l, []byte(" ")) {
		d.fields = append(d.fields, f)
	}
	if len(d.fields) < lo || len(d.fields) > hi {
		return nil
	}
	return d.fields
}

// nums parses the hex fields after the record kind; want < 0 takes any number.
func (d *dataReader) nums(l []byte, want int) ([]uint64, error) {
	fs := bytes.Split(l, []byte(" "))[1:]
	if want >= 0 && len(fs) != want {
		return nil, d.errorf("want %d hex fields after %q, got %d", want, l[0], len(fs))
	}
	out := make([]uint64, len(fs))
	for i, f := range fs {
		v, ok := parseHex(f)
		if !ok {
			return nil, d.errorf("field %d of %q: %q is not a hex number", i+1, l[0], clip(f))
		}
		out[i] = v
	}
	return out, nil
}

// finish turns each trace with allocations into a sample.
func (d *dataReader) finish() (*profile.Profile, error) {
	if d.version == 0 {
		return nil, &profile.SyntaxError{File: d.name, Line: max(d.lr.Line, 1), Msg: "no version line 'v <heaptrack version> <file format version>'"}
	}
	b := profile.NewBuilder(d.name, types, d.limits)
	m := b.Meta()
	m.Producer = "heaptrack"
	m.Recording = "memory"
	if d.cmd != "" {
		m.Comments = append(m.Comments, "command: "+d.cmd)
	}
	page := d.page
	if page == 0 {
		page = 4096
	}
	m.Attrs = []profile.Attr{
		{Key: "allocations", Value: strconv.FormatInt(d.allocs, 10)},
		{Key: "leaked_bytes", Value: strconv.FormatInt(d.live, 10)},
		{Key: "peak_bytes", Value: strconv.FormatInt(d.peak, 10)},
		{Key: "peak_rss_bytes", Value: strconv.FormatInt(d.rss*page, 10)},
		{Key: "runtime_ms", Value: strconv.FormatInt(d.time, 10)},
		{Key: "temporary_allocations", Value: strconv.FormatInt(d.temps, 10)},
	}
	m.DurationNanos = d.time * 1e6
	ipFrames := make([][]profile.FrameID, len(d.ips)) // root first within the ip
	unknown, err := b.Frame(profile.Frame{Name: "[unknown]", Kind: profile.KindUnknown})
	if err != nil {
		return nil, err
	}
	var stack []profile.FrameID
	for t := 1; t < len(d.traces); t++ {
		c := &d.cost[t]
		if c.allocs == 0 {
			continue
		}
		stack = stack[:0]
		for k := t; k != 0; k = int(d.traces[k].parent) {
			if len(stack) > d.limits.MaxStackDepth {
				return nil, &profile.LimitError{File: d.name, What: fmt.Sprintf("stack depth of trace %d", t), Limit: int64(d.limits.MaxStackDepth), Flag: "--max-depth"}
			}
			fs, err := d.frames(b, ipFrames, int(d.traces[k].ip))
			if err != nil {
				return nil, err
			}
			for j := len(fs) - 1; j >= 0; j-- {
				stack = append(stack, fs[j]) // leaf first for now
			}
		}
		slices.Reverse(stack)
		peak := c.leaked
		if c.peakVer == d.peakVer {
			peak = c.peakVal
		}
		if err := b.Add(stack, profile.Labels{}, c.allocs, c.allocs, c.temps, c.allocated, peak, c.leaked); err != nil {
			return nil, err
		}
	}
	if c := &d.cost[0]; c.allocs > 0 {
		peak := c.leaked
		if c.peakVer == d.peakVer {
			peak = c.peakVal
		}
		if err := b.Add([]profile.FrameID{unknown}, profile.Labels{}, c.allocs, c.allocs, c.temps, c.allocated, peak, c.leaked); err != nil {
			return nil, err
		}
	}
	p := b.Profile()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", d.name, err)
	}
	return p, nil
}

// frames returns the frames of instruction pointer i, root first. heaptrack
// lists them innermost first: the function whose code is at the address,
// then each function it was inlined into; only the outermost is a real
// call, the others are marked Inlined.
func (d *dataReader) frames(b *profile.Builder, cache [][]profile.FrameID, i int) ([]profile.FrameID, error) {
	if cache[i] != nil {
		return cache[i], nil
	}
	p := &d.ips[i]
	module := d.strs[p.module]
	var out []profile.FrameID
	if len(p.frames) == 0 {
		id, err := b.Frame(profile.Frame{Name: "0x" + strconv.FormatUint(p.addr, 16), Module: module, Addr: p.addr, Kind: profile.KindNative})
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	for j := len(p.frames) - 1; j >= 0; j-- {
		fr := p.frames[j]
		f := profile.Frame{Name: d.strs[fr.fn], File: d.strs[fr.file], Line: int64(fr.line), Module: module, Kind: profile.KindNative, Inlined: j < len(p.frames)-1}
		if f.Name == "" {
			f.Name, f.Addr = "0x"+strconv.FormatUint(p.addr, 16), p.addr
		}
		f.Display = symbol.Clean(f.Name)
		id, err := b.Frame(f)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	cache[i] = out
	return out, nil
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}
