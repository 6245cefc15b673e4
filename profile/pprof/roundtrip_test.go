package pprof

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pprofile "github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/perfscript"
)

func TestRoundTripFixtures(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			p := mustRead(t, readFile(t, fixturePath(t, fx.rel, fx.shared)), fx.name)
			back := roundTrip(t, p)
			assert.Equal(t, canon(t, p), canon(t, back))
		})
	}
}

// handBuilt is a model with every feature the export must keep: several
// value types with a scale, all frame kinds, mangled names with a
// different display, inlined frames, modules, addresses of unknown frames,
// every label field and Extra labels of both kinds.
func handBuilt(t testing.TB) *profile.Profile {
	t.Helper()
	b := profile.NewBuilder("hand", []profile.ValueType{
		{Type: "samples", Unit: "count"},
		{Type: "wall", Unit: "seconds", Scale: 1000},
	}, profile.Limits{})
	b.SetDefaultType(1)
	m := b.Meta()
	m.Producer = "py-spy@0.4.2"
	m.Recording = "wall"
	m.Truncated = true
	m.Attrs = []profile.Attr{{Key: "rate", Value: "100"}}
	m.Comments = []string{"recorded by hand", "second comment"}
	m.PeriodType = profile.ValueType{Type: "wall", Unit: "nanoseconds"}
	m.Period = 10_000_000
	m.TimeNanos = 1_700_000_000_000_000_000
	m.DurationNanos = 2_000_000_000

	py := func(name, file string, line int64) profile.Frame {
		return profile.Frame{Name: name, File: file, Line: line, Kind: profile.KindPython}
	}
	mainPy := py("<module>", "app.py", 3)
	run := py("run", "app.py", 10)
	frozen := py("_find_and_load", "<frozen importlib._bootstrap>", 1027)
	rust := profile.Frame{Name: "_ZN4core3ptr13drop_in_place17h0123456789abcdefE", Display: "core::ptr::drop_in_place", Module: "/usr/lib/librpds.so", Kind: profile.KindNative}
	inl := profile.Frame{Name: "memcpy_inline", Display: "memcpy_inline", File: "string.h", Line: 42, Module: "/usr/lib/librpds.so", Kind: profile.KindNative, Inlined: true}
	inl2 := profile.Frame{Name: "helper", File: "lib.rs", Line: 7, Module: "/usr/lib/librpds.so", Kind: profile.KindNative, Inlined: true}
	kern := profile.Frame{Name: "do_syscall_64", Module: "[kernel.kallsyms]", Kind: profile.KindKernel}
	jit := profile.Frame{Name: "py::run:app.py", Module: "/tmp/perf-123.map", Kind: profile.KindJIT}
	unk := profile.Frame{Name: "0x7f00dead", Module: "/usr/lib/libc.so.6", Kind: profile.KindUnknown, Addr: 0x7f00dead}
	unkNamed := profile.Frame{Name: "mystery", Kind: profile.KindUnknown}
	natNoModule := profile.Frame{Name: "PyEval_EvalFrameDefault", Kind: profile.KindNative}
	pyInModule := profile.Frame{Name: "weird", File: "x.py", Module: "/usr/lib/libpython3.12.so", Kind: profile.KindNative}

	add := func(stack []profile.Frame, l profile.Labels, v ...int64) {
		require.NoError(t, b.AddFrames(stack, l, 1, v...))
	}
	main := profile.Labels{PID: 42, HasPID: true, TID: 43, HasTID: true, Comm: "python3", Thread: "MainThread"}
	zero := profile.Labels{PID: 0, HasPID: true, TID: 0, HasTID: true, Comm: "swapper"}
	extra := profile.Labels{Thread: "worker", Extra: EncodeExtra(
		map[string][]string{"span": {"a b", "7[x]"}, "k=v": {"multi\nline"}},
		map[string][]int64{"bytes": {1024}, "n": {5}},
		map[string][]string{"bytes": {"bytes"}},
	)}
	add([]profile.Frame{mainPy, run, natNoModule, rust, inl2, inl}, main, 3, 1500)
	add([]profile.Frame{mainPy, run, kern}, main, 1, 250)
	add([]profile.Frame{mainPy, frozen, jit}, zero, 2, 1)
	add([]profile.Frame{mainPy, run, unk}, extra, 4, 4001)
	add([]profile.Frame{unkNamed, pyInModule}, profile.Labels{}, 1, 0)
	add([]profile.Frame{mainPy}, extra, 0, 0)
	p := b.Profile()
	require.NoError(t, p.Validate())
	return p
}

func TestRoundTripHandBuilt(t *testing.T) {
	p := handBuilt(t)
	back := roundTrip(t, p)
	assert.Equal(t, canon(t, p), canon(t, back))
	// And again: a second round must not drift.
	assert.Equal(t, canon(t, back), canon(t, roundTrip(t, back)))
}

func TestToPprofShape(t *testing.T) {
	p := handBuilt(t)
	pp, err := ToPprof(p)
	require.NoError(t, err)
	require.NoError(t, pp.CheckValid())
	assert.Equal(t, "wall", pp.DefaultSampleType)
	assert.Contains(t, pp.Comments, "hotspot:scale 1 wall 1000")
	assert.Contains(t, pp.Comments, "recorded by hand")

	// The two inlined frames share one location with their caller,
	// innermost first.
	var inlined *pprofile.Location
	for _, loc := range pp.Location {
		if len(loc.Line) > 1 {
			inlined = loc
		}
	}
	require.NotNil(t, inlined)
	var names []string
	for _, ln := range inlined.Line {
		names = append(names, ln.Function.Name)
	}
	assert.Equal(t, []string{"memcpy_inline", "helper", "core::ptr::drop_in_place"}, names)
	assert.Equal(t, "_ZN4core3ptr13drop_in_place17h0123456789abcdefE", inlined.Line[2].Function.SystemName)
	assert.Equal(t, "/usr/lib/librpds.so", inlined.Mapping.File)

	// The unknown frame named from its address is a line-less location.
	var bare []*pprofile.Location
	for _, loc := range pp.Location {
		if len(loc.Line) == 0 {
			bare = append(bare, loc)
		}
	}
	require.Len(t, bare, 1)
	assert.Equal(t, uint64(0x7f00dead), bare[0].Address)

	// Only the kinds the import rule would get wrong are written.
	var kinds []string
	for _, c := range pp.Comments {
		if strings.HasPrefix(c, "hotspot:kind ") {
			kinds = append(kinds, c[strings.IndexByte(c[len("hotspot:kind "):], ' ')+len("hotspot:kind ")+1:])
		}
	}
	assert.ElementsMatch(t, []string{"unknown mystery", "native weird", "python _find_and_load"}, kinds)
}

// TestGoToolPprof opens a written profile with go tool pprof, the tool
// people will use on hotspot's output.
func TestGoToolPprof(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go tool pprof")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	path := filepath.Join(t.TempDir(), "hand.pb.gz")
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, handBuilt(t)))
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	cmd := exec.Command(gobin, "tool", "pprof", "-top", "-symbolize=none", "-sample_index=samples", path)
	cmd.Env = append(os.Environ(), "PPROF_TMPDIR="+t.TempDir(), "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "core::ptr::drop_in_place")
	assert.Contains(t, string(out), "do_syscall_64")
}

// TestRoundTripKeepsPerfSampleCounts: a perf script profile exported to
// pprof reads back with the sample counts it had (its count type is named
// after the event, "cpu-clock:samples"), not one per aggregated stack.
// 758 is the number of cpu-clock records in the text (grep -c cpu-clock).
func TestRoundTripKeepsPerfSampleCounts(t *testing.T) {
	f, err := os.Open("../../fixtures/perf/spin-threads-1cpu.perf.txt")
	require.NoError(t, err)
	defer f.Close()
	p, err := perfscript.Read(f, "spin-threads-1cpu.perf.txt", profile.ReadOptions{})
	require.NoError(t, err)
	back := roundTrip(t, p)
	var n int64
	for _, s := range back.Samples {
		n += s.Count
	}
	assert.Equal(t, int64(758), n)
}
