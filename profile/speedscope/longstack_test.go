package speedscope

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

// smallReads hands out at most n bytes a Read, as a decompressor or a pipe
// does.
type smallReads struct {
	r io.Reader
	n int
}

func (s smallReads) Read(b []byte) (int, error) {
	if len(b) > s.n {
		b = b[:s.n]
	}
	return s.r.Read(b)
}

// A stack far longer than one read arrives in many small reads: it is read
// whole, to the same profile as from a single buffer (the fast path gives
// such a stack to the general path after one refill instead of parsing it
// again after every read, which was quadratic in its length).
func TestLongStackInSmallReads(t *testing.T) {
	const depth = 60000
	var b strings.Builder
	b.WriteString(`{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"f"},{"name":"g"}]},"profiles":[{"type":"sampled","name":"t","unit":"none","startValue":0,"endValue":2,"samples":[[`)
	for i := 0; i < depth; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('0' + byte(i%2))
	}
	b.WriteString(`],[1]],"weights":[1,1]}]}`)
	in := b.String()
	whole, err := Read(bytes.NewReader([]byte(in)), "long.json", profile.ReadOptions{})
	require.NoError(t, err)
	small, err := Read(smallReads{strings.NewReader(in), 512}, "long.json", profile.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, small.Samples, 2)
	deepest := 0
	for i := range small.Nodes {
		deepest = max(deepest, small.Depth(profile.NodeID(i)))
	}
	assert.Equal(t, depth, deepest)
	assert.Equal(t, len(whole.Nodes), len(small.Nodes))
	assert.Equal(t, whole.Samples, small.Samples)
}

// Weights nearly all distinct (time deltas of an evented export turned into
// samples) past the point where the list stops looking them up: each stack
// still gets the sum of its own weights, counted here independently.
func TestManyDistinctWeights(t *testing.T) {
	const n = 3 * minDirectValues
	var b strings.Builder
	b.WriteString(`{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"f"},{"name":"g"}]},"profiles":[{"type":"sampled","name":"t","unit":"none","startValue":0,"endValue":1,"samples":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString([]string{"[0]", "[1]"}[i%2])
	}
	b.WriteString(`],"weights":[`)
	var want [2]int64
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		w := int64(i%5000 + 7*(i/5000)) // repeats early, then mostly new values
		if i >= minDirectValues {
			w = int64(1000000 + i)
		}
		want[i%2] += w
		b.WriteString(strconv.FormatInt(w, 10))
	}
	b.WriteString(`]}]}`)
	p, err := Read(strings.NewReader(b.String()), "w.json", profile.ReadOptions{})
	require.NoError(t, err)
	got := map[string]int64{}
	for _, s := range p.Samples {
		got[p.Frames[p.Nodes[s.Node].Frame].Name] += s.Values[0]
	}
	assert.Equal(t, map[string]int64{"f": want[0], "g": want[1]}, got)
}
