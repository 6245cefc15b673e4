// Package austin reads the collapsed sample lines austin 1.x writes
// ("austin -o out.austin python3 prog.py"): one line per sample,
//
//	Thread <hex id>[;<frame>...] <metric>[ <metric> <metric>]
//
// in three layouts: the default, where each Python frame "func (file)" is
// followed by a separate "L<line>" element; -a, where the frame is
// "func (file:line)"; and -f, whose three metrics are the time delta in
// microseconds, the memory growth and the (negative) memory release.
//
// Read sums identical stacks as they stream in. The thread becomes the
// stack's root frame ("Thread 55984eb8ab40", as flamegraph.pl shows austin
// output) and its TID label; "L<n>" elements are the line of the frame
// before them, never frames. A file with one metric per line is wall time
// unless a value is negative, which only austin -m (memory mode) writes.
//
// austin 3.x text output is read too: "# austin: 3.3.0" and "# mode: wall"
// metadata lines, then "P<pid>;T<tid>;<file>:<function>:<line>;... <time>"
// with the time in microseconds of wall clock or, in --mode cpu, of CPU.
// The process and thread become two root frames and PID/TID labels.
package austin
