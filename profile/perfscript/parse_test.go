package perfscript

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseEventLine(t *testing.T) {
	tests := []struct {
		line      string
		ok        bool
		comm      string
		pid, tid  int64
		hasPID    bool
		period    int64
		hasPeriod bool
		event     string
		trailing  string
	}{
		{line: "java 25607 4794564.109216: cycles:", ok: true, comm: "java", tid: 25607, event: "cycles"},
		{line: "java 12688 [002] 6544038.708352: cpu-clock:", ok: true, comm: "java", tid: 12688, event: "cpu-clock"},
		{line: "V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:", ok: true, comm: "V8 WorkerThread", pid: 24636, tid: 25607, hasPID: true, period: 100, hasPeriod: true, event: "cycles"},
		{line: "emulator  4152 75695.008865:          1 cycles:u:", ok: true, comm: "emulator", tid: 4152, period: 1, hasPeriod: true, event: "cycles:u"},
		{line: "python3.12 20932 [001]   612.5: sched:sched_switch: prev_comm=python3.12 prev_pid=1 ==> next_comm=x", ok: true, comm: "python3.12", tid: 20932, event: "sched:sched_switch", trailing: "prev_comm=python3.12 prev_pid=1 ==> next_comm=x"},
		{line: "           false 39654 19115.489713:          1 cycles:u:  ffffffff9b201293 [unknown] ([unknown])", ok: true, comm: "false", tid: 39654, period: 1, hasPeriod: true, event: "cycles:u", trailing: "ffffffff9b201293 [unknown] ([unknown])"},
		{line: "func_ab 1234 cpu-clock:", ok: true, comm: "func_ab", tid: 1234, event: "cpu-clock"},
		{line: "cmalloc 20971/20971   506.981976:    2004008 cpu-clock:pppH: ", ok: true, comm: "cmalloc", pid: 20971, tid: 20971, hasPID: true, period: 2004008, hasPeriod: true, event: "cpu-clock:pppH"},
		{line: "kworker/0:1 77 [000] 1.0: 1 cycles:", ok: true, comm: "kworker/0:1", tid: 77, period: 1, hasPeriod: true, event: "cycles"},
		// no event field: the rest may be a single-line stack
		{line: "app 12 1.5: 7f00 main (/bin/app)", ok: true, comm: "app", tid: 12, trailing: "7f00 main (/bin/app)"},
		{line: "main;foo;bar 12", ok: false},
		{line: `{"name":"Thread 14830 \"\"","unit":"seconds", "x":1}`, ok: false},
		{line: `app 12 "quoted":`, ok: false},
		{line: "app 12 1.5: 100", ok: true, comm: "app", tid: 12, period: 100, hasPeriod: true},
		{line: "app 12 100 things", ok: false},
		{line: "12 34 1.0: cycles:", ok: true, comm: "12", tid: 34, event: "cycles"},
		{line: "app 99999999999999999999 1.0: cycles:", ok: false},
		{line: "	    7f00 main+0x1c (/bin/app)", ok: false},
		{line: "THIS_IS_A_WEIRD_LINE", ok: false},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			ev, ok := parseEventLine([]byte(tc.line))
			require.Equal(t, tc.ok, ok)
			if !ok {
				return
			}
			assert.Equal(t, tc.comm, string(ev.comm))
			assert.Equal(t, tc.pid, ev.pid)
			assert.Equal(t, tc.tid, ev.tid)
			assert.Equal(t, tc.hasPID, ev.hasPID)
			assert.Equal(t, tc.period, ev.period)
			assert.Equal(t, tc.hasPeriod, ev.hasPeriod)
			assert.Equal(t, tc.event, string(ev.event))
			assert.Equal(t, tc.trailing, string(ev.trailing))
		})
	}
}

func TestBareEvent(t *testing.T) {
	for in, want := range map[string]string{
		"cpu-clock:pppH":         "cpu-clock",
		"cycles:u":               "cycles",
		"cycles:uppp":            "cycles",
		"cycles":                 "cycles",
		"sched:sched_switch":     "sched:sched_switch",
		"raw_syscalls:sys_enter": "raw_syscalls:sys_enter",
		"probe_app:main:u":       "probe_app:main",
		"":                       "",
	} {
		assert.Equal(t, want, string(bareEvent([]byte(in))), in)
	}
}

func TestSplitSymDSO(t *testing.T) {
	tests := []struct {
		rest, sym, dso string
		ok             bool
	}{
		{"main+0x1c (/bin/app)", "main+0x1c", "/bin/app", true},
		{"foo(int) const (/lib/libx.so)", "foo(int) const", "/lib/libx.so", true},
		{"net/http.(*Client).Do (/bin/srv)", "net/http.(*Client).Do", "/bin/srv", true},
		{"jitfn (/memfd:jit (deleted))", "jitfn", "/memfd:jit (deleted)", true},
		{" (/lib/x86_64-linux-gnu/libc-2.15.so)", "", "/lib/x86_64-linux-gnu/libc-2.15.so", true},
		{"PyCOND_TIMEDWAIT+0xb4 (inlined)", "PyCOND_TIMEDWAIT+0xb4", "inlined", true},
		{"[unknown] ([unknown])", "[unknown]", "[unknown]", true},
		{"odd) (x)", "odd)", "x", true},
		{"unbalanced (a(b)", "unbalanced", "a(b", true}, // "(b)" follows no space: the last word is the dso
		{"main", "", "", false},
		{"(dso)", "", "", false},
		{"main (dso", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.rest, func(t *testing.T) {
			sym, dso, ok := splitSymDSO([]byte(tc.rest))
			require.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.sym, string(sym))
			assert.Equal(t, tc.dso, string(dso))
		})
	}
}

func TestNames(t *testing.T) {
	t.Run("stripSymbolOffset", func(t *testing.T) {
		for in, want := range map[string]string{
			"main+0x1c":                 "main",
			"_start+0xffff018fd5dce000": "_start",
			"a+0x1+0x2":                 "a+0x1",
			"x+0xzz":                    "x+0xzz",
			"plain":                     "plain",
			"op+0x":                     "op",
		} {
			assert.Equal(t, want, stripSymbolOffset(in), in)
		}
	})
	t.Run("tidyGeneric", func(t *testing.T) {
		for in, want := range map[string]string{
			"go/build.(*importReader).readByte":             "go/build.(*importReader).readByte",
			"foo<Vec::<usize>>(Vec<usize>)":                 "foo<Vec::<usize>>",
			".run()V":                                       ".run",
			"base(BasicType) const":                         "base",
			"std::function<void (int, int)>::operator(int)": "std::function<void (int, int)>::operator",
			"{lambda(int, int)#2}::operator()":              "{lambda(int, int)#2}::operator",
			"(anonymous namespace)::myBar()":                "(anonymous namespace)::myBar",
			"[(foo)]::bar()":                                "[(foo)]::bar",
			"a;b":                                           "a:b",
		} {
			assert.Equal(t, want, tidyGeneric(in), in)
		}
	})
	t.Run("fixRustLegacy", func(t *testing.T) {
		for in, want := range map[string]string{
			"std::sys::unix::fs::File::open::hb90e1c1c787080f0":                                                    "std::sys::unix::fs::File::open",
			"_$LT$std..fs..ReadDir$u20$as$u20$core..iter..traits..iterator..Iterator$GT$::next::hc14f1750ca79129b": "<std::fs::ReadDir as core::iter::traits::iterator::Iterator>::next",
			"rg::search_parallel::_$u7b$$u7b$closure$u7d$$u7d$::h6e849b55a66fcd85":                                 "rg::search_parallel::_{{closure}}",
			"_ZN3std2rt19lang_start_internal17h540c897fe52ba9c5E":                                                  "_ZN3std2rt19lang_start_internal17h540c897fe52ba9c5E",
			"<alloc::raw_vec::RawVec<T, A>>::reserve_internal":                                                     "<alloc::raw_vec::RawVec<T, A>>::reserve_internal",
			"weird$zz$::h0123456789abcdef":                                                                         "weird$zz$",
		} {
			assert.Equal(t, want, fixRustLegacy(in), in)
		}
	})
	t.Run("unknownName", func(t *testing.T) {
		assert.Equal(t, "[libc.so.6]", unknownName("/usr/lib/libc.so.6", "7f00", false))
		assert.Equal(t, "[libc.so.6 <7f00>]", unknownName("/usr/lib/libc.so.6", "7f00", true))
		assert.Equal(t, "[unknown]", unknownName("[unknown]", "0", false))
		assert.Equal(t, "[unknown <0>]", unknownName("[unknown]", "0", true))
		assert.Equal(t, "[[kernel.kallsyms]]", unknownName("[kernel.kallsyms]", "ffff", false))
	})
	t.Run("dso classes", func(t *testing.T) {
		for _, k := range []string{"[kernel.kallsyms]", "[kernel.kallsyms].init.text", "[nf_conntrack_ipv4]", "/lib/modules/x/e1000.ko", "/usr/lib/debug/boot/vmlinux-5.4.14-cloudflare-2020.1.11", "vmlinux", "[vdso]"} {
			assert.True(t, isKernelDSO(k), k)
		}
		for _, k := range []string{"[unknown]", "/usr/lib/libc.so.6", "vmlinux-cloudflare )", "/tmp/perf-12.map"} {
			assert.False(t, isKernelDSO(k), k)
		}
		assert.True(t, isJITDSO("/tmp/perf-12.map"))
		assert.True(t, isJITDSO("/root/.debug/jit/x/jitted-31714-4145673320.so"))
		assert.False(t, isJITDSO("/usr/lib/libjitted.so"))
	})
	t.Run("pythonFrame", func(t *testing.T) {
		q, f, ok := pythonFrame("py::MyClass.method:/srv/app/models.py")
		assert.True(t, ok)
		assert.Equal(t, "MyClass.method", q)
		assert.Equal(t, "/srv/app/models.py", f)
		q, f, ok = pythonFrame("py::<module>:<frozen importlib._bootstrap>")
		assert.True(t, ok)
		assert.Equal(t, "<module>", q)
		assert.Equal(t, "<frozen importlib._bootstrap>", f)
		_, _, ok = pythonFrame("libcst_native::py::libcst_native::parse_module")
		assert.False(t, ok)
		_, _, ok = pythonFrame("py::")
		assert.False(t, ok)
	})
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in string
		ns int64
		ok bool
	}{
		{"4794564.109216", 4794564109216000, true},
		{"1.000000001", 1000000001, true},
		{"12.5", 12500000000, true},
		{"7", 7000000000, true},
		{"99999999999.1", 0, false},
	}
	for _, tc := range tests {
		ns, ok := parseTime([]byte(tc.in))
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.ns, ns, tc.in)
	}
}
