package diff_test

import (
	"encoding/json"
	"testing"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CompareInTurn drops each side's profile after explaining it; its report
// must be Compare's, and pairs needing the stacks again are read twice.
func TestCompareInTurnIsCompare(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	tests := []struct {
		before, after string
		opt           diff.Options
		mode          string
		loads         int
	}{
		{"diff/crunch-repeat-a.perf.txt", "diff/crunch-repeat-b.perf.txt", diff.Options{}, "whole", 2},
		{"diff/crunch-rate-99.perf.txt", "diff/crunch-rate-499.perf.txt", diff.Options{Absolute: true}, "whole", 2},
		{"diff/crunch-repeat-a.perf.txt", "diff/crunch-unwind-fp.perf.txt", diff.Options{}, "leaf", 4},
		{"diff/crunch-repeat-a.perf.txt", "diff/crunch-unwind-fp.perf.txt", diff.Options{Whole: true}, "whole", 2},
		{"diff/crunch-austin.txt", "diff/crunch-native.perf.txt", diff.Options{}, "python", 4},
	}
	for _, tc := range tests {
		t.Run(tc.before+"+"+tc.after, func(t *testing.T) {
			want, err := diff.Compare(load(t, tc.before), load(t, tc.after), cat, tc.opt)
			require.NoError(t, err)
			loads := 0
			got, err := diff.CompareInTurn(func(side int) (diff.Input, error) {
				loads++
				return load(t, []string{tc.before, tc.after}[side])[0], nil
			}, cat, tc.opt)
			require.NoError(t, err)
			assert.Equal(t, tc.mode, got.Comparable.Mode)
			assert.Equal(t, tc.loads, loads)
			wj, err := json.Marshal(want)
			require.NoError(t, err)
			gj, err := json.Marshal(got)
			require.NoError(t, err)
			assert.JSONEq(t, string(wj), string(gj))
		})
	}
}

func TestCompareInTurnRefuses(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	_, err = diff.CompareInTurn(func(side int) (diff.Input, error) {
		return load(t, []string{"planted/rust/rustalloc-clones.dhat.json", "diff/crunch-repeat-a.perf.txt"}[side])[0], nil
	}, cat, diff.Options{})
	require.Error(t, err)
	assert.Equal(t, "cannot compare planted/rust/rustalloc-clones.dhat.json (alloc_space, bytes) with diff/crunch-repeat-a.perf.txt (cpu-clock, nanoseconds): one measures bytes, the other time", err.Error())
}
