// Package browsertest holds the test that opens hotspot's HTML reports and
// flame graphs in a real headless Chromium: the graph draws, a click zooms,
// search highlights, and the page fetches nothing from the network. It is
// the only user of chromedp, and has no code outside its test.
package browsertest
