package speedscope_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

// manySamples is a sampled profile of n stacks ([0,1] or [0,2]), more than
// one batch of stack text, with a malformed stack at index bad.
func manySamples(n, bad int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"shared":{"frames":[{"name":"main"},{"name":"a"},{"name":"b"}]},"profiles":[{"type":"sampled","name":"t","unit":"none","startValue":0,"endValue":1,"samples":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		switch {
		case i == bad:
			b.WriteString(`[0,"x"]`)
		case i%3 == 0:
			b.WriteString(`[0,2]`)
		default:
			b.WriteString(`[0,1]`)
		}
	}
	b.WriteString(`],"weights":[`)
	b.WriteString(strings.TrimSuffix(strings.Repeat("1,", n), ","))
	b.WriteString(`]}]}`)
	return b.Bytes()
}

// TestSamplesAcrossBatches: stacks parsed beside the JSON decoder, in
// batches, keep their order: the counts per stack are exact and a
// malformed stack deep in the array is named by its index, skipped with
// its weight, or fails a strict read.
func TestSamplesAcrossBatches(t *testing.T) {
	const n, bad = 200_000, 150_001
	data := manySamples(n, bad)
	p, err := speedscope.Read(bytes.NewReader(data), "many.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(n-1), p.SampleCount())
	var folded bytes.Buffer
	require.NoError(t, profile.WriteFolded(&folded, p, profile.FoldedOptions{Value: -1}))
	// Indices divisible by 3 are [0,2]: 66667 of them; bad (150001) is not one.
	assert.Equal(t, "main;a 133332\nmain;b 66667\n", folded.String())
	require.Len(t, p.Meta.Warnings, 1)
	assert.Contains(t, p.Meta.Warnings[0], "profiles[0].samples[150001][1]")

	_, err = speedscope.Read(bytes.NewReader(data), "many.json", profile.ReadOptions{Strict: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "profiles[0].samples[150001][1]")
}
