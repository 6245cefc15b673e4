package profile

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// window is a group of a radix sort from the front: positions [lo, hi) of
// the sorted order whose items before depth are the same, to be sorted by
// their item at depth.
type window struct{ lo, hi, depth int32 }

// parallelRadix is the number of elements from which drainGroups shares
// the groups between two goroutines: below it, starting one costs more
// than it saves.
const parallelRadix = 1 << 16

// drainGroups sorts the n elements of a radix sort that starts with one
// group: split sorts a group by its next item and appends the groups that
// still need sorting. Groups are disjoint windows of the sort's arrays, so
// different groups can be split at once: on large inputs the largest
// group is split until none holds more than a quarter of the elements,
// and the groups are then shared out between two goroutines, the largest
// first to whichever has fewer elements so far. The result is the same
// as splitting them one after the other.
func drainGroups(n int, split func(window, []window) []window) {
	drain := func(todo []window) {
		for len(todo) > 0 {
			g := todo[len(todo)-1]
			todo = split(g, todo[:len(todo)-1])
		}
	}
	todo := []window{{0, int32(n), 0}}
	if n < parallelRadix || runtime.GOMAXPROCS(0) < 2 {
		drain(todo)
		return
	}
	for len(todo) > 0 {
		big := 0
		for i, g := range todo {
			if g.hi-g.lo > todo[big].hi-todo[big].lo {
				big = i
			}
		}
		g := todo[big]
		if int(g.hi-g.lo) <= n/4 {
			break
		}
		todo = slices.Delete(todo, big, big+1)
		todo = split(g, todo)
	}
	slices.SortFunc(todo, func(a, b window) int { return cmp.Compare(b.hi-b.lo, a.hi-a.lo) })
	var bins [2][]window
	var load [2]int32
	for _, g := range todo {
		b := 0
		if load[1] < load[0] {
			b = 1
		}
		bins[b] = append(bins[b], g)
		load[b] += g.hi - g.lo
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		drain(bins[1])
	}()
	drain(bins[0])
	wg.Wait()
}
