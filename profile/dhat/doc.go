// Package dhat reads DHAT JSON ("dhatFileVersion": 2), written by valgrind's
// --tool=dhat (modes heap, copy and ad-hoc) and by the Rust dhat crate
// (modes rust-heap and rust-ad-hoc).
//
// Read works in three steps:
//
//  1. read.go streams the document with jsontext Decoder tokens. Each program
//     point ("pps" element) is taken from the decoder as raw bytes, which
//     the decoder has checked, and ppscan.go reads its numbers in place.
//     Program points are stored compactly as they arrive, their numbers in
//     a fixed array and their frame indexes as int32s in one shared slice,
//     because the frame table ("ftbl") comes after them in both producers'
//     files.
//  2. frame.go parses each frame-table string ("0x1091B6: make_key
//     (cmalloc.c:22)", "0x..: fn (in /usr/lib/libc.so.6)", "0x..: ???",
//     dhat-rs "0x..: name (file:line:col)") into a profile.Frame.
//  3. build.go picks the value types the header allows (total bytes and
//     blocks always; peak, end, lifetime and max when "bklt"; read and
//     write bytes when "bkacc"), reverses each leaf-first "fs" into a
//     root-first stack and adds one sample per program point.
//
// Errors name their place: JSON syntax errors by line and column, wrong
// shapes and out-of-range frame indexes by JSON path ("pps[3].fs[2]").
package dhat
