package cli

import (
	"io"
	"sync/atomic"
)

// blockWriter passes what is written to w in large blocks that a goroutine
// of its own writes, so that rendering the output and the write system
// calls, in which the kernel copies it into the file, run at the same
// time: a gigabyte of folded text costs about two seconds of the latter.
// Close must be called; it writes what is left and returns the first error.
type blockWriter struct {
	buf  []byte
	full chan []byte // blocks to write, in order
	free chan []byte // blocks written, to fill again
	done chan error  // the writer's first error (or nil), once full is closed
	err  error       // the first error, once seen
	// failed is the writer's first error as soon as it happens, so that
	// rendering stops early when the disk is full.
	failed atomic.Pointer[error]
}

// blockSize and blockCount bound what is held: blockCount blocks of
// blockSize bytes.
const (
	blockSize  = 1 << 20
	blockCount = 3
)

func newBlockWriter(w io.Writer) *blockWriter {
	bw := &blockWriter{
		full: make(chan []byte, blockCount),
		free: make(chan []byte, blockCount),
		done: make(chan error, 1),
	}
	for i := 0; i < blockCount-1; i++ {
		bw.free <- make([]byte, 0, blockSize)
	}
	bw.buf = make([]byte, 0, blockSize)
	full, free, done := bw.full, bw.free, bw.done
	go func() {
		var err error
		for b := range full {
			if err == nil {
				if _, err = w.Write(b); err != nil {
					bw.failed.Store(&err)
				}
			}
			free <- b[:0]
		}
		done <- err
	}()
	return bw
}

func (bw *blockWriter) Write(p []byte) (int, error) {
	if bw.err != nil {
		return 0, bw.err
	}
	n := 0
	for len(p) > 0 {
		k := copy(bw.buf[len(bw.buf):cap(bw.buf)], p)
		bw.buf = bw.buf[:len(bw.buf)+k]
		p, n = p[k:], n+k
		if len(bw.buf) == cap(bw.buf) {
			bw.full <- bw.buf
			bw.buf = <-bw.free
			if err := bw.failed.Load(); err != nil {
				bw.err = *err
				return n, bw.err
			}
		}
	}
	return n, nil
}

// Close writes the last block, waits for the writer and returns its
// first error. Closing again returns the same.
func (bw *blockWriter) Close() error {
	if bw.full == nil {
		return bw.err
	}
	if len(bw.buf) > 0 {
		bw.full <- bw.buf
	}
	close(bw.full)
	bw.full = nil
	if err := <-bw.done; err != nil && bw.err == nil {
		bw.err = err
	}
	return bw.err
}
