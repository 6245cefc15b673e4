package explain

import (
	goruntime "runtime"
	"sync"
)

// minSplit is the least number of items worth handing to a second
// goroutine: below it, starting one costs more than the work.
const minSplit = 4096

// inParts calls f over [0, n) cut into contiguous parts, one goroutine a
// part, as many parts as GOMAXPROCS (at most 2: the passes split this way
// are a fifth of explain, and more goroutines mostly add contention). f
// must write only to the indexes of its part, so the results do not
// depend on which part finishes first. Small n runs in the caller alone.
func inParts(n int, f func(lo, hi int)) {
	parts := min(goruntime.GOMAXPROCS(0), 2)
	if n < minSplit || parts < 2 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + parts - 1) / parts
	for lo := step; lo < n; lo += step {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, min(lo+step, n))
		}()
	}
	f(0, step)
	wg.Wait()
}

// inParts2 runs f and g, at once when n (the items they walk) is large
// enough to pay for a goroutine. f and g must write disjoint data.
func inParts2(n int, f, g func()) {
	if n < minSplit || goruntime.GOMAXPROCS(0) < 2 {
		f()
		g()
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		g()
	}()
	f()
	<-done
}
