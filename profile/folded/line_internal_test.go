package folded

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTrailingCount checks the fast path against its definition.
func TestTrailingCount(t *testing.T) {
	for _, in := range []string{"a 1", "a;b 12.5", "a", "1", " 1", "a  1", "a 1x", "a x1", "a 1.2.3", "a .", "a 1.", "a\t7", "", "a b"} {
		s1, t1, ok1 := splitLast([]byte(in))
		ok1 = ok1 && isCount(t1)
		s2, t2, ok2 := trailingCount([]byte(in))
		assert.Equal(t, ok1, ok2, in)
		if ok1 && ok2 {
			assert.Equal(t, string(s1), string(s2), in)
			assert.Equal(t, string(t1), string(t2), in)
		}
	}
}
