package profile

import (
	"bytes"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			// sort must give the lines in bytes.Compare order of their
			// texts, and mark exactly the texts equal to the one before.
			order, same := ft.sort()
			require.Len(t, order, len(ft.lines))
			seen := make([]bool, len(ft.lines))
			for i, l := range order {
				require.False(t, seen[l], "line %d twice", l)
				seen[l] = true
				if i > 0 {
					c := bytes.Compare(text(ft.lines[order[i-1]]), text(ft.lines[l]))
					require.LessOrEqual(t, c, 0, "%q before %q", text(ft.lines[order[i-1]]), text(ft.lines[l]))
					require.Equal(t, c == 0, same[i], "position %d: %q after %q", i, text(ft.lines[l]), text(ft.lines[order[i-1]]))
				}
			}
			require.False(t, len(same) > 0 && same[0])
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

// TestFoldedSortParallel: past parallelRadix, sort splits its groups
// between two goroutines. The order must be the texts' bytes.Compare order,
// equal texts by line number, as one goroutine gives it.
func TestFoldedSortParallel(t *testing.T) {
	names := []string{"", "a", "ab", "a!", "a:", "a<", "b", "\x00", "zz", "a", "a\x00", "main", "run"}
	r := rand.New(rand.NewSource(2))
	ft := foldedText{names: names, roots: []string{"", "p", "q"}}
	n := 3 * parallelRadix
	for range n {
		path := []FrameID{11} // a shared first frame, as "main" is
		for range r.Intn(8) {
			path = append(path, FrameID(r.Intn(len(names))))
		}
		ft.lines = append(ft.lines, foldedLine{root: int32(r.Intn(3)), path: path})
	}
	ft.rank()
	require.NotNil(t, ft.cont)
	texts := make([][]byte, n)
	for i, l := range ft.lines {
		var parts []string
		for j := range ft.items(l) {
			parts = append(parts, ft.item(l, j))
		}
		texts[i] = []byte(strings.Join(parts, ";"))
	}
	want := make([]int32, n)
	for i := range want {
		want[i] = int32(i)
	}
	slices.SortStableFunc(want, func(a, b int32) int { return bytes.Compare(texts[a], texts[b]) })
	order, same := ft.sort()
	require.Equal(t, want, order)
	for i := 1; i < n; i++ {
		require.Equal(t, bytes.Equal(texts[order[i-1]], texts[order[i]]), same[i], "position %d", i)
	}
}
