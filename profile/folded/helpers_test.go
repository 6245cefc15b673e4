package folded_test

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/require"
)

// read reads in with default options and requires success.
func read(t testing.TB, in string) *profile.Profile {
	t.Helper()
	p, err := folded.Read(strings.NewReader(in), "t.folded", profile.ReadOptions{})
	require.NoError(t, err)
	return p
}

// writeFolded is the canonical text with annotations, as conversion writes it.
func writeFolded(t testing.TB, p *profile.Profile) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: -1, Kernel: true, JIT: true}))
	return buf.String()
}

// tree is a complete, order-independent dump of a profile's samples: every
// field of every frame on the stack, the labels and the value (as the
// decimal it stands for, so profiles at different scales compare by
// meaning). Samples with no value are left out, as WriteFolded leaves them
// out. Two profiles with equal dumps have equal trees.
func tree(p *profile.Profile) string {
	scale := p.SampleTypes[p.DefaultType].Scale
	lines := make([]string, 0, len(p.Samples))
	for _, s := range p.Samples {
		v := s.Values[p.DefaultType]
		if v == 0 {
			continue
		}
		var sb strings.Builder
		for _, f := range p.Stack(s.Node) {
			fmt.Fprintf(&sb, "%+v\n", p.Frames[f])
		}
		fmt.Fprintf(&sb, "labels %+v value %s\n", s.Labels, profile.FormatScaled(v, scale))
		lines = append(lines, sb.String())
	}
	sort.Strings(lines)
	return strings.Join(lines, "---\n")
}
