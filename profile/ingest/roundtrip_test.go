package ingest_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/hotspot-dev/hotspot/profile/pprof"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFile(t *testing.T, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := ingest.Read(f, filepath.Base(path), ingest.DefaultFormats(), ingest.Options{})
	require.NoError(t, err)
	return p
}

// viaPprof writes p as pprof bytes and reads them back.
func viaPprof(t *testing.T, p *profile.Profile) *profile.Profile {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, pprof.Write(&b, p))
	q, err := ingest.Read(&b, "via.pb.gz", ingest.DefaultFormats(), ingest.Options{})
	require.NoError(t, err)
	return q
}

// stacksPerThread is the folded text of value type i, one block per thread
// label set, so that a round trip that loses or merges threads shows.
func stacksPerThread(t *testing.T, p *profile.Profile, i int) string {
	t.Helper()
	byThread := map[string]*profile.Profile{}
	var keys []string
	for _, s := range p.Samples {
		k := fmt.Sprintf("pid=%d/%v tid=%d/%v thread=%q", s.Labels.PID, s.Labels.HasPID, s.Labels.TID, s.Labels.HasTID, s.Labels.Thread)
		if byThread[k] == nil {
			keys = append(keys, k)
			byThread[k] = &profile.Profile{SampleTypes: p.SampleTypes, Frames: p.Frames, Nodes: p.Nodes}
		}
		byThread[k].Samples = append(byThread[k].Samples, s)
	}
	sort.Strings(keys)
	var out bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&out, "== %s\n", k)
		require.NoError(t, profile.WriteFolded(&out, byThread[k], profile.FoldedOptions{Value: i}))
	}
	return out.String()
}

func types(p *profile.Profile) []string {
	var out []string
	for _, t := range p.SampleTypes {
		out = append(out, t.Unit)
	}
	return out
}

// TestRoundTripSpeedscopeThroughPprof: speedscope -> pprof -> speedscope
// keeps every stack, thread and value.
func TestRoundTripSpeedscopeThroughPprof(t *testing.T) {
	files, _ := filepath.Glob(testutil.Fixture(t, "pyspy/*.speedscope.json"))
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			orig := readFile(t, path)
			back := viaPprof(t, orig)
			var ss bytes.Buffer
			require.NoError(t, speedscope.Write(&ss, back, speedscope.WriteOptions{Value: -1}))
			again, err := ingest.Read(&ss, "again.json", ingest.DefaultFormats(), ingest.Options{})
			require.NoError(t, err)
			assert.Equal(t, orig.SampleCount(), again.SampleCount(), "sample count")
			assert.Equal(t, orig.Total(orig.DefaultType), again.Total(again.DefaultType), "total")
			assert.Equal(t, stacksPerThread(t, orig, orig.DefaultType), stacksPerThread(t, again, again.DefaultType))
			// Through pprof alone, every value type and unit survives.
			assert.Equal(t, types(orig), types(back))
			for i := range orig.SampleTypes {
				assert.Equal(t, stacksPerThread(t, orig, i), stacksPerThread(t, back, i), orig.SampleTypes[i].Type)
			}
		})
	}
}

// TestRoundTripDhatThroughPprof: dhat -> pprof keeps every value type.
func TestRoundTripDhatThroughPprof(t *testing.T) {
	files, _ := filepath.Glob(testutil.Fixture(t, "dhat/*.json"))
	planted, _ := filepath.Glob(testutil.Fixture(t, "planted/*/*.dhat.json"))
	files = append(files, planted...)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			orig := readFile(t, path)
			back := viaPprof(t, orig)
			require.Equal(t, len(orig.SampleTypes), len(back.SampleTypes))
			for i, vt := range orig.SampleTypes {
				assert.Equal(t, vt.Type, back.SampleTypes[i].Type)
				assert.Equal(t, vt.Unit, back.SampleTypes[i].Unit)
				assert.Equal(t, orig.Total(i), back.Total(i), vt.Type)
				assert.Equal(t, stacksPerThread(t, orig, i), stacksPerThread(t, back, i), vt.Type)
			}
		})
	}
}

// TestRoundTripFoldedThroughPprof: folded -> pprof -> folded gives the same
// lines, for every folded fixture (perf-collapsed and py-spy raw).
func TestRoundTripFoldedThroughPprof(t *testing.T) {
	files, _ := filepath.Glob(testutil.Fixture(t, "folded/*.folded"))
	raw, _ := filepath.Glob(testutil.Fixture(t, "pyspy/*.raw.txt"))
	files = append(files, raw...)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			orig := readFile(t, path)
			back := viaPprof(t, orig)
			var a, b bytes.Buffer
			require.NoError(t, profile.WriteFolded(&a, orig, profile.FoldedOptions{Value: -1, Kernel: true, JIT: true}))
			require.NoError(t, profile.WriteFolded(&b, back, profile.FoldedOptions{Value: -1, Kernel: true, JIT: true}))
			assert.Equal(t, a.String(), b.String())
		})
	}
}

// TestRoundTripPerfThroughPprof: perf -> pprof keeps every event's values
// and the comm/pid/tid labels the folded root frames are made from.
func TestRoundTripPerfThroughPprof(t *testing.T) {
	files, _ := filepath.Glob(testutil.Fixture(t, "perf/*.perf.txt"))
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			orig := readFile(t, path)
			back := viaPprof(t, orig)
			require.Equal(t, len(orig.SampleTypes), len(back.SampleTypes))
			for i := range orig.SampleTypes {
				var a, b bytes.Buffer
				opt := profile.FoldedOptions{Value: i, TID: true, Kernel: true, JIT: true}
				require.NoError(t, profile.WriteFolded(&a, orig, opt))
				require.NoError(t, profile.WriteFolded(&b, back, opt))
				assert.Equal(t, a.String(), b.String(), orig.SampleTypes[i].Type)
			}
		})
	}
}
