package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssue11GraphConvert: the call-graph formats convert to folded,
// speedscope and pprof (which go tool pprof opens), each time with the
// derivation stated on stderr and, where the format has room, in the file.
// Totals are the recordings' own (fixtures/MANIFEST.md): cProfile's calls,
// callgrind's totals: line.
func TestIssue11GraphConvert(t *testing.T) {
	tests := []struct {
		file, sampleType string
		total            int64
		top              string // a function go tool pprof -top lists
	}{
		{"pstats/per-item.pstats", "calls", 400010, "normalize"},
		{"callgrind/fanout.callgrind.out", "Ir", 1372476, "leaf"},
		{"callgrind/fanout-instr-cache.callgrind.out", "Ir", 1372476, "leaf"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			in := testutil.Fixture(t, tc.file)
			code, out, errOut := run(t, "", "convert", in, "--to", "folded", "--sample-type", tc.sampleType)
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, errOut, "hotspot: note: stacks derived from a call graph, not recorded")
			var sum int64
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				n, err := strconv.ParseInt(line[strings.LastIndexByte(line, ' ')+1:], 10, 64)
				require.NoError(t, err, line)
				sum += n
			}
			assert.Equal(t, tc.total, sum)

			dir := t.TempDir()
			ss := filepath.Join(dir, "x.speedscope.json")
			code, _, errOut = run(t, "", "convert", in, "-o", ss)
			require.Equal(t, 0, code, errOut)
			data, err := os.ReadFile(ss)
			require.NoError(t, err)
			var doc struct{ Name string }
			require.NoError(t, json.Unmarshal(data, &doc))
			assert.Contains(t, doc.Name, "approximate: stacks derived from a call graph")

			pb := filepath.Join(dir, "x.pb.gz")
			code, _, errOut = run(t, "", "convert", in, "-o", pb)
			require.Equal(t, 0, code, errOut)
			if testing.Short() {
				return
			}
			gobin, err := exec.LookPath("go")
			if err != nil {
				t.Skip("no go command to run go tool pprof")
			}
			cmd := exec.Command(gobin, "tool", "pprof", "-top", "-symbolize=none", "-sample_index="+tc.sampleType, pb)
			cmd.Env = append(os.Environ(), "PPROF_TMPDIR="+dir) // HOME kept: it holds the build cache
			top, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", top)
			assert.Contains(t, string(top), tc.top)
			assert.Contains(t, string(top), "hotspot:approximation stacks derived from a call graph")
		})
	}
}
