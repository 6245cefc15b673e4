package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// TestThinCallersAreNoCause: in a public Go CPU profile, the collector's
// background workers hold almost all of its 21% and three assists of 0.1%
// each are all the callers there are: the finding must not say the
// garbage collection is triggered in bytes.growSlice. It names where the
// program allocates instead, as what to look at.
func TestThinCallersAreNoCause(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public2/pprof/pyroscope_cpu_go_truncated_1.pb.gz"))
	f := findingOf(r, "gc-pressure")
	require.NotNil(t, f, "findings %v", hintsOf(r))
	assert.NotContains(t, f.Cause, "growSlice")
	assert.Contains(t, f.Evidence, "no caller of the program")
	assert.NotContains(t, f.Functions, "bytes.growSlice")
}

// TestThinCallersTruncatedStacks: frame-pointer stacks that stop in
// libpython leave buffer-io's system calls with one caller, __close, under
// 3% of them: it is not named as where to start.
func TestThinCallersTruncatedStacks(t *testing.T) {
	r := explainFile(t, testutil.Fixture(t, "corpus/tuning/io-unbuffered/io-unbuffered-py312-fp.folded"))
	f := findingOf(r, "buffer-io")
	require.NotNil(t, f, "findings %v", hintsOf(r))
	assert.NotContains(t, f.Functions, "__close")
	assert.NotContains(t, f.Fix, "__close")
}
