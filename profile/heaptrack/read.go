package heaptrack

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/internal/lines"
	"github.com/klauspost/compress/zstd"
)

// Read reads heaptrack output from r: the data file (zstd-compressed or
// not) or heaptrack_print's text report. name is used only in messages.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(len(zstdMagic))
	var in io.Reader = br
	if bytes.Equal(head, zstdMagic) {
		d, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(min(limits.MaxDecompressed, 1<<40))))
		if err != nil {
			return nil, fmt.Errorf("%s: offset 0: bad zstd stream: %v", name, err)
		}
		defer d.Close()
		in = &zstdReader{r: d, name: name, limit: limits.MaxDecompressed}
	}
	lr := lines.New(in, name, limits.MaxLineBytes)
	first, err := lr.Next()
	if err == io.EOF {
		return emptyProfile(name, limits)
	}
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(first, []byte("reading file ")) || bytes.HasPrefix(first, []byte("Debuggee command was: ")) {
		return readPrint(lr, first, name, limits)
	}
	d := newDataReader(lr, name, limits)
	if err := d.line(first); err != nil {
		return nil, err
	}
	for {
		l, err := lr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := d.line(l); err != nil {
			return nil, err
		}
	}
	return d.finish()
}

// zstdReader counts decompressed bytes against --max-decompressed and
// names the file in decompression errors.
type zstdReader struct {
	r     io.Reader
	name  string
	n     int64
	limit int64
}

func (z *zstdReader) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	z.n += int64(n)
	switch {
	case z.n > z.limit:
		return n, &profile.LimitError{File: z.name, What: "decompressed size", Limit: z.limit, Flag: "--max-decompressed"}
	case err == nil || err == io.EOF:
		return n, err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return n, fmt.Errorf("%s: zstd stream truncated after %d decompressed bytes: the file is incomplete", z.name, z.n)
	}
	return n, fmt.Errorf("%s: corrupt zstd stream after %d decompressed bytes: %v", z.name, z.n, oneLine(err))
}

// Value types, in the order of a sample's values.
var types = []profile.ValueType{
	{Type: "allocations", Unit: "count"},
	{Type: "temporary_allocations", Unit: "count"},
	{Type: "alloc_space", Unit: "bytes"},
	{Type: "peak_space", Unit: "bytes"},
	{Type: "leaked_space", Unit: "bytes"},
}

func emptyProfile(name string, limits profile.Limits) (*profile.Profile, error) {
	b := profile.NewBuilder(name, types, limits)
	b.Meta().Producer = "heaptrack"
	b.Meta().Recording = "memory"
	return b.Profile(), nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// parseHex reads one hex field.
func parseHex(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b), 16, 64)
	return v, err == nil
}
