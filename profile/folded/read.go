package folded

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// maxComments bounds how many '#' comment lines are kept in Meta.Comments.
const maxComments = 20

// Read reads folded stacks from r. name is used only in messages. Lines that
// are not "stack count" are skipped with a warning naming file:line (an
// error with opt.Strict); a count that overflows, and a differential line
// with two counts (ReadDiff reads those), are errors. Lines starting with
// '#' are comments.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	rd := newReader(name, opt)
	if err := rd.run(newTextReader(r)); err != nil {
		return nil, err
	}
	return rd.finish()
}

// ReadDiff reads differential folded stacks, "stack before after" as
// FlameGraph's difffolded.pl writes them, into two profiles: the before
// counts and the after counts. Every stack is added to both, with a zero
// where one side has none, so the two call trees have the same shape and
// the same frame IDs. Lines with one count are skipped with a warning (an
// error with opt.Strict).
func ReadDiff(r io.Reader, name string, opt profile.ReadOptions) (before, after *profile.Profile, err error) {
	rd := newReader(name, opt)
	rd.b2 = profile.NewBuilder(name, []profile.ValueType{{Type: "samples", Unit: "count"}}, rd.limits)
	rd.cols2 = newColumns()
	if err := rd.run(newTextReader(r)); err != nil {
		return nil, nil, err
	}
	return rd.finishDiff()
}

// reader holds the state of one Read or ReadDiff: it applies the records
// the workers parse, in input order.
type reader struct {
	name   string
	opt    profile.ReadOptions
	limits profile.Limits
	b      *profile.Builder
	cols   *columns
	b2     *profile.Builder // ReadDiff only: the after counts
	cols2  *columns
	frames *textIDs // frame text -> frame ID
	// info holds the frameInfo of the frames that give a sample labels
	// (hasLabels, per FrameID): few do, and a 56-byte frameInfo per
	// frame cost 7 MB on the bench input.
	info      map[profile.FrameID]frameInfo
	hasLabels []bool
	tables    []workerFrames    // per worker
	stack     []profile.FrameID // the current record's frames
	line      int               // lines before the current chunk, then the current line
	records   int
	firstBad  *profile.SyntaxError // first skipped line, for a file with no valid line
	pyspy     bool
	// stacks counts stack lines, semi those written "a;b; 12", as only
	// heaptrack_print -F writes every one of them.
	stacks, semi int
	// chunkSize is chunkSize except in tests, which cut the input in
	// small chunks to check the result does not depend on where it is cut.
	chunkSize int
}

// workerFrames maps one worker's frame numbers to frame IDs.
type workerFrames struct {
	ids []profile.FrameID // by worker number; -1 until first used
}

func newReader(name string, opt profile.ReadOptions) *reader {
	limits := opt.Limits.WithDefaults()
	return &reader{
		name:   name,
		opt:    opt,
		limits: limits,
		b:      profile.NewBuilder(name, []profile.ValueType{{Type: "samples", Unit: "count"}}, limits),
		cols:   newColumns(),
		frames: newTextIDs(),
		info:   map[profile.FrameID]frameInfo{},

		chunkSize: chunkSize,
	}
}
