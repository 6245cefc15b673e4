// Package heaptrack reads heaptrack's data file (heaptrack.PROG.PID.zst,
// also gzipped or decompressed): the line-oriented text heaptrack_interpret
// writes, every number in hex.
//
// Read streams it once:
//
//   - "s" lines are the string table, "i" lines instruction pointers (a
//     module and, when symbolized, a function, file and line, then the
//     frames inlined at that address), "t" lines the trace tree (an
//     instruction pointer and its parent trace), "a" lines allocation
//     infos (a size and a trace);
//   - "+" and "-" are one allocation and one deallocation of an allocation
//     info, counted per info and per trace as they come; "c" is a
//     timestamp, "R" an RSS sample.
//
// The derived numbers are heaptrack's: allocations are the "+" lines;
// temporary allocations are "-" lines whose info is that of the "+" just
// before; leaked bytes are allocated minus freed; peak is the largest live
// total, and each trace's peak is what it held at that moment (kept with a
// lazy snapshot, O(1) per event). Each trace becomes one stack (root
// first; inlined frames are frames of their own, marked Inlined) with five
// value types: allocations, temporary allocations, allocated, peak and
// leaked bytes.
package heaptrack
