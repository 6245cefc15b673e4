package diff

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/pprof"
)

// TestTableTotals: on random stacks with recursion (a few names, so one
// stack often repeats a name), the table's totals equal the sums counted
// stack by stack here: each distinct name on a stack gets the stack's
// count once, the leaf's name gets its self. Read as folded text, the
// table walks the tree; read back from pprof, it reads the kept stacks.
func TestTableTotals(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewSource(seed))
		names := []string{"a", "b", "c", "d", "e"}
		wantTotal, wantSelf := map[string]int64{}, map[string]int64{}
		var text strings.Builder
		for range 50 + r.Intn(200) {
			var stack []string
			for range 1 + r.Intn(7) {
				stack = append(stack, names[r.Intn(len(names))])
			}
			v := int64(1 + r.Intn(9))
			fmt.Fprintf(&text, "%s %d\n", strings.Join(stack, ";"), v)
			seen := map[string]bool{}
			for _, n := range stack {
				if !seen[n] {
					seen[n] = true
					wantTotal[n] += v
				}
			}
			wantSelf[stack[len(stack)-1]] += v
		}
		fp, err := folded.Read(strings.NewReader(text.String()), "t.folded", profile.ReadOptions{})
		require.NoError(t, err)
		var pb bytes.Buffer
		require.NoError(t, pprof.Write(&pb, fp))
		pp, err := pprof.Read(&pb, "t.pb.gz", profile.ReadOptions{})
		require.NoError(t, err)
		_, kept := pp.SampleStack(&pp.Samples[0])
		require.True(t, kept, "the pprof reader keeps the stacks")
		for _, p := range []*profile.Profile{fp, pp} {
			keyOf := map[string]int32{}
			frameKey := make([]int32, len(p.Frames))
			for i, f := range p.Frames {
				k, ok := keyOf[f.Name]
				if !ok {
					k = int32(len(keyOf))
					keyOf[f.Name] = k
				}
				frameKey[i] = k
			}
			tb := buildTable(p, p.DefaultType, filter{}, frameKey, len(keyOf), false, false)
			for name, k := range keyOf {
				assert.Equal(t, wantTotal[name], tb.total[k], "seed %d total of %s", seed, name)
				assert.Equal(t, wantSelf[name], tb.self[k], "seed %d self of %s", seed, name)
			}
		}
	}
}
