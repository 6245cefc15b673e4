package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// periodsUnder sums, over a perf script text, the periods of the records
// whose innermost Python frame (py::NAME:FILE) is fn and that have no
// syscall entry frame: an independent count of the self cost the
// function's own code, with what it faults into, should have.
func periodsUnder(t *testing.T, path, fn string) (sum int64, n int) {
	t.Helper()
	for _, r := range readPerfRecords(t, path) {
		py, syscall := "", false
		for _, f := range r.frames {
			if py == "" && strings.HasPrefix(f.sym, "py::") {
				py = f.sym
			}
			syscall = syscall || strings.HasPrefix(f.sym, "entry_SYSCALL")
		}
		if strings.HasPrefix(py, "py::"+fn+":") && !syscall {
			sum += r.period
			n++
		}
	}
	return sum, n
}

// TestFaultsAreTheFaultingCode: in the planted audit-trail recording the
// growing string's copies take page faults on fresh memory, and samples
// taken in a fault or a timer interrupt land in the kernel (on this VM in
// pvm_irq_enable). Hotspots charge them to the code that faulted: the
// independent count gives AuditTrail.record every sample under it but
// those inside a syscall (brk and munmap stay the kernel's).
func TestFaultsAreTheFaultingCode(t *testing.T) {
	const path = "../fixtures/planted/python/audit-trail.perf.txt"
	want, n := periodsUnder(t, path, "AuditTrail.record")
	require.Equal(t, 291, n, "independent count")
	r := explainFile(t, path)
	require.NotEmpty(t, r.Hotspots)
	assert.Equal(t, "AuditTrail.record", r.Hotspots[0].Function)
	assert.Equal(t, want, r.Hotspots[0].Self)
	assert.NotContains(t, r.Summary, "pvm_irq_enable")
}
