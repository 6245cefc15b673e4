package profile

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWrittenIsZeroed: a block from written is zero and of the length
// asked, below and above the size that asks for huge pages, whatever the
// element size; AdviseHuge leaves a buffer's contents alone.
func TestWrittenIsZeroed(t *testing.T) {
	for _, n := range []int{0, 1, 4095, hugeMin/12 + 7, 3*hugeMin/12 + 1} {
		nodes := written[Node](n)
		assert.Len(t, nodes, n)
		for i := range nodes {
			if nodes[i] != (Node{}) {
				t.Fatalf("written[Node](%d)[%d] = %+v, want zero", n, i, nodes[i])
			}
		}
	}
	b := make([]byte, hugeMin+12345)
	for i := range b {
		b[i] = byte(i)
	}
	AdviseHuge(b[3:])
	AdviseHuge(b[:10])
	AdviseHuge(nil)
	for i := range b {
		if b[i] != byte(i) {
			t.Fatalf("byte %d changed", i)
		}
	}
}
