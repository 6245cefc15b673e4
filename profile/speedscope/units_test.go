package speedscope_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

func unitDoc(unit, weights string, n int) string {
	samples := "[" + strings.TrimSuffix(strings.Repeat("[0],", n), ",") + "]"
	return doc(`{"type":"sampled","name":"p","unit":"` + unit + `","samples":` + samples + `,"weights":` + weights + `}`)
}

func TestUnits(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		types   []profile.ValueType
		total   int64
		warning string
	}{
		{"seconds exact", unitDoc("seconds", "[0.01,0.01,0.01]", 3), []profile.ValueType{{Type: "time", Unit: "nanoseconds"}, {Type: "samples", Unit: "count"}}, 30_000_000, ""},
		{"seconds exponent", unitDoc("seconds", "[1e-2,1E-3]", 2), []profile.ValueType{{Type: "time", Unit: "nanoseconds"}, {Type: "samples", Unit: "count"}}, 11_000_000, ""},
		{"milliseconds", unitDoc("milliseconds", "[1.5,2]", 2), []profile.ValueType{{Type: "time", Unit: "nanoseconds"}, {Type: "samples", Unit: "count"}}, 3_500_000, ""},
		{"microseconds", unitDoc("microseconds", "[0.001,7]", 2), []profile.ValueType{{Type: "time", Unit: "nanoseconds"}, {Type: "samples", Unit: "count"}}, 7_001, ""},
		{"nanoseconds", unitDoc("nanoseconds", "[12,30]", 2), []profile.ValueType{{Type: "time", Unit: "nanoseconds"}, {Type: "samples", Unit: "count"}}, 42, ""},
		{"sub-nanosecond rounds", unitDoc("nanoseconds", "[0.4,0.6]", 2), []profile.ValueType{{Type: "time", Unit: "nanoseconds"}, {Type: "samples", Unit: "count"}}, 1,
			"t.json: some weights are finer than the stored unit (1 ns, or 10^-9 of a plain number) and were rounded"},
		{"bytes", unitDoc("bytes", "[4096,512]", 2), []profile.ValueType{{Type: "space", Unit: "bytes"}, {Type: "samples", Unit: "count"}}, 4608, ""},
		{"none integers", unitDoc("none", "[3,4]", 2), []profile.ValueType{{Type: "weight", Unit: "count"}, {Type: "samples", Unit: "count"}}, 7, ""},
		{"none fractions", unitDoc("none", "[0.25,1.5,2]", 3), []profile.ValueType{{Type: "weight", Unit: "count", Scale: 100}, {Type: "samples", Unit: "count"}}, 375, ""},
		{"unknown unit", unitDoc("furlongs", "[2]", 1), []profile.ValueType{{Type: "weight", Unit: "count"}, {Type: "samples", Unit: "count"}}, 2,
			`t.json: profiles[0]: unknown unit "furlongs", want "none", "nanoseconds", "microseconds", "milliseconds", "seconds" or "bytes"; weights read as plain numbers`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := speedscope.Read(strings.NewReader(tc.in), "t.json", profile.ReadOptions{})
			require.NoError(t, err)
			assert.Equal(t, tc.types, p.SampleTypes)
			assert.Equal(t, tc.total, p.Total(0))
			if tc.warning == "" {
				assert.Empty(t, p.Meta.Warnings)
			} else {
				assert.Equal(t, []string{tc.warning}, p.Meta.Warnings)
			}
		})
	}
}

// Profiles in different units go to different value types; "none"
// profiles share one scale.
func TestMixedUnits(t *testing.T) {
	in := doc(`{"type":"sampled","name":"t","unit":"milliseconds","samples":[[0]],"weights":[2]},` +
		`{"type":"sampled","name":"n1","unit":"none","samples":[[1]],"weights":[0.5]},` +
		`{"type":"sampled","name":"n2","unit":"none","samples":[[0,1]],"weights":[0.125]},` +
		`{"type":"evented","name":"e","unit":"bytes","startValue":0,"endValue":9,"events":[{"type":"O","frame":0,"at":1},{"type":"C","frame":0,"at":9}]}`)
	p, err := speedscope.Read(strings.NewReader(in), "mixed.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []profile.ValueType{
		{Type: "time", Unit: "nanoseconds"}, {Type: "weight", Unit: "count", Scale: 1000},
		{Type: "space", Unit: "bytes"}, {Type: "samples", Unit: "count"},
	}, p.SampleTypes)
	assert.Equal(t, []int64{2_000_000, 625, 8, 3}, []int64{p.Total(0), p.Total(1), p.Total(2), p.Total(3)})
	assert.Equal(t, "a;b 0.125\nb 0.5\n", folded(t, p, 1))
	assert.Equal(t, "a 8\n", folded(t, p, 2))
}

// Keys may come in any order: the unit after the weights, "shared" after
// "profiles" (as py-spy writes it).
func TestKeyOrder(t *testing.T) {
	in := `{"profiles":[{"weights":[0.5,0.25],"samples":[[0,1],[1]],"unit":"seconds","type":"sampled","name":"Thread 12 \"main\""}],` +
		`"activeProfileIndex":null,"exporter":"py-spy@0.4.0",` + schema + `,"shared":{"frames":[{"name":"f","file":"x.py","line":null,"col":null},{"name":"g","file":"x.py","line":2}]}}`
	p, err := speedscope.Read(strings.NewReader(in), "order.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "f;g 500000000\ng 250000000\n", folded(t, p, 0))
	require.Len(t, p.Samples, 2)
	assert.Equal(t, profile.Labels{TID: 12, HasTID: true, Thread: "main"}, *p.Samples[0].Labels)
	assert.Equal(t, int64(0), p.Meta.Period, "weights differ: no single period")
}

func TestEventedIdleTime(t *testing.T) {
	// Time with no frame open (0-1 and 3-4) belongs to no stack.
	in := doc(evented(`[{"type":"O","frame":0,"at":1},{"type":"O","frame":1,"at":2},{"type":"C","frame":1,"at":2.5},{"type":"C","frame":0,"at":3},` +
		`{"type":"O","frame":1,"at":4},{"type":"C","frame":1,"at":10}]`))
	p, err := speedscope.Read(strings.NewReader(in), "ev.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []profile.ValueType{{Type: "weight", Unit: "count", Scale: 10}}, p.SampleTypes)
	assert.Equal(t, "a 1.5\na;b 0.5\nb 6\n", folded(t, p, 0))
}

func TestUnsupportedProfileType(t *testing.T) {
	in := doc(`{"type":"flamegraph","name":"x"},` + sampled(`[[0]]`, `[1]`))
	p, err := speedscope.Read(strings.NewReader(in), "u.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, p.Meta.Skipped)
	assert.Equal(t, []string{`u.json: profiles[0]: unsupported profile type "flamegraph", want "sampled" or "evented"; profile skipped`}, p.Meta.Warnings)
	assert.Equal(t, int64(1_000_000_000), p.Total(0))

	_, err = speedscope.Read(strings.NewReader(in), "u.json", profile.ReadOptions{Strict: true})
	assert.EqualError(t, err, `u.json: profiles[0].type: unsupported profile type "flamegraph", want "sampled" or "evented"`)
}

func TestFrameWithoutName(t *testing.T) {
	in := `{` + schema + `,"shared":{"frames":[{"file":"x.py"}]},"profiles":[` + sampled(`[[0]]`, `[1]`) + `]}`
	p, err := speedscope.Read(strings.NewReader(in), "n.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "(unknown) 1000000000\n", folded(t, p, 0))
	assert.Equal(t, []string{`n.json: shared.frames[0]: frame has no name; using "(unknown)"`}, p.Meta.Warnings)
	_, err = speedscope.Read(strings.NewReader(in), "n.json", profile.ReadOptions{Strict: true})
	assert.EqualError(t, err, `n.json: shared.frames[0]: frame has no "name"`)
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[`, true},
		{"\xef\xbb\xbf \n{\n  \"$schema\" : \"https://www.speedscope.app/file-format-schema.json\"", true},
		{`{"exporter":"speedscope@1.25.0","name":"x","$schema":"https:\/\/www.speedscope.app\/file-format-schema.json"`, true},
		{`{"$schema":"https://json-schema.org/draft/2020-12/schema"}`, false},
		{`{"dhatFileVersion":2}`, false},
		{`[{"$schema":"https://www.speedscope.app/file-format-schema.json"}]`, false},
		{`a;b;c 1`, false},
		{``, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, speedscope.Sniff([]byte(tc.head)), tc.head)
		assert.Equal(t, tc.want, speedscope.Format{}.Sniff([]byte(tc.head)), tc.head)
	}
	assert.Equal(t, "speedscope", speedscope.Format{}.Name())
}

func TestParseProfileName(t *testing.T) {
	tests := []struct {
		name string
		want profile.Labels
	}{
		{`Thread 14858 "cruncher"`, profile.Labels{TID: 14858, HasTID: true, Thread: "cruncher"}},
		{`Thread 0 ""`, profile.Labels{HasTID: true}},
		{`Process 15741 Thread 15742 ""`, profile.Labels{PID: 15741, HasPID: true, TID: 15742, HasTID: true}},
		{`Thread 0x16DF7B000 "Thread-1 (_handle_workers)"`, profile.Labels{TID: 0x16DF7B000, HasTID: true, Thread: "Thread-1 (_handle_workers)"}},
		{`Thread 5 "say "hi""`, profile.Labels{TID: 5, HasTID: true, Thread: `say "hi"`}},
		{`Thread 99999999999999999999 ""`, profile.Labels{Thread: `Thread 99999999999999999999 ""`}},
		{`simple.txt`, profile.Labels{Thread: "simple.txt"}},
		{``, profile.Labels{}},
	}
	for _, tc := range tests {
		got := speedscope.ParseProfileName(tc.name)
		assert.Equal(t, tc.want, got, tc.name)
		if got.HasTID && tc.name[7] != '0' || !got.HasTID {
			assert.Equal(t, tc.name, speedscope.ProfileName(got), "round trip")
		}
	}
}

// TestIssue11EmptyProfileTakesNoValueType: ClawScript's file starts with an
// empty profile in a unit the schema does not have ("samples"); the bytes
// profile after it holds everything, and its type is the default.
func TestIssue11EmptyProfileTakesNoValueType(t *testing.T) {
	in := `{` + schema + `,"shared":{"frames":[{"name":"<top>"},{"name":"hashmap"}]},"profiles":[` +
		`{"type":"sampled","name":"CPU samples","unit":"samples","startValue":0,"endValue":0,"samples":[],"weights":[]},` +
		`{"type":"sampled","name":"Heap allocations","unit":"bytes","startValue":0,"endValue":144,"samples":[[0,1]],"weights":[144]}]}`
	p, err := speedscope.Read(strings.NewReader(in), "claw.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []profile.ValueType{{Type: "space", Unit: "bytes"}, {Type: "samples", Unit: "count"}}, p.SampleTypes)
	assert.Equal(t, 0, p.DefaultType)
	assert.Equal(t, "<top>;hashmap 144\n", folded(t, p, -1))

	// With no data at all the file still reads, as an empty profile.
	empty := `{` + schema + `,"shared":{"frames":[]},"profiles":[{"type":"sampled","name":"x","unit":"samples","samples":[],"weights":[]}]}`
	p, err = speedscope.Read(strings.NewReader(empty), "e.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, p.Samples)
}

// TestIssue11StringValues: older dotnet-trace writes startValue and
// endValue as strings.
func TestIssue11StringValues(t *testing.T) {
	in := doc(`{"type":"evented","name":"Thread (1)","unit":"milliseconds","startValue":"0","endValue":"4.5",` +
		`"events":[{"type":"O","frame":0,"at":0},{"type":"C","frame":0,"at":4.5}]}`)
	p, err := speedscope.Read(strings.NewReader(in), "dotnet.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "a 4500000\n", folded(t, p, 0))
	assert.Equal(t, int64(4_500_000), p.Meta.DurationNanos)

	bad := doc(`{"type":"evented","name":"x","unit":"milliseconds","startValue":"soon","endValue":1,"events":[]}`)
	_, err = speedscope.Read(strings.NewReader(bad), "bad.json", profile.ReadOptions{})
	assert.EqualError(t, err, `bad.json: profiles[0].startValue: want a number, got string "soon"`)
}
