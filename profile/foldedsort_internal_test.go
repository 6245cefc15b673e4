package profile

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFoldedCompare checks that foldedText.compare orders lines exactly as
// bytes.Compare orders their joined text, on names built to collide: empty
// names, names that are prefixes of others, bytes below and above ';'.
func TestFoldedCompare(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	names := []string{"", "a", "ab", "a!", "a:", "a<", "b", "a;x", "\x00", "zz", "a"}
	roots := []string{"", "", "p", "p;q", "p!", "a"}
	ft := foldedText{names: names}
	for range 400 {
		var path []FrameID
		for range r.Intn(5) {
			path = append(path, FrameID(r.Intn(len(names))))
		}
		ft.lines = append(ft.lines, foldedLine{root: roots[r.Intn(len(roots))], path: path})
	}
	text := func(l foldedLine) []byte {
		var parts []string
		for j := range ft.items(l) {
			parts = append(parts, ft.item(l, j))
		}
		return []byte(strings.Join(parts, ";"))
	}
	sign := func(x int) int { return min(max(x, -1), 1) }
	for _, a := range ft.lines {
		for _, b := range ft.lines {
			if !assert.Equal(t, bytes.Compare(text(a), text(b)), sign(ft.compare(a, b)), "%q vs %q", text(a), text(b)) {
				return
			}
		}
	}
}
