package flamesvg

import (
	"fmt"
	"math"
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// link finds the root, each frame's level and parent, and each frame's
// children's total. It returns the root's index.
func (s *scanner) link() (int, error) {
	root := -1
	for i := range s.frames {
		if s.frames[i].name == "all" && (root < 0 || s.frames[root].count.v < s.frames[i].count.v) {
			root = i
		}
	}
	if root < 0 {
		return 0, &profile.SyntaxError{File: s.name, Line: max(s.line, 1), Msg: "no root frame \"all (N samples, 100%)\": not a flame graph of stacks"}
	}
	// The level step is the least distance between two distinct rows.
	ys := make([]float64, 0, len(s.frames))
	for _, f := range s.frames {
		ys = append(ys, f.y)
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	step := math.Inf(1)
	for i := 1; i < len(ys); i++ {
		step = min(step, ys[i]-ys[i-1])
	}
	byLevel := map[int][]int{}
	maxLevel := 0
	ry := s.frames[root].y
	for i := range s.frames {
		f := &s.frames[i]
		if i == root {
			continue
		}
		lv := int(math.Round(math.Abs(f.y-ry) / step))
		if lv == 0 || float64(lv) > float64(s.limits.MaxStackDepth) {
			if lv == 0 {
				return 0, &profile.SyntaxError{File: s.name, Line: f.line, Msg: fmt.Sprintf("frame %q is on the root's row", clip([]byte(f.name)))}
			}
			return 0, &profile.LimitError{File: s.name, Line: f.line, What: "stack depth", Limit: int64(s.limits.MaxStackDepth), Flag: "--max-depth"}
		}
		f.level = lv
		byLevel[lv] = append(byLevel[lv], i)
		maxLevel = max(maxLevel, lv)
	}
	byLevel[0] = []int{root}
	for lv := 0; lv <= maxLevel; lv++ {
		slices.SortFunc(byLevel[lv], func(a, b int) int {
			return cmpFloat(s.start(a), s.start(b))
		})
	}
	for lv := 1; lv <= maxLevel; lv++ {
		parents := byLevel[lv-1]
		for _, i := range byLevel[lv] {
			p := s.parentOf(i, parents)
			if p < 0 {
				f := &s.frames[i]
				return 0, &profile.SyntaxError{File: s.name, Line: f.line, Msg: fmt.Sprintf("frame %q has no frame under it one level nearer the root", clip([]byte(f.name)))}
			}
			s.frames[i].parent = p
		}
	}
	return root, nil
}

// start and end are a frame's extent: inferno's exact sample offsets when
// present, drawn coordinates otherwise.
func (s *scanner) start(i int) float64 {
	if f := &s.frames[i]; f.fw >= 0 {
		return float64(f.fx)
	}
	return s.frames[i].x
}

func (s *scanner) end(i int) float64 {
	if f := &s.frames[i]; f.fw >= 0 {
		return float64(f.fx + f.fw)
	}
	return s.frames[i].x + s.frames[i].w
}

// parentOf returns the frame among parents (sorted by start) whose extent
// holds the middle of frame i, or -1.
func (s *scanner) parentOf(i int, parents []int) int {
	mid := (s.start(i) + s.end(i)) / 2
	k, _ := slices.BinarySearchFunc(parents, mid, func(p int, m float64) int { return cmpFloat(s.start(p), m) })
	// parents[k-1] is the last that starts at or before mid.
	for _, j := range []int{k, k - 1} {
		if j >= 0 && j < len(parents) && s.start(parents[j]) <= mid && mid <= s.end(parents[j]) {
			return parents[j]
		}
	}
	return -1
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
