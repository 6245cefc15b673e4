package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/profile"
)

// isURL reports a profile argument to fetch over HTTP.
func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// fetchTimeout is how long a fetch may take: a default, stretched for a
// profile that is recorded while the request waits (pprof's ?seconds=N).
func fetchTimeout(u *url.URL, base time.Duration) time.Duration {
	if s, err := strconv.Atoi(u.Query().Get("seconds")); err == nil && s > 0 {
		if d := time.Duration(s)*time.Second + 30*time.Second; d > base {
			return d
		}
	}
	return base
}

// openURL starts fetching a profile and returns its body, bounded by
// limit bytes (--max-decompressed) and reporting progress on a terminal.
// The caller closes the body.
func openURL(tio *term.IO, raw string, timeout time.Duration, limit int64) (io.ReadCloser, error) {
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", raw, err)
	}
	client := &http.Client{Timeout: fetchTimeout(u, timeout)}
	req, err := http.NewRequest(http.MethodGet, raw, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", raw, err)
	}
	req.Header.Set("User-Agent", "hotspot")
	if tio.ErrTTY {
		fmt.Fprintf(tio.Err, "fetching %s (up to %s)...\n", raw, client.Timeout)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %v", raw, unwrapURLError(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("fetching %s: HTTP %s", raw, resp.Status)
	}
	if resp.ContentLength > limit {
		resp.Body.Close()
		return nil, &profile.LimitError{File: raw, What: "download size", Limit: limit, Flag: "--max-decompressed"}
	}
	body := &limitedBody{r: resp.Body, c: resp.Body, name: raw, limit: limit}
	var r io.Reader = body
	if resp.ContentLength > 0 {
		r = withProgress(body, resp.ContentLength, raw, tio)
	}
	return readCloser{r, body}, nil
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// limitedBody fails with a LimitError once more than limit bytes arrive.
type limitedBody struct {
	r     io.Reader
	c     io.Closer
	name  string
	n     int64
	limit int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		return n, &profile.LimitError{File: b.name, What: "download size", Limit: b.limit, Flag: "--max-decompressed"}
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.c.Close() }

type readCloser struct {
	io.Reader
	io.Closer
}
