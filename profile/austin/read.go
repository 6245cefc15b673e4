package austin

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

// Value types. austin 1.x measures time deltas in microseconds of wall
// clock and memory as deltas of the resident set in KB (every memory value
// in the recordings is a multiple of 4, the page size in KB).
var (
	wallType    = profile.ValueType{Type: "wall", Unit: "microseconds"}
	cpuType     = profile.ValueType{Type: "cpu", Unit: "microseconds"} // austin 3 --mode cpu
	growthType  = profile.ValueType{Type: "rss_growth", Unit: "kilobytes"}
	releaseType = profile.ValueType{Type: "rss_release", Unit: "kilobytes"}
)

// maxComments bounds how many '#' lines are kept in Meta.Comments.
const maxComments = 20

// reader holds the state of one Read.
type reader struct {
	name     string
	lr       *lines.Reader
	b        *profile.Builder
	limits   profile.Limits
	metrics  int                        // metrics per line: 1 or 3, fixed by the first sample line
	frames   map[string]profile.FrameID // element text (with its L line) -> frame
	stack    []profile.FrameID          // scratch
	key      []byte                     // scratch
	vals     [3]int64
	neg      bool // a one-metric file had a negative value: memory mode
	lElems   bool // "L<n>" elements were seen: the default layout
	comments []string
	// austin 3.x writes metadata lines ("# austin: 3.3.0", "# mode: wall")
	// and "P<pid>;T<tid>;<file>:<function>:<line>" samples.
	version, mode string
	v3            bool // a 3.x sample line was read
}

// Read reads austin 1.x output from r. name is used only in messages. A
// line that is not a sample line, a metric that is not an integer, an "L"
// element without a frame before it or a change in the number of metrics is
// an error naming the line: a cut file ends in a line without its metric.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	rd := &reader{name: name, lr: lines.New(r, name, limits.MaxLineBytes), limits: limits, frames: map[string]profile.FrameID{}}
	for {
		line, err := rd.lr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if line[0] == '#' {
			c := string(bytes.TrimSpace(line[1:]))
			if len(rd.comments) < maxComments {
				rd.comments = append(rd.comments, c)
			}
			if k, v, ok := strings.Cut(c, ":"); ok {
				switch strings.TrimSpace(k) {
				case "austin":
					rd.version = strings.TrimSpace(v)
				case "mode":
					rd.mode = strings.TrimSpace(v)
				}
			}
			continue
		}
		if err := rd.sample(line); err != nil {
			return nil, err
		}
	}
	return rd.finish()
}

// sample reads one "Thread <id>[;frames] <metrics>" line.
func (rd *reader) sample(line []byte) error {
	if pid, tid, rest, ok := processPrefix(line); ok {
		return rd.sampleV3(pid, tid, rest)
	}
	id, rest, ok := threadPrefix(line)
	if !ok {
		return rd.lr.Errorf("want a sample line 'Thread <hex id>;<frames> <metric>', got %q", clip(line))
	}
	tid, err := strconv.ParseUint(string(id), 16, 64)
	if err != nil {
		return rd.lr.Errorf("thread id %q is not a hex number", id)
	}
	frames, err := rd.cutMetrics(rest)
	if err != nil {
		return err
	}
	if rd.b == nil {
		rd.start()
	}
	thread, err := rd.frame(append(append(rd.key[:0], "Thread "...), id...), profile.Frame{Name: "Thread " + string(id)})
	if err != nil {
		return err
	}
	rd.stack = append(rd.stack[:0], thread)
	if err := rd.frameElements(frames); err != nil {
		return err
	}
	labels := profile.Labels{TID: int64(tid), HasTID: true}
	if rd.metrics == 1 {
		v := rd.vals[0]
		if v < 0 {
			rd.neg = true
			return rd.add(labels, 0, -v)
		}
		return rd.add(labels, v, 0)
	}
	return rd.add(labels, rd.vals[0], rd.vals[1], -rd.vals[2])
}

// sampleV3 reads the rest of an austin 3.x sample line after
// "P<pid>;T<tid>": ";<file>:<function>:<line>..." and one metric, the time
// in microseconds of wall clock (--mode wall, the default) or CPU
// (--mode cpu).
func (rd *reader) sampleV3(pid, tid, rest []byte) error {
	if rd.mode != "" && rd.mode != "wall" && rd.mode != "cpu" {
		return rd.lr.Errorf("austin 3 %s mode output is not read (want --mode wall or cpu: one time metric per line)", rd.mode)
	}
	rd.v3 = true
	frames, err := rd.cutMetrics(rest)
	if err != nil {
		return err
	}
	if rd.metrics != 1 {
		return rd.lr.Errorf("want 1 metric (the time) at the end of an austin 3 line, got %d", rd.metrics)
	}
	if rd.vals[0] < 0 {
		return rd.lr.Errorf("time %d is negative", rd.vals[0])
	}
	if rd.b == nil {
		rd.start()
	}
	labels := profile.Labels{}
	if n, err := strconv.ParseInt(string(pid), 10, 64); err == nil {
		labels.PID, labels.HasPID = n, true
	}
	t := tid
	if i := bytes.IndexByte(t, ':'); i >= 0 {
		t = t[i+1:] // "T<interpreter>:<thread>"
	}
	if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
		labels.TID, labels.HasTID = n, true
	} else if n, err := strconv.ParseUint(string(t), 16, 63); err == nil {
		labels.TID, labels.HasTID = int64(n), true
	}
	proc, err := rd.frame(append(append(rd.key[:0], "Process "...), pid...), profile.Frame{Name: "Process " + string(pid)})
	if err != nil {
		return err
	}
	thread, err := rd.frame(append(append(rd.key[:0], "Thread "...), tid...), profile.Frame{Name: "Thread " + string(tid)})
	if err != nil {
		return err
	}
	rd.stack = append(rd.stack[:0], proc, thread)
	for n := 1; len(frames) > 0; n++ {
		frames = frames[1:] // the ';'
		elem := frames
		if i := bytes.IndexByte(frames, ';'); i >= 0 {
			elem, frames = frames[:i], frames[i:]
		} else {
			frames = nil
		}
		if len(rd.stack) >= rd.limits.MaxStackDepth {
			return &profile.LimitError{File: rd.name, Line: rd.lr.Line, What: "stack depth", Limit: int64(rd.limits.MaxStackDepth), Flag: "--max-depth"}
		}
		id, err := rd.pyFrameV3(n, elem)
		if err != nil {
			return err
		}
		rd.stack = append(rd.stack, id)
	}
	return rd.add(labels, rd.vals[0], 0)
}

// pyFrameV3 interns an austin 3 frame "<file>:<function>:<line>" (the file
// may hold colons itself: the last two colons split it) as the Python
// frame "function (file:line)".
func (rd *reader) pyFrameV3(n int, elem []byte) (profile.FrameID, error) {
	rd.key = append(append(rd.key[:0], 1), elem...) // apart from 1.x keys
	if id, ok := rd.frames[string(rd.key)]; ok {
		return id, nil
	}
	i := bytes.LastIndexByte(elem, ':')
	j := -1
	if i > 0 {
		j = bytes.LastIndexByte(elem[:i], ':')
	}
	if j <= 0 || j+1 == i || !isInt(elem[i+1:]) || elem[i+1] == '-' || elem[i+1] == '+' {
		return 0, rd.lr.Errorf("element %d: want <file>:<function>:<line>, got %q", n, clip(elem))
	}
	line, err := strconv.ParseInt(string(elem[i+1:]), 10, 64)
	if err != nil {
		return 0, rd.lr.Errorf("element %d: line number %q overflows", n, elem[i+1:])
	}
	file, fn := string(elem[:j]), string(elem[j+1:i])
	f := profile.Frame{Name: fn + " (" + file + ":" + strconv.FormatInt(line, 10) + ")", Display: fn, File: file, Line: line, Kind: profile.KindPython}
	return rd.frame(rd.key, f)
}

func (rd *reader) add(l profile.Labels, v ...int64) error {
	if err := rd.b.Add(rd.stack, l, 1, v...); err != nil {
		return rd.placeLimit(err)
	}
	return nil
}

// cutMetrics parses the metrics at the end of rest into rd.vals and returns
// the frame part (";f1;f2" or empty).
func (rd *reader) cutMetrics(rest []byte) ([]byte, error) {
	want := rd.metrics
	if want == 0 {
		// The first sample line decides: austin writes one metric, or
		// three with -f.
		n, tail := 0, rest
		for n < 3 {
			i := bytes.LastIndexByte(tail, ' ')
			if i < 0 || !isInt(tail[i+1:]) {
				break
			}
			n, tail = n+1, tail[:i]
		}
		if n != 1 && n != 3 {
			return nil, rd.lr.Errorf("want 1 metric (time or memory) or 3 (austin -f: time +mem -mem) at the end of the line, got %d", n)
		}
		rd.metrics, want = n, n
	}
	for k := want - 1; k >= 0; k-- {
		i := bytes.LastIndexByte(rest, ' ')
		if i < 0 {
			return nil, rd.lr.Errorf("want %d metric(s) at the end of the line (as on the first sample line), got %d", want, want-1-k)
		}
		v, err := strconv.ParseInt(string(rest[i+1:]), 10, 64)
		if err != nil {
			if isInt(rest[i+1:]) {
				return nil, rd.lr.Errorf("metric %q overflows a 64-bit integer", rest[i+1:])
			}
			return nil, rd.lr.Errorf("want %d integer metric(s) at the end of the line (as on the first sample line), got %q", want, clip(rest[i+1:]))
		}
		rd.vals[k], rest = v, rest[:i]
	}
	if len(rest) > 0 && rest[0] != ';' {
		return nil, rd.lr.Errorf("want %d metric(s) after the frames, got %q before them", want, clip(rest))
	}
	if want == 3 {
		switch {
		case rd.vals[0] < 0:
			return nil, rd.lr.Errorf("time delta %d is negative", rd.vals[0])
		case rd.vals[1] < 0:
			return nil, rd.lr.Errorf("memory growth %d is negative (want time +mem -mem)", rd.vals[1])
		case rd.vals[2] > 0:
			return nil, rd.lr.Errorf("memory release %d is positive (want time +mem -mem)", rd.vals[2])
		case rd.vals[2] == -1<<63:
			return nil, rd.lr.Errorf("memory release %d overflows", rd.vals[2])
		}
	} else if rd.vals[0] == -1<<63 {
		return nil, rd.lr.Errorf("metric %d overflows", rd.vals[0])
	}
	return rest, nil
}

// start creates the builder once the number of metrics is known. A
// one-metric file keeps negative values in a second column until the end
// shows whether it was memory mode.
func (rd *reader) start() {
	types := []profile.ValueType{wallType, releaseType}
	if rd.mode == "cpu" {
		types[0] = cpuType
	}
	if rd.metrics == 3 {
		types = []profile.ValueType{wallType, growthType, releaseType}
	}
	rd.b = profile.NewBuilder(rd.name, types, rd.limits)
}

// frameElements reads ";f1;L1;f2;L2" (default layout) or ";f1;f2" (-a).
func (rd *reader) frameElements(s []byte) error {
	var prev []byte // a frame element waiting for its L element
	flush := func(line []byte) error {
		if prev == nil {
			return nil
		}
		if len(rd.stack) >= rd.limits.MaxStackDepth {
			return &profile.LimitError{File: rd.name, Line: rd.lr.Line, What: "stack depth", Limit: int64(rd.limits.MaxStackDepth), Flag: "--max-depth"}
		}
		id, err := rd.pyFrame(prev, line)
		if err != nil {
			return err
		}
		rd.stack = append(rd.stack, id)
		prev = nil
		return nil
	}
	for n := 1; len(s) > 0; n++ {
		s = s[1:] // the ';'
		elem := s
		if i := bytes.IndexByte(s, ';'); i >= 0 {
			elem, s = s[:i], s[i:]
		} else {
			s = nil
		}
		if isLineElem(elem) {
			if prev == nil {
				return rd.lr.Errorf("element %d: line %q does not follow a frame", n, elem)
			}
			rd.lElems = true
			if err := flush(elem[1:]); err != nil {
				return err
			}
			continue
		}
		if len(elem) == 0 {
			return rd.lr.Errorf("element %d: empty frame", n)
		}
		if err := flush(nil); err != nil {
			return err
		}
		prev = elem
	}
	return flush(nil)
}

// pyFrame interns the Python frame elem ("func (file)" with its L element's
// number line, or "func (file:line)"), keyed by its text.
func (rd *reader) pyFrame(elem, line []byte) (profile.FrameID, error) {
	rd.key = append(append(append(rd.key[:0], elem...), 0), line...)
	if id, ok := rd.frames[string(rd.key)]; ok {
		return id, nil
	}
	f := profile.Frame{Name: string(elem), Display: string(elem), Kind: profile.KindPython}
	if fn, loc, ok := symbol.CutLocation(string(elem)); ok {
		f.Display, f.File = fn, loc
		if line == nil {
			if i := strings.LastIndexByte(loc, ':'); i >= 0 && isInt([]byte(loc[i+1:])) {
				f.File, line = loc[:i], []byte(loc[i+1:])
			}
		}
	}
	if line != nil {
		n, err := strconv.ParseInt(string(line), 10, 64)
		if err != nil || n < 0 {
			return 0, rd.lr.Errorf("line number %q is not a non-negative integer", line)
		}
		f.Line = n
		if f.File != "" {
			f.Name = f.Display + " (" + f.File + ":" + string(line) + ")"
		}
	}
	return rd.frame(rd.key, f)
}

// frame interns f under key.
func (rd *reader) frame(key []byte, f profile.Frame) (profile.FrameID, error) {
	if id, ok := rd.frames[string(key)]; ok {
		return id, nil
	}
	id, err := rd.b.Frame(f)
	if err != nil {
		return 0, rd.placeLimit(err)
	}
	rd.frames[string(key)] = id
	return id, nil
}

// placeLimit puts the current line on a builder's limit error.
func (rd *reader) placeLimit(err error) error {
	if le, ok := err.(*profile.LimitError); ok && le.Line == 0 {
		le.Line = rd.lr.Line
	}
	return err
}

// finish settles the value types and returns the validated profile.
func (rd *reader) finish() (*profile.Profile, error) {
	if rd.b == nil {
		// No sample lines (austin -s can drop them all): an empty wall-time
		// profile, as an empty input of every format reads with --from.
		rd.metrics = 1
		rd.start()
	}
	m := rd.b.Meta()
	m.Producer = "austin"
	m.Comments = rd.comments
	layout := "alternative (-a: func (file:line))"
	if rd.lElems {
		layout = "default (L<line> elements)"
	}
	if rd.v3 {
		layout = "austin 3 (P<pid>;T<tid>;file:function:line)"
	}
	m.Attrs = []profile.Attr{{Key: "layout", Value: layout}, {Key: "metrics", Value: strconv.Itoa(rd.metrics)}}
	if rd.version != "" {
		m.Attrs = append(m.Attrs, profile.Attr{Key: "version", Value: rd.version})
	}
	memory := rd.metrics == 1 && rd.neg
	switch {
	case rd.metrics == 3:
		m.Recording = "wall"
	case memory:
		m.Recording = "memory"
	case rd.mode == "cpu":
		m.Recording = "on-cpu"
	default:
		m.Recording = "wall"
	}
	p := rd.b.Profile()
	switch {
	case memory:
		p.SampleTypes = []profile.ValueType{growthType, releaseType}
	case rd.metrics == 1:
		dropSecond(p)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", rd.name, err)
	}
	return p, nil
}

// dropSecond removes the second value type, which a time-only file never
// used.
func dropSecond(p *profile.Profile) {
	p.SampleTypes = p.SampleTypes[:1]
	for i := range p.Samples {
		p.Samples[i].Values = p.Samples[i].Values[:1]
	}
}

func isLineElem(e []byte) bool { return len(e) > 1 && e[0] == 'L' && isInt(e[1:]) }

// isInt reports an optionally signed run of decimal digits.
func isInt(b []byte) bool {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// clip shortens input quoted in a message.
func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}
