// Package massif reads valgrind massif output (massif.out.PID): a header
// (desc, cmd, time_unit) and snapshots, each with its heap, extra-heap and
// stack bytes and, for detailed snapshots, the heap tree.
//
// Every detailed snapshot becomes a value type of its own, "snapshot_N"
// in bytes, and the peak snapshot (heap_tree=peak) is "peak", the default:
// convert --sample-type snapshot_N and explain --sample-type snapshot_N
// read any other. Each value type's total is what ms_print graphs for that
// snapshot: the tree's heap bytes plus two frames for what the tree leaves
// out, "(extra-heap: allocator overhead)" for mem_heap_extra_B and
// "(stacks)" for mem_stacks_B (non-zero with --stacks=yes).
//
// The tree runs from the allocation functions to their callers, so each
// path from the root, reversed, is a root-first stack; a node's bytes not
// covered by its children are that stack's own. massif's below-threshold
// aggregates ("in 3 places, all below massif's threshold (1.00%)") stay
// what they are, a frame of kind unknown standing for those callers, never
// a function. Consecutive levels with the same address (an inlined call
// chain) stay separate frames, as massif prints them. Snapshots stream
// through: only the path of the tree line being read is held.
package massif
