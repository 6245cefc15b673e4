package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asyncRecording is one event-loop thread (-X perf frames): 40 samples
// of SHA256_Update and 40 of HMAC_Final called from the coroutine login,
// 10 of the loop itself and 10 of another task's Python (sweep).
func asyncRecording() string {
	const (
		crypto = "(/usr/lib/x86_64-linux-gnu/libcrypto.so.3)"
		loop   = "py::_run_once:/usr/lib/python3.13/asyncio/base_events.py " + perfPy
		run    = "py::_run:/usr/lib/python3.13/asyncio/events.py " + perfPy
		login  = "py::login:/opt/app/kdf.py " + perfPy
		sweep  = "py::sweep:/opt/app/kdf.py " + perfPy
		eval   = "_PyEval_EvalFrameDefault " + libpy
	)
	var b strings.Builder
	add := eventsOf(&b, 7)
	add(40, "SHA256_Update "+crypto, "pbkdf2_hmac "+libpy, login, eval, run, eval, loop)
	add(40, "HMAC_Final "+crypto, "pbkdf2_hmac "+libpy, login, eval, run, eval, loop)
	add(10, eval, loop)
	add(10, eval, sweep, eval, run, eval, loop)
	return b.String()
}

// TestNativeWorkBlocksTheLoopInItsStep: the native work login calls is
// login's step, though no one native function holds half the loop: the
// finding claims login's 80 of the 100 samples (worked by hand). Moving
// the step off the loop removes no CPU time, and the report says so.
func TestNativeWorkBlocksTheLoopInItsStep(t *testing.T) {
	r := explainText(t, "async.perf.txt", asyncRecording())
	f := findingOf(r, "blocking-in-async")
	require.NotNil(t, f, "findings: %v", hintsOf(r))
	assert.Equal(t, []string{"login"}, f.Functions)
	assert.InDelta(t, 0.80, f.ClaimedShare, 1e-9)
	assert.Contains(t, f.ExpectedImpact, "The CPU work is moved, not removed")
	assert.NotContains(t, f.ExpectedImpact, "faster for the same work")
	for _, tg := range f.Targets {
		assert.NotContains(t, tg, "faster in CPU time")
	}
}
