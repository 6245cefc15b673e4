package flamesvg_test

import (
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/flamesvg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const head = `<?xml version="1.0" standalone="no"?>
<svg version="1.1" width="1200" height="100" xmlns="http://www.w3.org/2000/svg">
<!-- Flame graph stack visualization. See https://github.com/brendangregg/FlameGraph -->
<script><![CDATA[ if (a < b && c > d) { x = "<title>"; } ]]></script>
<g id="frames">
`

// g draws one flamegraph.pl frame.
func g(title, x, y, w string) string {
	return "<g >\n<title>" + title + "</title><rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + w + "\" height=\"15.0\" fill=\"rgb(1,2,3)\" rx=\"2\" ry=\"2\" />\n<text  x=\"0\" y=\"0\" >x..</text>\n</g>\n"
}

func read(t *testing.T, in string) (*profile.Profile, error) {
	t.Helper()
	return flamesvg.Read(strings.NewReader(in), "t.svg", profile.ReadOptions{})
}

func TestStacks(t *testing.T) {
	in := head +
		g("all (1,100 samples, 100%)", "10.0", "85", "1180.0") +
		g("main (app.py:3) (1,000 samples, 90.91%)", "10.0", "69", "1072.7") +
		g("&lt;module&gt; (x (y).py:1) (600 samples, 54.55%)", "10.0", "53", "643.6") +
		g("work (400 samples, 36.36%)", "653.6", "53", "429.1") +
		"</g>\n</svg>\n"
	p, err := read(t, in)
	require.NoError(t, err)
	// main's 1,000 less its drawn children's 1,000 leaves it nothing; the
	// root's 100 undrawn samples are named as such.
	assert.Equal(t, "[frames below the minimum width] 100\nmain (app.py:3);<module> (x (y).py:1) 600\nmain (app.py:3);work 400\n", foldedText(t, p))
	assert.Equal(t, "flamegraph.pl", p.Meta.Producer)
	assert.Len(t, p.Meta.Warnings, 1)
}

func TestIcicleAndFactor(t *testing.T) {
	in := head +
		g("all (2.5 usec, 100%)", "10.0", "36", "1180.0") +
		g("a (2 usec, 80%)", "10.0", "52", "900") +
		g("b (0.25 usec, 10%)", "10.0", "68", "100") +
		"</g>\n</svg>\n"
	p, err := read(t, in)
	require.NoError(t, err)
	assert.Equal(t, "[frames below the minimum width] 0.5\na 1.75\na;b 0.25\n", foldedText(t, p))
	assert.Equal(t, profile.ValueType{Type: "wall", Unit: "microseconds", Scale: 100}, p.SampleTypes[0])
}

func TestInfernoExactWidths(t *testing.T) {
	in := `<?xml version="1.0" standalone="no"?><svg version="1.1" xmlns:fg="http://github.com/jonhoo/inferno"><svg id="frames" x="10" width="1180" total_samples="10">` +
		`<g><title>all (10 samples, 100%)</title><rect x="0.0000%" y="20" width="100.0000%" height="15" fill="x" fg:x="0" fg:w="10"/><text x="0" y="0"></text></g>` +
		`<g><title>f (3 samples, 30.00%)</title><rect x="0.0000%" y="36" width="30.0000%" height="15" fill="x" fg:x="0" fg:w="3"/></g>` +
		`<g><title>g (7 samples, 70.00%)</title><rect x="30.0000%" y="36" width="70.0000%" height="15" fill="x" fg:x="3" fg:w="7"/></g>` +
		`<g><title>h;i (1,000 samples; +2%) (7 samples, 70.00%; +1.00%)</title><rect x="30.0000%" y="52" width="70.0000%" height="15" fill="x" fg:x="3" fg:w="7"/></g></svg></svg>`
	_, err := read(t, in)
	require.EqualError(t, err, `t.svg:1: frame name "h;i (1,000 samples; +2%)" holds a ';' or a line break, which a folded stack cannot`)
	in = strings.Replace(in, "h;i (1,000 samples; +2%)", "h (1,000 samples, 2%)", 1)
	p, err := read(t, in)
	require.NoError(t, err)
	assert.Equal(t, "f 3\ng;h (1,000 samples, 2%) 7\n", foldedText(t, p))
	assert.Equal(t, "inferno", p.Meta.Producer)
}

func TestErrors(t *testing.T) {
	all := g("all (10 samples, 100%)", "10.0", "85", "1180.0")
	tests := []struct{ name, in, want string }{
		{"cut inside a title", head + all + "<g >\n<title>main (3 sam", "t.svg:11: the document ends inside a <title>: the file is cut"},
		{"cut after a title", head + all + "<g >\n<title>main (3 samples, 30%)</title>", "t.svg:11: the document ends after a frame's <title> without its <rect>: the file is cut"},
		{"no rect", head + all + "<g >\n<title>main (3 samples, 30%)</title></g>", "t.svg:11: a frame's <title> has no <rect> in its <g>"},
		{"bad count", head + all + g("main (3,x samples, 30%)", "10", "69", "10"), "t.svg:11: frame title \"main (3,x samples, 30%)\": want NAME (COUNT UNIT, PCT%)"},
		{"huge count", head + all + g("main (99,999,999,999,999,999,999 samples, 30%)", "10", "69", "10"), "t.svg:11: frame \"main\": count \"99,999,999,999,999,999,999\": overflows a 64-bit integer"},
		{"children exceed", head + all + g("main (30 samples, 300%)", "10", "69", "1180"), "t.svg:7: frame \"all\": its children's counts add up to more than its own"},
		{"no parent", head + all + g("main (3 samples, 30%)", "10", "69", "10") + g("f (1 samples, 10%)", "500", "53", "5"), "t.svg:15: frame \"f\" has no frame under it one level nearer the root"},
		{"no root", head + g("main (3 samples, 30%)", "10", "69", "10"), "t.svg:10: no root frame \"all (N samples, 100%)\": not a flame graph of stacks"},
		{"no frames", head + "</g></svg>", "t.svg:6: no frames (<title>NAME (COUNT UNIT, PCT%)</title> followed by <rect>): not a flame graph, or an empty one"},
		{"bad y", head + all + strings.Replace(g("m (3 samples, 3%)", "10", "69", "10"), `y="69"`, `y="6x9"`, 1), "t.svg:11: frame \"m\": y=\"6x9\" is not a number"},
		{"no x", head + all + strings.Replace(g("m (3 samples, 3%)", "10", "69", "10"), ` x="10"`, ``, 1), "t.svg:11: frame \"m\": <rect> has no x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(t, tc.in)
			require.Error(t, err)
			if tc.want != "" {
				assert.Equal(t, tc.want, err.Error())
			}
			assert.NotContains(t, err.Error(), "\n")
			assert.True(t, strings.HasPrefix(err.Error(), "t.svg:"), err.Error())
		})
	}
}

func TestSniff(t *testing.T) {
	assert.True(t, flamesvg.Sniff([]byte(head)))
	assert.False(t, flamesvg.Sniff([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><circle/></svg>`)))
	assert.False(t, flamesvg.Sniff([]byte("a;b 1\n")))
}
