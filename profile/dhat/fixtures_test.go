package dhat_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/dhat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFile(t testing.TB, path string) (*profile.Profile, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	p, err := dhat.Read(bytes.NewReader(data), filepath.Base(path), profile.ReadOptions{})
	require.NoError(t, err)
	return p, data
}

var (
	valgrindTypes = []string{"alloc_space", "alloc_objects", "peak_space", "peak_objects", "end_space", "end_objects", "lifetime", "max_space", "read_bytes", "write_bytes"}
	dhatrsTypes   = valgrindTypes[:8]
)

// TestReadFixtures checks every total against the sum of the matching key
// over the file's program points, which is what DHAT's own summary reports
// ("Total: 8,479,296 bytes in 160,241 blocks" for cmalloc).
func TestReadFixtures(t *testing.T) {
	tests := []struct {
		path     string
		shared   bool
		types    []string
		lifetime string
		totals   []int64
		producer string
		attrs    []profile.Attr
		frame    profile.Frame
	}{
		{"dhat/cmalloc-heap.dhat.json", false, valgrindTypes, "instrs",
			[]int64{8479296, 160241, 279000, 4000, 0, 0, 128382732625, 391000, 2154669, 7832469}, "valgrind DHAT",
			[]profile.Attr{{Key: "Mtu", Value: "Minstr"}, {Key: "cmd", Value: "/opt/bench/cmalloc 20"}, {Key: "mode", Value: "heap"}, {Key: "pid", Value: "21996"},
				{Key: "te", Value: "106688934"}, {Key: "tg", Value: "104413863"}, {Key: "tu", Value: "instrs"}, {Key: "tuth", Value: "500"}, {Key: "verb", Value: "Allocated"}},
			profile.Frame{Name: "make_key", Display: "make_key", File: "cmalloc.c", Line: 22, Kind: profile.KindNative}},
		{"dhat/py311-alloc-heap.dhat.json", false, valgrindTypes, "instrs",
			[]int64{7241156, 3600, 2103962, 1396, 428489, 62, 125365758098, 2011634, 20261501, 8510883}, "valgrind DHAT", nil,
			profile.Frame{Name: "list_resize", Display: "list_resize", File: "listobject.c", Line: 81, Kind: profile.KindNative, Inlined: true}},
		{"fixtures/public/dhat/rust-dhat-crate_http-server.dhat-heap.json", true, dhatrsTypes, "µs",
			[]int64{69863, 184, 38066, 102, 3076, 9, 1646724856, 62689}, "dhat-rs",
			[]profile.Attr{{Key: "Mtu", Value: "s"}, {Key: "cmd", Value: "target/debug/http-server"}, {Key: "mode", Value: "rust-heap"}, {Key: "pid", Value: "51248"},
				{Key: "te", Value: "17540340"}, {Key: "tg", Value: "101329"}, {Key: "tu", Value: "µs"}, {Key: "tuth", Value: "10"}, {Key: "verb", Value: "Allocated"}},
			profile.Frame{Name: "alloc::raw_vec::RawVec<T,A>::allocate_in", Display: "alloc::raw_vec::RawVec<T,A>::allocate_in", File: "raw_vec.rs", Line: 203, Kind: profile.KindNative}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			path := testutil.Fixture(t, tc.path)
			if tc.shared {
				path = testutil.Shared(t, tc.path)
			}
			p, data := readFile(t, path)
			var names []string
			for _, vt := range p.SampleTypes {
				names = append(names, vt.Type)
			}
			assert.Equal(t, tc.types, names)
			assert.Equal(t, profile.ValueType{Type: "lifetime", Unit: tc.lifetime}, p.SampleTypes[6])
			assert.Equal(t, tc.totals, totals(p))
			assert.Equal(t, tc.producer, p.Meta.Producer)
			assert.Equal(t, "dhat", p.Meta.Format)
			assert.Equal(t, "memory", p.Meta.Recording)
			if tc.attrs != nil {
				assert.Equal(t, tc.attrs, p.Meta.Attrs)
			}
			assert.Empty(t, p.Meta.Warnings)
			assert.True(t, hasFrame(p, tc.frame), "no frame %+v", tc.frame)
			assert.True(t, dhat.Sniff(data))
			for _, f := range p.Frames {
				assert.Equal(t, profile.KindNative, f.Kind)
			}
		})
	}
}

// TestReadCmallocStacks pins the whole cmalloc tree: fs is leaf first, so
// main must be the root and the allocator the leaf.
func TestReadCmallocStacks(t *testing.T) {
	p, _ := readFile(t, testutil.Fixture(t, "dhat/cmalloc-heap.dhat.json"))
	assert.Equal(t, `main;grow_buffer;malloc 655200
main;list_build;malloc 5580000
main;printf;__vfprintf_internal;outstring_func;_IO_file_xsputn@@GLIBC_2.2.5;_IO_new_file_xsputn;_IO_file_overflow@@GLIBC_2.2.5;_IO_doallocbuf;_IO_doallocbuf;_IO_file_doallocate;malloc 4096
main;table_insert;calloc 960000
main;table_insert;make_key;malloc 1280000
`, folded(t, p, 0))
	// Inlined entries share their caller's address.
	inlined := map[string]bool{}
	for _, f := range p.Frames {
		if f.Inlined {
			inlined[f.Name+":"+f.File] = true
		}
	}
	assert.Equal(t, map[string]bool{
		"_IO_doallocbuf:genops.c":            true,
		"_IO_new_file_xsputn:fileops.c":      true,
		"outstring_func:vfprintf-internal.c": true,
	}, inlined)
}

func hasFrame(p *profile.Profile, f profile.Frame) bool {
	for _, g := range p.Frames {
		if g == f {
			return true
		}
	}
	return false
}

// TestSniffOtherFormats: the DHAT test must not claim speedscope JSON (also
// an object) or the text formats.
func TestSniffOtherFormats(t *testing.T) {
	var files []string
	for _, glob := range []string{"pyspy/*", "folded/*", "perf/*.perf.txt"} {
		m, _ := filepath.Glob(testutil.Fixture(t, glob))
		files = append(files, m...)
	}
	assert.Greater(t, len(files), 20)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.False(t, dhat.Sniff(data), "claims %s", path)
	}
}
