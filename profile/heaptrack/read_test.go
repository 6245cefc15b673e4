package heaptrack_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/heaptrack"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// small is a data file by hand: main -> helper with make inlined into it
// allocates 16 bytes three times (one freed at once: temporary); main ->
// helper (another address) allocates 100 bytes once, freed at once after
// the peak.
const small = `v 10400 3
X ./prog 1
I 1000 100
s 6 ./prog
s 4 main
s 6 prog.c
s 4 make
s 6 helper
i 1000 1 2 3 a
t 1 0
i 1010 1 4 3 14 5 3 20
t 2 1
i 1020 1 5
t 3 1
a 10 2
a 64 3
+ 0
- 0
+ 0
+ 0
c 10
+ 1
- 1
R 5
c 7d0
`

func read(t *testing.T, in string) (*profile.Profile, error) {
	t.Helper()
	return heaptrack.Read(strings.NewReader(in), "t.heaptrack", profile.ReadOptions{})
}

func TestSmall(t *testing.T) {
	p, err := read(t, small)
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	var buf bytes.Buffer
	for typ, w := range map[string]string{
		"allocations":           "main;helper 1\nmain;helper;make 3\n",
		"temporary_allocations": "main;helper 1\nmain;helper;make 1\n",
		"alloc_space":           "main;helper 100\nmain;helper;make 48\n",
		"peak_space":            "main;helper 100\nmain;helper;make 32\n",
		"leaked_space":          "main;helper;make 32\n",
	} {
		buf.Reset()
		require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: p.TypeIndex(typ)}))
		assert.Equal(t, w, buf.String(), typ)
	}
	assert.Equal(t, "2000", p.Meta.Attr("runtime_ms"))
	assert.Equal(t, "20480", p.Meta.Attr("peak_rss_bytes"))
	assert.Equal(t, []string{"command: ./prog 1"}, p.Meta.Comments)
	// make's code was inlined into helper, at prog.c:32.
	assert.Contains(t, p.Frames, profile.Frame{Name: "make", Display: "make", File: "prog.c", Line: 20, Module: "./prog", Kind: profile.KindNative, Inlined: true})
	assert.Contains(t, p.Frames, profile.Frame{Name: "helper", Display: "helper", File: "prog.c", Line: 32, Module: "./prog", Kind: profile.KindNative})
}

func TestZstd(t *testing.T) {
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf)
	require.NoError(t, err)
	_, err = w.Write([]byte(small))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	assert.True(t, heaptrack.Sniff(buf.Bytes()))
	p, err := heaptrack.Read(bytes.NewReader(buf.Bytes()), "t.zst", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(4), p.Total(0))
	_, err = heaptrack.Read(bytes.NewReader(buf.Bytes()[:buf.Len()-9]), "t.zst", profile.ReadOptions{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n")
	assert.True(t, strings.HasPrefix(err.Error(), "t.zst"), err.Error())
}

func TestErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no version", "s 1 a\n", "t.heaptrack:1: want the version line 'v <heaptrack version> <file format version>' first, got \"s 1 a\""},
		{"bad hex", "v 10400 3\n+ zz\n", "t.heaptrack:2: field 1 of '+': \"zz\" is not a hex number"},
		{"undefined info", "v 10400 3\n+ 0\n", "t.heaptrack:2: allocation info 0 is not defined (0 so far)"},
		{"dangling ip", "v 10400 3\nt 5 0\n", "t.heaptrack:2: trace 1: instruction pointer 5 is not defined (want 1 to 0)"},
		{"dangling parent", "v 10400 3\ns 1 m\ni 1 1\nt 1 4\n", "t.heaptrack:4: trace 1: parent trace 4 is not defined yet"},
		{"dangling string", "v 10400 3\ni 1 9\n", "t.heaptrack:2: instruction pointer 1: module string 9 is not defined"},
		{"short string", "v 10400 3\ns 9 ab\n", "t.heaptrack:2: want 's <hex length> <string>' with the string that long, got \"s 9 ab\""},
		{"free of nothing", "v 10400 3\na 10 0\n- 0\n", "t.heaptrack:3: deallocation of allocation info 0, of which nothing is live"},
		{"huge size", "v 10400 3\na ffffffffffffffff 0\n", "t.heaptrack:2: allocation info 0: size 18446744073709551615 is larger than any address space"},
		{"unknown kind", "v 10400 3\nQ 1\n", "t.heaptrack:2: unknown record kind 'Q' (want one of v X I s i t a + - c R A S #)"},
		{"wrong field count", "v 10400 3\na 1\n", "t.heaptrack:2: want 2 hex fields after 'a', got 1"},
		{"no space", "v 10400 3\n+0\n", "t.heaptrack:2: want a record '<kind> <hex fields>', got \"+0\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(t, tc.in)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestDeepStackLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("v 10400 3\ns 1 m\ni 1 1\n")
	for i := 0; i < 50; i++ {
		b.WriteString("t 1 " + strings.ToLower(string("0123456789abcdef"[i/16])+string("0123456789abcdef"[i%16])) + "\n")
	}
	b.WriteString("a 8 32\n+ 0\n")
	_, err := heaptrack.Read(strings.NewReader(b.String()), "t", profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 10}})
	require.ErrorIs(t, err, profile.ErrLimit)
}
