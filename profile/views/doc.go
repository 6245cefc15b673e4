// Package views computes the tables pprof users reach for first, over the
// profile model: top (flat and cumulative cost per function or per source
// line), peek (the callers and callees of chosen functions, with shares)
// and threads (processes and threads with their shares). Each view is
// computed once per distinct stack, never per sample, into a value that
// the renderers (text, markdown, JSON) only lay out.
package views
