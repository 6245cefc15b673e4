// Package folded reads folded (collapsed) stacks, the text format of
// Brendan Gregg's FlameGraph tools, inferno and py-spy's raw output:
//
//	root;caller;leaf COUNT
//
// Read works as a pipeline over the input, one line at a time:
//
//  1. decode.go turns UTF-16 (with a BOM) into UTF-8 and drops a UTF-8 BOM,
//     so the rest only ever sees UTF-8;
//  2. line.go splits a line at its last whitespace character into the stack and
//     the count, and parses the count as an integer or a decimal;
//  3. frame.go turns each frame into a profile.Frame: flamegraph annotations
//     (_[k], _[j], _[i], _[w]) become kinds, py-spy's "name (file:line)"
//     frames are split into name, file and line, and py-spy's synthetic
//     "thread (tid): name" and "process pid:"cmd"" root frames, and
//     stackcollapse-perf's "comm-pid/tid" and "comm-pid" first frame, also
//     become labels;
//  4. scale.go keeps decimal counts exact: each number of decimals gets its
//     own value column while streaming, and the columns are merged into one
//     scaled integer column at the end.
//
// ReadDiff reads differential input ("stack before after") into two
// profiles with aligned trees, for the diff command.
//
// Frame names keep what profile.WriteFolded cannot rebuild from the other
// fields (py-spy locations, _[i] and _[w] suffixes), so reading, writing and
// reading again gives the same tree.
package folded
