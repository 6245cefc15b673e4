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
// Without a ';' in any item lines compare by token ranks; with one, byte
// by byte.
func TestFoldedCompare(t *testing.T) {
	for _, tc := range []struct {
		name         string
		names, roots []string
		ranked       bool
	}{
		{"tokens", []string{"", "a", "ab", "a!", "a:", "a<", "b", "\x00", "zz", "a", "a\x00", ""}, []string{"", "", "p", "p!", "a", ""}, true},
		{"semicolons", []string{"", "a", "ab", "a!", "a:", "a<", "b", "a;x", "\x00", "zz", "a"}, []string{"", "", "p", "p;q", "p!", "a"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewSource(1))
			ft := foldedText{names: tc.names, roots: tc.roots}
			for range 600 {
				var path []FrameID
				for range r.Intn(5) {
					path = append(path, FrameID(r.Intn(len(tc.names))))
				}
				ft.lines = append(ft.lines, foldedLine{root: int32(r.Intn(len(tc.roots))), path: path})
			}
			ft.rank()
			assert.Equal(t, tc.ranked, ft.cont != nil)
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
		})
	}
}
