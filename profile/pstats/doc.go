// Package pstats reads the files Python's profilers write with -o
// (python -m cProfile -o out.pstats, python -m profile -o): marshal data
// holding one dict from (filename, firstlineno, funcname) to
// (cc, nc, tt, ct, callers), where callers maps each caller's key to
// (nc, cc, tt, ct) for cProfile (note the first two swapped) and to a
// plain call count for python -m profile.
//
// marshal.go decodes the marshal types these files use, with the
// back-reference table (FLAG_REF objects enter it in pre-order, when their
// type byte is read) and the code object python -m profile puts in its
// root's key; read.go turns the dict into a profile.Graph (self time tt,
// inclusive time ct, exact call counts as the "calls" value type) and
// derives stacks from it with profile.DeriveStacks. The file has one
// caller level only, so those stacks are an estimate, and the profile's
// Meta.Approximations says so.
package pstats
