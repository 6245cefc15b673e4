// Package scalene reads scalene's JSON profile (python3 -m scalene --json
// --outfile out.json --cli prog.py; 1.5.16, and newer files' extra keys
// are ignored).
//
// scalene reports lines and functions, not stacks. Each line becomes a
// two-frame stack: the function it lies in (the function entry with the
// greatest first line at or before it; "<module>" before any) and the line
// itself, a frame "file:N" whose source text is kept in Meta.Attrs under
// "source:FILE:N". Where a function's own numbers exceed its lines' (scalene
// drops line samples when CPython 3.11 reports no line number), the
// difference is the function frame's own cost.
//
// Value types: python_time, native_time and system_time in nanoseconds
// (each line's percentage of the run's CPU samples times the elapsed
// time), malloc_bytes (n_malloc_mb, MB = 2^20 bytes), mallocs (n_mallocs
// samples) and peak_bytes (n_peak_mb). The document is small (a few
// entries per profiled line), so it is decoded whole.
package scalene
