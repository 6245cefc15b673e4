package bigmem

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWrittenIsZeroed: a block from Written is zero and of the length
// asked, below and above the size that asks for huge pages, whatever the
// element size; Advise leaves a buffer's contents alone.
func TestWrittenIsZeroed(t *testing.T) {
	for _, n := range []int{0, 1, 4095, hugeMin/12 + 7, 3*hugeMin/12 + 1} {
		nodes := Written[[3]int32](n)
		assert.Len(t, nodes, n)
		for i := range nodes {
			if nodes[i] != ([3]int32{}) {
				t.Fatalf("Written(%d)[%d] = %+v, want zero", n, i, nodes[i])
			}
		}
	}
	b := make([]byte, hugeMin+12345)
	for i := range b {
		b[i] = byte(i)
	}
	Advise(b[3:])
	Advise(b[:10])
	Advise(nil)
	for i := range b {
		if b[i] != byte(i) {
			t.Fatalf("byte %d changed", i)
		}
	}
}
