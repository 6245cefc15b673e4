package flamegraph

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode/utf8"
)

// Palette chooses how frames are coloured.
type Palette string

const (
	// Hot is FlameGraph's and inferno's default: warm colours varied by
	// name, so neighbouring frames stand apart.
	Hot Palette = "hot"
	// Category colours each frame by explain's cost category (the cost of
	// the samples ending at it), varied a little by name.
	Category Palette = "category"
)

// categoryColors are the base colours of explain's categories: related
// categories share a hue family (Python blues, native oranges, waits
// purples), so a graph reads at a glance.
var categoryColors = map[string][3]int{
	"python":        {91, 155, 213},
	"interpreter":   {157, 195, 230},
	"native":        {244, 177, 131},
	"ffi":           {224, 102, 102},
	"convert":       {234, 153, 153},
	"alloc":         {255, 217, 102},
	"gil":           {180, 167, 214},
	"lock":          {142, 124, 195},
	"io":            {118, 165, 175},
	"serialization": {147, 196, 125},
	"logging":       {162, 196, 201},
	"gc":            {213, 166, 189},
	"async":         {182, 215, 168},
	"import":        {201, 178, 138},
	"idle":          {238, 238, 238},
}

// CategoryColor is the base colour of a category as #rrggbb (grey for an
// unknown or empty one).
func CategoryColor(cat string) string {
	c, ok := categoryColors[cat]
	if !ok {
		c = [3]int{210, 210, 210}
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// nameHash gives a stable number in [0,1) per name, so a function keeps its
// colour across renders and machines.
func nameHash(name string) float64 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return float64(h.Sum32()%1000) / 1000
}

// color is a frame's fill.
func color(p Palette, name, cat string, merged bool) string {
	if merged {
		return "rgb(200,200,200)"
	}
	v := nameHash(name)
	if p == Category {
		c, ok := categoryColors[cat]
		if !ok {
			c = [3]int{210, 210, 210}
		}
		d := int(v*30) - 15 // a small shade so neighbours differ
		return fmt.Sprintf("rgb(%d,%d,%d)", clamp(c[0]+d), clamp(c[1]+d), clamp(c[2]+d))
	}
	w := nameHash(reverse(name))
	return fmt.Sprintf("rgb(%d,%d,%d)", 205+int(50*w), int(230*v), int(55*w))
}

func clamp(x int) int { return max(0, min(255, x)) }

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// DisplayName is a name as the graph shows it (see safeText), so that a page
// can name frames the graph will recognise.
func DisplayName(s string) string { return safeText(s) }

// safeText makes a name from the profile safe to show: control characters,
// invalid UTF-8, bidirectional overrides and the code points XML forbids
// become visible escapes (\x1b, \u202e). Markup is escaped separately.
func safeText(s string) string {
	clean := true
	for i, r := range s {
		if unsafeRune(r) || (r == utf8.RuneError && badAt(s, i)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

func badAt(s string, i int) bool {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n <= 1
}

func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) ||
		(r >= 0x2066 && r <= 0x2069) || r == 0xfeff || r == 0xfffe || r == 0xffff
}
