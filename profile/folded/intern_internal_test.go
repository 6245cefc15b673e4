package folded

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTextIDs numbers random texts (many repeated, some empty or long)
// and checks the numbers against a map kept alongside, through several
// growths of the slots and the arena.
func TestTextIDs(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	ids := newTextIDs()
	want := map[string]int32{}
	var kept [][]byte
	for i := 0; i < 20000; i++ {
		var text string
		switch r.Intn(10) {
		case 9:
			if i%100 == 0 {
				// Longer than a block of the arena.
				text = fmt.Sprintf("%0*d", 3<<19, r.Intn(3))
			}
		case 0:
			text = ""
		case 1:
			text = fmt.Sprintf("%0*d", 1+r.Intn(20<<10), r.Intn(3))
		default:
			text = fmt.Sprintf("f%d", r.Intn(5000))
		}
		id, added, k := ids.id([]byte(text))
		w, seen := want[text]
		require.Equal(t, !seen, added, "text %.20q", text)
		if !seen {
			w = int32(len(want))
			want[text] = w
			kept = append(kept, k)
		}
		require.Equal(t, w, id, "text %.20q", text)
		assert.Equal(t, text, string(k))
	}
	// The copies handed out earlier are unchanged by later growth.
	for text, id := range want {
		assert.Equal(t, text, string(kept[id]))
	}
}
