package pprof

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pprofile "github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

func TestRoundTripFolded(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(testutil.Fixture(t, "folded"), "*.folded"))
	require.NoError(t, err)
	if len(paths) == 0 {
		t.Skip("no folded fixtures")
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			p, err := folded.Read(f, filepath.Base(path), profile.ReadOptions{})
			require.NoError(t, err)
			back := roundTrip(t, p)
			sameLines(t, canon(t, p), canon(t, back))
		})
	}
}

func TestInlinedFrames(t *testing.T) {
	p := mustRead(t, readFile(t, fixturePath(t, "pprof/gobench-mutex.pb.gz", false)), "mutex")
	// Location 1 of the fixture holds sync.(*Mutex).Unlock inlined into
	// the benchmark's closure, which RunParallel calls.
	var found bool
	for _, s := range p.Samples {
		st := p.Stack(s.Node)
		if len(st) != 3 {
			continue
		}
		leaf := p.Frames[st[2]]
		if leaf.Name != "sync.(*Mutex).Unlock" {
			continue
		}
		found = true
		assert.True(t, leaf.Inlined)
		assert.Equal(t, "example.com/hotspotfixtures/gobench.BenchmarkMutexContention.func1", p.Frames[st[1]].Name)
		assert.False(t, p.Frames[st[1]].Inlined)
		assert.Equal(t, "testing.(*B).RunParallel.func1", p.Frames[st[0]].Name)
		assert.Equal(t, []int64{12378, 20189388734}, s.Values)
		assert.Equal(t, "sync/mutex.go", leaf.File)
		assert.Equal(t, int64(65), leaf.Line)
		assert.Equal(t, "/opt/bench/gobench.test", leaf.Module)
		assert.Equal(t, profile.KindNative, leaf.Kind)
	}
	assert.True(t, found)
}

// frameOf converts a one-location, one-sample profile and returns its frames
// root-first.
func framesOf(t *testing.T, pp *pprofile.Profile) []profile.Frame {
	t.Helper()
	p, err := FromPprof(pp, "t", profile.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, p.Samples, 1)
	var out []profile.Frame
	for _, id := range p.Stack(p.Samples[0].Node) {
		out = append(out, p.Frames[id])
	}
	return out
}

func TestFrameConversion(t *testing.T) {
	one := func(fn *pprofile.Function, m *pprofile.Mapping, addr uint64) *pprofile.Profile {
		loc := &pprofile.Location{ID: 1, Mapping: m, Address: addr}
		pp := &pprofile.Profile{
			SampleType: []*pprofile.ValueType{{Type: "samples", Unit: "count"}},
			Location:   []*pprofile.Location{loc},
			Sample:     []*pprofile.Sample{{Location: []*pprofile.Location{loc}, Value: []int64{1}}},
		}
		if fn != nil {
			fn.ID = 1
			loc.Line = []pprofile.Line{{Function: fn, Line: 9}}
			pp.Function = []*pprofile.Function{fn}
		}
		if m != nil {
			m.ID = 1
			pp.Mapping = []*pprofile.Mapping{m}
		}
		return pp
	}
	kernel := func() *pprofile.Mapping { return &pprofile.Mapping{File: "[kernel.kallsyms]"} }
	libc := func() *pprofile.Mapping { return &pprofile.Mapping{File: "/usr/lib/libc.so.6"} }
	tests := []struct {
		name string
		pp   *pprofile.Profile
		want profile.Frame
	}{
		{"go function", one(&pprofile.Function{Name: "main.main", SystemName: "main.main", Filename: "main.go"}, libc(), 0x10),
			profile.Frame{Name: "main.main", Display: "main.main", File: "main.go", Module: "/usr/lib/libc.so.6", Line: 9, Kind: profile.KindNative}},
		{"demangled by the producer", one(&pprofile.Function{Name: "foo::bar()", SystemName: "_ZN3foo3barEv"}, libc(), 0x10),
			profile.Frame{Name: "_ZN3foo3barEv", Display: "foo::bar()", Module: "/usr/lib/libc.so.6", Line: 9, Kind: profile.KindNative}},
		{"mangled name only", one(&pprofile.Function{Name: "_ZN3foo3barEv"}, libc(), 0x10),
			profile.Frame{Name: "_ZN3foo3barEv", Display: "foo::bar", Module: "/usr/lib/libc.so.6", Line: 9, Kind: profile.KindNative}},
		{"kernel", one(&pprofile.Function{Name: "do_syscall_64"}, kernel(), 0xffff),
			profile.Frame{Name: "do_syscall_64", Display: "do_syscall_64", Module: "[kernel.kallsyms]", Line: 9, Kind: profile.KindKernel}},
		{"python file", one(&pprofile.Function{Name: "run", Filename: "/app/x.py"}, nil, 0),
			profile.Frame{Name: "run", Display: "run", File: "/app/x.py", Line: 9, Kind: profile.KindPython}},
		{"nameless function", one(&pprofile.Function{Filename: "x.c"}, libc(), 0xabc),
			profile.Frame{Name: "0xabc", Display: "0xabc", File: "x.c", Module: "/usr/lib/libc.so.6", Line: 9, Kind: profile.KindUnknown, Addr: 0xabc}},
		{"no lines", one(nil, libc(), 0xabc),
			profile.Frame{Name: "0xabc", Display: "0xabc", Module: "/usr/lib/libc.so.6", Kind: profile.KindUnknown, Addr: 0xabc}},
		{"no mapping, no lines", one(nil, nil, 0xabc),
			profile.Frame{Name: "0xabc", Display: "0xabc", Kind: profile.KindUnknown, Addr: 0xabc}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, []profile.Frame{tc.want}, framesOf(t, tc.pp))
		})
	}
}

func TestPythonOriginProfile(t *testing.T) {
	fnPy := &pprofile.Function{ID: 1, Name: "run", Filename: "app.py"}
	fnFrozen := &pprofile.Function{ID: 2, Name: "_find_and_load", Filename: "<frozen importlib._bootstrap>"}
	loc1 := &pprofile.Location{ID: 1, Line: []pprofile.Line{{Function: fnPy, Line: 3}}}
	loc2 := &pprofile.Location{ID: 2, Line: []pprofile.Line{{Function: fnFrozen, Line: 1}}}
	pp := &pprofile.Profile{
		SampleType: []*pprofile.ValueType{{Type: "samples", Unit: "count"}},
		Function:   []*pprofile.Function{fnPy, fnFrozen},
		Location:   []*pprofile.Location{loc1, loc2},
		Sample:     []*pprofile.Sample{{Location: []*pprofile.Location{loc2, loc1}, Value: []int64{1}}},
	}
	fs := framesOf(t, pp)
	require.Len(t, fs, 2)
	assert.Equal(t, profile.KindPython, fs[0].Kind)
	assert.Equal(t, profile.KindPython, fs[1].Kind, "a non-.py frame of a Python profile")
}

func TestLabels(t *testing.T) {
	tests := []struct {
		name string
		s    pprofile.Sample
		want profile.Labels
	}{
		{"fields", pprofile.Sample{
			NumLabel: map[string][]int64{"pid": {7}, "tid": {8}},
			Label:    map[string][]string{"comm": {"python3"}, "thread": {"MainThread"}},
		}, profile.Labels{PID: 7, HasPID: true, TID: 8, HasTID: true, Comm: "python3", Thread: "MainThread"}},
		{"thread_name", pprofile.Sample{Label: map[string][]string{"thread_name": {"worker"}}},
			profile.Labels{Thread: "worker"}},
		{"thread wins over thread_name", pprofile.Sample{Label: map[string][]string{"thread": {"a"}, "thread_name": {"b"}}},
			profile.Labels{Thread: "a", Extra: "thread_name=b"}},
		{"extra, sorted, numeric with units", pprofile.Sample{
			Label:    map[string][]string{"span": {"x y"}, "a": {"1"}},
			NumLabel: map[string][]int64{"bytes": {1024}, "n": {3}},
			NumUnit:  map[string][]string{"bytes": {"bytes"}},
		}, profile.Labels{Extra: "a=1\nbytes=1024[bytes]\nn=3[]\nspan=x y"}},
		{"two pids go to extra", pprofile.Sample{NumLabel: map[string][]int64{"pid": {1, 2}}},
			profile.Labels{Extra: "pid=1[]\npid=2[]"}},
		{"ambiguous values are quoted", pprofile.Sample{
			Label: map[string][]string{"k": {"5[ms]", "two\nlines", `"q"`}, "a=b": {"c"}},
		}, profile.Labels{Extra: "\"a=b\"=c\nk=\"5[ms]\"\nk=\"\\\"q\\\"\"\nk=\"two\\nlines\""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := labelsFrom(&tc.s)
			assert.Equal(t, tc.want, got)
			// And back: the pprof labels are the same again.
			var s pprofile.Sample
			require.NoError(t, setLabels(&s, got))
			assert.Equal(t, got, labelsFrom(&s))
		})
	}
}

func TestDecodeExtraErrors(t *testing.T) {
	for extra, want := range map[string]string{
		"novalue":                  `label "novalue": want key=value`,
		`"k=v`:                     `label "\"k=v": bad quoted key`,
		`"k"v`:                     `label "\"k\"v": want '=' after the quoted key`,
		`k="unterm`:                `label "k=\"unterm": bad quoted value`,
		"n=99999999999999999999[]": `label "n=99999999999999999999[]": strconv.ParseInt: parsing "99999999999999999999": value out of range`,
	} {
		_, err := decodeExtra(extra)
		assert.EqualError(t, err, want, extra)
	}
	// Other importers' plain pairs read as string labels.
	pairs, err := decodeExtra("cpu=3\nsrc=perf")
	require.NoError(t, err)
	assert.Equal(t, []extraPair{{key: "cpu", str: "3"}, {key: "src", str: "perf"}}, pairs)
}

func TestKindAnnotationIgnoredWhenStale(t *testing.T) {
	pp := minimal()
	pp.Comments = []string{"hotspot:kind 1 python other_name", "hotspot:bogus", "hotspot:scale 0 cpu x"}
	fs := framesOf(t, pp)
	assert.Equal(t, profile.KindNative, fs[0].Kind)
	p, err := FromPprof(pp, "t", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"hotspot:bogus", "hotspot:scale 0 cpu x"}, p.Meta.Comments)
}

func TestSniff(t *testing.T) {
	cpu := readFile(t, fixturePath(t, "pprof/gobench-cpu.pb.gz", false))
	pp, _ := pprofTotals(t, cpu)
	var raw bytes.Buffer
	require.NoError(t, pp.WriteUncompressed(&raw))
	big := bytes.Repeat(raw.Bytes(), 2) // larger than the window
	require.Greater(t, len(big), sniffWindow)
	periodFirst := append([]byte{0x5a, 0x04, 0x08, 0x01, 0x10, 0x02}, encodeNoT(minimal())...)
	stringsFirst := append([]byte{0x32, 0x00}, encodeNoT(minimal())...)
	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"gzip", cpu[:64], true},
		{"raw profile, whole", encodeNoT(minimal()), true},
		{"raw profile, cut at the window", big[:sniffWindow], true},
		{"raw profile, cut short of the window", big[:1000], false},
		{"empty", nil, false},
		{"folded text", []byte("main;foo 1\n"), false},
		{"blank line then folded", []byte("\nmain;foo 1\n"), false},
		{"json", []byte(`{"$schema": "x"}`), false},
		{"perf script", []byte("python3 123 1.5: 1 cpu-clock:\n\tffff foo (/lib)\n"), false},
		{"sample type then text", append([]byte{0x0a, 0x02, 0x08, 0x01}, "hello world"...), false},
		{"unknown field", []byte{0x0a, 0x02, 0x08, 0x01, 0x80, 0x02, 0x00}, false},
		// Pyroscope's testdata heap.pb starts with its period_type.
		{"raw profile that starts with period_type", periodFirst, true},
		{"raw profile that starts with string_table", stringsFirst, true},
		{"only a period_type", []byte{0x5a, 0x04, 0x08, 0x01, 0x10, 0x02}, false},
		{"text that starts like field 11", []byte("Zebra;main 5\n"), false},
		{"time_nanos first, as the Go runtime writes", append([]byte{0x48, 0x01}, encodeNoT(minimal())...), true},
		{"empty sample_type first, as Parca writes it", append([]byte{0x0a, 0x00}, encodeNoT(minimal())...), true},
		{"only varint fields", []byte{0x48, 0x01, 0x50, 0x02, 0x60, 0x03}, false},
		{"text with a newline", []byte("\nmain 1\n"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Sniff(tc.head))
			assert.Equal(t, tc.want, Format{}.Sniff(tc.head))
		})
	}
	assert.Equal(t, "pprof", Format{}.Name())
	p, err := Read(bytes.NewReader(periodFirst), "t.pb", profile.ReadOptions{})
	require.NoError(t, err)
	withPeriod := minimal()
	withPeriod.PeriodType = &pprofile.ValueType{Type: "cpu", Unit: "nanoseconds"} // strings 1 and 2
	assert.Equal(t, canon(t, mustRead(t, encodeNoT(withPeriod), "t.pb")), canon(t, p))
}

func encodeNoT(pp *pprofile.Profile) []byte {
	var buf bytes.Buffer
	_ = pp.WriteUncompressed(&buf)
	return buf.Bytes()
}

func TestWriteIsGzip(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, handBuilt(t)))
	require.True(t, bytes.HasPrefix(buf.Bytes(), []byte{0x1f, 0x8b}))
	pp, err := pprofile.Parse(&buf)
	require.NoError(t, err)
	require.NoError(t, pp.CheckValid())
	assert.True(t, strings.HasPrefix(pp.DefaultSampleType, "wall"))
}

func TestLocationOutsideTable(t *testing.T) {
	pp := minimal()
	extra := &pprofile.Location{ID: 1000, Line: []pprofile.Line{{Function: pp.Function[0], Line: 3}}}
	pp.Sample[0].Location = append(pp.Sample[0].Location, extra)
	fs := framesOf(t, pp)
	require.Len(t, fs, 2)
	assert.Equal(t, int64(3), fs[0].Line)
}

func TestOddUnits(t *testing.T) {
	s := pprofile.Sample{NumLabel: map[string][]int64{"k": {5}}, NumUnit: map[string][]string{"k": {"a]\nb"}}}
	l := labelsFrom(&s)
	assert.Equal(t, "k=5[a) b]", l.Extra)
	var back pprofile.Sample
	require.NoError(t, setLabels(&back, l))
	assert.Equal(t, l, labelsFrom(&back))
}

// TestIssue11WallClockKinds: fgprof samples every goroutine, running or
// not (its period type is "wallclock"), and a goroutine profile is a
// snapshot of all goroutines: both are wall-clock views, not on-CPU.
func TestIssue11WallClockKinds(t *testing.T) {
	fgprof := minimal()
	fgprof.SampleType = []*pprofile.ValueType{{Type: "samples", Unit: "count"}, {Type: "time", Unit: "nanoseconds"}}
	fgprof.PeriodType = &pprofile.ValueType{Type: "wallclock", Unit: "nanoseconds"}
	fgprof.Sample[0].Value = []int64{1, 10_000_000}
	goroutine := minimal()
	goroutine.SampleType = []*pprofile.ValueType{{Type: "goroutine", Unit: "count"}}
	goroutine.PeriodType = &pprofile.ValueType{Type: "goroutine", Unit: "count"}
	cpu := minimal()
	cpu.SampleType = []*pprofile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}}
	cpu.PeriodType = &pprofile.ValueType{Type: "cpu", Unit: "nanoseconds"}
	cpu.Sample[0].Value = []int64{1, 10_000_000}
	for _, tc := range []struct {
		name string
		pp   *pprofile.Profile
		want string
	}{{"fgprof", fgprof, "wall"}, {"goroutine", goroutine, "wall"}, {"cpu", cpu, "on-cpu"}} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustRead(t, encodeNoT(tc.pp), tc.name+".pb")
			assert.Equal(t, tc.want, p.Meta.Recording)
		})
	}
	// The real ones, from Parca's and Pyroscope's test data.
	for _, rel := range []string{"fixtures/public2/pprof/parca_fgprof.pb.gz", "fixtures/public2/pprof/pyroscope_req_2-goroutine.pprof"} {
		p := mustRead(t, readFile(t, fixturePath(t, rel, true)), rel)
		assert.Equal(t, "wall", p.Meta.Recording, rel)
	}
}
