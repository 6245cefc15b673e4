// Package perfscript reads the text that `perf script` prints (Linux perf)
// into hotspot's profile model.
//
// The input is streamed line by line (read.go). Reading, line splitting,
// recognising callchain entries and parsing event lines run on worker
// goroutines over chunks of whole lines (parallel.go); the steps below run
// in input order on one goroutine, so the result is the serial one:
//
//  1. "#" lines are comments; the "# key : value" lines of perf script
//     --header are kept in Meta.Comments (perf version and cmdline also in
//     Meta.Attrs).
//  2. An event line starts a record: comm (spaces allowed), [pid/]tid,
//     [cpu], time, period and event (eventline.go). Each distinct event,
//     modifiers dropped ("cycles:u" is "cycles"), adds two value types in
//     order of first appearance: the period sum (nanoseconds for cpu-clock
//     and task-clock, else a count; 1 per sample when perf printed no
//     period) and the sample count ("cycles:samples"). The first event is
//     the default; EventType finds another one. PERF_RECORD_* side-band
//     lines are skipped.
//  3. Callchain lines follow, leaf first, until a blank line, or a single
//     entry sits on the event line itself (perf script without -g). Each
//     distinct line text is parsed once and cached (stackline.go). Frame
//     names follow the rules of stackcollapse-perf.pl and
//     inferno-collapse-perf (names.go): offsets cut, unsymbolized frames
//     named after their dso, Rust hashes dropped, parameter lists cut, Java
//     "a->b" inlining split with "_[i]", so that profile.WriteFolded
//     reproduces their output. "(inlined)" entries take their caller's
//     dso; py::qualname:file frames of CPython's perf trampoline are Python
//     frames.
//     A whole callchain whose text was read before, in a record of the
//     same kind, takes the stack it gave then (block.go).
//  4. The record's stack, reversed to root first, is merged with equal
//     samples (aggregate.go) and added to the Builder at the end.
//  5. Meta records the time the samples span, the CPUs the records ran on
//     (Meta.Attrs "cpus", in cpulist form: "0-3,8"; cpus.go), whether
//     callchains look cut short, and which Python frames are visible
//     (meta.go).
//
// Malformed records are skipped with a warning naming file:line, or fail
// the read in strict mode; an input with event lines but no valid sample
// is an error, an empty one an empty profile.
package perfscript
