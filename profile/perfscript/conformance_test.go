package perfscript

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// conformancePair is one (input, expected output, option) case of the
// collapse-perf conformance suite.
type conformancePair struct {
	in, want, opt string
}

// conformancePairs selects the pairs exactly as the suite's runner script
// does: every flamegraph/results/<name>-collapsed-<opt>.txt whose input
// exists (.txt or .txt.gz), except the Rust Yamakaky input whose inferno
// results stand instead; then the inferno/ cases with their options.
func conformancePairs(t *testing.T, suite string) []conformancePair {
	t.Helper()
	var pairs []conformancePair
	results, err := filepath.Glob(filepath.Join(suite, "flamegraph", "results", "*-collapsed-*.txt"))
	require.NoError(t, err)
	for _, r := range results {
		base := filepath.Base(r)
		i := strings.LastIndex(base, "-collapsed-")
		name, opt := base[:i], strings.TrimSuffix(base[i+len("-collapsed-"):], ".txt")
		in := filepath.Join(suite, "flamegraph", name+".txt")
		if !exists(in) {
			in += ".gz"
			if !exists(in) {
				continue
			}
		}
		if name == "perf-rust-Yamakaky-dcpu" {
			continue
		}
		pairs = append(pairs, conformancePair{in, r, opt})
	}
	inf := filepath.Join(suite, "inferno")
	for _, n := range []string{"go-stacks", "java-inline", "cpp-stacks-std-function", "single-event", "single-line-stacks", "no-events"} {
		if in := filepath.Join(inf, n+".txt"); exists(in) {
			pairs = append(pairs, conformancePair{in, filepath.Join(inf, "results", n+"-collapsed.txt"), ""})
		}
	}
	if in := filepath.Join(inf, "versioned-vmlinux.txt"); exists(in) {
		pairs = append(pairs, conformancePair{in, filepath.Join(inf, "results", "versioned-vmlinux-collapsed-kernel.txt"), "kernel"})
	}
	if in := filepath.Join(inf, "sourcepawn-jitdump.txt"); exists(in) {
		pairs = append(pairs, conformancePair{in, filepath.Join(inf, "results", "sourcepawn-jitdump-collapsed-jit.txt"), "jit"})
	}
	if in := filepath.Join(suite, "flamegraph", "example-perf-stacks.txt.gz"); exists(in) {
		pairs = append(pairs, conformancePair{in, filepath.Join(inf, "results", "example-perf-stacks-collapsed.txt"), ""})
	}
	for _, opt := range []string{"pid", "tid", "kernel", "jit", "all", "addrs"} {
		if want := filepath.Join(inf, "results", "perf-rust-Yamakaky-dcpu-collapsed-"+opt+".txt"); exists(want) {
			pairs = append(pairs, conformancePair{filepath.Join(suite, "flamegraph", "perf-rust-Yamakaky-dcpu.txt"), want, opt})
		}
	}
	return pairs
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// collapse runs Read and WriteFolded the way `hotspot convert IN --to
// folded --OPT` does.
func collapse(t testing.TB, in, opt string) (string, *profile.Profile) {
	t.Helper()
	f, err := os.Open(in)
	require.NoError(t, err)
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(in, ".gz") {
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		r = zr
	}
	ro := profile.ReadOptions{Addrs: opt == "addrs"}
	p, err := Read(r, filepath.Base(in), ro)
	require.NoError(t, err)
	fo := profile.FoldedOptions{
		Value:  -1,
		PID:    opt == "pid",
		TID:    opt == "tid",
		Kernel: opt == "kernel" || opt == "all",
		JIT:    opt == "jit" || opt == "all",
	}
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, fo))
	return buf.String(), p
}

// normalizeFolded strips quotes and blank lines, as the suite's runner
// does on both sides (the perl collapser deletes quotes from names).
func normalizeFolded(s string) []string {
	s = strings.NewReplacer(`"`, "", "'", "").Replace(s)
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestConformance runs the whole collapse-perf conformance suite: each
// peer-produced folded file must be reproduced exactly by Read+WriteFolded.
func TestConformance(t *testing.T) {
	suite := testutil.Shared(t, "fixtures/conformance/collapse-perf")
	pairs := conformancePairs(t, suite)
	require.NotEmpty(t, pairs)
	failed := 0
	for _, pc := range pairs {
		name := filepath.Base(pc.in) + "--" + pc.opt + "->" + filepath.Base(pc.want)
		t.Run(name, func(t *testing.T) {
			got, _ := collapse(t, pc.in, pc.opt)
			wantB, err := os.ReadFile(pc.want)
			require.NoError(t, err)
			g, w := normalizeFolded(got), normalizeFolded(string(wantB))
			if !equalLines(g, w) {
				failed++
				t.Errorf("%s (option %q) differs from %s:\n%s", filepath.Base(pc.in), pc.opt, filepath.Base(pc.want), lineDiff(w, g))
			}
		})
	}
	t.Logf("collapse-perf conformance: %d/%d pass", len(pairs)-failed, len(pairs))
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lineDiff lists the lines only in want (-) and only in got (+), at most
// 20 of each.
func lineDiff(want, got []string) string {
	in := func(s []string) map[string]int {
		m := map[string]int{}
		for _, l := range s {
			m[l]++
		}
		return m
	}
	wm, gm := in(want), in(got)
	var b strings.Builder
	n := 0
	for _, l := range want {
		if gm[l] == 0 && n < 20 {
			b.WriteString("- " + l + "\n")
			n++
		}
	}
	n = 0
	for _, l := range got {
		if wm[l] == 0 && n < 20 {
			b.WriteString("+ " + l + "\n")
			n++
		}
	}
	if b.Len() == 0 {
		return "(same lines, different order or multiplicity)"
	}
	return b.String()
}
