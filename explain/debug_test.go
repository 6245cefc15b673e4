package explain

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
)

// TestDebugDump prints the report for the file in HOTSPOT_EXPLAIN (a tool
// for tuning rules on real profiles; skipped otherwise).
func TestDebugDump(t *testing.T) {
	path := os.Getenv("HOTSPOT_EXPLAIN")
	if path == "" {
		t.Skip("set HOTSPOT_EXPLAIN=file to dump its report")
	}
	cat, err := hints.Default()
	require.NoError(t, err)
	p := load(t, path)
	r, err := Explain(p, cat, Options{Path: path, Value: -1, Top: 8, Items: itemsFromEnv()})
	require.NoError(t, err)
	if os.Getenv("HOTSPOT_FULL") == "" {
		r.Findings = trimProse(r.Findings)
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	os.Stdout.Write(b)
}

func trimProse(fs []Finding) []Finding {
	for i := range fs {
		fs[i].Sketches, fs[i].Tradeoffs, fs[i].Measure, fs[i].Fix = nil, "", "", ""
	}
	return fs
}

func itemsFromEnv() int64 {
	n, _ := strconv.ParseInt(os.Getenv("HOTSPOT_ITEMS"), 10, 64)
	return n
}
