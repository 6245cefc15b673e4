package pstats_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/pstats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enc writes marshal data by hand, as marshal.c lays it out, so the tests
// do not depend on the reader to make their input.
type enc struct{ bytes.Buffer }

func (e *enc) i32(n int32) *enc { binary.Write(&e.Buffer, binary.LittleEndian, n); return e }
func (e *enc) str(s string) *enc {
	e.WriteByte('z')
	e.WriteByte(byte(len(s)))
	e.WriteString(s)
	return e
}
func (e *enc) int(n int32) *enc { e.WriteByte('i'); return e.i32(n) }
func (e *enc) float(f float64) *enc {
	e.WriteByte('g')
	binary.Write(&e.Buffer, binary.LittleEndian, math.Float64bits(f))
	return e
}
func (e *enc) tuple(n int) *enc { e.WriteByte(')'); e.WriteByte(byte(n)); return e }
func (e *enc) key(file string, line int32, name string) *enc {
	return e.tuple(3).str(file).int(line).str(name)
}

// twoFuncs is a cProfile-shaped file: main (no callers) calls work 3 times.
func twoFuncs() *enc {
	e := &enc{}
	e.WriteByte('{')
	e.key("a.py", 1, "main").tuple(5).int(1).int(1).float(0.5).float(2.0)
	e.WriteByte('{')
	e.WriteByte('0')
	e.key("a.py", 9, "work").tuple(5).int(3).int(3).float(1.5).float(1.5)
	e.WriteByte('{')
	e.key("a.py", 1, "main").tuple(4).int(3).int(3).float(1.5).float(1.5)
	e.WriteByte('0')
	e.WriteByte('0')
	return e
}

func read(data []byte) (*profile.Profile, error) {
	return pstats.Read(bytes.NewReader(data), "F", profile.ReadOptions{})
}

func TestHandMade(t *testing.T) {
	p, err := read(twoFuncs().Bytes())
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	var out bytes.Buffer
	require.NoError(t, profile.WriteFolded(&out, p, profile.FoldedOptions{}))
	assert.Equal(t, "main 500000000\nmain;work 1500000000\n", out.String())
	assert.Equal(t, int64(4), p.Total(1))
	require.Len(t, p.Graph.Edges, 1)
	assert.Equal(t, int64(3), p.Graph.Edges[0].Calls)
}

// TestBackReferences: a value stored with FLAG_REF and read back through
// 'r' is the same value; refs index objects in the order their type bytes
// come (containers before their elements).
func TestBackReferences(t *testing.T) {
	e := &enc{}
	e.WriteByte('{' | 0x80)                    // ref 0
	e.WriteByte(')' | 0x80)                    // ref 1: main's key
	e.WriteByte(3)                             //
	e.WriteByte('z' | 0x80)                    // ref 2
	e.WriteByte(4)                             //
	e.WriteString("a.py")                      //
	e.WriteByte('i' | 0x80)                    // ref 3
	e.i32(1)                                   //
	e.str("main")                              // no ref
	e.tuple(5).WriteByte('r')                  // cc: ref 3 (int 1)
	e.i32(3).WriteByte('r')                    // nc: ref 3
	e.i32(3).float(1).float(1)                 //
	e.WriteByte('{')                           //
	e.WriteByte('0')                           //
	e.tuple(3).WriteByte('r')                  // work's key, file by ref 2
	e.i32(2).int(5).str("work")                //
	e.tuple(5).int(2).int(2).float(0).float(0) //
	e.WriteByte('{')                           //
	e.WriteByte('r')                           // caller key: ref 1
	e.i32(1).tuple(4).int(2).int(2).float(0).float(0)
	e.WriteByte('0')
	e.WriteByte('0')
	p, err := read(e.Bytes())
	require.NoError(t, err)
	require.Len(t, p.Graph.Edges, 1)
	assert.Equal(t, "main", p.Frames[p.Graph.Edges[0].Caller].Name)
	assert.Equal(t, "a.py", p.Frames[p.Graph.Edges[0].Callee].File)
	assert.Equal(t, int64(3), p.Total(1), "main's 1 call (by ref) and work's 2")
}

func TestBrokenInput(t *testing.T) {
	good := twoFuncs().Bytes()
	real, err := os.ReadFile(testutil.Fixture(t, "pstats/per-item.pstats"))
	require.NoError(t, err)
	replace := func(old, new string) []byte {
		require.True(t, bytes.Contains(good, []byte(old)))
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	tt := (&enc{}).float(0.5).String()
	deep := &enc{}
	deep.WriteByte('{')
	deep.key("a", 1, "f")
	for i := 0; i < 3000; i++ {
		deep.tuple(1)
	}
	noneValue := &enc{}
	noneValue.WriteByte('{')
	noneValue.key("a.py", 1, "main").WriteByte('N')
	noneValue.WriteByte('0')
	noneKey := &enc{}
	noneKey.WriteByte('{')
	noneKey.key("a.py", 1, "main").tuple(5).int(1).int(1).float(0).float(0).WriteByte('{')
	noneKey.WriteString("0NN0")
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated real file", real[:700], "F: offset 700: the file ends inside a marshal object: it is cut short"},
		{"truncated after the dict's last pair", good[:len(good)-1], "F: offset " + fmt.Sprint(len(good)-1) + ": the file ends inside a marshal object: it is cut short"},
		{"trailing data", append(append([]byte{}, good...), 'N'), fmt.Sprintf("F: offset %d: data after the stats dict: want the end of the file", len(good))},
		{"time is a string", replace(tt, (&enc{}).str("half").String()), "F: offset 1: entry a.py:1(main): tt: want a time in seconds (float), got str"},
		{"negative time", replace(tt, (&enc{}).float(-1).String()), "F: offset 1: entry a.py:1(main): tt: time -1 s is not a duration (want 0 to 9223372036 seconds)"},
		{"NaN time", replace(tt, (&enc{}).float(math.NaN()).String()), "F: offset 1: entry a.py:1(main): tt: time NaN s is not a duration (want 0 to 9223372036 seconds)"},
		{"negative count", replace("\x05i\x01\x00\x00\x00", "\x05i\xff\xff\xff\xff"), "F: offset 1: entry a.py:1(main): cc: negative call count -1"},
		{"count beyond int64", replace("\x05i\x01\x00\x00\x00", "\x05l\x05\x00\x00\x00\xff\x7f\xff\x7f\xff\x7f\xff\x7f\xff\x7f"), "F: offset 1: entry a.py:1(main): cc: count 37778931862957161709567 does not fit a 64-bit integer"},
		{"dangling reference", replace("\x05i\x01\x00\x00\x00", "\x05r\x63\x00\x00\x00"), "F: offset 22: back-reference 99 to an object not yet read (0 so far)"},
		{"unknown type byte", replace("\x05i\x01\x00\x00\x00", "\x05Q\x01\x00\x00\x00"), "F: offset 22: unknown marshal type byte 0x51"},
		{"value not a tuple", noneValue.Bytes(), "F: offset 1: entry a.py:1(main): want the tuple (cc, nc, tt, ct, callers), got None"},
		{"key not a tuple", noneKey.Bytes(), "F: offset 52: stats key: want the tuple (filename, line, function), got None"},
		{"huge string", replace("z\x04a.py", "a\xff\xff\xff\x7fa.py"), "F: offset 4: string length 2147483647 exceeds the limit of 67108864 (raise it with --max-line)"},
		{"deep nesting", deep.Bytes(), "F: offset 4014: objects nested deeper than 2000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(tc.data)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestNotPstats(t *testing.T) {
	_, err := read([]byte(`{"a": 1}`))
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrUnrecognized))
	for _, s := range []string{`{"$schema": "x"}`, "{(not marshal", "main;work 3\n", ""} {
		assert.False(t, pstats.Sniff([]byte(s)), s)
	}
	assert.True(t, pstats.Sniff(twoFuncs().Bytes()))
}

// TestDeepCallChain: a chain of 3000 functions each called by the next
// gives derived stacks no deeper than the derivation's bound, with every
// function's time kept.
func TestDeepCallChain(t *testing.T) {
	const n = 3000
	e := &enc{}
	e.WriteByte('{')
	for i := 0; i < n; i++ {
		e.key("deep.py", int32(i+1), fmt.Sprintf("f%d", i)).tuple(5).int(1).int(1).float(0.001).float(0.001 * float64(n-i))
		e.WriteByte('{')
		if i > 0 {
			e.key("deep.py", int32(i), fmt.Sprintf("f%d", i-1)).tuple(4).int(1).int(1).float(0.001).float(0.001 * float64(n-i))
		}
		e.WriteByte('0')
	}
	e.WriteByte('0')
	p, err := read(e.Bytes())
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	assert.Equal(t, int64(n)*1_000_000, p.Total(0))
	var depth int
	for i := range p.Nodes {
		depth = max(depth, p.Depth(profile.NodeID(i)))
	}
	assert.Equal(t, 512, depth)
}

func TestMaxFrames(t *testing.T) {
	_, err := pstats.Read(bytes.NewReader(twoFuncs().Bytes()), "F", profile.ReadOptions{Limits: profile.Limits{MaxFrames: 1}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrLimit))
	assert.True(t, strings.Contains(err.Error(), "--max-frames"), err.Error())
}
