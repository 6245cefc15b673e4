package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	pprofile "github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssue11ZeroDefaultType: Pyroscope's dotnet.labels.pprof names
// lock_time as its default type, and every sample has zero lock_time.
// convert keeps the file's default (as go tool pprof does); explain
// explains the first type that holds the profile and says so.
func TestIssue11ZeroDefaultType(t *testing.T) {
	fn := &pprofile.Function{ID: 1, Name: "Worker.Run"}
	loc := &pprofile.Location{ID: 1, Line: []pprofile.Line{{Function: fn}}}
	pp := &pprofile.Profile{
		SampleType:        []*pprofile.ValueType{{Type: "cpu", Unit: "nanoseconds"}, {Type: "lock_time", Unit: "nanoseconds"}},
		DefaultSampleType: "lock_time",
		Sample:            []*pprofile.Sample{{Location: []*pprofile.Location{loc}, Value: []int64{7000000, 0}}},
		Location:          []*pprofile.Location{loc},
		Function:          []*pprofile.Function{fn},
	}
	path := filepath.Join(t.TempDir(), "zero.pb.gz")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, pp.Write(f))
	require.NoError(t, f.Close())

	code, out, errOut := run(t, "", "convert", path, "--to", "folded")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, out, "the default type, lock_time, is zero everywhere")

	code, out, errOut = run(t, "", "explain", path, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rep struct {
		Total      int64 `json:"total"`
		SampleType struct {
			Name string `json:"name"`
		} `json:"sample_type"`
		Warnings []string `json:"warnings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, "cpu", rep.SampleType.Name)
	assert.Equal(t, int64(7000000), rep.Total)
	assert.Contains(t, rep.Warnings, "The profile's default value type, lock_time, is zero in every sample; this explains cpu, the first type that holds the profile (choose another with --sample-type).")

	// Asked for by name, the zero type is still an error.
	code, _, errOut = run(t, "", "explain", path, "--sample-type", "lock_time")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "every sample has zero lock_time")
}
