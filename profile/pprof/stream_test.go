package pprof

import (
	"bytes"
	"os"
	"testing"

	pprofile "github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

// viaPprof is the reference: pprof's own decoder, then FromPprof.
func viaPprof(t testing.TB, raw []byte) (*profile.Profile, error) {
	t.Helper()
	pp, err := pprofile.ParseUncompressed(raw)
	require.NoError(t, err)
	return FromPprof(pp, "t", profile.ReadOptions{})
}

// labelled is a hand-made profile with every label shape pprof decodes:
// numeric pid/tid, string comm and thread, several values for one key,
// numeric labels with and without units, and sparse location ids.
func labelled() *pprofile.Profile {
	fa := &pprofile.Function{ID: 1, Name: "main", Filename: "main.go"}
	fb := &pprofile.Function{ID: 7, Name: "work", Filename: "work.go"}
	m := &pprofile.Mapping{ID: 1, File: "/bin/app", HasFunctions: true}
	la := &pprofile.Location{ID: 3, Mapping: m, Address: 0x10, Line: []pprofile.Line{{Function: fa, Line: 4}}}
	lb := &pprofile.Location{ID: 90_000, Mapping: m, Address: 0x20, Line: []pprofile.Line{{Function: fb, Line: 9}, {Function: fa, Line: 5}}}
	lc := &pprofile.Location{ID: 12, Mapping: m, Address: 0x30}
	return &pprofile.Profile{
		SampleType: []*pprofile.ValueType{{Type: "samples", Unit: "count"}, {Type: "alloc_space", Unit: "bytes"}},
		Mapping:    []*pprofile.Mapping{m},
		Function:   []*pprofile.Function{fa, fb},
		Location:   []*pprofile.Location{la, lb, lc},
		Sample: []*pprofile.Sample{
			{Location: []*pprofile.Location{lb, la}, Value: []int64{2, 64},
				NumLabel: map[string][]int64{"pid": {7}, "tid": {8}}, Label: map[string][]string{"comm": {"app"}, "thread": {"w1"}}},
			{Location: []*pprofile.Location{lc, la}, Value: []int64{1, 32},
				NumLabel: map[string][]int64{"bytes": {512, 1024}}, NumUnit: map[string][]string{"bytes": {"bytes", "bytes"}},
				Label: map[string][]string{"span": {"a", "b"}}},
			{Location: []*pprofile.Location{la}, Value: []int64{3, 0}, NumLabel: map[string][]int64{"n": {5}}},
			{Location: []*pprofile.Location{lb, la}, Value: []int64{2, 64},
				NumLabel: map[string][]int64{"pid": {7}, "tid": {8}}, Label: map[string][]string{"comm": {"app"}, "thread": {"w1"}}},
		},
	}
}

// TestFromProtoMatchesPprof reads every fixture both ways, straight from
// the protobuf and through pprof's decoder, and wants the same model.
func TestFromProtoMatchesPprof(t *testing.T) {
	inputs := map[string][]byte{"labelled": encodeNoT(labelled()), "minimal": encodeNoT(minimal())}
	for _, fx := range fixtures {
		path := fixturePath(t, fx.rel, fx.shared)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		raw, _, err := readAll(bytes.NewReader(readFile(t, path)), fx.name, 1<<30)
		require.NoError(t, err)
		inputs[fx.name] = raw
	}
	for name, raw := range inputs {
		t.Run(name, func(t *testing.T) {
			got, ok, err := fromProto(raw, "t", profile.ReadOptions{})
			require.True(t, ok, "the streaming path takes a well-formed profile")
			require.NoError(t, err)
			want, err := viaPprof(t, raw)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// TestFromProtoLeavesBrokenInputToPprof: input pprof refuses is not read
// by the streaming path, so the caller's messages (from pprof's decoder and
// diagnose) stay the ones the broken-input tests expect.
func TestFromProtoLeavesBrokenInputToPprof(t *testing.T) {
	good := encodeNoT(labelled())
	pp := labelled()
	pp.Sample[0].Value = []int64{1}
	tests := map[string][]byte{
		"truncated":            good[:len(good)-3],
		"value count":          encodeNoT(pp),
		"not protobuf":         []byte("main;foo 1\n"),
		"unknown wire type":    append(append([]byte{}, good...), 0x0f),
		"sample of wrong wire": append(append([]byte{}, good...), 0x10, 0x01),
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			_, ok, _ := fromProto(raw, "t", profile.ReadOptions{})
			assert.False(t, ok)
		})
	}
}

// TestFromProtoErrorsLikeFromPprof: errors the model raises (a negative
// value) name the same sample either way.
func TestFromProtoErrorsLikeFromPprof(t *testing.T) {
	pp := labelled()
	pp.Sample[2].Value = []int64{3, -1}
	raw := encodeNoT(pp)
	_, ok, err := fromProto(raw, "t", profile.ReadOptions{})
	require.True(t, ok)
	_, want := viaPprof(t, raw)
	require.Error(t, want)
	assert.EqualError(t, err, want.Error())
	assert.Contains(t, err.Error(), "sample[2]")
}

// FuzzFromProto checks that whenever the streaming path takes an input,
// it gives what pprof's decoder and FromPprof give.
func FuzzFromProto(f *testing.F) {
	f.Add(encodeNoT(labelled()))
	f.Add(encodeNoT(minimal()))
	opt := profile.ReadOptions{Limits: profile.Limits{MaxFrames: 100_000, MaxNodes: 1_000_000}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok, err := fromProto(raw, "t", opt)
		if !ok {
			return
		}
		pp, perr := pprofile.ParseUncompressed(raw)
		if perr != nil {
			t.Fatalf("streaming path took what pprof refuses (%v)", perr)
		}
		if perr := pp.CheckValid(); perr != nil {
			t.Fatalf("streaming path took an invalid profile (%v)", perr)
		}
		want, werr := FromPprof(pp, "t", opt)
		if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Fatalf("errors differ: %v vs %v", err, werr)
		}
		if err == nil {
			sameLines(t, canon(t, want), canon(t, got))
		}
	})
}
