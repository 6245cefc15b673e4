package austin_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/austin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func read(t *testing.T, in string) *profile.Profile {
	t.Helper()
	p, err := austin.Read(strings.NewReader(in), "t.austin", profile.ReadOptions{})
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	return p
}

func folded(t *testing.T, p *profile.Profile, value int) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: value}))
	return buf.String()
}

func TestLayouts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"default: L elements are the lines of the frames before them",
			"Thread 7f;<module> (a.py);L5;f (a.py);L2 10\nThread 7f;<module> (a.py);L5;f (a.py);L2 15\nThread 7f;<module> (a.py);L5;f (a.py);L3 1\n",
			"Thread 7f;<module> (a.py:5);f (a.py:2) 25\nThread 7f;<module> (a.py:5);f (a.py:3) 1\n"},
		{"alternative layout",
			"Thread 7f;<module> (a.py:5);f (a.py:2) 10\n",
			"Thread 7f;<module> (a.py:5);f (a.py:2) 10\n"},
		{"idle thread without frames, and frames with spaces",
			"Thread 1a 7\nThread 2b;_find_and_load (<frozen importlib._bootstrap>);L1007 3\n",
			"Thread 1a 7\nThread 2b;_find_and_load (<frozen importlib._bootstrap>:1007) 3\n"},
		{"comments and blank lines",
			"# austin\n\nThread 1;f (a.py);L1 2\r\n",
			"Thread 1;f (a.py:1) 2\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, folded(t, read(t, tc.in), 0))
		})
	}
}

func TestFrames(t *testing.T) {
	p := read(t, "Thread 55984eb8ab40;main (/x/a.py);L47;collatz_len (/x/a.py);L16 1123\n")
	assert.Equal(t, []profile.Frame{
		{Name: "Thread 55984eb8ab40", Display: "Thread 55984eb8ab40", Kind: profile.KindUnknown},
		{Name: "main (/x/a.py:47)", Display: "main", File: "/x/a.py", Line: 47, Kind: profile.KindPython},
		{Name: "collatz_len (/x/a.py:16)", Display: "collatz_len", File: "/x/a.py", Line: 16, Kind: profile.KindPython},
	}, p.Frames)
	require.Len(t, p.Samples, 1)
	assert.Equal(t, profile.Labels{TID: 0x55984eb8ab40, HasTID: true}, *p.Samples[0].Labels)
	assert.Equal(t, []profile.ValueType{{Type: "wall", Unit: "microseconds"}}, p.SampleTypes)
	assert.Equal(t, "wall", p.Meta.Recording)
}

// TestMemoryMode: austin -m writes one signed memory delta per line; a
// negative value can only be memory, so the file is read as growth and
// release.
func TestMemoryMode(t *testing.T) {
	p := read(t, "Thread 1;f (a.py);L1 40\nThread 1;g (a.py);L9 -12\nThread 1;f (a.py);L1 8\n")
	assert.Equal(t, []profile.ValueType{{Type: "rss_growth", Unit: "kilobytes"}, {Type: "rss_release", Unit: "kilobytes"}}, p.SampleTypes)
	assert.Equal(t, "memory", p.Meta.Recording)
	assert.Equal(t, int64(48), p.Total(0))
	assert.Equal(t, int64(12), p.Total(1))
	assert.Equal(t, "Thread 1;g (a.py:9) 12\n", folded(t, p, 1))
}

func TestErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not austin", "a;b 1\n", "t.austin:1: want a sample line 'Thread <hex id>;<frames> <metric>', got \"a;b 1\""},
		{"truncated last line", "Thread 1;f (a.py);L1 40\nThread 1;f (a.py);L", "t.austin:2: want 1 integer metric(s) at the end of the line (as on the first sample line), got \"(a.py);L\""},
		{"cut after the first line", "Thread 1;f (a.py);L1 40\nThread 1;f (a.", "t.austin:2: want 1 integer metric(s) at the end of the line (as on the first sample line), got \"(a.\""},
		{"two metrics", "Thread 1;f (a.py);L1 4 5\n", "t.austin:1: want 1 metric (time or memory) or 3 (austin -f: time +mem -mem) at the end of the line, got 2"},
		{"metric count changes", "Thread 1;f (a.py);L1 4 5 -1\nThread 1;f (a.py);L1 4\n", "t.austin:2: want 3 integer metric(s) at the end of the line (as on the first sample line), got \"(a.py);L1\""},
		{"huge count", "Thread 1;f (a.py);L1 99999999999999999999\n", "t.austin:1: metric \"99999999999999999999\" overflows a 64-bit integer"},
		{"line without frame", "Thread 1;L3;f (a.py) 4\n", "t.austin:1: element 1: line \"L3\" does not follow a frame"},
		{"empty frame", "Thread 1;f (a.py);;g (a.py) 4\n", "t.austin:1: element 2: empty frame"},
		{"negative time in -f", "Thread 1;f (a.py) -4 0 0\n", "t.austin:1: time delta -4 is negative"},
		{"wrong sign in -f", "Thread 1;f (a.py) 4 -1 0\n", "t.austin:1: memory growth -1 is negative (want time +mem -mem)"},
		{"garbage before metrics", "Thread 1 x 4\n", "t.austin:1: want 1 metric(s) after the frames, got \" x\" before them"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := austin.Read(strings.NewReader(tc.in), "t.austin", profile.ReadOptions{})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestLimits(t *testing.T) {
	deep := "Thread 1" + strings.Repeat(";f (a.py);L1", 50) + " 1\n"
	_, err := austin.Read(strings.NewReader(deep), "t.austin", profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 10}})
	require.ErrorIs(t, err, profile.ErrLimit)
	assert.Equal(t, "t.austin:1: stack depth exceeds the limit of 10 (raise it with --max-depth)", err.Error())
	_, err = austin.Read(strings.NewReader(deep), "t.austin", profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 100}})
	require.ErrorIs(t, err, profile.ErrLimit)
	assert.Equal(t, "t.austin:1: line length exceeds the limit of 100 (raise it with --max-line)", err.Error())
}

func TestEmpty(t *testing.T) {
	p := read(t, "# only a comment\n")
	assert.Empty(t, p.Samples)
	assert.Equal(t, []profile.ValueType{{Type: "wall", Unit: "microseconds"}}, p.SampleTypes)
}

func TestSniff(t *testing.T) {
	for _, in := range []string{"Thread 7f;f (a.py);L1 3\n", "Thread 7f 3\n", "# c\nThread 55984eb8ab40;f (a.py:1) 3 0 -4\n"} {
		assert.True(t, austin.Sniff([]byte(in)), in)
	}
	for _, in := range []string{"thread (12): main;f (a.py:1) 3\n", "Thread 7f;f 1\nmain;f 2\n", "Thread;x 1\n", "Thread 1x 2\n", "", "{}"} {
		assert.False(t, austin.Sniff([]byte(in)), in)
	}
}

// TestIssue11Austin3: austin 3.x writes metadata lines and then
// "P<pid>;T<tid>;<file>:<function>:<line>;... <metric>" (inferno's test
// input austin/flames.txt is such a file). Its frames are Python frames,
// the process and thread are roots and labels, and the metric is wall or
// CPU time in microseconds, as "# mode:" says.
func TestIssue11Austin3(t *testing.T) {
	in := "# austin: 3.3.0\n# interval: 100\n# mode: wall\n\n" +
		"P6360;T6360;<frozen importlib._bootstrap>:_find_and_load:1007;/srv/app.py:main:12 105\n" +
		"P6360;T6360;<frozen importlib._bootstrap>:_find_and_load:1007;/srv/app.py:main:12 5\n" +
		"P6360;T6361 7\n\n# duration: 23873\n"
	p := read(t, in)
	assert.Equal(t, "Process 6360;Thread 6360;_find_and_load (<frozen importlib._bootstrap>:1007);main (/srv/app.py:12) 110\nProcess 6360;Thread 6361; 7\n", folded(t, p, 0))
	assert.Equal(t, []profile.ValueType{{Type: "wall", Unit: "microseconds"}}, p.SampleTypes)
	assert.Equal(t, "wall", p.Meta.Recording)
	assert.Equal(t, "3.3.0", p.Meta.Attr("version"))
	assert.Contains(t, p.Frames, profile.Frame{Name: "main (/srv/app.py:12)", Display: "main", File: "/srv/app.py", Line: 12, Kind: profile.KindPython})
	assert.Contains(t, p.Frames, profile.Frame{Name: "_find_and_load (<frozen importlib._bootstrap>:1007)", Display: "_find_and_load", File: "<frozen importlib._bootstrap>", Line: 1007, Kind: profile.KindPython})
	assert.Equal(t, profile.Labels{PID: 6360, HasPID: true, TID: 6360, HasTID: true}, *p.Samples[0].Labels)

	cpu := read(t, "# austin: 3.3.0\n# mode: cpu\nP1;T0:7f;C:\\app\\a.py:f:3 40\n")
	assert.Equal(t, []profile.ValueType{{Type: "cpu", Unit: "microseconds"}}, cpu.SampleTypes)
	assert.Equal(t, "on-cpu", cpu.Meta.Recording)
	assert.Equal(t, "Process 1;Thread 0:7f;f (C:\\app\\a.py:3) 40\n", folded(t, cpu, 0))
	assert.Equal(t, int64(0x7f), cpu.Samples[0].Labels.TID)

	for _, tc := range []struct{ in, want string }{
		{"P1;T1;a.py:f 4\n", `t.austin:1: element 1: want <file>:<function>:<line>, got "a.py:f"`},
		{"P1;T1;a.py:f:x 4\n", `t.austin:1: element 1: want <file>:<function>:<line>, got "a.py:f:x"`},
		{"P1;T1;a.py:f:1 -4\n", "t.austin:1: time -4 is negative"},
		{"P1;T1;a.py:f:1 4 5 -1\n", "t.austin:1: want 1 metric (the time) at the end of an austin 3 line, got 3"},
		{"# mode: memory\nP1;T1;a.py:f:1 4\n", "t.austin:2: austin 3 memory mode output is not read (want --mode wall or cpu: one time metric per line)"},
	} {
		_, err := austin.Read(strings.NewReader(tc.in), "t.austin", profile.ReadOptions{})
		assert.EqualError(t, err, tc.want, tc.in)
	}
	for _, in := range []string{"# austin: 3.3.0\nP6360;T6360;a.py:f:1 105\n", "P1;T2 5\n", "P1;T0:7f;a.py:f:1 5\n"} {
		assert.True(t, austin.Sniff([]byte(in)), in)
	}
	for _, in := range []string{"P1;x 3\n", "Pear;T1 3\n", "P1;T 3\n", "P;T1 3\n"} {
		assert.False(t, austin.Sniff([]byte(in)), in)
	}
}
