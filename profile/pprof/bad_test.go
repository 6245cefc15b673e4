package pprof

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"testing"

	pprofile "github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

// pb builds protobuf encodings by hand, for inputs pprof's encoder would
// never write.
type pb []byte

func (b pb) varint(num int, v uint64) pb {
	b = binary.AppendUvarint(b, uint64(num)<<3)
	return binary.AppendUvarint(b, v)
}

func (b pb) bytes(num int, v []byte) pb {
	b = binary.AppendUvarint(b, uint64(num)<<3|2)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func (b pb) str(num int, s string) pb { return b.bytes(num, []byte(s)) }

// minimal is a valid one-sample profile: sample type cpu/nanoseconds,
// one location with one function.
func minimal() *pprofile.Profile {
	fn := &pprofile.Function{ID: 1, Name: "main"}
	loc := &pprofile.Location{ID: 1, Line: []pprofile.Line{{Function: fn}}}
	return &pprofile.Profile{
		SampleType: []*pprofile.ValueType{{Type: "cpu", Unit: "nanoseconds"}},
		Sample:     []*pprofile.Sample{{Location: []*pprofile.Location{loc}, Value: []int64{10}}},
		Location:   []*pprofile.Location{loc},
		Function:   []*pprofile.Function{fn},
	}
}

func encode(t *testing.T, pp *pprofile.Profile) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, pp.WriteUncompressed(&buf))
	return buf.Bytes()
}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestReadBadInput(t *testing.T) {
	mutex := readFile(t, fixturePath(t, "pprof/gobench-mutex.pb.gz", false))
	sampleType := pb(nil).varint(1, 1).varint(2, 2)
	strs := func(b pb, ss ...string) pb {
		for _, s := range ss {
			b = b.str(6, s)
		}
		return b
	}
	tests := []struct {
		name  string
		data  func(t *testing.T) []byte
		want  string
		unrec bool
	}{
		{"truncated gzip", func(*testing.T) []byte { return mutex[:1000] },
			"bad.pb.gz: offset 1000: gzip data is truncated (the file ends inside the compressed stream)", false},
		{"bad gzip header", func(*testing.T) []byte { return []byte{0x1f, 0x8b, 0x99, 0, 0, 0, 0, 0, 0, 0, 0} },
			"bad.pb.gz: offset 10: gzip header is invalid", false},
		{"gzip checksum", func(t *testing.T) []byte {
			b := gz(t, encode(t, minimal()))
			b[len(b)-8] ^= 0xff
			return b
		}, "bad.pb.gz: offset 73: gzip checksum mismatch: the data is corrupt", false},
		{"text", func(*testing.T) []byte { return []byte("main;foo 12\nmain;bar 3\n") },
			"bad.pb.gz: not a pprof protobuf (want a profile.proto message that starts with its sample types, raw or gzipped): unrecognized profile format", true},
		{"gzipped text", func(t *testing.T) []byte { return gz(t, []byte("main;foo 12\n")) },
			"bad.pb.gz: the gzip content is not a pprof protobuf (want a profile.proto message that starts with its sample types): unrecognized profile format", true},
		{"garbage after a sample type", func(*testing.T) []byte {
			return append(pb(nil).bytes(1, sampleType), 0xff, 0xff, 0xff)
		}, "bad.pb.gz: offset 6: malformed protobuf: bad field key", false},
		{"field longer than the data", func(*testing.T) []byte {
			return append(pb(nil).bytes(1, sampleType), 0x12, 0x40, 0x08)
		}, "bad.pb.gz: offset 8: malformed protobuf: field 2 claims 64 bytes, 1 remain", false},
		{"wrong wire type", func(*testing.T) []byte {
			return strs(pb(nil).bytes(1, sampleType).bytes(12, []byte{1}), "", "cpu", "ns")
		}, "bad.pb.gz: period: wire type 2 where a varint belongs (byte 6 of the protobuf)", false},
		{"string index out of range", func(*testing.T) []byte {
			return strs(pb(nil).bytes(1, pb(nil).varint(1, 9).varint(2, 2)), "", "cpu", "nanoseconds")
		}, "bad.pb.gz: sample_type[0].type: string index 9 is out of range (the string table has 3 entries) (byte 2 of the protobuf)", false},
		{"no string table", func(*testing.T) []byte { return pb(nil).bytes(1, nil) },
			"bad.pb.gz: string_table: is missing; it must hold at least the empty string (byte 2 of the protobuf)", false},
		{"string_table[0] not empty", func(*testing.T) []byte {
			return strs(pb(nil).bytes(1, sampleType), "x", "cpu", "ns")
		}, `bad.pb.gz: string_table[0]: must be the empty string, is "x" (byte 6 of the protobuf)`, false},
		{"location id 0", func(t *testing.T) []byte {
			pp := minimal()
			pp.Location[0].ID = 0
			return encode(t, pp)
		}, "bad.pb.gz: location[0]: id 0 is reserved (ids start at 1) (byte 14 of the protobuf)", false},
		{"dangling location", func(t *testing.T) []byte {
			pp := minimal()
			pp.Sample[0].Location = append(pp.Sample[0].Location, &pprofile.Location{ID: 99})
			return encode(t, pp)
		}, "bad.pb.gz: sample[0].location_id[1]: location id 99 is not defined (byte 10 of the protobuf)", false},
		{"dangling function", func(t *testing.T) []byte {
			pp := minimal()
			pp.Location[0].Line[0].Function = &pprofile.Function{ID: 5}
			return encode(t, pp)
		}, "bad.pb.gz: location[0].line[0].function_id: function id 5 is not defined (byte 18 of the protobuf)", false},
		{"duplicate function id", func(t *testing.T) []byte {
			pp := minimal()
			pp.Function = append(pp.Function, &pprofile.Function{ID: 1, Name: "other"})
			return encode(t, pp)
		}, "bad.pb.gz: function[1]: id 1 is also the id of function[0], want a distinct id (byte 28 of the protobuf)", false},
		{"value count", func(t *testing.T) []byte {
			pp := minimal()
			pp.Sample[0].Value = []int64{1, 2}
			return encode(t, pp)
		}, "bad.pb.gz: sample[0]: has 2 values for 1 sample types (byte 6 of the protobuf)", false},
		{"negative value", func(t *testing.T) []byte {
			pp := minimal()
			pp.Sample = append(pp.Sample, &pprofile.Sample{Location: pp.Sample[0].Location, Value: []int64{-5}})
			return gz(t, encode(t, pp))
		}, "bad.pb.gz: sample[1]: negative cpu/nanoseconds value -5 (hotspot does not read difference profiles)", false},
		{"concatenated profiles", func(t *testing.T) []byte {
			pp := minimal()
			pp.TimeNanos = 1
			one := encode(t, pp)
			return append(one, one...)
		}, "bad.pb.gz: time_nanos: appears twice: the input looks like several profiles concatenated (byte 108 of the protobuf)", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.data(t)), "bad.pb.gz", profile.ReadOptions{})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.Equal(t, tc.unrec, errors.Is(err, profile.ErrUnrecognized))
		})
	}
}

func TestReadEmpty(t *testing.T) {
	p, err := Read(bytes.NewReader(nil), "empty", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, p.Samples)
	assert.Equal(t, []profile.ValueType{{Type: "samples", Unit: "count"}}, p.SampleTypes)
}

func TestReadLimit(t *testing.T) {
	data := readFile(t, fixturePath(t, "pprof/gobench-cpu.pb.gz", false))
	_, err := Read(bytes.NewReader(data), "cpu.pb.gz", profile.ReadOptions{Limits: profile.Limits{MaxDecompressed: 1000}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrLimit))
	assert.Equal(t, "cpu.pb.gz: decompressed size exceeds the limit of 1000 (raise it with --max-decompressed)", err.Error())

	_, err = Read(bytes.NewReader(data), "cpu.pb.gz", profile.ReadOptions{Limits: profile.Limits{MaxStackDepth: 5}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, profile.ErrLimit))
}

func TestFromPprofChecks(t *testing.T) {
	_, err := FromPprof(nil, "x", profile.ReadOptions{})
	assert.EqualError(t, err, "x: no profile")
	pp := minimal()
	pp.Sample[0].Location = []*pprofile.Location{nil}
	_, err = FromPprof(pp, "x", profile.ReadOptions{})
	assert.EqualError(t, err, "x: invalid pprof profile: sample has nil location")
}
