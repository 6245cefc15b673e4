package callgrind_test

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/callgrind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func read(s string) (*profile.Profile, error) {
	return callgrind.Read(strings.NewReader(s), "F", profile.ReadOptions{})
}

// small is written as callgrind writes: compressed names defined on first
// use, relative positions, a callee named by cfn= before its own fn=, two
// calls= records of one pair.
const small = `# callgrind format
version: 1
creator: callgrind-3.19.0
positions: line
events: Ir Dr

ob=(1) /bin/prog
fl=(1) prog.c
fn=(1) main
10 5 1
+1 2
cfn=(2) work
calls=2 20
* 40 4
+2 1
cfn=(2)
calls=1 20
* 20 2

fn=(2)
20 60 6

totals: 68 7
`

func TestSmall(t *testing.T) {
	p, err := read(small)
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	var out bytes.Buffer
	require.NoError(t, profile.WriteFolded(&out, p, profile.FoldedOptions{}))
	assert.Equal(t, "main 8\nmain;work 60\n", out.String())
	require.Len(t, p.Graph.Edges, 1)
	e := p.Graph.Edges[0]
	assert.Equal(t, int64(3), e.Calls)
	assert.Equal(t, []int64{60, 6, 3}, e.Inclusive)
	main := p.Graph.Func(e.Caller)
	assert.Equal(t, []int64{68, 7, 0}, main.Inclusive)
	assert.Equal(t, "/bin/prog", p.Frames[e.Callee].Module)
	assert.Equal(t, "prog.c", p.Frames[e.Callee].File)
	assert.Empty(t, p.Meta.Warnings)
}

func TestBrokenInput(t *testing.T) {
	real, err := os.ReadFile(testutil.Fixture(t, "callgrind/fanout.callgrind.out"))
	require.NoError(t, err)
	cut := string(real[:bytes.Index(real, []byte("calls=50 -3"))+len("calls=50 -3 \n")])
	tests := []struct{ name, data, want string }{
		{"cut after calls=", cut, "F:77: calls= line without the cost line that must follow it: the file is cut short"},
		{"dangling name id", strings.Replace(small, "cfn=(2)\ncalls=1", "cfn=(9)\ncalls=1", 1), "F:16: cfn=(9): name id 9 was never defined (want '(9) name' earlier in the file)"},
		{"cost is not a number", strings.Replace(small, "10 5 1", "10 5 x", 1), `F:10: cost "x" is not a non-negative 64-bit count`},
		{"too many costs", strings.Replace(small, "10 5 1", "10 5 1 7", 1), "F:10: cost line has 3 costs for 2 events"},
		{"bad position", strings.Replace(small, "+1 2", "~1 2", 1), `F:11: want a cost line, a key=value line or a header 'key: value', got "~1 2"`},
		{"bad relative position", strings.Replace(small, "+1 2", "+x 2", 1), `F:11: position "+x": want a number, 0x address, +N, -N or *`},
		{"huge count", strings.Replace(small, "10 5 1", "10 99999999999999999999 1", 1), `F:10: cost "99999999999999999999" is not a non-negative 64-bit count`},
		{"sum overflows", strings.Replace(small, "+1 2", "+1 9223372036854775807", 1), "F:11: the sum of the costs overflows a 64-bit integer"},
		{"negative calls", strings.Replace(small, "calls=2 20", "calls=-2 20", 1), `F:13: calls=-2 20: call count "-2" is not a non-negative 64-bit integer`},
		{"calls without cfn", strings.Replace(small, "cfn=(2) work\n", "", 1), "F:12: calls= without cfn=: want the called function first"},
		{"calls not followed by costs", strings.Replace(small, "calls=2 20\n", "calls=2 20\nfn=(3) x\n", 1), `F:14: want the cost line of the calls= line 13, got "fn=(3) x"`},
		{"cost before fn", "events: Ir\n1 2\n", "F:2: cost line before any fn=: want a function first"},
		{"no events", "fn=main\n1 2\n", "F:2: cost line before the 'events:' header"},
		{"unknown key", strings.Replace(small, "ob=(1)", "xx=(1)", 1), `F:7: unknown key "xx": want ob, fl, fi, fe, fn, cob, cfi, cfl, cfn, calls, jump, jcnd, jfi or jfn`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(tc.data)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestLimits(t *testing.T) {
	_, err := callgrind.Read(strings.NewReader(small), "F", profile.ReadOptions{Limits: profile.Limits{MaxFrames: 1}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrLimit), err)
	assert.Contains(t, err.Error(), "--max-frames")
	_, err = callgrind.Read(strings.NewReader(small), "F", profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 10}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--max-line")
}

// TestDeepRecursion: a chain of 5000 functions each calling the next
// gives derived stacks no deeper than the derivation's bound, with every
// function's cost kept.
func TestDeepRecursion(t *testing.T) {
	var b strings.Builder
	b.WriteString("events: Ir\n")
	const n = 5000
	for i := 0; i < n; i++ {
		b.WriteString("fn=(" + itoa(i) + ") f" + itoa(i) + "\n1 1\n")
		if i+1 < n {
			b.WriteString("cfn=(" + itoa(i+1) + ") f" + itoa(i+1) + "\ncalls=1 1\n1 " + itoa(n-i-1) + "\n")
		}
	}
	p, err := read(b.String())
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	assert.Equal(t, int64(n), p.Total(0))
	var depth int
	for i := range p.Nodes {
		depth = max(depth, p.Depth(profile.NodeID(i)))
	}
	assert.Equal(t, 512, depth)
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestSniff(t *testing.T) {
	assert.True(t, callgrind.Sniff([]byte(small)))
	assert.True(t, callgrind.Sniff([]byte("version: 1\nevents: Ir\nfn=main\n")))
	for _, s := range []string{"main;fn=x 1\n", "events: 1\n", `{"events": [], "fn=": 1}`} {
		assert.False(t, callgrind.Sniff([]byte(s)), s)
	}
}
