package speedscope_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

func readFile(t testing.TB, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := speedscope.Read(f, filepath.Base(path), profile.ReadOptions{})
	require.NoError(t, err)
	return p
}

// threadCounts returns the sample count per profile name, as py-spy names
// its profiles.
func threadCounts(p *profile.Profile) map[string]int64 {
	out := map[string]int64{}
	for _, s := range p.Samples {
		out[speedscope.ProfileName(*s.Labels)] += s.Count
	}
	return out
}

// The sample counts are the ones py-spy printed when it stopped
// (fixtures/MANIFEST.md); every weight is one tick of 1/rate.
func TestPySpyFixtures(t *testing.T) {
	tests := []struct {
		file     string
		shared   bool
		samples  int64
		interval int64 // ns
		threads  map[string]int64
		empty    int64 // samples with an empty stack
	}{
		{file: "pyspy/py311-threads.speedscope.json", samples: 695, interval: 10_000_000, empty: 2, threads: map[string]int64{
			`Thread 14830 ""`: 6, `Thread 14858 "cruncher"`: 211, `Thread 14863 "churner"`: 218,
			`Thread 14875 ""`: 221, `Thread 14876 ""`: 1, `Thread 14877 "sleeper"`: 38}},
		{file: "pyspy/py312-threads-idle.speedscope.json", samples: 3017, interval: 10_000_000, empty: 4, threads: map[string]int64{
			`Thread 0 ""`: 1, `Thread 15063 ""`: 514, `Thread 15066 "cruncher"`: 501, `Thread 15067 "churner"`: 500,
			`Thread 15068 ""`: 499, `Thread 15070 ""`: 508, `Thread 15071 ""`: 494}},
		{file: "pyspy/py312-threads-gil.speedscope.json", samples: 483, interval: 10_000_000, empty: 1, threads: map[string]int64{
			`Thread 15125 "cruncher"`: 184, `Thread 15126 "churner"`: 138, `Thread 15127 "fibber"`: 161}},
		{file: "pyspy/py311-rpds.speedscope.json", samples: 646, interval: 10_000_000, empty: 2, threads: map[string]int64{`Thread 15383 ""`: 646}},
		{file: "pyspy/py311-rpds-native.speedscope.json", samples: 559, interval: 10_000_000, threads: map[string]int64{`Thread 15560 ""`: 559}},
		{file: "pyspy/py313-json.speedscope.json", samples: 584, interval: 10_000_000, empty: 1, threads: map[string]int64{`Thread 15718 ""`: 584}},
		{file: "pyspy/py313-json-native.speedscope.json", samples: 479, interval: 10_000_000, threads: map[string]int64{`Thread 15724 ""`: 479}},
		{file: "pyspy/py313-subprocesses.speedscope.json", samples: 735, interval: 10_000_000, threads: map[string]int64{
			`Process 15736 Thread 15736 ""`: 13, `Process 15741 Thread 15741 ""`: 363, `Process 15742 Thread 15742 ""`: 359}},
		{file: "public/speedscope/pyspy-0.4.1-linux-3threads.speedscope.json", shared: true, samples: 5091, interval: 1_000_000, empty: 336, threads: map[string]int64{
			`Thread 725838 ""`: 5060, `Thread 726007 "MLflowTelemetryConsumer-0"`: 1, `Thread 726008 "GetTelemetryConfig"`: 30}},
		// macOS thread ids are hex pthread ids; the labels hold them as numbers.
		{file: "public/speedscope/pyspy-0.4.2-macos-multithread.speedscope.json", shared: true, samples: 10181, interval: 10_000_000, threads: map[string]int64{
			`Thread 6139916288 "Thread-1 (_handle_workers)"`: 2, `Thread 6156742656 "Thread-2 (_handle_tasks)"`: 3186,
			`Thread 6173569024 "Thread-3 (_handle_results)"`: 3186, `Thread 8489857280 "MainThread"`: 3807}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			path := testutil.Fixture(t, tc.file)
			if tc.shared {
				path = testutil.Shared(t, "fixtures/"+tc.file)
			}
			p := readFile(t, path)
			require.Equal(t, []profile.ValueType{{Type: "wall", Unit: "nanoseconds"}, {Type: "samples", Unit: "count"}}, p.SampleTypes)
			assert.Equal(t, 0, p.DefaultType)
			assert.Equal(t, tc.samples, p.SampleCount())
			assert.Equal(t, tc.samples, p.Total(1))
			assert.Equal(t, tc.samples*tc.interval, p.Total(0), "total = samples x interval")
			assert.Equal(t, tc.threads, threadCounts(p))
			var empty int64
			for _, s := range p.Samples {
				if s.Node == profile.RootNode {
					empty += s.Count
				}
			}
			assert.Equal(t, tc.empty, empty, "samples with an empty stack stay on the root")
			assert.Equal(t, "speedscope", p.Meta.Format)
			assert.True(t, strings.HasPrefix(p.Meta.Producer, "py-spy@"))
			assert.Equal(t, "wall", p.Meta.Recording)
			assert.Equal(t, tc.interval, p.Meta.Period)
			assert.Equal(t, profile.ValueType{Type: "wall", Unit: "nanoseconds"}, p.Meta.PeriodType)
			assert.Equal(t, "py-spy profile", p.Meta.Attr("name"))
			assert.Empty(t, p.Meta.Warnings)
			require.NoError(t, p.Validate())
		})
	}
}

func TestPySpyLabels(t *testing.T) {
	p := readFile(t, testutil.Fixture(t, "pyspy/py313-subprocesses.speedscope.json"))
	var labels []profile.Labels
	seen := map[profile.Labels]bool{}
	for _, s := range p.Samples {
		if !seen[*s.Labels] {
			seen[*s.Labels] = true
			labels = append(labels, *s.Labels)
		}
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].PID < labels[j].PID })
	assert.Equal(t, []profile.Labels{
		{PID: 15736, TID: 15736, HasPID: true, HasTID: true},
		{PID: 15741, TID: 15741, HasPID: true, HasTID: true},
		{PID: 15742, TID: 15742, HasPID: true, HasTID: true},
	}, labels)
}

func findFrame(t *testing.T, p *profile.Profile, name string) profile.Frame {
	t.Helper()
	for _, f := range p.Frames {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no frame %q", name)
	return profile.Frame{}
}

func TestPySpyNativeFrames(t *testing.T) {
	p := readFile(t, testutil.Fixture(t, "pyspy/py311-rpds-native.speedscope.json"))
	so := "/opt/python/3.11.7/lib/python3.11/site-packages/rpds/rpds.cpython-311-x86_64-linux-gnu.so"
	tests := []struct {
		name string
		want profile.Frame
	}{
		{"build_key_map", profile.Frame{Name: "build_key_map", Display: "build_key_map", File: "/opt/bench/rpds_maps.py", Line: 44, Kind: profile.KindPython}},
		{"_find_and_load", profile.Frame{Name: "_find_and_load", Display: "_find_and_load", File: "<frozen importlib._bootstrap>", Line: 1176, Kind: profile.KindPython}},
		{"0x7f147ba4524a", profile.Frame{Name: "0x7f147ba4524a", Display: "0x7f147ba4524a", Module: "/usr/lib/x86_64-linux-gnu/libc.so.6", Kind: profile.KindNative, Addr: 0x7f147ba4524a}},
		{"0x7f147b3e49f9", profile.Frame{Name: "0x7f147b3e49f9", Display: "0x7f147b3e49f9", Kind: profile.KindNative, Addr: 0x7f147b3e49f9}},
		{"triomphe::arc::Arc$LT$T$GT$::drop_slow::h4d1154505e4dea8b", profile.Frame{
			Name: "triomphe::arc::Arc$LT$T$GT$::drop_slow::h4d1154505e4dea8b", Display: "triomphe::arc::Arc<T>::drop_slow",
			Module: so, Kind: profile.KindNative}},
		{"unicode_dealloc", profile.Frame{Name: "unicode_dealloc", Display: "unicode_dealloc", Module: "/opt/python/3.11.7/lib/libpython3.11.so.1.0", Kind: profile.KindNative}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, findFrame(t, p, tc.name))
		})
	}

	p = readFile(t, testutil.Fixture(t, "pyspy/py313-json-native.speedscope.json"))
	assert.Equal(t, profile.Frame{Name: "Py_DECREF", Display: "Py_DECREF", File: "/build/Python-3.13.0/./Include/object.h", Line: 949, Kind: profile.KindNative},
		findFrame(t, p, "Py_DECREF"))
}

// Frames repeated in py-spy's table (same name, file and line) intern to
// one model frame.
func TestDuplicateFramesIntern(t *testing.T) {
	in := `{"$schema":"` + speedscope.SchemaURL + `","profiles":[{"type":"sampled","name":"p","unit":"none","startValue":0,"endValue":2,` +
		`"samples":[[0,1],[2,3]],"weights":[1,1]}],"shared":{"frames":[{"name":"a","file":"a.py","line":1},{"name":"b","file":"a.py","line":2,"col":null},` +
		`{"name":"a","file":"a.py","line":1},{"name":"b","file":"a.py","line":2}]}}`
	p, err := speedscope.Read(strings.NewReader(in), "dup.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Len(t, p.Frames, 2)
	assert.Equal(t, "a;b 2\n", folded(t, p, 0))
	assert.Equal(t, int64(2), p.Samples[0].Count)
}

// Native frame names as py-spy --native leaves them: Rust legacy names
// with hash and escapes, v0-mangled names, C++ mangled names.
func TestNativeDisplayNames(t *testing.T) {
	in := `{"$schema":"` + speedscope.SchemaURL + `","exporter":"py-spy@0.4.0","profiles":[{"type":"sampled","name":"Thread 1 \"\"","unit":"seconds",` +
		`"samples":[[0,1,2,3]],"weights":[0.01]}],"shared":{"frames":[` +
		`{"name":"_RNvNtCs1234_7mycrate3foo3bar","file":"/x/libmy.so","line":0},` +
		`{"name":"_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..clone..Clone$GT$::clone::h0123456789abcdef","file":"/x/libmy.so","line":0},` +
		`{"name":"_ZN3foo3barEv","file":"/x/libfoo.so.1","line":0},` +
		`{"name":"0x7f00deadbeef","file":"?","line":0}]}}`
	p, err := speedscope.Read(strings.NewReader(in), "native.json", profile.ReadOptions{})
	require.NoError(t, err)
	var got []string
	for _, f := range p.Frames {
		got = append(got, f.Display+" ["+string(f.Kind)+" "+f.Module+"]")
	}
	assert.Equal(t, []string{
		"mycrate::foo::bar [native /x/libmy.so]",
		"<alloc::vec::Vec<T> as core::clone::Clone>::clone [native /x/libmy.so]",
		"foo::bar [native /x/libfoo.so.1]",
		"0x7f00deadbeef [native ]",
	}, got)
	assert.Equal(t, uint64(0x7f00deadbeef), p.Frames[3].Addr)
}
