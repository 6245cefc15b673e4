// Package ingest reads a profile in any supported format: it peeks at the
// first bytes, undoes gzip, picks the format from content (never from the
// file name) and hands the stream to that format's importer.
//
// The steps:
//  1. wrap the input in a bufio.Reader and peek at its head;
//  2. if the head starts with the gzip magic, gunzip (bounded by
//     Limits.MaxDecompressed) and peek again;
//  3. ask each Format in order whether it recognises the head (Sniff), or
//     take the one named by --from;
//  4. stream the rest into that Format's Read and validate the result.
package ingest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/austin"
	"github.com/hotspot-dev/hotspot/profile/callgrind"
	"github.com/hotspot-dev/hotspot/profile/dhat"
	"github.com/hotspot-dev/hotspot/profile/flamesvg"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/heaptrack"
	"github.com/hotspot-dev/hotspot/profile/massif"
	"github.com/hotspot-dev/hotspot/profile/perfscript"
	"github.com/hotspot-dev/hotspot/profile/pprof"
	"github.com/hotspot-dev/hotspot/profile/pstats"
	"github.com/hotspot-dev/hotspot/profile/scalene"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
	"github.com/klauspost/compress/gzip"
)

// Format is one input format.
type Format interface {
	Name() string
	// Sniff reports whether head (the first bytes of the uncompressed
	// input, up to HeadSize) looks like this format.
	Sniff(head []byte) bool
	Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error)
}

// validating is a Format whose Read returns only profiles that passed
// profile.Validate, with the message Read would give: Read does not check
// them again (a pass over every node and sample, 0.2 s on a pprof file
// of a million samples).
type validating interface {
	Format
	ReadValidates()
}

// HeadSize is how much of an input detection looks at.
const HeadSize = 64 << 10

// Options say how to read one input.
type Options struct {
	profile.ReadOptions
	// From forces a format by name; empty means detect.
	From string
}

// Read reads one profile from r. name is used in messages only. formats is
// the ordered detection list, usually DefaultFormats().
func Read(r io.Reader, name string, formats []Format, opt Options) (*profile.Profile, error) {
	opt.Limits = opt.Limits.WithDefaults()
	br := bufio.NewReaderSize(r, HeadSize)
	head, err := br.Peek(HeadSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var in io.Reader = br
	size := regularSize(r)
	var gz *gzipReader
	gzipped := len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b
	if gzipped {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: offset 0: bad gzip header: %v", name, err)
		}
		gz = &gzipReader{r: zr, name: name, limit: opt.Limits.MaxDecompressed}
		zbr := bufio.NewReaderSize(gz, HeadSize)
		head, err = zbr.Peek(HeadSize)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
		in = profile.WithSizeHint(zbr, gzipSizeHint(r, size, opt.Limits.MaxDecompressed))
	} else {
		in = profile.WithSizeHint(br, size)
	}
	f, err := pick(head, name, formats, opt.From)
	if err != nil && opt.From == "" {
		if kerr := unreadable(head, name, KnownUnreadable()); kerr != nil {
			return nil, kerr
		}
	}
	if err != nil && gzipped && opt.From == "" {
		// Gzip around something no sniffer claims is pprof in practice
		// (formats.md §0): a protobuf need not start with field 1, and
		// pprof's own reader then says precisely what is wrong. But only
		// when the head could begin a protobuf: otherwise pprof would
		// buffer the whole stream (up to --max-decompressed) to say no.
		if !protobufStart(head) {
			return nil, notProfileGzip(head, name, opt.Limits.MaxDecompressed)
		}
		for _, g := range formats {
			if g.Name() == "pprof" {
				f, err = g, nil
			}
		}
	}
	if err != nil {
		return nil, err
	}
	p, err := f.Read(in, name, opt.ReadOptions)
	if gz != nil && gz.err != nil {
		// The decompressor's own error (a truncated stream, a bomb) is the
		// cause, whatever the importer made of the short read.
		return nil, gz.err
	}
	if err != nil {
		if opt.From != "" && errors.Is(err, profile.ErrUnrecognized) {
			if g, gerr := pick(head, name, formats, ""); gerr == nil && g.Name() != f.Name() {
				return nil, fmt.Errorf("%w (forced with --from %s; the content looks like %s)", err, opt.From, g.Name())
			}
		}
		return nil, err
	}
	if gzipped {
		// Drain what the importer did not read, so a truncated or corrupt
		// gzip stream is reported rather than silently accepted.
		if _, err := io.Copy(io.Discard, in); err != nil {
			if gz.err != nil {
				return nil, gz.err
			}
			return nil, err
		}
	}
	if _, checked := f.(validating); !checked {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("%s: invalid profile: %w", name, err)
		}
	}
	if p.Meta.Format == "" {
		p.Meta.Format = f.Name()
	}
	return p, nil
}

func pick(head []byte, name string, formats []Format, from string) (Format, error) {
	if from != "" {
		for _, f := range formats {
			if f.Name() == from {
				return f, nil
			}
		}
		return nil, fmt.Errorf("unknown format %q (want one of %s)", from, strings.Join(Names(formats), ", "))
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, fmt.Errorf("%s: %w: the input is empty (use --from FORMAT to read an empty profile)", name, profile.ErrUnrecognized)
	}
	for _, f := range formats {
		if f.Sniff(head) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("%s: %w: not any of %s (use --from FORMAT to force one)", name, profile.ErrUnrecognized, strings.Join(Names(formats), ", "))
}

// protobufStart reports whether head begins with a key profile.proto can
// hold: fields 1 to 15, wire type varint (0) or length-delimited (2).
func protobufStart(head []byte) bool {
	key, n := binary.Uvarint(head)
	if n <= 0 {
		return false
	}
	field, wire := key>>3, key&7
	return field >= 1 && field <= 15 && (wire == 0 || wire == 2)
}

// notProfileGzip is the error for gzip content no format claims and that
// cannot be pprof. A head of one repeated byte is what a decompression
// bomb looks like, so the message says what bounds decompression.
func notProfileGzip(head []byte, name string, limit int64) error {
	if len(head) > 0 && bytes.Count(head, head[:1]) == len(head) {
		return fmt.Errorf("%s: %w: the gzip stream decompresses to %d bytes of 0x%02x at its start, not a profile; it was not decompressed further (a stream this compressible may be a decompression bomb; --max-decompressed, now %d, bounds any input)",
			name, profile.ErrUnrecognized, len(head), head[0], limit)
	}
	return fmt.Errorf("%s: %w: the gzip stream holds none of the formats hotspot reads (speedscope JSON, dhat JSON, perf script text, folded stacks, pprof); it was not decompressed further than its first %d bytes (use --from FORMAT to force one)",
		name, profile.ErrUnrecognized, len(head))
}

// Names lists the formats' names, sorted.
func Names(formats []Format) []string {
	var out []string
	for _, f := range formats {
		out = append(out, f.Name())
	}
	sort.Strings(out)
	return out
}

// fileOf is the file r reads, through readers that Unwrap to it, or nil.
func fileOf(r io.Reader) *os.File {
	for {
		switch x := r.(type) {
		case *os.File:
			return x
		case interface{ Unwrap() io.Reader }:
			r = x.Unwrap()
		default:
			return nil
		}
	}
}

// regularSize is the size of the regular file r reads, or -1.
func regularSize(r io.Reader) int64 {
	if f := fileOf(r); f != nil {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size()
		}
	}
	return -1
}

// maxDeflateRatio bounds what a deflate stream can expand to per byte
// (RFC 1951's longest match costs about a bit per 258 bytes).
const maxDeflateRatio = 1032

// gzipSizeHint is the decompressed size a gzip file's trailer states
// (ISIZE, the size modulo 2^32 of its last member), read without moving
// the file's offset, or -1. It is only a hint: bounded by what the
// compressed size could expand to and by the limit, so a trailer that
// lies costs an allocation of pages that are never touched, not memory.
func gzipSizeHint(r io.Reader, size, limit int64) int64 {
	f := fileOf(r)
	if f == nil || size < 18 { // a gzip header and trailer alone take 18 bytes
		return -1
	}
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], size-4); err != nil {
		return -1
	}
	n := int64(binary.LittleEndian.Uint32(tail[:]))
	return min(n, size*maxDeflateRatio, limit)
}

// gzipReader counts decompressed bytes, stops at the limit (a gzip bomb
// ends early with a LimitError) and turns gzip's errors into messages that
// name the file and the compressed offset.
type gzipReader struct {
	r     *gzip.Reader
	name  string
	n     int64
	limit int64
	err   error // sticky: the first decompression failure
}

func (g *gzipReader) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	switch {
	case g.n > g.limit:
		g.err = &profile.LimitError{File: g.name, What: "decompressed size", Limit: g.limit, Flag: "--max-decompressed"}
	case err == nil || err == io.EOF:
		return n, err
	case errors.Is(err, io.ErrUnexpectedEOF):
		g.err = fmt.Errorf("%s: gzip stream truncated after %d decompressed bytes: the file is incomplete", g.name, g.n)
	default:
		g.err = fmt.Errorf("%s: corrupt gzip stream after %d decompressed bytes: %v", g.name, g.n, err)
	}
	return n, g.err
}

// DefaultFormats is the detection order (formats.md §0): the JSON formats by
// their keys, perf script before folded (a loose folded test would claim
// perf text), and pprof last, because a raw protobuf has no magic number.
func DefaultFormats() []Format {
	return []Format{
		pstats.Format{}, // binary marshal: '{' then a non-JSON byte, so before the JSON formats
		speedscope.Format{},
		dhat.Format{},
		flamesvg.Format{},
		heaptrack.Format{}, // zstd-compressed, or text starting "v <hex> <hex>"
		massif.Format{},
		callgrind.Format{}, // before folded, which would take "calls=1 12" for a stack
		scalene.Format{},
		perfscript.Format{},
		austin.Format{}, // before folded, which would take "Thread 7f;f (a.py);L3 12" as a stack
		folded.Format{},
		pprof.Format{},
	}
}
