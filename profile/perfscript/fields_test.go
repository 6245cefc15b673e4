package perfscript_test

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/perfscript"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssue12EveryFieldLayout reads one recording printed with several
// perf script -F field sets. The expected stacks and counts are the
// manifest's, counted with awk in the default output.
func TestIssue12EveryFieldLayout(t *testing.T) {
	const (
		work  = "__libc_start_call_main;main;work;inner"
		other = "__libc_start_call_main;main;other;inner"
	)
	tests := []struct {
		file, root string
		stacks     bool // symbols present
		period     bool // the period column is printed
	}{
		{"fields-default", "fields;", true, true},
		{"fields-comm-tid-event-ip-sym", "fields;", true, false},
		{"fields-comm-pid-tid-ip-sym-dso", "fields;", true, false},
		{"fields-comm-tid-period-ip-sym-dso", "fields;", true, true},
		{"fields-tid-time-ip-sym", "", true, false},
		{"fields-comm-tid-time-event-ip", "fields;", false, false},
		{"fields-ip-sym-dso", "", true, false},
		{"fields-ip-sym", "", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(testutil.Fixture(t, "perf/"+tc.file+".perf.txt"))
			require.NoError(t, err)
			assert.True(t, perfscript.Sniff(b), "detected as perf script")
			p, err := perfscript.Read(bytes.NewReader(b), tc.file, profile.ReadOptions{Strict: true})
			require.NoError(t, err)
			var samples int64
			for _, s := range p.Samples {
				samples += s.Count
			}
			assert.Equal(t, int64(70), samples)
			var buf bytes.Buffer
			require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: 0}))
			switch {
			case !tc.stacks:
				// -F ip prints addresses alone: they name the frames, so
				// the stacks stay apart. In the default layout of the same
				// recording work+0x1e is at 11c0 (56 samples) and
				// other+0x1e at 1202 (14).
				under := map[string]int64{}
				for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
					frames := strings.Split(l[:strings.LastIndexByte(l, ' ')], ";")
					n, err := strconv.ParseInt(l[strings.LastIndexByte(l, ' ')+1:], 10, 64)
					require.NoError(t, err)
					under[frames[len(frames)-2]] += n
				}
				assert.Equal(t, map[string]int64{"[unknown <11c0>]": 56, "[unknown <1202>]": 14}, under)
			case tc.period:
				assert.Equal(t, tc.root+other+" 285714282\n"+tc.root+work+" 1142857128\n", buf.String())
			default:
				assert.Equal(t, tc.root+other+" 14\n"+tc.root+work+" 56\n", buf.String())
			}
		})
	}
}
