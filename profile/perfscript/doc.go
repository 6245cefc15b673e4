// Package perfscript reads the text that `perf script` prints (Linux perf)
// into hotspot's profile model.
//
// The input is streamed line by line:
//
//  1. "#" lines are header comments; "# key : value" lines are kept in
//     Meta.Comments (and perf version / cmdline in Meta.Attrs).
//  2. An event line starts a record: comm, [pid/]tid, [cpu], time, period
//     and event name. Each distinct event (modifiers dropped: "cycles:u" is
//     "cycles") adds two value types, its period sum and its sample count.
//  3. Callchain lines follow, leaf first, until a blank line. Each distinct
//     line is parsed once and cached: frame names follow the rules of
//     stackcollapse-perf.pl and inferno-collapse-perf (offsets cut, unknown
//     symbols named after their dso, Rust hashes dropped, parameter lists cut,
//     Java "a->b" inlining split), so profile.WriteFolded reproduces their
//     output. "(inlined)" entries take their caller's dso.
//  4. The record becomes one sample with the stack reversed to root first.
//
// Malformed records are skipped with a warning naming file:line, or fail
// the read in strict mode.
package perfscript
