package ingest_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrokenCorpus reads every file of fixtures/broken (made by
// fixtures/broken/gen.go) and checks that each ends in a clear error that
// names the file and a position, or in a correct result.
func TestBrokenCorpus(t *testing.T) {
	tests := []struct {
		file, from string
		strict     bool
		// wantErr is the error message, exact, with the file's name as
		// "F"; empty means the read must succeed.
		wantErr string
		// check runs on a successful result.
		check func(t *testing.T, p *profile.Profile)
	}{
		{file: "garbage.bin", wantErr: "F: unrecognized profile format: not any of austin, callgrind, dhat, flamegraph-svg, folded, heaptrack, massif, perf, pprof, pstats, scalene, speedscope (use --from FORMAT to force one)"},
		{file: "truncated.speedscope.json", wantErr: "F:1:16068: unexpected end of input: the file is cut short"},
		{file: "truncated.dhat.json", wantErr: "F:55:10: unexpected end of input: the file is cut short"},
		{file: "truncated.pb.gz", wantErr: "F: gzip stream truncated after 17280 decompressed bytes: the file is incomplete"},
		{file: "truncated.perf.txt", check: func(t *testing.T, p *profile.Profile) {
			assert.Equal(t, 1, p.Meta.Skipped, "the cut last line is skipped with a warning")
			assert.Contains(t, p.Meta.Warnings[0], "F:171: want a callchain line")
		}},
		{file: "truncated.folded", check: func(t *testing.T, p *profile.Profile) {
			assert.Equal(t, 1, p.Meta.Skipped, "the cut last line has no count")
		}},
		{file: "invalid-utf8.folded", check: func(t *testing.T, p *profile.Profile) {
			assert.Equal(t, int64(5), p.Total(0))
		}},
		{file: "nul-bytes.folded", check: func(t *testing.T, p *profile.Profile) {
			assert.Equal(t, int64(2), p.Total(0))
		}},
		{file: "negative-count.folded", from: "folded", wantErr: `F:1:11: negative count -5, want a non-negative number (no line in the input has the form 'stack count')`},
		{file: "nan-count.folded", from: "folded", wantErr: `F:1:11: want 'stack count', got "NaN" where the count should be (no line in the input has the form 'stack count')`},
		{file: "overflow-count.folded", wantErr: "F:1:11: count 99999999999999999999999 overflows a 64-bit integer, want at most 9223372036854775807"},
		{file: "overflow-sum.folded", wantErr: "F:2: the sum of the counts overflows a 64-bit integer, want a total of at most 9223372036854775807"},
		{file: "speedscope-dangling-frame.json", check: func(t *testing.T, p *profile.Profile) {
			assert.Equal(t, 1, p.Meta.Skipped, "the bad sample is skipped with a warning")
			assert.Equal(t, []string{"F: profiles[0].samples[1]: frame 7 out of range (2 frames); sample skipped"}, p.Meta.Warnings)
			assert.Equal(t, int64(1), p.SampleCount())
		}},
		{file: "speedscope-dangling-frame.json", strict: true, wantErr: "F: profiles[0].samples[1]: frame 7 out of range (2 frames)"},
		{file: "speedscope-weights-wrong-type.json", wantErr: "F: profiles[0].weights: want an array, got string"},
		{file: "speedscope-negative-weight.json", wantErr: "F: profiles[0].weights[0]: negative weight -1, want a non-negative number"},
		{file: "speedscope-nan-weight.json", wantErr: "F:1:225: invalid character 'N' looking for beginning of value"},
		{file: "speedscope-weights-length.json", wantErr: "F: profiles[0].weights: 1 weights for 2 samples, want one weight per sample"},
		{file: "speedscope-unclosed-cycle.json", wantErr: `F: profiles[0].events[2]: closes frame 0 "a" but frame 1 "b" is open (at 2)`},
		{file: "speedscope-deep-nesting.json", wantErr: "F:1:85: JSON nesting depth (5004) exceeds the limit of 1000 (raise it with --max-json-depth)"},
		{file: "dhat-tb-wrong-type.json", wantErr: `F: pps[0].tb: want a non-negative integer, got the string "12"`},
		{file: "dhat-dangling-frame.json", wantErr: "F: pps[0].fs[1]: frame 9 out of range (2 entries in ftbl)"},
		{file: "dhat-negative.json", wantErr: "F: pps[0].tb: negative value -12, want a non-negative integer"},
		{file: "pprof-dangling-location.pb", wantErr: "F: sample[0].location_id[0]: location id 99 is not defined (byte 8 of the protobuf)"},
		{file: "pprof-dangling-function.pb", wantErr: "F: location[0].line[0].function_id: function id 77 is not defined (byte 20 of the protobuf)"},
		{file: "pprof-missing-string.pb", wantErr: "F: function[0].name: string index 42 is out of range (the string table has 4 entries) (byte 28 of the protobuf)"},
		{file: "pprof-location-cycle.pb", wantErr: "F: location[1]: id 1 is also the id of location[0], want a distinct id (byte 26 of the protobuf)"},
		{file: "pprof-negative-value.pb", wantErr: "F: sample[0]: negative samples/count value -3 (hotspot does not read difference profiles)"},
		// The wrong format forced on a good file.
		{file: "../perf/py312-xperf-threads-dwarf.perf.txt", from: "dhat", wantErr: "F: not a DHAT document (want a JSON object): unrecognized profile format (forced with --from dhat; the content looks like perf)"},
		{file: "../pyspy/py311-threads.speedscope.json", from: "pprof", wantErr: "F: not a pprof protobuf (want a profile.proto message that starts with its sample types, raw or gzipped): unrecognized profile format (forced with --from pprof; the content looks like speedscope)"},
		{file: "../dhat/cmalloc-heap.dhat.json", from: "speedscope", wantErr: `F: not a speedscope document (want a JSON object with "$schema": "https://www.speedscope.app/file-format-schema.json" and "shared.frames"): unrecognized profile format (forced with --from speedscope; the content looks like dhat)`},
		{file: "../pyspy/py311-threads.speedscope.json", from: "perf", wantErr: `F:1: not perf script text: want an event line such as "comm 123 456.789: 1000 cycles:": unrecognized profile format (forced with --from perf; the content looks like speedscope)`},
		{file: "../pyspy/py311-threads.speedscope.json", from: "folded", wantErr: `F:1:26770: want 'stack count', got "profile\"}" where the count should be (no line in the input has the form 'stack count')`},
		// Deep and wide stacks work.
		{file: "deep-20000.folded.gz", check: func(t *testing.T, p *profile.Profile) {
			assert.Equal(t, int32(20000), maxDepth(p))
		}},
		{file: "wide-50000.folded.gz", check: func(t *testing.T, p *profile.Profile) {
			assert.Len(t, p.Children(p.Children(0)[0]), 50000)
		}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s/strict=%v", tc.file, tc.from, tc.strict), func(t *testing.T) {
			path := testutil.Fixture(t, "broken/"+tc.file)
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			p, err := ingest.Read(f, "F", ingest.DefaultFormats(), ingest.Options{From: tc.from, ReadOptions: profile.ReadOptions{Strict: tc.strict}})
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tc.wantErr, err.Error())
				assert.NotContains(t, err.Error(), "\n", "errors are one line")
				return
			}
			require.NoError(t, err)
			require.NoError(t, p.Validate())
			tc.check(t, p)
		})
	}
}

func maxDepth(p *profile.Profile) int32 {
	var d int32
	for i := range p.Nodes {
		d = max(d, int32(p.Depth(profile.NodeID(i))))
	}
	return d
}

func TestDeepStackLimit(t *testing.T) {
	f, err := os.Open(testutil.Fixture(t, "broken/deep-20000.folded.gz"))
	require.NoError(t, err)
	defer f.Close()
	_, err = ingest.Read(f, "F", ingest.DefaultFormats(), ingest.Options{ReadOptions: profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 1000}}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrLimit), err)
	assert.Contains(t, err.Error(), "--max-depth")
}

func TestDistinctFrameLimit(t *testing.T) {
	f, err := os.Open(testutil.Fixture(t, "broken/wide-50000.folded.gz"))
	require.NoError(t, err)
	defer f.Close()
	_, err = ingest.Read(f, "F", ingest.DefaultFormats(), ingest.Options{ReadOptions: profile.ReadOptions{Limits: profile.Limits{MaxFrames: 10000}}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrLimit), err)
	assert.Contains(t, err.Error(), "--max-frames")
}

func TestGzipBombStopsEarly(t *testing.T) {
	// 64 MiB of one folded line repeated compresses to about 100 KiB; the
	// limit is lowered so the test stays fast, the code path is the same.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	block := bytes.Repeat([]byte("main;work 1\n"), 1<<16)
	for i := 0; i < (64<<20)/len(block); i++ {
		zw.Write(block)
	}
	require.NoError(t, zw.Close())
	_, err := ingest.Read(bytes.NewReader(bomb.Bytes()), "bomb.gz", ingest.DefaultFormats(),
		ingest.Options{ReadOptions: profile.ReadOptions{Limits: profile.Limits{MaxDecompressed: 8 << 20}}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrLimit), err)
	assert.Equal(t, "bomb.gz: decompressed size exceeds the limit of 8388608 (raise it with --max-decompressed)", err.Error())
}

func TestEmptyInput(t *testing.T) {
	_, err := ingest.Read(strings.NewReader(""), "empty", ingest.DefaultFormats(), ingest.Options{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrUnrecognized))
	for _, f := range ingest.DefaultFormats() {
		t.Run(f.Name(), func(t *testing.T) {
			p, err := ingest.Read(strings.NewReader(""), "empty", ingest.DefaultFormats(), ingest.Options{From: f.Name()})
			if err != nil {
				// pprof has no empty form: an empty protobuf has no sample types.
				assert.Equal(t, "pprof", f.Name(), err.Error())
				return
			}
			assert.Empty(t, p.Samples)
		})
	}
}

// TestGzippedProtobufNotStartingWithField1 reads a pprof file whose protobuf
// starts with time_nanos (field 9), as pprof's own encoder writes it: the
// sniffer does not claim it, and gzip falls back to pprof.
func TestGzippedProtobufNotStartingWithField1(t *testing.T) {
	f, err := os.Open(testutil.Fixture(t, "planted/go/goalloc-bench-alloc-cpu.pb.gz"))
	require.NoError(t, err)
	defer f.Close()
	p, err := ingest.Read(f, "F", ingest.DefaultFormats(), ingest.Options{})
	require.NoError(t, err)
	assert.Equal(t, "pprof", p.Meta.Format)
	assert.NotZero(t, p.Total(p.DefaultType))
}
