package explain

import (
	"bufio"
	"os"
	"strconv"
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
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var period int64
	var frames []string
	flush := func() {
		py := ""
		syscall := false
		for _, fr := range frames {
			if py == "" && strings.HasPrefix(fr, "py::") {
				py = fr
			}
			syscall = syscall || strings.HasPrefix(fr, "entry_SYSCALL")
		}
		if strings.HasPrefix(py, "py::"+fn+":") && !syscall {
			sum += period
			n++
		}
		frames = frames[:0]
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	in := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			if in {
				flush()
			}
			in = false
		case line[0] != ' ' && line[0] != '\t':
			// comm pid [cpu] time: period event:
			fields := strings.Fields(line)
			for i, fl := range fields {
				if strings.HasSuffix(fl, ":") && i+1 < len(fields) {
					if v, err := strconv.ParseInt(fields[i+1], 10, 64); err == nil {
						period = v
						break
					}
				}
			}
			in = true
		default:
			fl := strings.Fields(line)
			if len(fl) >= 2 {
				sym := fl[1]
				if i := strings.Index(sym, "+0x"); i > 0 {
					sym = sym[:i]
				}
				frames = append(frames, sym)
			}
		}
	}
	if in {
		flush()
	}
	require.NoError(t, sc.Err())
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
