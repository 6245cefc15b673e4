package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
)

// progressDelay is how long a read runs before progress is drawn: most
// inputs are read sooner, and then nothing is printed at all.
const progressDelay = time.Second

// progressEvery is the least time between two redraws.
const progressEvery = 200 * time.Millisecond

// withProgress wraps an input so that reading it reports progress on
// stderr, when stderr is a terminal and --quiet is not set; otherwise it
// returns r unchanged. size is the input's size in bytes as stored (for a
// gzip file, its compressed size), or -1 when unknown (a pipe): progress
// then shows the bytes read and the rate but no percentage or time left.
func withProgress(r io.Reader, size int64, name string, io *term.IO) io.Reader {
	if !io.ErrTTY || io.Quiet {
		return r
	}
	now := time.Now
	return &progressReader{r: r, size: size, name: name, w: io.Err, start: now(), now: now}
}

// inputSize is the size of an input that is a regular file, else -1.
func inputSize(r io.Reader) int64 {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size()
		}
	}
	return -1
}

type progressReader struct {
	r     io.Reader
	w     io.Writer
	name  string
	size  int64 // -1: unknown
	n     int64
	start time.Time
	last  time.Time
	now   func() time.Time
	shown int64 // p.n when progress was last drawn
	drawn bool  // progress has been drawn at least once
	done  bool  // the final newline is written
}

// Unwrap is the reader underneath, so that readers can ask the file for
// its size.
func (p *progressReader) Unwrap() io.Reader { return p.r }

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	t := p.now()
	due := t.Sub(p.start) >= progressDelay && (t.Sub(p.last) >= progressEvery || err == io.EOF && p.drawn)
	if due && (p.n != p.shown || !p.drawn) {
		p.last, p.shown, p.drawn = t, p.n, true
		fmt.Fprintf(p.w, "\r%s\x1b[K", p.line(t.Sub(p.start)))
	}
	if err == io.EOF && p.drawn && !p.done {
		// End the progress line so that what follows starts on its own.
		p.done = true
		fmt.Fprintln(p.w)
	}
	return n, err
}

// line is one progress report after elapsed time.
func (p *progressReader) line(elapsed time.Duration) string {
	rate := float64(p.n) / elapsed.Seconds() // bytes per second
	if p.size <= 0 {
		return fmt.Sprintf("reading %s: %d MiB (%.0f MiB/s)", p.name, p.n>>20, rate/(1<<20))
	}
	s := fmt.Sprintf("reading %s: %d%% (%d of %d MiB, %.0f MiB/s", p.name, min(p.n, p.size)*100/p.size, p.n>>20, p.size>>20, rate/(1<<20))
	if left := p.size - p.n; left > 0 && rate > 0 {
		s += ", " + formatETA(time.Duration(float64(left)/rate*float64(time.Second))) + " left"
	}
	return s + ")"
}

// formatETA rounds a remaining time to whole seconds: "7s", "2m05s".
func formatETA(d time.Duration) string {
	sec := int64(d.Round(time.Second) / time.Second)
	if sec < 60 {
		return fmt.Sprintf("%ds", max(sec, 1))
	}
	return fmt.Sprintf("%dm%02ds", sec/60, sec%60)
}
