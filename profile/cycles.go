package profile

// CycleFuncs counts the functions that lie on a call cycle of two or more
// functions (mutual recursion; a function calling itself alone is not
// counted). A profiler's inclusive cost counts a cycle's cost again in each
// of its members, so edge costs through a cycle overstate, and so does the
// context that DeriveStacks derives through them.
func (g *Graph) CycleFuncs() int {
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
	next, count := 0, 0
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
				size := 0
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[w] = false
					size++
					if w == v {
						break
					}
				}
				if size > 1 {
					count += size
				}
			}
		}
	}
	return count
}
