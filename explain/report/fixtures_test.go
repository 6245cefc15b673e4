package report

import (
	"github.com/hotspot-dev/hotspot/explain"
)

// The reports below are built by hand with values of the size the engine
// produces on real recordings; the renderers must only lay them out.

// perItemReport is a PyO3 extension called once per item from a Python loop,
// recorded on-CPU with perf and -X perf: boundary glue dominates.
func perItemReport() *explain.Report {
	const ms = int64(1_000_000)
	return &explain.Report{
		Schema:     explain.Schema,
		Input:      explain.Input{Path: "fixtures/pyo3/per-item.perf.txt", Format: "perf", Recording: "on-cpu", Producer: "perf script (perf 6.12)"},
		SampleType: explain.SampleType{Name: "cpu-clock", Unit: "nanoseconds"},
		Total:      4213 * ms,
		Categories: []explain.CategoryShare{
			{Name: "ffi", Value: 1731 * ms, Share: 0.4109},
			{Name: "python", Value: 1103 * ms, Share: 0.2618},
			{Name: "native", Value: 702 * ms, Share: 0.1666},
			{Name: "alloc", Value: 412 * ms, Share: 0.0978},
			{Name: "interpreter", Value: 188 * ms, Share: 0.0446},
			{Name: "gil", Value: 77 * ms, Share: 0.0183},
		},
		Hotspots: []explain.Hotspot{
			{Function: "pyo3::impl_::extract_argument::FunctionDescription::extract_arguments_fastcall", File: "/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/pyo3-0.22.6/src/impl_/extract_argument.rs", Kind: "native", Self: 655 * ms, SelfShare: 0.1555, Total: 655 * ms, TotalShare: 0.1555, Category: "ffi"},
			{Function: "run_batch", File: "/srv/app/bench/per_item.py", Kind: "python", Self: 602 * ms, SelfShare: 0.1429, Total: 4011 * ms, TotalShare: 0.9521, Category: "python"},
			{Function: "fastcore::score_one", File: "src/lib.rs", Kind: "native", Self: 541 * ms, SelfShare: 0.1284, Total: 702 * ms, TotalShare: 0.1666, Category: "native"},
			{Function: "<f64 as pyo3::conversion::IntoPyObject>::into_pyobject", File: "", Kind: "native", Self: 398 * ms, SelfShare: 0.0945, Total: 512 * ms, TotalShare: 0.1215, Category: "ffi"},
			{Function: "_PyEval_EvalFrameDefault", File: "", Kind: "native", Self: 188 * ms, SelfShare: 0.0446, Total: 4011 * ms, TotalShare: 0.9521, Category: "interpreter"},
			{Function: "_int_malloc", File: "", Kind: "native", Self: 161 * ms, SelfShare: 0.0382, Total: 161 * ms, TotalShare: 0.0382, Category: "alloc"},
		},
		Findings: []explain.Finding{
			{
				Hint: "batch-ffi-calls", Category: "ffi", Share: 0.4109, Severity: "high", Risk: "medium",
				Evidence:       "fastcore.score is entered from run_batch (per_item.py) and 1.73 s of its 2.43 s (71%) is boundary glue (argument extraction 655 ms, result conversion 512 ms) against 702 ms of native work.",
				Fix:            "Add a score_many(texts) entry point that takes the whole list and call it once per batch from run_batch.",
				ExpectedImpact: "Up to 41% of the active time (1.73 s). With --items 1,000,000: glue is 1.7 us per item against 70-170 ns for a Python call plus a PyO3 crossing, so batching should save most of it.",
				Title:          "Cross the Python/native boundary once per batch, not once per item",
				Functions:      []string{"fastcore::score", "run_batch"},
				Tradeoffs:      "Callers must gather items before calling; results no longer stream.",
				Measure:        "Re-record with `perf record -F 999 -g -- python -X perf bench/per_item.py` and check that the ffi share falls below 5%.",
				Sketches: []explain.Sketch{{
					Language: "python",
					Before:   "for row in rows:\n    total += fastcore.score(row.text)",
					After:    "total = sum(fastcore.score_many([row.text for row in rows]))",
				}, {
					Language: "rust",
					Before:   "#[pyfunction]\nfn score(text: &str) -> f64 {\n    score_one(text)\n}",
					After:    "#[pyfunction]\nfn score_many(texts: Vec<String>) -> Vec<f64> {\n    texts.iter().map(|t| score_one(t)).collect()\n}",
				}},
				Value: 1731 * ms,
			},
			{
				Hint: "zero-copy-boundary", Category: "ffi", Share: 0.0978, Severity: "medium", Risk: "medium",
				Evidence:       "412 ms (9.8%) is allocation, 298 ms of it inside the boundary conversion (<f64 as IntoPyObject>::into_pyobject -> PyFloat_FromDouble).",
				Fix:            "Return the scores as one array (PyBytes or a NumPy array) instead of a Python float per item.",
				ExpectedImpact: "Up to 9.8% of the active time; about 20-60 ns per Python object avoided.",
				Title:          "Pass buffers and views across the boundary instead of copies and converted objects",
				Context:        "alloc inside the boundary conversion",
				Tradeoffs:      "Changes the return type seen by callers.",
				Measure:        "valgrind --tool=dhat python bench/per_item.py: blocks per item should fall.",
				Value:          412 * ms,
			},
		},
		Warnings: []string{
			"perf recorded user and kernel stacks, but 2.1% of the cost ends in [unknown] frames; shares below 2% are noise.",
			"An on-CPU recording cannot show threads waiting for the GIL; record off-CPU to see them.",
		},
		Summary: "95% of the time is under run_batch (per_item.py), which calls the native fastcore.score once per item; 41% of the time is boundary glue around 17% of native work.",
		HotPath: []explain.PathFrame{
			{Function: "_start", Kind: "native", TotalShare: 1},
			{Function: "<module>", Kind: "python", TotalShare: 0.9978},
			{Function: "run_batch", Kind: "python", TotalShare: 0.9521},
			{Function: "__pyfunction_score", Kind: "native", TotalShare: 0.5775},
			{Function: "pyo3::impl_::extract_argument::FunctionDescription::extract_arguments_fastcall", Kind: "native", TotalShare: 0.1555},
		},
		Crossings: explain.Crossings{
			PythonToNative: 2431,
			NativeToPython: 0,
			Entries: []explain.NativeEntry{
				{Function: "fastcore::score", Glue: 1731 * ms, Work: 702 * ms, GlueRatio: 0.7115},
				{Function: "_json.encode_basestring_ascii", Glue: 3 * ms, Work: 21 * ms, GlueRatio: 0.125},
			},
		},
		Quality: explain.Quality{
			Kind:         "on-cpu",
			CanSee:       []string{"Where CPU time goes in Python, CPython and native code (perf with -X perf names Python functions)."},
			CannotSee:    []string{"Threads blocked on the GIL, locks or I/O: they are not on a CPU, so they are not sampled."},
			Unsymbolized: 0.021,
			Truncated:    0.0004,
			PythonFrames: true,
			Next:         []string{"perf record -e sched:sched_switch -g -- python -X perf bench/per_item.py"},
		},
		Plan: []string{
			"Add score_many and call it once per batch; re-record on-CPU: the ffi share should fall from 41% to under 5% and wall time by about 1.5 s.",
			"Record off-CPU (perf sched:sched_switch) to check that no GIL wait hides behind the on-CPU view.",
		},
		Idle:        0,
		ActiveTotal: 4213 * ms,
		Samples:     4213,
	}
}

// flatReport is a wall-clock py-spy recording with idle threads and no
// dominant function.
func flatReport() *explain.Report {
	const ms = int64(1_000_000)
	return &explain.Report{
		Schema:     explain.Schema,
		Input:      explain.Input{Path: "service.speedscope.json", Format: "speedscope", Recording: "wall", Producer: "py-spy 0.4.2"},
		SampleType: explain.SampleType{Name: "wall", Unit: "nanoseconds"},
		Total:      61_240 * ms,
		Categories: []explain.CategoryShare{
			{Name: "idle", Value: 30_120 * ms, Share: 0.4918},
			{Name: "python", Value: 14_230 * ms, Share: 0.2324},
			{Name: "io", Value: 6_880 * ms, Share: 0.1123},
			{Name: "serialization", Value: 4_410 * ms, Share: 0.0720},
			{Name: "logging", Value: 3_100 * ms, Share: 0.0506},
			{Name: "gc", Value: 2_500 * ms, Share: 0.0408},
		},
		Hotspots: []explain.Hotspot{
			{Function: "_iterencode_dict", File: "/usr/lib/python3.12/json/encoder.py", Kind: "python", Self: 1_090 * ms, SelfShare: 0.035, Total: 2_930 * ms, TotalShare: 0.0942, Category: "serialization"},
			{Function: "handle", File: "/srv/app/service/views.py", Kind: "python", Self: 930 * ms, SelfShare: 0.0299, Total: 19_800 * ms, TotalShare: 0.6363, Category: "python"},
			{Function: "format", File: "/usr/lib/python3.12/logging/__init__.py", Kind: "python", Self: 870 * ms, SelfShare: 0.028, Total: 1_740 * ms, TotalShare: 0.0559, Category: "logging"},
		},
		Findings: []explain.Finding{{
			Hint: "flat-profile", Category: "python", Share: 0.4577, Severity: "low", Risk: "low",
			Evidence:       "No function has more than 3.5% of the active time; the largest totals are python 45.7%, io 22.1% and serialization 14.2%.",
			Fix:            "Look at the loop in handle (views.py), whose body spreads over json, logging and socket calls.",
			ExpectedImpact: "No single fix; the candidate pool is python 14.2 s, io 6.9 s and serialization 4.4 s of 31.1 s active.",
			Title:          "The flat-profile playbook: no single hotspot dominates",
			Tradeoffs:      "Structural changes touch much code for modest individual gains.",
			Measure:        "perf stat -e cycles,instructions,cache-misses -- python -m service",
			Value:          14_230 * ms,
		}},
		Warnings:    []string{},
		Summary:     "The profile is flat: no function has more than 3.5% of the active time. Half of the wall time is idle threads.",
		Flat:        true,
		HotPath:     []explain.PathFrame{{Function: "<module>", Kind: "python", TotalShare: 0.82}, {Function: "serve_forever", Kind: "python", TotalShare: 0.80}},
		Quality:     explain.Quality{Kind: "wall", CanSee: []string{"Running and waiting threads."}, CannotSee: []string{"Native frames (recorded without --native)."}, PythonFrames: true},
		Plan:        []string{"Total the serialization and logging costs per request with --items."},
		Idle:        30_120 * ms,
		ActiveTotal: 31_120 * ms,
		Samples:     612_400,
	}
}

// hostileReport carries symbol names crafted to break each output: terminal
// escape sequences, Markdown table syntax, HTML, newlines, bidi overrides and
// invalid UTF-8.
func hostileReport() *explain.Report {
	evil := "evil\x1b[2J\x1b]0;pwned\x07|<script>alert(1)</script>\n**bold** `tick` _u_ [l](x)"
	return &explain.Report{
		Schema:     explain.Schema,
		Input:      explain.Input{Path: "in\x1b[31m|put<b>.folded", Format: "folded", Recording: "on-cpu"},
		SampleType: explain.SampleType{Name: "samples", Unit: "count"},
		Total:      1_234_567,
		Categories: []explain.CategoryShare{{Name: "native", Value: 1_234_567, Share: 1}},
		Hotspots: []explain.Hotspot{
			{Function: evil, File: "a|b\n<i>.rs", Kind: "native", Self: 1_000_000, SelfShare: 0.81, Total: 1_234_567, TotalShare: 1, Category: "native"},
			{Function: "bidi\u202egnp.exe\u009b31m\xff", File: "", Kind: "native", Self: 234_567, SelfShare: 0.19, Total: 234_567, TotalShare: 0.19, Category: "native"},
		},
		Findings: []explain.Finding{{
			Hint: "move-hot-loop-native", Category: "native", Share: 0.81, Severity: "high",
			Evidence:       "81% of the samples are in " + evil + ".",
			Fix:            "Fix </summary></details><script>x</script>.",
			ExpectedImpact: "Up to 81%.",
			Title:          "Title with <b>html</b> & | pipe",
			Functions:      []string{evil},
			Tradeoffs:      "None.",
			Measure:        "Measure.",
			Sketches:       []explain.Sketch{{Language: "rust`x", Before: "let a = \"```\";\n\x1b[31m", After: "let b = 1;"}},
			Value:          1_000_000,
		}},
		Warnings: []string{"line 3: bad frame \x1b[1m" + evil},
		Summary:  "Most samples are in " + evil,
		HotPath:  []explain.PathFrame{{Function: evil, Kind: "native", TotalShare: 1}},
		Crossings: explain.Crossings{Entries: []explain.NativeEntry{
			{Function: evil, Glue: 10, Work: 90, GlueRatio: 0.1},
		}},
		Quality:     explain.Quality{Kind: "on-cpu", CanSee: []string{"x\x1b[0m"}, CannotSee: []string{}, Next: []string{"perf record -- '" + evil + "'"}},
		Plan:        []string{"Rename " + evil},
		ActiveTotal: 1_234_567,
		Samples:     1_234_567,
	}
}
