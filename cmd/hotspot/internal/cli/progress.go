package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
)

// progressThreshold is the input size above which reading shows progress on
// a terminal: smaller inputs read in well under a second.
const progressThreshold = 64 << 20

// withProgress wraps a large input so that reading it reports progress on
// stderr, when stderr is a terminal. Otherwise it returns r unchanged.
func withProgress(r io.Reader, size int64, name string, io *term.IO) io.Reader {
	if !io.ErrTTY || size < progressThreshold {
		return r
	}
	return &progressReader{r: r, size: size, name: name, w: io.Err, start: time.Now(), now: time.Now}
}

type progressReader struct {
	r     io.Reader
	w     io.Writer
	name  string
	size  int64
	n     int64
	start time.Time
	last  time.Time
	now   func() time.Time
	shown int64 // p.n when progress was last drawn
	drawn bool  // progress has been drawn at least once
	done  bool  // the final newline is written
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if t := p.now(); (t.Sub(p.last) > 200*time.Millisecond || err == io.EOF) && (p.n != p.shown || !p.drawn) {
		p.last, p.shown, p.drawn = t, p.n, true
		fmt.Fprintf(p.w, "\rreading %s: %d%% (%d of %d MiB)", p.name, p.n*100/p.size, p.n>>20, p.size>>20)
	}
	if err == io.EOF && p.drawn && !p.done {
		// End the progress line so that what follows starts on its own.
		p.done = true
		fmt.Fprintln(p.w)
	}
	return n, err
}
