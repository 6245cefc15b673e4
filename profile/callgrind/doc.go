// Package callgrind reads valgrind's callgrind output (callgrind.out.PID,
// with or without --dump-instr, --collect-jumps and --cache-sim): a header
// naming the events (Ir, Dr, ..., one value type each) and the position
// columns, then per function its self cost lines and, after each
// "calls=" line, the inclusive cost of those calls.
//
// The reader streams the file line by line and keeps only per-function and
// per-edge sums: compressed names ("fn=(12) main", later "fn=(12)") are
// resolved per kind (objects, files, functions), relative positions
// (+N, -N, *) are checked but not needed, repeated calls= records of one
// caller→callee pair are summed, and jump/jcnd lines are skipped. Functions
// are keyed by object and name; callgrind's recursion levels ("f'2") stay
// separate functions, as callgrind computed their costs, with the suffix
// cut from the display name. The result is a profile.Graph with stacks
// derived from it by profile.DeriveStacks, an approximation the profile's
// Meta.Approximations states.
package callgrind
