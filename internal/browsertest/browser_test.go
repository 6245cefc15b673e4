package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/diff"
	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/explain/report"
	"github.com/hotspot-dev/hotspot/flamegraph"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/ingest"
)

// chromium finds the browser: $HOTSPOT_CHROMIUM, else Debian's chromium.
// Without one the test skips locally, and fails in CI (CI=true), whose
// .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("HOTSPOT_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: CI must have it (.ci/run installs Debian's chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); skipping the real-browser test")
	return ""
}

// artifacts is where screenshots go: $HOTSPOT_ARTIFACTS when set (CI keeps
// it), else the test's temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("HOTSPOT_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// browser starts one headless Chromium for the test, with a fresh profile
// and everything that would phone home switched off.
func browser(t *testing.T) context.Context {
	exe := chromium(t)
	// Not t.TempDir: Chromium may still be writing its profile when the
	// test ends; the directory is removed after the browser is stopped.
	profileDir, err := os.MkdirTemp("", "hotspot-chromium-")
	require.NoError(t, err)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profileDir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("allow-file-access-from-files", false),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelB()
		cancelA()
		for range 10 {
			if os.RemoveAll(profileDir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	// Start the browser now, so that a broken install fails here.
	require.NoError(t, chromedp.Run(ctx), "starting %s", exe)
	return ctx
}

// requests records every URL a page asks for.
type requests struct {
	mu   sync.Mutex
	urls []string
}

func (r *requests) listen(ctx context.Context) {
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			r.mu.Lock()
			r.urls = append(r.urls, e.Request.URL)
			r.mu.Unlock()
		}
	})
}

// external returns the URLs that are neither the page's file nor inline data.
func (r *requests) external() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, u := range r.urls {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") && u != "about:blank" {
			out = append(out, u)
		}
	}
	return out
}

// fixture is one profile to open, with where to find it.
type fixture struct {
	name, path string
	search     string // a function name the search must find
}

func load(t *testing.T, path string) *profile.Profile {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := ingest.Read(f, path, ingest.DefaultFormats(), ingest.Options{})
	require.NoError(t, err)
	return p
}

// writeReport renders explain's HTML report for path and returns the file
// and the graph it holds.
func writeReport(t *testing.T, dir string, fx fixture) (string, *flamegraph.Graph) {
	p := load(t, fx.path)
	cat, err := hints.Default()
	require.NoError(t, err)
	rep, err := explain.Explain(p, cat, explain.Options{Path: filepath.Base(fx.path), Value: -1})
	require.NoError(t, err)
	g := flamegraph.Build(p, flamegraph.Options{Value: -1, Categories: explain.NodeCategories(p), Threads: true})
	var buf bytes.Buffer
	require.NoError(t, report.Write(&buf, rep, report.Options{Format: report.HTML, Flame: g}))
	out := filepath.Join(dir, fx.name+".html")
	require.NoError(t, os.WriteFile(out, buf.Bytes(), 0o644))
	return out, g
}

func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: path}).String()
}

// visible counts the boxes at least a pixel wide at width w: what the page
// must draw, computed from the graph independently of the script.
func visible(t flamegraph.Tree, w float64) int {
	n := 0
	for _, nd := range t.Nodes {
		if float64(nd.Total)/float64(t.Total)*w >= 1 {
			n++
		}
	}
	return n
}

// matchedShare is the share of a tree in frames named name, a frame inside
// another match counted once: what the page's search must report.
func matchedShare(g *flamegraph.Graph, t flamegraph.Tree, name string) float64 {
	var sum int64
	inside := int32(-1) // depth of the open match, -1 for none
	for _, nd := range t.Nodes {
		if inside >= 0 && nd.Depth <= inside {
			inside = -1
		}
		if inside < 0 && nd.Merged == 0 && g.Names[nd.Name] == name {
			sum += nd.Total
			inside = nd.Depth
		}
	}
	return float64(sum) / float64(t.Total)
}

func TestIssue9Browser(t *testing.T) {
	ctx := browser(t)
	dir := artifacts(t)
	fixtures := []fixture{
		{"perf-pyo3", testutil.Fixture(t, "planted/pyo3/ffi-per-item.perf.txt"), "per_item"},
		{"dhat-c", testutil.Fixture(t, "dhat/cmalloc-heap.dhat.json"), "list_build"},
	}
	if shared := filepath.Join(testutil.RepoRoot(t), "..", "shared", "fixtures", "pyspy", "py312-threads-gil.speedscope.json"); exists(shared) {
		fixtures = append(fixtures, fixture{"pyspy-threads", shared, "fib"})
	} else {
		t.Log("../shared is absent: the py-spy profile is not opened")
	}
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			page, g := writeReport(t, dir, fx)
			checkPage(t, ctx, dir, fx, page, g)
		})
	}
	t.Run("diff", func(t *testing.T) {
		before := load(t, testutil.Fixture(t, "planted/pyo3/ffi-per-item.perf.txt"))
		after := load(t, testutil.Fixture(t, "planted/pyo3/ffi-batch-control.perf.txt"))
		cat, err := hints.Default()
		require.NoError(t, err)
		rep, err := diff.Compare([]diff.Input{{Path: "ffi-per-item.perf.txt", Profile: before, Value: before.DefaultType}},
			[]diff.Input{{Path: "ffi-batch-control.perf.txt", Profile: after, Value: after.DefaultType}}, cat, diff.Options{})
		require.NoError(t, err)
		g := flamegraph.BuildDiff(diff.Align(before, before.DefaultType, after, after.DefaultType, diff.NameOptions{}),
			flamegraph.DiffOptions{Unit: rep.After.SampleType.Unit, BeforeSamples: rep.Before.Samples, AfterSamples: rep.After.Samples})
		var buf bytes.Buffer
		require.NoError(t, report.WriteDiffHTML(&buf, rep, g))
		page := filepath.Join(dir, "diff.html")
		require.NoError(t, os.WriteFile(page, buf.Bytes(), 0o644))
		checkPage(t, ctx, dir, fixture{name: "diff", search: "batch"}, page, g)
		// Red and blue: some frames grew and some shrank beyond noise.
		grew := 0
		for _, n := range g.Trees[0].Nodes {
			if n.Change == flamegraph.Grew {
				grew++
			}
		}
		assert.Positive(t, grew, "the batch path is new: it grew")
	})
	// A profile with 100,000 distinct frames: the page holds only what can
	// be seen, opens and answers a click quickly (the time is logged, not
	// asserted: the machine is shared).
	t.Run("100k-frames", func(t *testing.T) {
		b := profile.NewBuilder("big", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
		for i := range 100_000 {
			stack := []profile.Frame{{Name: "main", Kind: profile.KindNative}, {Name: "worker" + strconv.Itoa(i%50), Kind: profile.KindNative},
				{Name: "leaf" + strconv.Itoa(i), Kind: profile.KindNative}}
			require.NoError(t, b.AddFrames(stack, profile.Labels{}, int64(1+i%7), int64(1+i%7)))
		}
		p := b.Profile()
		g := flamegraph.Build(p, flamegraph.Options{Value: -1})
		var buf bytes.Buffer
		require.NoError(t, flamegraph.WriteHTML(&buf, g, flamegraph.HTMLOptions{Title: "100k frames"}))
		t.Logf("100k distinct frames: %d boxes kept, page %d bytes", len(g.Trees[0].Nodes), buf.Len())
		page := filepath.Join(dir, "100k.html")
		require.NoError(t, os.WriteFile(page, buf.Bytes(), 0o644))
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		start := time.Now()
		var frames int
		var width float64
		require.NoError(t, chromedp.Run(tab, chromedp.Navigate(fileURL(page)), chromedp.WaitVisible(`#fg .fr`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('#fg .fg-canvas').clientWidth`, &width),
			chromedp.Evaluate(`document.querySelectorAll('#fg .fr').length`, &frames)))
		opened := time.Since(start)
		assert.Equal(t, visible(g.Trees[0], width), frames)
		start = time.Now()
		var zoom string
		require.NoError(t, chromedp.Run(tab, chromedp.Click(`#fg .fr[data-i="1"]`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('#fg').dataset.zoom`, &zoom)))
		assert.Equal(t, "1", zoom)
		t.Logf("opened in %v, %d frames drawn; a click zoomed in %v", opened, frames, time.Since(start))
	})
	t.Run("svg", func(t *testing.T) {
		p := load(t, testutil.Fixture(t, "planted/python/json-loop.perf.txt"))
		var buf bytes.Buffer
		require.NoError(t, flamegraph.WriteSVG(&buf, flamegraph.Build(p, flamegraph.Options{Value: -1}), flamegraph.SVGOptions{Subtitle: "json-loop.perf.txt"}))
		out := filepath.Join(dir, "json-loop.svg")
		require.NoError(t, os.WriteFile(out, buf.Bytes(), 0o644))
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		var reqs requests
		reqs.listen(tab)
		var boxes int
		var shot []byte
		require.NoError(t, chromedp.Run(tab, network.Enable(), chromedp.Navigate(fileURL(out)),
			chromedp.Evaluate(`document.querySelectorAll('#frames > g > rect:first-of-type').length`, &boxes),
			chromedp.FullScreenshot(&shot, 100)))
		assert.Positive(t, boxes, "the SVG drew its frames")
		save(t, dir, "json-loop.svg.png", shot)
		assert.Empty(t, reqs.external(), "the SVG fetched nothing")
	})
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func save(t *testing.T, dir, name string, png []byte) {
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot: %s", path)
}

// checkPage opens one report and exercises its flame graph.
func checkPage(t *testing.T, ctx context.Context, dir string, fx fixture, page string, g *flamegraph.Graph) {
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tab, cancelT := context.WithTimeout(tab, 60*time.Second)
	defer cancelT()
	var reqs requests
	reqs.listen(tab)
	var width float64
	var frames int
	require.NoError(t, chromedp.Run(tab, network.Enable(), chromedp.Navigate(fileURL(page)),
		chromedp.WaitVisible(`#fg .fr`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#fg .fg-canvas').clientWidth`, &width),
		chromedp.Evaluate(`document.querySelectorAll('#fg .fr').length`, &frames)))
	tree := g.Trees[0]
	assert.Equal(t, visible(tree, width), frames, "one element per frame a pixel wide or more (canvas %v px)", width)
	var shot []byte
	require.NoError(t, chromedp.Run(tab, chromedp.FullScreenshot(&shot, 100)))
	save(t, dir, fx.name+".png", shot)

	// Hover: the tooltip names the frame and gives its share.
	widest := 0
	for i, nd := range tree.Nodes {
		if nd.Depth == 0 && nd.Total > tree.Nodes[widest].Total {
			widest = i
		}
	}
	var tip string
	require.NoError(t, chromedp.Run(tab, hover(fmt.Sprintf(`#fg .fr[data-i="%d"]`, widest)),
		chromedp.Evaluate(`document.querySelector('#fg .fg-tip').hidden ? "" : document.querySelector('#fg .fg-tip').textContent`, &tip)))
	assert.Contains(t, tip, g.Names[tree.Nodes[widest].Name])
	assert.Contains(t, tip, "%")

	// Click: a frame that is not full width fills the width.
	target := -1
	for i, nd := range tree.Nodes {
		if nd.Depth > 0 && nd.Merged == 0 && float64(nd.Total) < 0.6*float64(tree.Total) && float64(nd.Total)/float64(tree.Total)*width > 30 {
			target = i
			break
		}
	}
	require.GreaterOrEqual(t, target, 0, "a frame to zoom into")
	sel := fmt.Sprintf(`#fg .fr[data-i="%d"]`, target)
	var zoomed string
	var zoomWidth float64
	require.NoError(t, chromedp.Run(tab, chromedp.Click(sel, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#fg').dataset.zoom`, &zoomed),
		chromedp.Evaluate(`parseFloat(document.querySelector('`+sel+`').style.width)`, &zoomWidth)))
	assert.Equal(t, strconv.Itoa(target), zoomed)
	assert.InDelta(t, width, zoomWidth, 1, "the clicked frame fills the width")
	require.NoError(t, chromedp.Run(tab, chromedp.FullScreenshot(&shot, 100)))
	save(t, dir, fx.name+".zoomed.png", shot)

	// Search: the matches are highlighted and their share is the one the
	// graph gives, a nested match counted once.
	var hl int
	var matched string
	require.NoError(t, chromedp.Run(tab, chromedp.Click(`#fg .fg-reset`, chromedp.ByQuery),
		chromedp.SendKeys(`#fg .fg-search`, "^"+fx.search+"$", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#fg .fr.hl').length`, &hl),
		chromedp.Evaluate(`document.querySelector('#fg').dataset.matched`, &matched)))
	assert.Positive(t, hl, "search highlights %q", fx.search)
	got, err := strconv.ParseFloat(matched, 64)
	require.NoError(t, err)
	assert.InDelta(t, matchedShare(g, tree, fx.search), got, 1e-6)
	require.NoError(t, chromedp.Run(tab, chromedp.FullScreenshot(&shot, 100)))
	save(t, dir, fx.name+".search.png", shot)

	// A finding's button highlights the frames it names.
	var buttons int
	require.NoError(t, chromedp.Run(tab, chromedp.Evaluate(`document.querySelectorAll('#findings ~ details [data-fg-names]').length`, &buttons)))
	if fx.name == "diff" {
		buttons = 0
	}
	if buttons > 0 {
		require.NoError(t, chromedp.Run(tab, chromedp.Evaluate(`document.querySelector('#findings ~ details').open = true`, nil),
			chromedp.Click(`#findings ~ details [data-fg-names]`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('#fg .fr.hl').length`, &hl)))
		assert.Positive(t, hl, "the finding's functions are highlighted")
	}

	// Threads: each tree draws.
	for i := 1; i < len(g.Trees); i++ {
		require.NoError(t, chromedp.Run(tab, chromedp.SetValue(`#fg .fg-thread`, strconv.Itoa(i), chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('#fg .fg-thread').dispatchEvent(new Event('change'))`, nil),
			chromedp.Evaluate(`document.querySelectorAll('#fg .fr').length`, &frames)))
		assert.Equal(t, visible(g.Trees[i], width), frames, "thread %q", g.Trees[i].Label)
	}
	assert.Empty(t, reqs.external(), "the report fetched nothing from the network")
	if math.IsNaN(width) {
		t.Fatal(errors.New("no canvas width"))
	}
}

// hover moves the mouse over the centre of the first element sel matches.
func hover(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var box []float64
		if err := chromedp.Evaluate(`(function(){var e=document.querySelector('`+sel+`');e.scrollIntoView({block:"center"});var r=e.getBoundingClientRect();return [r.x+Math.min(r.width/2,40),r.y+r.height/2]})()`, &box).Do(ctx); err != nil {
			return err
		}
		return input.DispatchMouseEvent(input.MouseMoved, box[0], box[1]).Do(ctx)
	})
}
