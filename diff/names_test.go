package diff

import (
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/stretchr/testify/assert"
)

func TestFrameKey(t *testing.T) {
	py := profile.KindPython
	nat := profile.KindNative
	tests := []struct {
		name string
		f    profile.Frame
		opt  NameOptions
		want Key
	}{
		{"perf trampoline", profile.Frame{Display: "py::Particle.energy:/opt/bench/crunch.py", Kind: nat}, NameOptions{}, Key{Name: "energy", Place: "crunch.py"}},
		{"perf split by importer", profile.Frame{Display: "Particle.energy", File: "/opt/bench/crunch.py", Kind: py}, NameOptions{}, Key{Name: "energy", Place: "crunch.py"}},
		{"py-spy raw", profile.Frame{Display: "energy (/home/ci/src/bench/crunch.py:31)", Kind: py}, NameOptions{}, Key{Name: "energy", Place: "crunch.py"}},
		{"py-spy speedscope with line", profile.Frame{Display: "energy", File: "/srv/bench/crunch.py", Line: 31, Kind: py}, NameOptions{Lines: true}, Key{Name: "energy", Place: "crunch.py", Line: 31}},
		{"package file keeps its package", profile.Frame{Display: "load", File: "/venv/lib/python3.12/site-packages/yaml/__init__.py", Kind: py}, NameOptions{}, Key{Name: "load", Place: "yaml/__init__.py"}},
		{"austin thread root", profile.Frame{Display: "Thread 55984eb8ab40"}, NameOptions{}, Key{Name: ThreadRoot}},
		{"py-spy raw thread root", profile.Frame{Display: "thread (0x7F3A1C2B4740)"}, NameOptions{}, Key{Name: ThreadRoot}},
		{"py-spy raw process root", profile.Frame{Display: `process 4242:"python app.py"`}, NameOptions{}, Key{Name: ProcessRoot}},
		{"module-level code", profile.Frame{Display: "<module>", File: "app.py", Kind: py}, NameOptions{}, Key{Name: "<module>", Place: "app.py"}},
		{"perf offset and DSO version", profile.Frame{Display: "_PyEval_EvalFrameDefault+0x1a2", Module: "/opt/python/3.12.1/lib/libpython3.12.so.1.0", Kind: nat}, NameOptions{}, Key{Name: "_PyEval_EvalFrameDefault", Place: "libpython3.12.so"}},
		{"rust hash", profile.Frame{Display: "plantedffi::fnv1a::h0123456789abcdef", Module: "/x/plantedffi.so", Kind: nat}, NameOptions{}, Key{Name: "plantedffi::fnv1a", Place: "plantedffi.so"}},
		{"gcc clones", profile.Frame{Display: "finish_task_switch.isra.0", Module: "[kernel.kallsyms]", Kind: profile.KindKernel}, NameOptions{}, Key{Name: "finish_task_switch", Place: "[kernel]"}},
		{"stacked clones", profile.Frame{Display: "parse.constprop.3.part.1.cold", Module: "/usr/bin/app"}, NameOptions{}, Key{Name: "parse", Place: "app"}},
		{"generics kept", profile.Frame{Display: "alloc::vec::Vec<T,A>::push"}, NameOptions{}, Key{Name: "alloc::vec::Vec<T,A>::push"}},
		{"generics stripped", profile.Frame{Display: "<alloc::vec::Vec<u8> as core::clone::Clone>::clone"}, NameOptions{StripGenerics: true}, Key{Name: "::clone"}},
		{"address", profile.Frame{Display: "0x7f3a12bc4d10", Module: "/usr/lib/libfoo.so.3"}, NameOptions{}, Key{Name: "[unknown]", Place: "libfoo.so"}},
		{"unknown with addr", profile.Frame{Display: "[unknown]", Addr: 0x4010, Module: "/usr/bin/app"}, NameOptions{}, Key{Name: "[unknown]", Place: "app"}},
		{"perf map JIT", profile.Frame{Display: "py::f:/a/b.py", Module: "/tmp/perf-4242.map"}, NameOptions{}, Key{Name: "f", Place: "b.py"}},
		{"Rust path with py segment stays native", profile.Frame{Display: "libcst_native::py::parse_module", Module: "native.so"}, NameOptions{}, Key{Name: "libcst_native::py::parse_module", Place: "native.so"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FrameKey(tc.f, tc.opt))
		})
	}
}

// The same Python function as perf -X perf and py-spy name it gets one key.
func TestFrameKeyAcrossRecorders(t *testing.T) {
	perf := FrameKey(profile.Frame{Display: "py::pairwise_energy:/opt/bench/crunch.py", Module: "/tmp/perf-99.map"}, NameOptions{})
	pyspy := FrameKey(profile.Frame{Display: "pairwise_energy", File: "/home/me/bench/crunch.py", Line: 27, Kind: profile.KindPython}, NameOptions{})
	assert.Equal(t, perf, pyspy)
}

// FuzzFrameKey: any frame gets a key without panicking, the same key every
// time, and a non-empty name.
func FuzzFrameKey(f *testing.F) {
	for _, s := range []string{"py::a.b:/x/y.py", "f (a.py:3)", "foo.isra.0.cold", "0x7f00ab12", "Thread 1f", "<T as U<V>>::w::h0123456789abcdef", "x+0x1f", "", "py::", "(", " (:)"} {
		f.Add(s, "/usr/lib/libx.so.1", "a/__init__.py", true)
	}
	f.Fuzz(func(t *testing.T, name, module, file string, python bool) {
		fr := profile.Frame{Display: name, Name: name, Module: module, File: file, Kind: profile.KindNative}
		if python {
			fr.Kind = profile.KindPython
		}
		for _, opt := range []NameOptions{{}, {StripGenerics: true, Lines: true}} {
			k := FrameKey(fr, opt)
			if k != FrameKey(fr, opt) {
				t.Fatalf("FrameKey(%q) not deterministic", name)
			}
			if k.Name == "" && name != "" {
				t.Fatalf("FrameKey(%q) has an empty name", name)
			}
		}
	})
}
