package perfscript

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
)

// readWith reads data serially (workers 0) or in parallel with the given
// workers and chunk size, and returns the profile or the error. tune, if
// given, adjusts the reader first (cache limits).
func readWith(data []byte, opt profile.ReadOptions, workers, size int, tune ...func(*reader)) (*profile.Profile, error) {
	rd := newReader(bytes.NewReader(data), "t.perf", opt)
	for _, f := range tune {
		f(rd)
	}
	var err error
	if workers == 0 {
		err = rd.run()
	} else {
		err = rd.runParallel(rd.br, workers, size)
	}
	if err != nil {
		return nil, err
	}
	return rd.finish()
}

// tight makes the line cache and the block set tiny, so that reads run
// past both limits.
func tight(rd *reader) { rd.cacheLimit, rd.blockLimit = 3, 2 }

// blockInputs are hand-made inputs around callchain blocks (block.go):
// the same callchain text in records whose reading differs by what came
// before or around it.
var blockInputs = map[string]string{
	// java* processes tidy names differently: one text, two stacks.
	"java and not": "java 1 1.0: 1 cycles:\n\t1 La/B;::run->La/C;::x+0x4b (/tmp/perf-5.map)\n\t2 main (/x)\n\n" +
		"app 1 2.0: 1 cycles:\n\t1 La/B;::run->La/C;::x+0x4b (/tmp/perf-5.map)\n\t2 main (/x)\n\n" +
		"java 2 3.0: 1 cycles:\n\t1 La/B;::run->La/C;::x+0x4b (/tmp/perf-5.map)\n\t2 main (/x)\n\n" +
		"app 2 4.0: 1 cycles:\n\t1 La/B;::run->La/C;::x+0x4b (/tmp/perf-5.map)\n\t2 main (/x)\n\n",
	// Lines without a dso are read only until a line with one is seen.
	"bare then dso": "app 1 1.0: 1 cycles:\n\t1 f\n\t2 main\n\n" + "app 1 2.0: 1 cycles:\n\t1 f (/x)\n\n" +
		"app 1 3.0: 1 cycles:\n\t1 f\n\t2 main\n\n" + "app 1 4.0: 1 cycles:\n\t1 f (/x)\n\n",
	// The same, past the line cache (read "tight"): the bare line is
	// parsed again each time, and taken only before the line with a dso.
	"bare past the cache": "app 1 1.0: 1 cycles:\n\t1 a\n\t2 b\n\t3 c\n\n" + "app 1 2.0: 1 cycles:\n\t4 f\n\n" +
		"app 1 3.0: 1 cycles:\n\t5 g (/x)\n\n" + "app 1 4.0: 1 cycles:\n\t4 f\n\n",
	// A record not ended by a blank line, then the same text in one that is.
	"no blank between": "app 1 1.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\nsh 1 1.5: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n" +
		"app 1 2.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n",
	// A srcline ends a block text of its own; the same entries without it.
	"srcline": "app 1 1.0: 1 cycles:\n\t1 f (/x)\n  f.c:3\n\t2 main (/x)\n\n" + "app 1 2.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n" +
		"app 1 3.0: 1 cycles:\n\t1 f (/x)\n  f.c:3\n\t2 main (/x)\n\n" + "app 1 4.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n",
	// Inlined entries take their caller's dso, interned at the record's end.
	"inlined": "app 1 1.0: 1 cycles:\n\t1 g (inlined)\n\t2 f (/x)\n\n" + "app 1 2.0: 1 cycles:\n\t1 g (inlined)\n\t2 f (/y)\n\n" +
		"app 1 3.0: 1 cycles:\n\t1 g (inlined)\n\t2 f (/x)\n\n" + "app 1 4.0: 1 cycles:\n\t1 g (inlined)\n\t2 f (/y)\n\n",
	// An unknown symbol keeps its address with Addrs.
	"unknown": "app 1 1.0: 1 cycles:\n\t1 [unknown] (/x)\n\n" + "app 1 2.0: 1 cycles:\n\t2 [unknown] (/x)\n\n" + "app 1 3.0: 1 cycles:\n\t1 [unknown] (/x)\n\n",
	// A stackless event and a callchain cut from it, twice.
	"orphans twice": "app 1 1.0: 1 cycles:\n\n\t1 f (/x)\n\nsh 2 2.0: 1 cycles:\n\t1 f (/x)\n\n" + "app 1 3.0: 1 cycles:\n\n\t1 f (/x)\n\nsh 2 4.0: 1 cycles:\n\t1 f (/x)\n\n",
	// A blank line of spaces, and CRLF line ends.
	"spaces and crlf": "app 1 1.0: 1 cycles:\n\t1 f (/x)\n  \n" + "app 1 2.0: 1 cycles:\r\n\t1 f (/x)\r\n\r\n" + "app 1 3.0: 1 cycles:\n\t1 f (/x)\n\n",
	// The same text after a garbage line inside the record.
	"garbage inside": "app 1 1.0: 1 cycles:\nzz\n\t1 f (/x)\n\n" + "app 1 2.0: 1 cycles:\n\t1 f (/x)\n\n" + "app 1 3.0: 1 cycles:\nzz\n\t1 f (/x)\n\n",
	// A comment between records and inside one.
	"comments": "app 1 1.0: 1 cycles:\n\t1 f (/x)\n# c\n\t2 main (/x)\n\n" + "app 1 2.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n# c\n" + "app 1 3.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n",
	// A period sum that overflows on a repeated block.
	"overflow": "app 1 1.0: 9223372036854775000 cycles:\n\t1 f (/x)\n\n" + "app 1 2.0: 9223372036854775000 cycles:\n\t1 f (/x)\n\n",
	// A single-line stack on the event line, then the same entry as a block.
	"single line": "app 1 1.0: 1 cycles:  1 f (/x)\n" + "app 1 2.0: 1 cycles:\n\t1 f (/x)\n\n" + "app 1 3.0: 1 cycles:  1 f (/x)\n" + "app 1 4.0: 1 cycles:\n\t1 f (/x)\n\n",
	// Deep stacks against the depth limit.
	"deep": "app 1 1.0: 1 cycles:\n" + strings.Repeat("\t1 f (/x)\n", 25) + "\n" + "app 1 2.0: 1 cycles:\n" + strings.Repeat("\t1 f (/x)\n", 25) + "\n",
}

// manyEvents is more distinct events than a profile keeps, each record
// with the same callchain: the records past the limit are skipped.
func manyEvents() string {
	var sb strings.Builder
	for i := 0; i < maxEvents+3; i++ {
		fmt.Fprintf(&sb, "app 1 %d.0: 1 e%d:\n\t1 f (/x)\n\t2 main (/x)\n\n", i+1, i%(maxEvents+2))
	}
	return sb.String()
}

// mixedInput is a deterministic pseudo-random perf script text that
// repeats a small pool of callchains over many records, with comms that
// switch between java and not, and, now and then, the things that make a
// record read differently: srclines, comments, garbage lines, missing
// blank lines, single-line stacks, bare entries.
func mixedInput(n int, seed int64) []byte {
	rng := rand.New(rand.NewSource(seed))
	entries := []string{"\t1 f+0x1 (/x)", "\t2 g (inlined)", "\t3 h (/y)", "\t4 [unknown] (/x)", "\t5 main (/x)",
		"\t6 La/B;::run->La/C;::x (/tmp/perf-5.map)", "\t7 _start (/x)", "\tffffffff81000000 k ([kernel.kallsyms])"}
	var pool []string
	for i := 0; i < 12; i++ {
		var b strings.Builder
		for d := 1 + rng.Intn(6); d > 0; d-- {
			b.WriteString(entries[rng.Intn(len(entries))])
			b.WriteString("\n")
		}
		pool = append(pool, b.String())
	}
	comms := []string{"app", "java", "javac", "py thon"}
	events := []string{"cycles", "cpu-clock", "instructions:u"}
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "%s %d %d.%06d: %d %s:", comms[rng.Intn(len(comms))], 1+rng.Intn(3), i, rng.Intn(1e6), 1+rng.Intn(1000), events[rng.Intn(len(events))])
		switch x := rng.Intn(40); {
		case x == 0:
			sb.WriteString("  1 f (/x)\n")
			continue
		case x == 1:
			sb.WriteString("\n\t1 f\n\n")
			continue
		}
		sb.WriteString("\n")
		sb.WriteString(pool[rng.Intn(len(pool))])
		switch x := rng.Intn(40); {
		case x == 0:
			sb.WriteString("  f.c:12\n")
		case x == 1:
			sb.WriteString("# comment\n")
		case x == 2:
			sb.WriteString("garbage\n")
		case x == 3:
			continue // no blank line
		}
		sb.WriteString("\n")
	}
	return []byte(sb.String())
}

// perfFixtures returns every perf script text among the fixtures: the
// repository's and the shared folder's (recordings, public captures, the
// conformance suites' inputs), gunzipped, by path.
func perfFixtures(t *testing.T) map[string][]byte {
	t.Helper()
	root := testutil.RepoRoot(t)
	in := map[string][]byte{}
	for _, dir := range []string{filepath.Join(root, "fixtures"), filepath.Join(root, "..", "shared", "fixtures")} {
		if !dirExists(dir) {
			continue
		}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if n := d.Name(); n == "results" || n == "expected" {
					return filepath.SkipDir // collapser outputs, not inputs
				}
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			if !strings.Contains(strings.ToLower(rel), "perf") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if strings.HasSuffix(p, ".gz") {
				zr, err := gzip.NewReader(bytes.NewReader(data))
				if err != nil {
					return nil // not gzip after all: not an input here
				}
				if data, err = io.ReadAll(zr); err != nil {
					return nil
				}
			}
			in[p] = data
			return nil
		})
		require.NoError(t, err)
	}
	return in
}

// parallelInputs are every perf script text the tests have: the
// fixtures (perfFixtures) and hand-made edge cases (stackless events,
// callchains cut off by a blank line, srclines, inlined entries, a
// missing final newline, CRLF, the block cases above, generated mixes).
func parallelInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := map[string][]byte{
		"stackless then orphans": []byte("a 1 1.0: 1 cycles:\n\n\t1 f (/x)\n\nb 2 2.0: 1 cycles:\n\t2 g (/x)\n"),
		"no final newline":       []byte("a 1 1.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)"),
		"crlf":                   []byte("a 1 1.0: 1 cycles:\r\n\t1 f (/x)\r\n\r\na 1 2.0: 1 cycles:\r\n\t1 f (/x)\r\n"),
		"srcline and inlined":    []byte("a 1 1.0: 1 cycles:\n\t1 g (inlined)\n\t2 f (/x)\n  f.c:3\n\t3 main (/x)\n\n"),
		"garbage between":        []byte("a 1 1.0: 1 cycles:\n\t1 f (/x)\nnot a line\n\nzz\n\na 1 2.0: 1 cpu-clock:\n\t1 f (/x)\n"),
		"header":                 []byte("# ========\n# perf version : 6.1\n# cmdline : perf record -g\n#\na 1 1.0: 1 cycles:\n\t1 f (/x)\n"),
		"empty":                  nil,
		"many events":            []byte(manyEvents()),
		"mixed 1":                mixedInput(3000, 1),
		"mixed 2":                mixedInput(300, 2),
	}
	for name, text := range blockInputs {
		in["block: "+name] = []byte(text)
	}
	for p, data := range perfFixtures(t) {
		in[fixturePrefix+p] = data
	}
	return in
}

// fixturePrefix marks the fixtures among parallelInputs.
const fixturePrefix = "fixture: "

// readCases are the reader settings the parallel reader is checked under.
var readCases = map[string]struct {
	opt  profile.ReadOptions
	tune func(*reader)
}{
	"default": {},
	"strict":  {opt: profile.ReadOptions{Strict: true}},
	"addrs":   {opt: profile.ReadOptions{Addrs: true}},
	"limits":  {opt: profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 100, MaxStackDepth: 20}}},
	"tight":   {tune: tight},
}

// tinySizes are the chunk sizes, in bytes, that inputs are cut into: from
// one byte (the chunk grows to hold a line) to 4 KB.
var tinySizes = []int{1, 2, 3, 5, 8, 13, 31, 61, 128, 509, 1024, 4096}

// TestParallelReadIsSerialRead: the parallel reader gives the serial
// reader's profile (frames and their IDs, samples, metadata, warnings) or
// error (message and line) for every perf script input the tests have,
// however the input is cut into chunks and with any number of workers.
// To keep the test short, fixtures are cut into six of the sizes with the
// default settings only (those over 256 KB into two), into 4 KB chunks
// with the others, not read "tight" over 256 KB (every line is parsed
// again there), and read with the default settings only over 4 MB.
func TestParallelReadIsSerialRead(t *testing.T) {
	inputs := parallelInputs(t)
	require.Greater(t, len(inputs), 30)
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	t.Logf("%d inputs", len(names))
	runs := 0
	for _, name := range names {
		data := inputs[name]
		for cname, rc := range readCases {
			var tune []func(*reader)
			if rc.tune != nil {
				tune = append(tune, rc.tune)
			}
			sizes := tinySizes
			if fixture, big := strings.HasPrefix(name, fixturePrefix), len(data) > 256<<10; fixture {
				switch {
				case len(data) > 4<<20 && cname != "default":
					continue
				case cname == "tight" && big:
					continue
				case cname == "default" && big:
					sizes = []int{13, 4096}
				case cname == "default":
					sizes = []int{1, 3, 13, 61, 509, 4096}
				case cname != "default":
					sizes = []int{4096}
				}
			}
			want, wantErr := readWith(data, rc.opt, 0, 0, tune...)
			for i, size := range append(sizes, chunkSize) {
				workers := 1 + i%3
				got, err := readWith(data, rc.opt, workers, size, tune...)
				runs++
				if wantErr != nil {
					require.Error(t, err, "%s %s size %d", name, cname, size)
					require.Equal(t, wantErr.Error(), err.Error(), "%s %s size %d", name, cname, size)
					continue
				}
				require.NoError(t, err, "%s %s size %d", name, cname, size)
				require.Equal(t, want, got, "%s %s size %d workers %d", name, cname, size, workers)
			}
		}
	}
	t.Logf("%d parallel reads", runs)
}

// TestParallelReadSameFolded: the folded text, the bytes convert writes,
// is the same either way on the shared bench seeds, the largest real
// recordings there are.
func TestParallelReadSameFolded(t *testing.T) {
	dir := testutil.Shared(t, "bench/seeds")
	paths, err := filepath.Glob(filepath.Join(dir, "perf-*.txt.gz"))
	require.NoError(t, err)
	if len(paths) == 0 {
		t.Skipf("no perf seeds in %s", dir)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		require.NoError(t, err)
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		data, err := io.ReadAll(zr)
		f.Close()
		require.NoError(t, err)
		var folded [2]bytes.Buffer
		for i, workers := range []int{0, 2} {
			p, err := readWith(data, profile.ReadOptions{}, workers, 64<<10)
			require.NoError(t, err)
			require.NoError(t, profile.WriteFolded(&folded[i], p, profile.FoldedOptions{Value: -1}))
		}
		assert.Greater(t, folded[0].Len(), 0)
		assert.True(t, bytes.Equal(folded[0].Bytes(), folded[1].Bytes()), "%s: folded output differs", p)
	}
}

// FuzzParallelRead checks that the parallel reader agrees with the serial
// one on any input, cut into chunks of 1 to 256 bytes, with the line
// cache and the block set at their usual size or tiny (odd size).
func FuzzParallelRead(f *testing.F) {
	f.Add([]byte("a 1 1.0: 1 cycles:\n\t1 f (/x)\n\t2 main (/x)\n\n"), uint8(16))
	f.Add([]byte("a 1 1.0: 1 cycles:\n\n\t1 f (/x)\n\nb 2 2.0: 1 cycles:\n\t2 g (inlined)\n\t3 h (/x)\n  h.c:3\n"), uint8(5))
	for _, text := range blockInputs {
		f.Add([]byte(text), uint8(0))
		f.Add([]byte(text), uint8(7))
	}
	f.Add(mixedInput(40, 3), uint8(100))
	opt := profile.ReadOptions{Limits: profile.Limits{MaxLineBytes: 200, MaxFrames: 10_000}}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		var tune []func(*reader)
		if size%2 == 1 {
			tune = append(tune, tight)
		}
		want, wantErr := readWith(data, opt, 0, 0, tune...)
		got, err := readWith(data, opt, 2, int(size)+1, tune...)
		if (wantErr == nil) != (err == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("errors differ: serial %v, parallel %v", wantErr, err)
		}
		if err == nil && !reflect.DeepEqual(want, got) {
			t.Fatalf("profiles differ")
		}
	})
}
