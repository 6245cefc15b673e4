package profile

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func build(t *testing.T, stacks [][]string, labels []Labels, values []int64) *Profile {
	t.Helper()
	b := NewBuilder("t", []ValueType{{Type: "samples", Unit: "count"}}, Limits{})
	for i, s := range stacks {
		var fs []Frame
		for _, n := range s {
			kind := KindNative
			if n == "schedule" {
				kind = KindKernel
			}
			fs = append(fs, Frame{Name: n, Kind: kind})
		}
		var l Labels
		if labels != nil {
			l = labels[i]
		}
		require.NoError(t, b.AddFrames(fs, l, 1, values[i]))
	}
	p := b.Profile()
	require.NoError(t, p.Validate())
	return p
}

func TestBuilderSelfAndTotal(t *testing.T) {
	p := build(t, [][]string{{"main", "a", "b"}, {"main", "a"}, {"main", "c"}, {"main", "a", "b"}}, nil, []int64{3, 2, 5, 1})
	assert.Equal(t, int64(11), p.Total(0))
	assert.Equal(t, int64(4), p.SampleCount())
	self, total := p.NodeValues(0)
	byName := map[string]NodeID{}
	for i := range p.Nodes[1:] {
		byName[p.FrameOf(NodeID(i+1)).Name] = NodeID(i + 1)
	}
	assert.Equal(t, int64(11), total[RootNode])
	assert.Equal(t, int64(0), self[byName["main"]])
	assert.Equal(t, int64(11), total[byName["main"]])
	assert.Equal(t, int64(2), self[byName["a"]])
	assert.Equal(t, int64(6), total[byName["a"]])
	assert.Equal(t, int64(4), self[byName["b"]])
	assert.Equal(t, int64(4), total[byName["b"]])
	assert.Equal(t, int64(5), self[byName["c"]])
	// Children sorted by display name.
	main := p.Children(0)[0]
	assert.Equal(t, "a", p.FrameOf(p.Children(main)[0]).Name)
	assert.Equal(t, "c", p.FrameOf(p.Children(main)[1]).Name)
}

func TestWriteFolded(t *testing.T) {
	p := build(t,
		[][]string{{"main", "work;x", "schedule"}, {"main", "idle"}, {"main", "idle"}},
		[]Labels{{Comm: "my app", PID: 7, HasPID: true, TID: 9, HasTID: true}, {Comm: "my app"}, {Comm: "my app", PID: 7, HasPID: true}},
		[]int64{3, 2, 0})
	var b bytes.Buffer
	require.NoError(t, WriteFolded(&b, p, FoldedOptions{Value: -1}))
	assert.Equal(t, "my_app;main;idle 2\nmy_app;main;work:x;schedule 3\n", b.String(), "';' in a name becomes ':', zero stacks are left out")
	b.Reset()
	require.NoError(t, WriteFolded(&b, p, FoldedOptions{Value: -1, TID: true, Kernel: true}))
	assert.Equal(t, "my_app-7/9;main;work:x;schedule_[k] 3\nmy_app-?/?;main;idle 2\n", b.String())
}

func TestFormatScaled(t *testing.T) {
	for _, tc := range []struct {
		v, scale int64
		want     string
	}{{15, 10, "1.5"}, {100, 100, "1"}, {5, 1000, "0.005"}, {7, 1, "7"}, {7, 0, "7"}} {
		assert.Equal(t, tc.want, FormatScaled(tc.v, tc.scale))
	}
}

func TestLimits(t *testing.T) {
	b := NewBuilder("in.txt", []ValueType{{Type: "samples"}}, Limits{MaxStackDepth: 2, MaxFrames: 2})
	err := b.AddFrames([]Frame{{Name: "a"}, {Name: "b"}, {Name: "c"}}, Labels{}, 1, 1)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrLimit))
	assert.Equal(t, "in.txt: stack depth (3 frames) exceeds the limit of 2 (raise it with --max-depth)", err.Error())
	require.NoError(t, b.AddFrames([]Frame{{Name: "x"}}, Labels{}, 1, 1))
	err = b.AddFrames([]Frame{{Name: "y"}, {Name: "z"}}, Labels{}, 1, 1)
	assert.Equal(t, "in.txt: number of distinct frames exceeds the limit of 2 (raise it with --max-frames)", err.Error())
}

// TestSamplesShareTheirLabelSet: the builder keeps one copy of each
// distinct label set, which every sample with it points at, whatever the
// order the samples come in; Validate refuses a sample with none.
func TestSamplesShareTheirLabelSet(t *testing.T) {
	main := Labels{TID: 1, HasTID: true, Thread: "main"}
	worker := Labels{TID: 2, HasTID: true, Thread: "worker"}
	p := build(t, [][]string{{"a"}, {"b"}, {"c"}, {"d"}}, []Labels{main, worker, main, {}}, []int64{1, 2, 3, 4})
	require.Len(t, p.Samples, 4)
	assert.Equal(t, main, *p.Samples[0].Labels)
	assert.Equal(t, worker, *p.Samples[1].Labels)
	assert.Same(t, p.Samples[0].Labels, p.Samples[2].Labels)
	assert.NotSame(t, p.Samples[0].Labels, p.Samples[1].Labels)
	assert.Equal(t, Labels{}, *p.Samples[3].Labels)
	require.NoError(t, p.Validate())
	p.Samples[1].Labels = nil
	assert.EqualError(t, p.Validate(), "sample 1: no label set")
}

func TestValidateCatchesBrokenModels(t *testing.T) {
	p := build(t, [][]string{{"main", "a"}}, nil, []int64{3})
	p.Samples[0].Values[0] = -1
	assert.EqualError(t, p.Validate(), "sample 0: negative samples value -1")
	p = build(t, [][]string{{"main", "a"}}, nil, []int64{3})
	p.Nodes[2].Frame = 99
	assert.EqualError(t, p.Validate(), "node 2: frame 99 out of range (2 frames)")
	p = build(t, [][]string{{"main", "a"}}, nil, []int64{3})
	p.Nodes[1].Parent = 2
	assert.EqualError(t, p.Validate(), "node 1: parent 2 is not an earlier node")
}

func TestSyntaxErrorPositions(t *testing.T) {
	assert.Equal(t, "f:3: bad", (&SyntaxError{File: "f", Line: 3, Msg: "bad"}).Error())
	assert.Equal(t, "f: profiles[1]: bad", (&SyntaxError{File: "f", Path: "profiles[1]", Msg: "bad"}).Error())
	assert.Equal(t, "f: offset 12: bad", (&SyntaxError{File: "f", Offset: 12, Msg: "bad"}).Error())
	assert.Equal(t, "f:3:17: bad", (&SyntaxError{File: "f", Line: 3, Col: 17, Msg: "bad"}).Error())
	assert.Equal(t, "-:1:4: bad", (&SyntaxError{Line: 1, Col: 4, Msg: "bad"}).Error())
	assert.Equal(t, "f: offset 12: bad", (&SyntaxError{File: "f", Offset: 12, Col: 4, Msg: "bad"}).Error(), "a column without a line is not printed")
}

func TestLimitErrorPositions(t *testing.T) {
	e := LimitError{File: "f", What: "stack depth", Limit: 10, Flag: "--max-depth"}
	assert.Equal(t, "f: stack depth exceeds the limit of 10 (raise it with --max-depth)", e.Error())
	e.Line = 12
	assert.Equal(t, "f:12: stack depth exceeds the limit of 10 (raise it with --max-depth)", e.Error())
	e.Col = 3
	assert.Equal(t, "f:12:3: stack depth exceeds the limit of 10 (raise it with --max-depth)", e.Error())
	e.Line, e.Col, e.Where = 0, 0, "profiles[0]"
	assert.Equal(t, "f: profiles[0]: stack depth exceeds the limit of 10 (raise it with --max-depth)", e.Error())
}
