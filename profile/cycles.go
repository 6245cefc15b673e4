package profile

// CycleFuncs counts the functions that lie on a call cycle of two or more
// functions (mutual recursion; a function calling itself alone is not
// counted). A profiler's inclusive cost counts a cycle's cost again in each
// of its members, so edge costs through a cycle overstate, and so does the
// context that DeriveStacks derives through them.
func (g *Graph) CycleFuncs() int {
	n := 0
	for _, in := range g.InCycle() {
		if in {
			n++
		}
	}
	return n
}

// InCycle says, per entry of Funcs, whether the function lies on a call
// cycle of two or more functions: its inclusive cost overstates.
func (g *Graph) InCycle() []bool {
	// Tarjan's strongly connected components, iteratively: graphs from
	// real programs have call chains thousands deep.
	idx := map[FrameID]int{}
	for i, f := range g.Funcs {
		idx[f.Frame] = i
	}
	n := len(g.Funcs)
	callees := make([][]int, n)
	for _, e := range g.Edges {
		a, b := idx[e.Caller], idx[e.Callee]
		if a != b {
			callees[a] = append(callees[a], b)
		}
	}
	index := make([]int, n)
	low := make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next := 0
	in := make([]bool, n)
	type frame struct{ v, child int }
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		work := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		on[root] = true
		for len(work) > 0 {
			top := &work[len(work)-1]
			v := top.v
			if top.child < len(callees[v]) {
				w := callees[v][top.child]
				top.child++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					on[w] = true
					work = append(work, frame{w, 0})
				} else if on[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			work = work[:len(work)-1]
			if len(work) > 0 {
				u := work[len(work)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				start := len(stack)
				for {
					start--
					w := stack[start]
					on[w] = false
					if w == v {
						break
					}
				}
				if len(stack)-start > 1 {
					for _, w := range stack[start:] {
						in[w] = true
					}
				}
				stack = stack[:start]
			}
		}
	}
	return in
}
