package ingest_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// detectSamples names, for every format hotspot reads, real recordings made
// by that format's own tools: fixtures/ paths are in the repository,
// shared/ paths beside it (../shared). A new importer adds its row here.
var detectSamples = map[string][]string{
	"speedscope":     {"pyspy/py311-threads.speedscope.json", "shared/fixtures/public/speedscope/speedscope-repo_0.0.1_simple.speedscope.json"},
	"dhat":           {"dhat/cmalloc-heap.dhat.json", "shared/fixtures/public/dhat/rust-dhat-crate_http-server.dhat-heap.json"},
	"perf":           {"perf/goalloc-fp.perf.txt", "shared/fixtures/public/perf/speedscope-repo_simple.linux-perf.txt"},
	"folded":         {"folded/py312-xperf-threads-dwarf.folded", "pyspy/py311-subprocesses.raw.txt"},
	"pprof":          {"pprof/gobench-cpu.pb.gz", "shared/fixtures/public/pprof/google-pprof_cppbench.cpu_no_samples_type.pb.gz"},
	"austin":         {"shared/fixtures/austin/py39-hot-loop.austin", "shared/fixtures/austin/py310-threads-gil.austin"},
	"callgrind":      {"callgrind/fanout.callgrind.out", "callgrind/fanout-instr-cache.callgrind.out", "shared/fixtures/callgrind/py311-rpds-per-item.callgrind.out"},
	"pstats":         {"pstats/per-item.pstats", "shared/fixtures/pstats/py313-json-rounds.pstats", "pstats/per-item-py39-profile.pstats"},
	"flamegraph-svg": {"shared/fixtures/flamegraph-svg/py312-xperf-threads-dwarf.svg", "shared/fixtures/flamegraph-svg/py311-pyo3-dwarf.inferno.svg"},
	"heaptrack":      {"shared/fixtures/heaptrack/cmalloc.heaptrack.zst", "shared/fixtures/heaptrack/py311-rpds-per-item.heaptrack.zst"},
	"scalene":        {"shared/fixtures/scalene/deb311-hot-loop.scalene.json", "shared/fixtures/scalene/deb311-json-rounds.scalene.json"},
	"massif":         {"shared/fixtures/massif/cmalloc.massif.out", "shared/fixtures/massif/py311-rpds-per-item-stacks.massif.out"},
}

// generic formats accept any text of their shape, so they also accept
// files of a more specific format built on it ("Thread 7f;f (a.py);L3 12"
// is austin, and also a folded line). Such a file is decided by the
// stronger evidence: the specific format's sniffer, tried first.
var generic = map[string]bool{"folded": true}

// detectPath resolves a detectSamples path.
func detectPath(t *testing.T, rel string) string {
	if r, ok := strings.CutPrefix(rel, "shared/"); ok {
		return testutil.Shared(t, r)
	}
	return testutil.Fixture(t, rel)
}

// sniffHead is what the ingest layer shows the sniffers: the first HeadSize
// bytes, after gzip is undone.
func sniffHead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		data, err = io.ReadAll(io.LimitReader(zr, ingest.HeadSize))
		require.NoError(t, err)
	}
	return data[:min(len(data), ingest.HeadSize)]
}

// TestDetectEveryPair: for every pair of formats A and B, a real file of
// format A is claimed by A's sniffer and by no other (a generic format may
// also claim it when A is tried before it), and ingest reads it as A.
func TestDetectEveryPair(t *testing.T) {
	formats := ingest.DefaultFormats()
	var names []string
	order := map[string]int{}
	for i, f := range formats {
		order[f.Name()] = i
		names = append(names, f.Name())
		assert.NotEmpty(t, detectSamples[f.Name()], "format %q has no sample file in detectSamples: add real recordings of it, so that detection is tested against every other format", f.Name())
	}
	var want []string
	for name := range detectSamples {
		want = append(want, name)
	}
	sort.Strings(want)
	for _, name := range want {
		for _, rel := range detectSamples[name] {
			t.Run(name+"/"+filepath.Base(rel), func(t *testing.T) {
				path := detectPath(t, rel)
				require.Contains(t, names, name, "detectSamples names a format ingest does not have")
				head := sniffHead(t, path)
				for _, f := range formats {
					got := f.Sniff(head)
					switch {
					case f.Name() == name:
						assert.True(t, got, "the %s sniffer declines a %s file", f.Name(), name)
					case got && generic[f.Name()]:
						assert.Less(t, order[name], order[f.Name()], "%s also claims this %s file, so %s must be tried first", f.Name(), name, name)
					default:
						assert.False(t, got, "the %s sniffer claims a %s file", f.Name(), name)
					}
				}
				p := readFile(t, path)
				assert.Equal(t, name, p.Meta.Format)
			})
		}
	}
}

// specificInPublic names the public-corpus files filed under a generic
// format that a more specific importer reads: inferno's austin/flames.txt
// is austin 3.x output, which is also valid folded text.
var specificInPublic = map[string]string{"inferno_austin-flames.txt": "austin"}

// TestDetectPublicCorpus: every profile of the public corpora (other
// projects' files, sorted into folders by format) is claimed by its own
// format's sniffer alone, or by a more specific one tried before it.
func TestDetectPublicCorpus(t *testing.T) {
	formats := ingest.DefaultFormats()
	for _, corpus := range []string{"public", "public2"} {
		dir := testutil.Shared(t, "fixtures/"+corpus)
		for _, format := range []string{"dhat", "folded", "perf", "pprof", "speedscope"} {
			files, err := filepath.Glob(filepath.Join(dir, format, "*"))
			require.NoError(t, err)
			require.NotEmpty(t, files, format)
			for _, path := range files {
				t.Run(corpus+"/"+format+"/"+filepath.Base(path), func(t *testing.T) {
					head := sniffHead(t, path)
					var claimed []string
					for _, f := range formats {
						if f.Sniff(head) {
							claimed = append(claimed, f.Name())
						}
					}
					want := []string{format}
					specific, ok := specificInPublic[filepath.Base(path)]
					if ok {
						want = []string{specific, format} // in detection order
					}
					assert.Equal(t, want, claimed)
					if ok {
						assert.Equal(t, specific, readFile(t, path).Meta.Format)
					}
				})
			}
		}
	}
}
