package profile

import "io"

// SizeHinter is a reader that knows about how many bytes it will yield
// (a file's size, a gzip stream's trailer). A reader that has to hold the
// whole input (pprof's protobuf) allocates that much once instead of
// growing and copying. A hint may be wrong: it sizes a buffer, nothing
// more.
type SizeHinter interface {
	SizeHint() int64
}

type hinted struct {
	io.Reader
	n int64
}

func (h hinted) SizeHint() int64 { return h.n }

// WithSizeHint returns r with a size hint of n bytes (r itself when n is
// not positive).
func WithSizeHint(r io.Reader, n int64) io.Reader {
	if n <= 0 {
		return r
	}
	return hinted{r, n}
}

// SizeHint is r's size hint, or -1 when it has none.
func SizeHint(r io.Reader) int64 {
	if h, ok := r.(SizeHinter); ok {
		return h.SizeHint()
	}
	return -1
}
