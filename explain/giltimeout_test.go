package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Frame-pointer off-CPU recordings stop at the glibc futex call, so no
// frame says whether a wait is the GIL's or a lock's. Waits that run out
// at the 5 ms switch interval do: in gil-digest-hold (three threads in a
// Rust function that keeps the GIL) 90 of the 366 blocked waits that
// ended did so 4.9-5.4 ms after they began (counted by a script over the
// event lines, see the perf reader's TestSwitchSplit); in its control,
// which releases the GIL, 2 of 229; in the lock-bound programs none.
func TestGILTimeoutsAttributeFutexWaits(t *testing.T) {
	hold := explainFile(t, "../fixtures/corpus/tuning/gil-digest/gil-digest-hold-py312-offfp.perf.txt.gz")
	require.NotEmpty(t, hold.Findings)
	f := hold.Findings[0]
	assert.Equal(t, "release-gil", f.Hint)
	assert.Contains(t, f.Evidence, "90 of the 366 blocked waits that ended ran out 4.9–5.4 ms after they began")
	assert.Contains(t, f.Cause, "mix_rounds")

	for _, path := range []string{
		"../fixtures/corpus/tuning/gil-digest/gil-digest-release-py312-offfp.perf.txt.gz",
		"../fixtures/corpus/tuning/lock-sleep/lock-sleep-2threads-py312-offfp.perf.txt.gz",
	} {
		r := explainFile(t, path)
		for _, f := range r.Findings {
			assert.NotEqual(t, "release-gil", f.Hint, "%s: %s", path, f.Evidence)
		}
	}
}
