// Package speedscope reads and writes speedscope JSON
// (https://www.speedscope.app/file-format-schema.json), the format py-spy
// writes with -f speedscope.
//
// Reading goes in three steps:
//
//  1. The document is read by a scanner (scan.go) over one large buffer
//     that checks the JSON syntax as it goes, so a file of hundreds of
//     megabytes is never held whole. A sample stack of plain frame indices
//     is parsed where it lies in the buffer and interned (step 2)
//     without being copied; anything unusual in a stack (a
//     string, a fraction, a huge index) is read whole and parsed by the
//     slower code that words the messages. Frames, weights and events are
//     read one element at a time. A syntax error is replayed through
//     jsontext from the item that failed, in the same state, so its
//     message and position are the ones users of encoding/json know.
//  2. Stacks are interned as raw frame indices as they arrive (stacks.go),
//     because py-spy writes "profiles" before "shared": the frame table is
//     often unknown until the end. A trie of them is built only when the
//     node limit could be reached, or an evented profile is replayed. At
//     the end of each profile its samples are aggregated per stack, so
//     memory grows with distinct stacks, plus four bytes per sample of the
//     profile being read.
//  3. At the end of the document the frames are classified and the
//     aggregated stacks are added to a profile.Builder in stack-table mode
//     (DeferTree), which lays the call tree out once and keeps the stacks
//     for the profile's readers.
//
// Mapping decisions:
//
//   - Time units become integer nanoseconds by decimal arithmetic (0.01 s is
//     exactly 10000000 ns). "bytes" becomes Unit "bytes"; "none" stays a
//     count, and fractional "none" weights get a ValueType.Scale.
//   - Every profile of the file becomes samples with labels: py-spy's profile
//     names `Thread <tid> "<name>"` and `Process <pid> Thread <tid> "<name>"`
//     fill TID, PID and Thread; any other name is kept in Labels.Thread.
//   - py-spy records wall-clock samples of the threads that are running
//     (all threads with --idle), so its time column is {wall, nanoseconds}
//     and Meta.Recording is "wall". A {samples, count} column counts the
//     sampled entries, because noise estimates need counts, not seconds.
//   - An empty stack ([]) is a sample on the root: py-spy's sample count and
//     total stay exact.
//   - Evented profiles are replayed: the time between two events is
//     credited to the stack open at that moment. Time with no frame open is
//     idle and belongs to no stack, as in speedscope.
//   - Frames are classified by their file: Python files (.py, <frozen ...>,
//     <string>) are KindPython; source files of compiled languages are
//     KindNative with File and Line; shared objects and binaries (and "?")
//     are KindNative with Module; names 0x<hex> keep their address.
//     Display names of non-Python frames go through symbol.Clean. The
//     column (col) of a frame is not kept.
//
// Errors: JSON syntax errors name line and column; everything else names
// its JSON path (profiles[2].samples[17]: frame 944 out of range (210
// frames)). A malformed sample (bad stack, frame out of range, negative or
// non-numeric weight) is left out with a warning, and so is a profile whose
// parts do not fit together (weights and samples of different lengths,
// events that close the wrong frame, go back in time or stay open, a
// profile without a type). With ReadOptions.Strict each of these is an
// error, as speedscope itself treats them; a file with nothing valid left is
// an error either way. A value of the wrong JSON type where the document's
// shape is fixed ("profiles" not an array, a frame field of the wrong
// type) is always an error.
//
// Write emits one sampled profile per distinct label set.
package speedscope
