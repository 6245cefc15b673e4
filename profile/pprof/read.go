package pprof

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"io"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/profile"
)

// Read reads a pprof profile, gzip-compressed or not, and converts it as
// FromPprof does. name is used in messages only.
//
// Uncompressed data is decoded as a protobuf only (pprof's ParseUncompressed
// plus CheckValid): pprof's own Parse would fall back to its legacy text
// formats and could claim a perf or folded file. The decompressed input is
// read whole, bounded by Limits.MaxDecompressed, but the samples, which are
// most of it, go from the bytes straight into the model (see fromProto).
// An empty input is an empty profile.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	data, gz, err := readAll(r, name, opt.Limits.WithDefaults().MaxDecompressed)
	if err != nil {
		return nil, err
	}
	return readProto(data, name, gz, opt)
}

// readProto converts an uncompressed message: straight from the protobuf
// when it can (streamSamples), else through pprof's decoder. On the first
// path data is not used once the samples are in, so the garbage collector
// can free it while the tree is laid out.
func readProto(data []byte, name string, gz bool, opt profile.ReadOptions) (*profile.Profile, error) {
	if len(data) > 0 {
		im, ok, err := streamSamples(data, name, opt)
		switch {
		case ok && err != nil:
			return nil, err
		case ok:
			return im.finish()
		}
	}
	pp, err := decode(data, name, gz)
	if err != nil {
		return nil, err
	}
	return FromPprof(pp, name, opt)
}

// readAll returns the input, gunzipped when it starts with the gzip magic,
// and whether it was.
func readAll(r io.Reader, name string, limit int64) ([]byte, bool, error) {
	hint := profile.SizeHint(r)
	cr := &countingReader{r: r}
	br := bufio.NewReader(cr)
	head, _ := br.Peek(2)
	src := io.Reader(br)
	compressed := len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b
	if compressed {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, true, gzipError(name, cr.n-int64(br.Buffered()), err)
		}
		src = zr
	}
	// Read one byte past the limit to tell "exactly at" from "over".
	if compressed {
		hint = -1 // the hint is the compressed size: no guide to what it holds
	}
	data, err := readSized(io.LimitReader(src, limit+1), min(hint, limit))
	if err != nil {
		if compressed {
			return nil, true, gzipError(name, cr.n-int64(br.Buffered()), err)
		}
		return nil, false, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, compressed, &profile.LimitError{File: name, What: "decompressed size", Limit: limit, Flag: "--max-decompressed"}
	}
	return data, compressed, nil
}

// readChunked reads r to the end into chunks that double in size, then
// copies them once into a slice of the exact length. io.ReadAll grows one
// slice instead, copying the data again at every step and holding the old
// and the new copy at once: for a 70 MB profile that is about a second of
// copying and clearing and 2.25 times the data at the peak.
func readChunked(r io.Reader) ([]byte, error) {
	var chunks [][]byte
	total, size := 0, 64<<10
	for {
		c := make([]byte, size)
		n, err := fill(r, c)
		chunks = append(chunks, c[:n])
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		size = min(2*size, 16<<20)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	data := make([]byte, 0, total)
	for _, c := range chunks {
		data = append(data, c...)
	}
	return data, nil
}

// readSized reads r to the end into one slice of hint+1 bytes when the
// input's size is known (a file, a gzip trailer), so nothing is copied and
// only what the input fills is touched; a hint too small (or none) falls
// back to readChunked for the rest.
func readSized(r io.Reader, hint int64) ([]byte, error) {
	if hint <= 0 {
		return readChunked(r)
	}
	data := make([]byte, hint+1)
	bigmem.Advise(data)
	n, err := fill(r, data)
	switch {
	case err == io.EOF:
		return data[:n], nil
	case err != nil:
		return nil, err
	}
	rest, err := readChunked(r)
	if err != nil {
		return nil, err
	}
	return append(data[:n], rest...), nil
}

// fill reads into c until it is full (nil error), r ends (io.EOF) or r
// fails; unlike io.ReadFull it passes r's own errors on unchanged, so a
// truncated gzip stream still says so.
func fill(r io.Reader, c []byte) (int, error) {
	n := 0
	for n < len(c) {
		m, err := r.Read(c[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// gzipError says where in the compressed input decompression failed.
func gzipError(name string, off int64, err error) error {
	msg := "gzip: " + err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		msg = "gzip data is truncated (the file ends inside the compressed stream)"
	case errors.Is(err, gzip.ErrChecksum):
		msg = "gzip checksum mismatch: the data is corrupt"
	case errors.Is(err, gzip.ErrHeader):
		msg = "gzip header is invalid"
	}
	return &profile.SyntaxError{File: name, Offset: off, Msg: msg}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decode turns protobuf bytes into a checked pprof profile. When pprof's
// decoder or CheckValid refuses the data, decode tells input that is not a
// profile at all (ErrUnrecognized: it does not even start with a sample
// type) from a broken profile, for which diagnose looks for the first
// problem itself so the message can say where it is.
func decode(data []byte, name string, gz bool) (*pprofile.Profile, error) {
	if len(data) == 0 {
		return &pprofile.Profile{}, nil
	}
	pp, err := pprofile.ParseUncompressed(data)
	if err == nil {
		if err = pp.CheckValid(); err == nil {
			return pp, nil
		}
	}
	if !startsLikeProfile(data) {
		what := "not a pprof protobuf (want a profile.proto message that starts with its sample types, raw or gzipped)"
		if gz {
			what = "the gzip content is not a pprof protobuf (want a profile.proto message that starts with its sample types)"
		}
		return nil, fmt.Errorf("%s: %s: %w", name, what, profile.ErrUnrecognized)
	}
	if d := diagnose(data); d != nil {
		d.File = name
		return nil, d
	}
	return nil, &profile.SyntaxError{File: name, Offset: -1, Msg: "invalid pprof profile: " + err.Error()}
}

// startsLikeProfile reports whether data begins with a well-formed
// sample_type field, as every profile Go and pprof write does.
func startsLikeProfile(data []byte) bool {
	if len(data) < 2 || data[0] != 0x0a || data[1] > 22 || int(data[1]) > len(data)-2 {
		return false
	}
	w := newWalker()
	w.structOnly = true
	return w.message(data[2:2+int(data[1])], 2, valueTypeSpec, "") == nil
}
