package heaptrack_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/heaptrack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// within asserts that v rounds to heaptrack_print's decimal-unit text
// ("351.70K": K = 1000, two decimals): v lies within half a unit of the
// last digit.
func within(t *testing.T, printed string, v int64) {
	t.Helper()
	mult := map[byte]float64{'B': 1, 'K': 1e3, 'M': 1e6, 'G': 1e9}[printed[len(printed)-1]]
	x, err := strconv.ParseFloat(printed[:len(printed)-1], 64)
	require.NoError(t, err)
	half := 0.005 * mult
	if printed[len(printed)-1] == 'B' {
		half = 0.5
	}
	assert.InDelta(t, x*mult, float64(v), half, "%d bytes does not print as %s", v, printed)
}

// TestSharedDataFiles: each .zst against heaptrack_print's summary in its
// MANIFEST.md row.
func TestSharedDataFiles(t *testing.T) {
	tests := []struct {
		file                  string
		runtime               string
		calls, temporary      int64
		peak, peakRSS, leaked string
		suppressed            float64 // heaptrack_print's "suppressed leaks" (KB), from the .print.txt
	}{
		{"cmalloc.heaptrack.zst", "2.28", 160242, 260, "351.70K", "4.40M", "4.10K", 0},
		{"py311-json-rounds.heaptrack.zst", "5.04", 10042, 4933, "3.27M", "23.05M", "541.63K", 29.07},
		{"py311-rpds-per-item.heaptrack.zst", "6.82", 37318, 1816, "2.71M", "19.10M", "448.00K", 27.77},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := testutil.Shared(t, filepath.Join("fixtures", "heaptrack", tc.file))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.True(t, heaptrack.Sniff(data[:min(len(data), 64<<10)]))
			p, err := heaptrack.Read(strings.NewReader(string(data)), tc.file, profile.ReadOptions{})
			require.NoError(t, err)
			require.NoError(t, p.Validate())
			total := func(typ string) int64 {
				i := p.TypeIndex(typ)
				require.GreaterOrEqual(t, i, 0, typ)
				return p.Total(i)
			}
			assert.Equal(t, tc.calls, total("allocations"))
			assert.Equal(t, tc.temporary, total("temporary_allocations"))
			within(t, tc.peak, total("peak_space"))
			// heaptrack_print leaves its built-in suppressions (known
			// leaks in libc and friends) out of "total memory leaked";
			// hotspot keeps every leak, so it reads leaked + suppressed.
			leaked, _ := strconv.ParseFloat(strings.TrimSuffix(tc.leaked, "K"), 64)
			assert.InDelta(t, (leaked+tc.suppressed)*1000, float64(total("leaked_space")), 10)
			rss, _ := strconv.ParseInt(p.Meta.Attr("peak_rss_bytes"), 10, 64)
			within(t, tc.peakRSS, rss)
			ms, _ := strconv.ParseInt(p.Meta.Attr("runtime_ms"), 10, 64)
			assert.Equal(t, tc.runtime, strconv.FormatFloat(float64(ms)/1000, 'f', 2, 64))
			assert.Equal(t, "memory", p.Meta.Recording)
		})
	}
}

// TestChurnFixture: the committed recording of fixtures/heaptrack/churn.c
// against the heaptrack_print summary saved beside it.
func TestChurnFixture(t *testing.T) {
	data, err := os.ReadFile(testutil.Fixture(t, "heaptrack/churn.heaptrack.zst"))
	require.NoError(t, err)
	p, err := heaptrack.Read(strings.NewReader(string(data)), "churn.heaptrack.zst", profile.ReadOptions{})
	require.NoError(t, err)
	total := func(typ string) int64 { return p.Total(p.TypeIndex(typ)) }
	assert.Equal(t, int64(22004), total("allocations"))
	assert.Equal(t, int64(20000), total("temporary_allocations"))
	within(t, "600.78K", total("peak_space"))
	within(t, "8.19K", total("leaked_space"))
	// Every temporary allocation is format_id's buffer.
	var inFormatID int64
	ti := p.TypeIndex("temporary_allocations")
	for _, s := range p.Samples {
		st := p.Stack(s.Node)
		if p.Frames[st[len(st)-1]].Display == "format_id" {
			inFormatID += s.Values[ti]
		}
	}
	assert.Equal(t, int64(20000), inFormatID)
}
