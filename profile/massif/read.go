package massif

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/internal/lines"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// Frames for the bytes ms_print counts but the tree does not hold.
var (
	extraFrame  = profile.Frame{Name: "(extra-heap: allocator overhead)", Kind: profile.KindUnknown}
	stacksFrame = profile.Frame{Name: "(stacks)", Kind: profile.KindUnknown}
)

// snapshot is the header of the snapshot being read.
type snapshot struct {
	num                 int64
	time                int64
	heap, extra, stacks int64
	has                 int // bit per field seen: time, heap, extra, stacks
	tree                string
	line                int // its "snapshot=" line
	col                 int // its value type, -1 until it has one
}

// node is one tree level on the current path.
type node struct {
	frame    profile.FrameID
	addr     uint64
	bytes    int64
	children int64 // as the "n<k>:" prefix says
	seen     int64 // children read so far
	kidBytes int64
	line     int
}

type reader struct {
	name     string
	lr       *lines.Reader
	limits   profile.Limits
	b        *profile.Builder
	header   map[string]string
	snap     *snapshot
	path     []node
	stack    []profile.FrameID
	vals     []int64
	frames   map[string]profile.FrameID // label -> frame
	extra    profile.FrameID
	stacks   profile.FrameID
	peak     int64 // snapshot number of heap_tree=peak, -1 when none
	maxTotal int64 // largest heap+extra+stacks over all snapshots (ms_print's graph peak)
	snaps    int
	ntypes   int
	pageHeap bool
}

// Read reads massif output from r. name is used only in messages. Errors
// name the line: a header or snapshot field that is missing or not a
// number, a tree line out of shape, a node whose children hold more bytes
// than it does, a tree whose root disagrees with mem_heap_B, or a file cut
// inside a tree.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	rd := &reader{name: name, lr: lines.New(r, name, limits.MaxLineBytes), limits: limits, header: map[string]string{}, frames: map[string]profile.FrameID{}, peak: -1}
	rd.b = profile.NewBuilder(name, nil, limits)
	var err error
	if rd.extra, err = rd.b.Frame(extraFrame); err != nil {
		return nil, err
	}
	if rd.stacks, err = rd.b.Frame(stacksFrame); err != nil {
		return nil, err
	}
	for {
		l, err := rd.lr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := rd.line(l); err != nil {
			return nil, err
		}
	}
	if err := rd.endSnapshot(); err != nil {
		return nil, err
	}
	return rd.finish()
}

func (rd *reader) errorf(format string, args ...any) error { return rd.lr.Errorf(format, args...) }

// line handles one line in any state.
func (rd *reader) line(l []byte) error {
	if len(rd.path) > 0 || (rd.snap != nil && rd.snap.col >= 0 && !rd.snap.rootSeen() && len(l) > 0 && l[0] != '#') {
		return rd.treeLine(l)
	}
	if len(l) == 0 {
		return nil
	}
	if l[0] == '#' {
		return nil
	}
	key, val, ok := bytes.Cut(l, []byte("="))
	if rd.snap == nil && !bytes.HasPrefix(l, []byte("snapshot=")) {
		k, v, ok := bytes.Cut(l, []byte(": "))
		if !ok {
			return rd.errorf("want a header line 'desc: ', 'cmd: ' or 'time_unit: ', or 'snapshot=N', got %q", clip(l))
		}
		rd.header[string(k)] = string(v)
		return nil
	}
	if !ok {
		return rd.errorf("want 'key=value' in a snapshot, got %q", clip(l))
	}
	if string(key) == "snapshot" {
		if err := rd.endSnapshot(); err != nil {
			return err
		}
		if _, ok := rd.header["time_unit"]; !ok {
			return rd.errorf("snapshot before the header's 'time_unit:' line")
		}
		n, err := rd.num(key, val)
		if err != nil {
			return err
		}
		rd.snap = &snapshot{num: n, line: rd.lr.Line, col: -1}
		rd.snaps++
		return nil
	}
	s := rd.snap
	switch string(key) {
	case "time", "mem_heap_B", "mem_heap_extra_B", "mem_stacks_B":
		v, err := rd.num(key, val)
		if err != nil {
			return err
		}
		switch string(key) {
		case "time":
			s.time, s.has = v, s.has|1
		case "mem_heap_B":
			s.heap, s.has = v, s.has|2
		case "mem_heap_extra_B":
			s.extra, s.has = v, s.has|4
		default:
			s.stacks, s.has = v, s.has|8
		}
	case "heap_tree":
		if s.has != 15 {
			return rd.errorf("snapshot %d: heap_tree before all of time, mem_heap_B, mem_heap_extra_B and mem_stacks_B", s.num)
		}
		switch t := string(val); t {
		case "empty", "detailed", "peak":
			s.tree = t
		default:
			return rd.errorf("snapshot %d: heap_tree=%q (want empty, detailed or peak)", s.num, t)
		}
		if s.heap > 1<<60 || s.extra > 1<<60 || s.stacks > 1<<60 {
			return rd.errorf("snapshot %d: byte counts over 2^60", s.num)
		}
		rd.maxTotal = max(rd.maxTotal, s.heap+s.extra+s.stacks)
		if s.tree == "peak" {
			if rd.peak >= 0 {
				return rd.errorf("snapshot %d: a second heap_tree=peak (snapshot %d was the first)", s.num, rd.peak)
			}
			rd.peak = s.num
		}
		if s.tree != "empty" {
			name := "snapshot_" + strconv.FormatInt(s.num, 10)
			if s.tree == "peak" {
				name = "peak"
			}
			if rd.ntypes >= 10_000 {
				return rd.errorf("more than 10000 detailed snapshots")
			}
			s.col = rd.b.AddType(profile.ValueType{Type: name, Unit: "bytes"})
			rd.ntypes++
			if s.tree == "peak" {
				rd.b.SetDefaultType(s.col)
			}
		}
	default:
		return rd.errorf("snapshot %d: unknown field %q", s.num, key)
	}
	return nil
}

// endSnapshot closes the tree being read and adds the bytes outside it.
func (rd *reader) endSnapshot() error {
	s := rd.snap
	if s == nil {
		return nil
	}
	if s.tree == "" {
		return &profile.SyntaxError{File: rd.name, Line: s.line, Msg: fmt.Sprintf("snapshot %d has no heap_tree line: the file is cut or corrupt", s.num)}
	}
	if len(rd.path) > 0 {
		return rd.errorf("snapshot %d: the heap tree ends early: node at line %d wants %d more children", s.num, rd.path[len(rd.path)-1].line, rd.path[len(rd.path)-1].children-rd.path[len(rd.path)-1].seen)
	}
	if s.col >= 0 {
		if !s.rootSeen() {
			return &profile.SyntaxError{File: rd.name, Line: s.line, Msg: fmt.Sprintf("snapshot %d: heap_tree=%s without a tree", s.num, s.tree)}
		}
		for _, x := range []struct {
			f profile.FrameID
			v int64
		}{{rd.extra, s.extra}, {rd.stacks, s.stacks}} {
			if x.v > 0 {
				if err := rd.add([]profile.FrameID{x.f}, s.col, x.v); err != nil {
					return err
				}
			}
		}
	}
	rd.snap = nil
	return nil
}

func (s *snapshot) rootSeen() bool { return s.has&16 != 0 }

// add records v bytes at stack for value type col.
func (rd *reader) add(stack []profile.FrameID, col int, v int64) error {
	n := rd.ntypes
	if cap(rd.vals) < n {
		rd.vals = make([]int64, n)
	}
	rd.vals = rd.vals[:n]
	clear(rd.vals)
	rd.vals[col] = v
	if err := rd.b.Add(stack, profile.Labels{}, 1, rd.vals...); err != nil {
		if le, ok := err.(*profile.LimitError); ok && le.Line == 0 {
			le.Line = rd.lr.Line
		}
		return err
	}
	return nil
}

// treeLine reads "<indent>n<k>: <bytes> <label>".
func (rd *reader) treeLine(l []byte) error {
	s := rd.snap
	depth := 0
	for depth < len(l) && l[depth] == ' ' {
		depth++
	}
	rest := l[depth:]
	if len(rest) < 2 || rest[0] != 'n' {
		return rd.errorf("snapshot %d: want a heap tree line '<indent>n<children>: <bytes> <label>', got %q", s.num, clip(l))
	}
	kids, rest, ok1 := bytes.Cut(rest[1:], []byte(": "))
	bs, label, ok2 := bytes.Cut(rest, []byte(" "))
	k, err1 := strconv.ParseInt(string(kids), 10, 64)
	v, err2 := strconv.ParseInt(string(bs), 10, 64)
	if !ok1 || !ok2 || err1 != nil || err2 != nil || k < 0 || v < 0 || v > 1<<60 {
		return rd.errorf("snapshot %d: want a heap tree line '<indent>n<children>: <bytes> <label>', got %q", s.num, clip(l))
	}
	if depth == 0 {
		if s.rootSeen() {
			return rd.errorf("snapshot %d: a second tree root", s.num)
		}
		if v != s.heap {
			return rd.errorf("snapshot %d: the tree's root has %d bytes, mem_heap_B says %d", s.num, v, s.heap)
		}
		s.has |= 16
		if bytes.HasPrefix(label, []byte("(page allocation syscalls)")) {
			rd.pageHeap = true
		}
		rd.path = append(rd.path, node{frame: profile.NoFrame, bytes: v, children: k, line: rd.lr.Line})
		return rd.settle()
	}
	if depth > len(rd.path) || depth < len(rd.path) {
		return rd.errorf("snapshot %d: tree line at depth %d, want depth %d (the indent is one space per level)", s.num, depth, len(rd.path))
	}
	if depth > rd.limits.MaxStackDepth {
		return &profile.LimitError{File: rd.name, Line: rd.lr.Line, What: "heap tree depth", Limit: int64(rd.limits.MaxStackDepth), Flag: "--max-depth"}
	}
	parent := &rd.path[depth-1]
	parent.seen++
	parent.kidBytes += v
	if parent.kidBytes > parent.bytes {
		return rd.errorf("snapshot %d: children of the node at line %d hold %d bytes, more than its %d", s.num, parent.line, parent.kidBytes, parent.bytes)
	}
	f, addr, err := rd.frame(label)
	if err != nil {
		return err
	}
	rd.path = append(rd.path, node{frame: f, addr: addr, bytes: v, children: k, line: rd.lr.Line})
	return rd.settle()
}

// settle closes every node on the path whose children have all been read,
// adding its own bytes under its stack.
func (rd *reader) settle() error {
	for len(rd.path) > 0 {
		n := rd.path[len(rd.path)-1]
		if n.seen < n.children {
			return nil
		}
		rd.path = rd.path[:len(rd.path)-1]
		self := n.bytes - n.kidBytes
		if self == 0 || n.frame == profile.NoFrame {
			continue
		}
		// The path runs from the allocation site out to its callers:
		// reversed, it is the root-first stack.
		rd.stack = rd.stack[:0]
		rd.stack = append(rd.stack, n.frame)
		for i := len(rd.path) - 1; i >= 1; i-- {
			rd.stack = append(rd.stack, rd.path[i].frame)
		}
		if err := rd.add(rd.stack, rd.snap.col, self); err != nil {
			return err
		}
	}
	return nil
}

// frame interns a node label: "0xADDR: fn (file:line)", "0xADDR: fn (in
// obj)", "0xADDR: ???", or a below-threshold aggregate.
func (rd *reader) frame(label []byte) (profile.FrameID, uint64, error) {
	var addr uint64
	f := profile.Frame{Kind: profile.KindNative}
	text := string(label)
	if a, rest, ok := strings.Cut(text, ": "); ok && strings.HasPrefix(a, "0x") {
		v, err := strconv.ParseUint(a[2:], 16, 64)
		if err != nil {
			return 0, 0, rd.errorf("snapshot %d: address %q is not hex", rd.snap.num, a)
		}
		addr = v
		f.Name = rest
		if fn, loc, ok := symbol.CutLocation(rest); ok {
			f.Name = fn
			if obj, ok := strings.CutPrefix(loc, "in "); ok {
				f.Module = obj
			} else if i := strings.LastIndexByte(loc, ':'); i >= 0 {
				if n, err := strconv.ParseInt(loc[i+1:], 10, 64); err == nil {
					f.File, f.Line = loc[:i], n
				}
			}
		}
		if f.Name == "???" {
			f.Name, f.Addr = a, v
		}
		f.Display = symbol.Clean(f.Name)
	} else if strings.Contains(text, "below massif's threshold") {
		f = profile.Frame{Name: text, Kind: profile.KindUnknown}
	} else {
		return 0, 0, rd.errorf("snapshot %d: want a node label '0xADDR: function (file:line)' or a below-threshold aggregate, got %q", rd.snap.num, clip(label))
	}
	key := text
	if id, ok := rd.frames[key]; ok {
		return id, addr, nil
	}
	id, err := rd.b.Frame(f)
	if err != nil {
		if le, ok := err.(*profile.LimitError); ok {
			le.Line = rd.lr.Line
		}
		return 0, 0, err
	}
	rd.frames[key] = id
	return id, addr, nil
}

func (rd *reader) num(key, val []byte) (int64, error) {
	v, err := strconv.ParseInt(string(val), 10, 64)
	if err != nil || v < 0 {
		return 0, rd.errorf("%s=%q is not a non-negative integer", key, clip(val))
	}
	return v, nil
}

// finish sets the metadata and returns the profile.
func (rd *reader) finish() (*profile.Profile, error) {
	if rd.snaps == 0 && len(rd.header) > 0 {
		if _, ok := rd.header["time_unit"]; !ok {
			return nil, &profile.SyntaxError{File: rd.name, Line: max(rd.lr.Line, 1), Msg: "no 'time_unit:' header line: not massif output"}
		}
	}
	if rd.ntypes == 0 {
		rd.b.AddType(profile.ValueType{Type: "peak", Unit: "bytes"})
		rd.ntypes++
	}
	m := rd.b.Meta()
	m.Producer = "valgrind massif"
	m.Recording = "memory"
	if c := rd.header["cmd"]; c != "" {
		m.Comments = append(m.Comments, "cmd: "+strings.TrimSpace(c))
	}
	if d := rd.header["desc"]; d != "" {
		m.Comments = append(m.Comments, "desc: "+strings.TrimSpace(d))
	}
	m.Attrs = []profile.Attr{
		{Key: "max_total_bytes", Value: strconv.FormatInt(rd.maxTotal, 10)},
		{Key: "pages_as_heap", Value: strconv.FormatBool(rd.pageHeap)},
		{Key: "peak_snapshot", Value: strconv.FormatInt(rd.peak, 10)},
		{Key: "snapshots", Value: strconv.Itoa(rd.snaps)},
		{Key: "time_unit", Value: rd.header["time_unit"]},
	}
	if rd.peak < 0 && rd.ntypes > 0 && rd.snaps > 0 {
		m.Warn(rd.name + ": no snapshot has heap_tree=peak; the default value type is the first detailed snapshot")
	}
	p := rd.b.Profile()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", rd.name, err)
	}
	return p, nil
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}
