package pprof

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	pprofile "github.com/google/pprof/profile"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// fixtures are every pprof file the tests read: the repository's own and
// the public ones beside it (skipped when absent).
var fixtures = []struct {
	name, rel string
	shared    bool
}{
	{"gobench-cpu", "pprof/gobench-cpu.pb.gz", false},
	{"gobench-mem", "pprof/gobench-mem.pb.gz", false},
	{"gobench-mutex", "pprof/gobench-mutex.pb.gz", false},
	{"cppbench-no-samples-type", "fixtures/public/pprof/google-pprof_cppbench.cpu_no_samples_type.pb.gz", true},
	{"nomappings-crash", "fixtures/public/pprof/google-pprof_go.nomappings.crash.pb.gz", true},
	{"large", "fixtures/public/pprof/google-pprof_large.cpu.pb.gz", true},
	{"report-sample", "fixtures/public/pprof/google-pprof_report-sample.cpu.pb.gz", true},
	{"speedscope-simple", "fixtures/public/pprof/speedscope-repo_simple.prof.pb.gz", true},
}

func fixturePath(t testing.TB, rel string, shared bool) string {
	t.Helper()
	if shared {
		return testutil.Shared(t, rel)
	}
	return testutil.Fixture(t, rel)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

func mustRead(t testing.TB, data []byte, name string) *profile.Profile {
	t.Helper()
	p, err := Read(bytes.NewReader(data), name, profile.ReadOptions{})
	require.NoError(t, err)
	return p
}

// roundTrip writes p as pprof and reads it back.
func roundTrip(t testing.TB, p *profile.Profile) *profile.Profile {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, p))
	return mustRead(t, buf.Bytes(), "roundtrip.pb.gz")
}

// canon is the profile's canonical text: value types, the default, Meta
// facts that travel, the folded stacks of every value type, and one line
// per sample with every frame field and the labels.
func canon(t testing.TB, p *profile.Profile) string {
	t.Helper()
	var sb strings.Builder
	for i, vt := range p.SampleTypes {
		fmt.Fprintf(&sb, "type %d: %s/%s scale %d\n", i, vt.Type, vt.Unit, vt.Scale)
	}
	m := p.Meta
	fmt.Fprintf(&sb, "default %d\nperiod %s/%s %d\ntime %d duration %d\nproducer %q recording %q truncated %v\nattrs %q\ncomments %q\n",
		p.DefaultType, m.PeriodType.Type, m.PeriodType.Unit, m.Period, m.TimeNanos, m.DurationNanos,
		m.Producer, m.Recording, m.Truncated, m.Attrs, m.Comments)
	for i, vt := range p.SampleTypes {
		fmt.Fprintf(&sb, "folded %s:\n", vt.Type)
		require.NoError(t, profile.WriteFolded(&sb, p, profile.FoldedOptions{Value: i}))
	}
	lines := map[string][]int64{}
	for _, s := range p.Samples {
		var fs []string
		for _, id := range p.Stack(s.Node) {
			f := p.Frames[id]
			fs = append(fs, fmt.Sprintf("%s|%s|%s|%s|%d|%s|%#x|%v", f.Name, f.Display, f.File, f.Module, f.Line, f.Kind, f.Addr, f.Inlined))
		}
		k := fmt.Sprintf("%s {%+v}", strings.Join(fs, " ; "), s.Labels)
		v := lines[k]
		if v == nil {
			v = make([]int64, len(s.Values))
		}
		for j, x := range s.Values {
			v[j] += x
		}
		lines[k] = v
	}
	keys := make([]string, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sb.WriteString("samples:\n")
	for _, k := range keys {
		fmt.Fprintf(&sb, "%s %v\n", k, lines[k])
	}
	return sb.String()
}

// pprofTotals is what pprof itself sums per sample type.
func pprofTotals(t testing.TB, data []byte) (*pprofile.Profile, []int64) {
	t.Helper()
	pp, err := pprofile.ParseData(data)
	require.NoError(t, err)
	sums := make([]int64, len(pp.SampleType))
	for _, s := range pp.Sample {
		for i, v := range s.Value {
			sums[i] += v
		}
	}
	return pp, sums
}

// sameLines compares two canonical texts and reports the first lines that
// differ rather than two walls of text.
func sameLines(t testing.TB, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			// Show the lines from a little before the first difference.
			j := 0
			for j < len(a) && j < len(b) && a[j] == b[j] {
				j++
			}
			from := max(0, j-200)
			t.Errorf("line %d differs at byte %d:\nwant: ...%.400s\ngot:  ...%.400s", i+1, j, a[from:], b[from:])
			return
		}
	}
}
