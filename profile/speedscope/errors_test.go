package speedscope_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

const schema = `"$schema":"https://www.speedscope.app/file-format-schema.json"`

// doc builds a document with two frames, a and b.
func doc(profiles string) string {
	return `{` + schema + `,"shared":{"frames":[{"name":"a"},{"name":"b"}]},"profiles":[` + profiles + `]}`
}

// sampled builds a sampled profile in seconds.
func sampled(samples, weights string) string {
	return `{"type":"sampled","name":"p","unit":"seconds","startValue":0,"endValue":1,"samples":` + samples + `,"weights":` + weights + `}`
}

func evented(events string) string {
	return `{"type":"evented","name":"p","unit":"none","startValue":0,"endValue":10,"events":` + events + `}`
}

// TestReadErrors checks every error message; with Strict, malformed samples
// and profiles are errors rather than skipped.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"frame out of range", doc(sampled(`[[0],[1],[0,2]]`, `[1,1,1]`)),
			`bad.json: profiles[0].samples[2]: frame 2 out of range (2 frames)`},
		{"frame out of range, frames last", `{` + schema + `,"profiles":[` + sampled(`[[0],[5,1],[7]]`, `[1,1,1]`) + `],"shared":{"frames":[{"name":"a"}]}}`,
			`bad.json: profiles[0].samples[2]: frame 7 out of range (1 frames)`},
		{"negative frame", doc(sampled(`[[0,-1]]`, `[1]`)),
			`bad.json: profiles[0].samples[0]: frame -1 out of range (2 frames)`},
		{"huge frame", doc(sampled(`[[99999999999]]`, `[1]`)),
			`bad.json: profiles[0].samples[0]: frame 99999999999 out of range (2 frames)`},
		{"fractional frame", doc(sampled(`[[0.5]]`, `[1]`)),
			`bad.json: profiles[0].samples[0][0]: frame index 0.5 is not an integer`},
		{"string frame", doc(sampled(`[[0,"a"]]`, `[1]`)),
			`bad.json: profiles[0].samples[0][1]: want a frame index, got string`},
		{"stack not an array", doc(sampled(`[[0],{"a":1}]`, `[1,1]`)),
			`bad.json: profiles[0].samples[1]: want an array of frame indices, got object`},
		{"samples not an array", doc(sampled(`{}`, `[]`)),
			`bad.json: profiles[0].samples: want an array, got object`},
		{"weights length", doc(sampled(`[[0],[1]]`, `[1]`)),
			`bad.json: profiles[0].weights: 1 weights for 2 samples, want one weight per sample`},
		{"no weights", doc(`{"type":"sampled","unit":"none","samples":[[0]]}`),
			`bad.json: profiles[0].weights: 0 weights for 1 samples, want one weight per sample`},
		{"negative weight", doc(sampled(`[[0],[1]]`, `[1,-0.5]`)),
			`bad.json: profiles[0].weights[1]: negative weight -0.5, want a non-negative number`},
		{"string weight", doc(sampled(`[[0],[1]]`, `[1,"NaN"]`)),
			`bad.json: profiles[0].weights[1]: want a number, got string`},
		{"weight too large", doc(sampled(`[[0]]`, `[1e300]`)),
			`bad.json: profiles[0].weights[0]: weight too large, want at most 9223372036.854775807 seconds`},
		{"weights overflow", doc(sampled(`[[0],[0]]`, `[9e9,9e9]`)),
			`bad.json: profiles[0].weights[1]: total weight overflows int64, want the weights of one stack to add up to at most 9223372036.854775807 seconds`},
		{"unknown unit", doc(`{"type":"sampled","unit":"furlongs","samples":[[0]],"weights":[1]}`),
			`bad.json: profiles[0].unit: unknown unit "furlongs", want "none", "nanoseconds", "microseconds", "milliseconds", "seconds" or "bytes"`},
		{"plain weights overflow", doc(`{"type":"sampled","unit":"none","samples":[[0],[0]],"weights":[9e18,9e18]}`),
			`bad.json: profiles[0].weights[1]: total weight overflows int64, want the weights of one stack to add up to at most 9223372036854775807`},
		{"missing type", doc(`{"name":"p","unit":"none"}`),
			`bad.json: profiles[0]: missing "type"`},
		{"type not a string", doc(`{"type":1}`),
			`bad.json: profiles[0].type: want a string, got number 1`},
		{"profiles not an array", `{` + schema + `,"profiles":{}}`,
			`bad.json: profiles: want an array, got object`},
		{"no profiles", `{` + schema + `,"shared":{"frames":[]}}`,
			`bad.json:1:87: the top-level object has no "profiles"`},
		{"frame not an object", `{` + schema + `,"shared":{"frames":[{"name":"a"},3]},"profiles":[]}`,
			`bad.json: shared.frames[1]: want an object, got number`},
		{"frame name not a string", `{` + schema + `,"shared":{"frames":[{"name":3}]},"profiles":[]}`,
			`bad.json: shared.frames[0].name: want a string, got number`},
		{"frame line not an integer", `{` + schema + `,"shared":{"frames":[{"name":"a","line":"x"}]},"profiles":[]}`,
			`bad.json: shared.frames[0].line: want a number, got string`},
		{"evented close mismatch", doc(evented(`[{"type":"O","frame":0,"at":0},{"type":"O","frame":1,"at":1},{"type":"C","frame":0,"at":2}]`)),
			`bad.json: profiles[0].events[2]: closes frame 0 "a" but frame 1 "b" is open (at 2)`},
		{"evented close with nothing open", doc(evented(`[{"type":"C","frame":0,"at":2}]`)),
			`bad.json: profiles[0].events[0]: closes frame 0 "a" but no frame is open`},
		{"evented out of order", doc(evented(`[{"type":"O","frame":0,"at":5},{"type":"C","frame":0,"at":4.5}]`)),
			`bad.json: profiles[0].events[1]: at 4.5 is before the previous event's at 5`},
		{"evented left open", doc(evented(`[{"type":"O","frame":0,"at":0},{"type":"O","frame":1,"at":1},{"type":"C","frame":1,"at":2}]`)),
			`bad.json: profiles[0].events: frame 0 "a" is still open after the last event`},
		{"evented bad type", doc(evented(`[{"type":"X","frame":0,"at":0}]`)),
			`bad.json: profiles[0].events[0].type: want "O" or "C", got "X"`},
		{"evented missing at", doc(evented(`[{"type":"O","frame":0}]`)),
			`bad.json: profiles[0].events[0]: missing "at"`},
		{"evented frame out of range", doc(evented(`[{"type":"O","frame":3,"at":0}]`)),
			`bad.json: profiles[0].events[0]: frame 3 out of range (2 frames)`},
		{"syntax error", "{" + schema + ",\n\"profiles\": [\n  {\"type\": \"sampled\",, }]}",
			`bad.json:3:22: invalid character ',' looking for beginning of object key string`},
		{"syntax error in a stack", doc(sampled("[[0],\n[0,1,x]]", `[1,1]`)),
			`bad.json:2:6: invalid character 'x' looking for beginning of value`},
		{"truncated", doc(sampled(`[[0],[1]]`, `[1,1]`))[:140],
			`bad.json:1:141: unexpected end of input: the file is cut short`},
		{"trailing data", doc(sampled(`[[0]]`, `[1]`)) + ` {}`,
			`bad.json:1:233: unexpected data after the top-level object`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := speedscope.Read(strings.NewReader(tc.in), "bad.json", profile.ReadOptions{Strict: true})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			var se *profile.SyntaxError
			assert.True(t, errors.As(err, &se), "error is a *profile.SyntaxError: %T", err)
		})
	}
}

// TestSyntaxErrors checks that syntax errors found by the scanner read as
// the jsontext-based reader before it worded them (the expected messages
// were produced by that reader): same words, same line and column, in
// every kind of item (keys, tokens, stacks, weights, frames, events).
func TestSyntaxErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"{\"\":\"\",00",
			"bad.json:1:8: object member name must be a string"},
		{"{\"profiles\":[{\"samples\":[[].000",
			"bad.json:1:28: invalid character '.' after array element"},
		{"{\"profiles\":[{\"samples\":[[0],[1,]]}]}",
			"bad.json:1:33: invalid character ']' looking for beginning of value"},
		{"{\"profiles\":[{\"samples\":[[0] [1]]}]}",
			"bad.json:1:30: invalid character '[' after array element"},
		{"{\"profiles\":[{\"samples\":[[0],[01]]}]}",
			"bad.json:1:32: invalid character '1' after array element"},
		{"{\"profiles\":[{\"type\":\"sampled\",\"weights\":[1,-]}]}",
			"bad.json:1:46: invalid character ']' in numeric literal"},
		{"{\"shared\":{\"frames\":[{\"name\":\"a\\x01\"}]}}",
			"bad.json:1:32: invalid escape sequence `\\x` in string literal"},
		{"{\"shared\":{\"frames\":[{\"name\":\"a\\q\"}]}}",
			"bad.json:1:32: invalid escape sequence `\\q` in string literal"},
		{"{\"profiles\":[{\"events\":[{\"type\":\"O\",}]}]}",
			"bad.json:1:37: invalid character '}' looking for beginning of object key string"},
		{"{\"profiles\":[{\"type\":\"sampled\" \"unit\":\"none\"}]}",
			"bad.json:1:32: invalid character '\"' after object key:value pair"},
		{"{\"profiles\":[{\"type\":tru}]}",
			"bad.json:1:25: invalid character '}' in literal true (expecting 'e')"},
		{"{\"profiles\":[{\"samples\":[[0,\n  1],\n  [2, 3\n",
			"bad.json:4:1: unexpected end of input: the file is cut short"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := speedscope.Read(strings.NewReader(tc.in), "bad.json", profile.ReadOptions{})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			var se *profile.SyntaxError
			assert.True(t, errors.As(err, &se), "error is a *profile.SyntaxError: %T", err)
		})
	}
}

func TestReadLimits(t *testing.T) {
	deep := `{` + schema + `,"profiles":[],"x":` + strings.Repeat("[", 50) + strings.Repeat("]", 50) + `}`
	tests := []struct {
		name   string
		in     string
		limits profile.Limits
		want   string
	}{
		{"json depth", deep, profile.Limits{MaxJSONDepth: 20},
			`bad.json:1:102: JSON nesting depth (21) exceeds the limit of 20 (raise it with --max-json-depth)`},
		{"json depth in a frame", `{` + schema + `,"shared":{"frames":[{"name":"a","x":[[[[[1]]]]]}]},"profiles":[]}`, profile.Limits{MaxJSONDepth: 6},
			`bad.json:1:85: JSON nesting depth (9) exceeds the limit of 6 (raise it with --max-json-depth)`},
		{"stack depth", doc(sampled(`[[0,1,0,1]]`, `[1]`)), profile.Limits{MaxStackDepth: 3},
			`bad.json: profiles[0].samples[0]: stack depth (more than 3 frames) exceeds the limit of 3 (raise it with --max-depth)`},
		{"nodes", doc(sampled(`[[0],[1],[0,1]]`, `[1,1,1]`)), profile.Limits{MaxNodes: 3},
			`bad.json: profiles[0].samples[2]: number of distinct call paths exceeds the limit of 3 (raise it with --max-nodes)`},
		{"frames", doc(sampled(`[[0]]`, `[1]`)), profile.Limits{MaxFrames: 1},
			`bad.json: shared.frames[1]: number of frames exceeds the limit of 1 (raise it with --max-frames)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := speedscope.Read(strings.NewReader(tc.in), "bad.json", profile.ReadOptions{Limits: tc.limits})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.ErrorIs(t, err, profile.ErrLimit)
		})
	}
}

// TestReadUnrecognized checks that input in another format is
// ErrUnrecognized, with a message that says what a speedscope document has.
func TestReadUnrecognized(t *testing.T) {
	const notSpeedscope = `x.json: not a speedscope document (want a JSON object with "$schema": "https://www.speedscope.app/file-format-schema.json" and "shared.frames"): unrecognized profile format`
	tests := []struct{ in, want string }{
		{`[1,2]`, notSpeedscope},
		{`"x"`, notSpeedscope},
		{`{"dhatFileVersion":2}`, notSpeedscope},
		{`{"$schema":"https://json-schema.org/draft/2020-12/schema","profiles":[]}`,
			`x.json: $schema is "https://json-schema.org/draft/2020-12/schema", want "https://www.speedscope.app/file-format-schema.json": unrecognized profile format`},
		{`not json`, notSpeedscope},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := speedscope.Read(strings.NewReader(tc.in), "x.json", profile.ReadOptions{})
			assert.ErrorIs(t, err, profile.ErrUnrecognized)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// speedscope's two invalid sample files must be rejected with a message
// that says what is wrong and where.
func TestSpeedscopeInvalidSamples(t *testing.T) {
	tests := []struct{ file, want string }{
		{"speedscope-repo_invalid_incomplete-trace.json",
			`speedscope-repo_invalid_incomplete-trace.json: profiles[0].events: frame 0 "A" is still open after the last event`},
		{"speedscope-repo_invalid_out-of-order-events.json",
			`speedscope-repo_invalid_out-of-order-events.json: profiles[0].events[6]: closes frame 1 "B" but frame 0 "A" is open (at 4)`},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(testutil.Shared(t, "fixtures/public/speedscope/"+tc.file))
			require.NoError(t, err)
			defer f.Close()
			_, err = speedscope.Read(f, tc.file, profile.ReadOptions{})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestReadEmpty(t *testing.T) {
	for _, in := range []string{"", "  \n", "\xef\xbb\xbf"} {
		p, err := speedscope.Read(strings.NewReader(in), "empty.json", profile.ReadOptions{})
		require.NoError(t, err)
		assert.Empty(t, p.Samples)
		assert.NoError(t, p.Validate())
	}
	p, err := speedscope.Read(strings.NewReader(`{`+schema+`,"profiles":[]}`), "none.json", profile.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, p.Samples)
}

// Without Strict, a malformed sample is left out with a warning, and an
// evented profile that cannot be replayed is left out whole; a file with
// nothing valid left is an error.
func TestReadSkipsMalformedRecords(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		folded   string
		skipped  int
		warnings []string
	}{
		{"frame out of range", doc(sampled(`[[0],[1],[0,2]]`, `[1,1,1]`)), "a 1000000000\nb 1000000000\n", 1,
			[]string{`bad.json: profiles[0].samples[2]: frame 2 out of range (2 frames); sample skipped`}},
		{"frame out of range, frames last", `{` + schema + `,"profiles":[` + sampled(`[[0],[0,7],[7]]`, `[1,2,3]`) + `],"shared":{"frames":[{"name":"a"}]}}`, "a 1000000000\n", 2,
			[]string{`bad.json: profiles[0].samples[1]: frame 7 out of range (1 frames); every sample with a frame out of range skipped`}},
		{"bad stack and bad weights", doc(sampled(`[[0],"x",[1],[0,1],[1]]`, `[1,1,-2,{"w":[1,2]},0.5]`)), "a 1000000000\nb 500000000\n", 3,
			[]string{
				`bad.json: profiles[0].samples[1]: want an array of frame indices, got string; sample skipped`,
				`bad.json: profiles[0].weights[2]: negative weight -2, want a non-negative number; sample skipped`,
				`bad.json: profiles[0].weights[3]: want a number, got object; sample skipped`,
			}},
		{"weights length", doc(sampled(`[[0],[1]]`, `[1]`) + "," + sampled(`[[1]]`, `[2]`)), "b 2000000000\n", 2,
			[]string{`bad.json: profiles[0].weights: 1 weights for 2 samples, want one weight per sample; profile skipped`}},
		{"evented badly nested", doc(evented(`[{"type":"O","frame":0,"at":0},{"type":"C","frame":1,"at":2}]`) + "," + sampled(`[[1]]`, `[2]`)), "b 2000000000\n", 2,
			[]string{`bad.json: profiles[0].events[1]: closes frame 1 "b" but frame 0 "a" is open (at 2); profile skipped`}},
		{"evented bad event", doc(evented(`[{"type":"O","frame":0,"at":0},{"type":"X","frame":1,"at":1},{"type":"C","frame":0,"at":2}]`) + "," + sampled(`[[1]]`, `[2]`)), "b 2000000000\n", 3,
			[]string{`bad.json: profiles[0].events[1].type: want "O" or "C", got "X"; profile skipped`}},
		{"missing type", doc(`{"name":"p","samples":[[0]],"weights":[1]},` + sampled(`[[1]]`, `[2]`)), "b 2000000000\n", 1,
			[]string{`bad.json: profiles[0]: missing "type"; profile skipped`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := speedscope.Read(strings.NewReader(tc.in), "bad.json", profile.ReadOptions{})
			require.NoError(t, err)
			assert.Equal(t, tc.folded, folded(t, p, 0))
			assert.Equal(t, tc.skipped, p.Meta.Skipped)
			assert.Equal(t, tc.warnings, p.Meta.Warnings)
			require.NoError(t, p.Validate())
		})
	}

	_, err := speedscope.Read(strings.NewReader(doc(sampled(`[[5],[0,9]]`, `[1,1]`))), "bad.json", profile.ReadOptions{})
	assert.EqualError(t, err, `bad.json: profiles[0].samples[0]: frame 5 out of range (2 frames)`, "nothing valid left")
}
