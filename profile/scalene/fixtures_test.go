package scalene_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/scalene"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readShared(t *testing.T, file string) *profile.Profile {
	t.Helper()
	path := testutil.Shared(t, filepath.Join("fixtures", "scalene", file))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, scalene.Sniff(data[:min(len(data), 64<<10)]))
	p, err := scalene.Read(bytes.NewReader(data), file, profile.ReadOptions{})
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	return p
}

// TestSharedFixtures: the sums over lines of the Python, native and system
// shares, as MANIFEST.md gives them (percent, one decimal).
func TestSharedFixtures(t *testing.T) {
	tests := []struct {
		file                string
		elapsed             string
		python, native, sys float64
	}{
		{"deb311-hot-loop.scalene.json", "0.540618896484375", 95.0, 1.0, 0.1},
		{"deb311-json-rounds.scalene.json", "0.7117085456848145", 81.4, 9.8, 8.8},
		{"deb311-threads-gil-cpu-only.scalene.json", "0.4307", 78.2, 3.7, 18.1},
		{"deb311-sumsq-per-item.scalene.json", "1.252", 92.6, 1.5, 5.8},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p := readShared(t, tc.file)
			assert.Contains(t, p.Meta.Attr("elapsed_time_sec"), tc.elapsed[:5])
			elapsed := float64(p.Meta.DurationNanos)
			lineSum := func(i int) float64 {
				var s int64
				for _, x := range p.Samples {
					if p.Depth(x.Node) == 2 { // function;line
						s += x.Values[i]
					}
				}
				return math.Round(1000*float64(s)/elapsed) / 10
			}
			assert.Equal(t, tc.python, lineSum(0))
			assert.Equal(t, tc.native, lineSum(1))
			assert.Equal(t, tc.sys, lineSum(2))
		})
	}
}

// TestHotLine: the hot line's source text is kept, and the line sits under
// its function.
func TestHotLine(t *testing.T) {
	p := readShared(t, "deb311-hot-loop.scalene.json")
	var best profile.NodeID
	var most int64
	for _, s := range p.Samples {
		if s.Values[0] > most {
			best, most = s.Node, s.Values[0]
		}
	}
	st := p.Stack(best)
	require.Len(t, st, 2)
	assert.Equal(t, "collatz_len", p.Frames[st[0]].Name)
	line := p.Frames[st[1]]
	assert.Equal(t, "while n != 1:", trim(p.Meta.Attr("source:hot_loop.py:"+strconv.FormatInt(line.Line, 10))))
}

func trim(s string) string { return string(bytes.TrimSpace([]byte(s))) }
