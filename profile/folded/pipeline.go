package folded

import "io"

// run reads r through the pipeline chunk.go describes, applying the
// records in input order. It returns the first error in input order; the
// goroutines it started have ended or will end at their next step.
func (rd *reader) run(r io.Reader) error {
	w := workers()
	done := make(chan struct{})
	free := make(chan []byte, 2*w+2)
	in := make([]chan chunk, w)
	out := make([]chan *chunkResult, w)
	// spare hands applied results back to their worker for reuse.
	spare := make([]chan *chunkResult, w)
	for i := range w {
		in[i] = make(chan chunk, 2)
		out[i] = make(chan *chunkResult, 2)
		spare[i] = make(chan *chunkResult, 4)
		lp := newLineParser(rd.b2 != nil, rd.limits)
		go func() {
			for c := range in[i] {
				var res *chunkResult
				select {
				case res = <-spare[i]:
					res.reset()
				default:
					res = &chunkResult{}
				}
				if len(c.data) > 0 {
					lp.parseChunk(c.data, res)
				}
				res.end, res.long = c.end, c.long
				if cap(c.data) > 0 {
					select {
					case free <- c.data:
					default:
					}
				}
				select {
				case out[i] <- res:
				case <-done:
					return
				}
			}
		}()
	}
	go func() {
		defer func() {
			for _, c := range in {
				close(c)
			}
		}()
		ck := &chunker{r: r, maxLine: rd.limits.MaxLineBytes, size: rd.chunkSize, free: free}
		for i := 0; ; i++ {
			c := ck.next()
			select {
			case in[i%w] <- c:
			case <-done:
				return
			}
			if c.end != nil {
				return
			}
		}
	}()
	defer close(done)
	rd.tables = make([]workerFrames, w)
	for i := 0; ; i++ {
		res := <-out[i%w]
		if err := rd.apply(&rd.tables[i%w], res); err != nil {
			return err
		}
		if res.end != nil {
			return rd.ended(res)
		}
		select {
		case spare[i%w] <- res:
		default:
		}
	}
}
