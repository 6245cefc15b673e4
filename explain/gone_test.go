package explain

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// A fix that takes a mechanism's frames off the stacks gets a frame-level
// pass line ("no X under Y", today's share beside it), as the example
// report's measurement plan has: on the shared py-spy json recording, no
// pure-Python encoder frame under pretty_dump once the call is back on a C
// encoder, and no callback frame once the values are converted up front.
// Shares are recounted from the raw file.
func TestGoneTargetsFromFrames(t *testing.T) {
	path := testutil.Shared(t, "fixtures/pyspy/py312-json.raw.txt")
	all, under, _ := countRawFrames(t, path, []string{"_iterencode", "_iterencode_dict", "_iterencode_list", "encode_extra", "to_order"}, nil)
	require.Equal(t, 642, all)
	// A sample under _iterencode_dict or _iterencode_list alone (the
	// rootless stack) has no _iterencode frame: count the union.
	pyEnc := countRawUnion(t, path, "_iterencode")
	require.GreaterOrEqual(t, pyEnc, under["_iterencode"])
	hooks := under["encode_extra"] + under["to_order"] // one callback a stack: the codec calls one at a time

	r := explainFile(t, path)
	var pure, hook *Finding
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case strings.HasPrefix(f.Title, "Put the json call back"):
			pure = f
		case strings.HasPrefix(f.Title, "Stop calling Python"):
			hook = f
		}
	}
	require.NotNil(t, pure)
	require.NotNil(t, hook)
	require.NotEmpty(t, pure.Targets)
	assert.Contains(t, pure.Targets[0], "no frame of json's pure-Python encoder or decoder (_iterencode or _iterencode_dict) left under pretty_dump")
	assert.Contains(t, pure.Targets[0], fmt.Sprintf("today %s of the active time; fail: more than 1.0%%", pct(float64(pyEnc)/float64(all))))
	require.NotEmpty(t, hook.Targets)
	assert.Contains(t, hook.Targets[0], "Pass (converting the values up front): no frame of the callbacks (encode_extra or to_order) left under")
	assert.Contains(t, hook.Targets[0], fmt.Sprintf("today %s", pct(float64(hooks)/float64(all))))
	// The codec swap keeps json's C code in other clothes: no frame target.
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Title, "Use a faster codec") {
			for _, tg := range f.Targets {
				assert.NotContains(t, tg, "no frame of")
			}
		}
	}
}

// The shared rpds recording (the example report perf-py311-pyo3) builds
// persistent maps one insert at a time: the fix's pass line is no
// copy-on-write frame left, today the example's 22 path copies of 112
// samples.
func TestGoneTargetsCopyOnWrite(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/perf/py311-pyo3-dwarf.perf.txt"))
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	require.Equal(t, "batch-ffi-calls", f.Hint)
	require.NotEmpty(t, f.Targets)
	assert.Contains(t, f.Targets[0], "no frame of copy-on-write (triomphe::arc::Arc<T>::make_mut) left")
	assert.Contains(t, f.Targets[0], "today "+pct(22.0/112))
}

// countRawUnion counts the samples of a py-spy raw file with any frame whose
// function starts with prefix.
func countRawUnion(t *testing.T, path, prefix string) int {
	t.Helper()
	n := 0
	forRawStacks(t, path, func(frames []string, c int) {
		for _, fr := range frames {
			if strings.HasPrefix(fr, prefix) {
				n += c
				return
			}
		}
	})
	return n
}

// forRawStacks calls fn for every line of a py-spy raw file: its frames,
// root first, and its count.
func forRawStacks(t *testing.T, path string, fn func(frames []string, count int)) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		i := strings.LastIndexByte(line, ' ')
		require.Positive(t, i, line)
		c, err := strconv.Atoi(line[i+1:])
		require.NoError(t, err, line)
		fn(strings.Split(line[:i], ";"), c)
	}
}
