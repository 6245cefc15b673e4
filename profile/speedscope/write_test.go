package speedscope_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

func write(t testing.TB, p *profile.Profile, opt speedscope.WriteOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, speedscope.Write(&buf, p, opt))
	return buf.Bytes()
}

func reread(t testing.TB, data []byte) *profile.Profile {
	t.Helper()
	p, err := speedscope.Read(bytes.NewReader(data), "rewritten.json", profile.ReadOptions{Strict: true})
	require.NoError(t, err)
	return p
}

// labelled is the canonical text of value vi with each stack prefixed by
// its profile name, so label sets are compared too.
func labelled(p *profile.Profile, vi int) string {
	var lines []string
	for _, s := range p.Samples {
		var names []string
		for _, f := range p.Stack(s.Node) {
			fr := p.Frames[f]
			names = append(names, fr.Name+"|"+fr.File+"|"+fr.Module+"|"+string(fr.Kind))
		}
		lines = append(lines, speedscope.ProfileName(*s.Labels)+"::"+strings.Join(names, ";")+" "+
			profile.FormatScaled(s.Values[vi], 1)+" "+profile.FormatScaled(s.Count, 1))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// Reading, writing and reading again keeps every stack, label set, frame,
// value and sample count of the real py-spy files.
func TestRoundTripPySpy(t *testing.T) {
	files, err := filepath.Glob(testutil.Fixture(t, "pyspy/*.speedscope.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, name := range []string{"pyspy-0.4.1-linux-3threads.speedscope.json", "pyspy-0.4.2-macos-multithread.speedscope.json"} {
		files = append(files, testutil.Shared(t, "fixtures/public/speedscope/"+name))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			p1 := readFile(t, file)
			out := write(t, p1, speedscope.WriteOptions{Value: -1})
			assert.Equal(t, out, write(t, p1, speedscope.WriteOptions{Value: -1}), "deterministic")
			p2 := reread(t, out)
			// speedscope has no field for the value type's name: py-spy's
			// "wall" comes back as the generic "time".
			require.Len(t, p2.SampleTypes, len(p1.SampleTypes))
			for i := range p1.SampleTypes {
				assert.Equal(t, p1.SampleTypes[i].Unit, p2.SampleTypes[i].Unit)
				assert.Equal(t, p1.SampleTypes[i].Scale, p2.SampleTypes[i].Scale)
			}
			assert.Equal(t, p1.SampleCount(), p2.SampleCount())
			for vi := range p1.SampleTypes {
				assert.Equal(t, p1.Total(vi), p2.Total(vi))
				assert.Equal(t, labelled(p1, vi), labelled(p2, vi))
			}
			assert.Equal(t, p1.Meta.Period, p2.Meta.Period)
			// Once more: the bytes are a fixed point.
			assert.Equal(t, string(out), string(write(t, p2, speedscope.WriteOptions{Value: -1})))
		})
	}
}

func TestRoundTripPublic(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(t), "..", "shared", "fixtures", "public", "speedscope", "speedscope-repo_0*"))
	if len(files) == 0 {
		testutil.Shared(t, "fixtures/public/speedscope/speedscope-repo_0.0.1_simple.speedscope.json")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			p1 := readFile(t, file)
			p2 := reread(t, write(t, p1, speedscope.WriteOptions{Value: -1}))
			assert.Equal(t, folded(t, p1, 0), folded(t, p2, 0))
			assert.Equal(t, p1.Total(0), p2.Total(0))
		})
	}
}

func TestWriteGolden(t *testing.T) {
	p := readFile(t, testutil.Fixture(t, "pyspy/py312-threads-gil.speedscope.json"))
	testutil.Golden(t, "testdata/py312-threads-gil.written.json", write(t, p, speedscope.WriteOptions{Value: -1}))
	testutil.Golden(t, "testdata/py312-threads-gil.folded", []byte(folded(t, p, 0)))
}

// build makes a small model profile by hand.
func build(t *testing.T, types []profile.ValueType, add func(b *profile.Builder)) *profile.Profile {
	t.Helper()
	b := profile.NewBuilder("hand", types, profile.Limits{})
	add(b)
	p := b.Profile()
	require.NoError(t, p.Validate())
	return p
}

func TestWriteUnitsAndNames(t *testing.T) {
	frames := []profile.Frame{
		{Name: "main", File: "/app/main.py", Line: 3, Kind: profile.KindPython},
		{Name: "_ZN3foo3barEv", Module: "/usr/lib/libfoo.so.1", Kind: profile.KindNative},
		{Name: "say \"hi\"\n", Kind: profile.KindUnknown},
	}
	stack := func(b *profile.Builder, ids ...int) []profile.FrameID {
		var out []profile.FrameID
		for _, i := range ids {
			id, err := b.Frame(frames[i])
			require.NoError(t, err)
			out = append(out, id)
		}
		return out
	}
	p := build(t, []profile.ValueType{{Type: "cpu", Unit: "nanoseconds"}, {Type: "weight", Unit: "count", Scale: 100}}, func(b *profile.Builder) {
		require.NoError(t, b.Add(stack(b, 0, 1), profile.Labels{TID: 7, HasTID: true, Thread: "worker"}, 3, 30, 150))
		require.NoError(t, b.Add(stack(b, 0, 2), profile.Labels{PID: 1, HasPID: true, TID: 2, HasTID: true}, 1, 5, 1))
		require.NoError(t, b.Add(nil, profile.Labels{}, 2, 4, 250))
	})

	out := write(t, p, speedscope.WriteOptions{Value: 0})
	var doc struct {
		Schema   string `json:"$schema"`
		Exporter string
		Active   *int `json:"activeProfileIndex"`
		Shared   struct{ Frames []map[string]any }
		Profiles []struct {
			Type, Name, Unit string
			EndValue         json.Number
			Samples          [][]int
			Weights          []json.Number
		}
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&doc))
	assert.Equal(t, speedscope.SchemaURL, doc.Schema)
	assert.Equal(t, "hotspot", doc.Exporter)
	require.NotNil(t, doc.Active)
	assert.Equal(t, 0, *doc.Active)
	assert.Equal(t, []map[string]any{
		{"name": "main", "file": "/app/main.py", "line": json.Number("3")},
		{"name": "_ZN3foo3barEv", "file": "/usr/lib/libfoo.so.1"},
		{"name": "say \"hi\"\n"},
	}, doc.Shared.Frames)
	require.Len(t, doc.Profiles, 3)
	assert.Equal(t, "", doc.Profiles[0].Name)
	assert.Equal(t, `Process 1 Thread 2 ""`, doc.Profiles[1].Name)
	assert.Equal(t, `Thread 7 "worker"`, doc.Profiles[2].Name)
	for _, pr := range doc.Profiles {
		assert.Equal(t, "sampled", pr.Type)
		assert.Equal(t, "nanoseconds", pr.Unit)
	}
	// A sample that merged 3 equal ticks is written as 3 entries.
	assert.Equal(t, [][]int{{0, 1}, {0, 1}, {0, 1}}, doc.Profiles[2].Samples)
	assert.Equal(t, []json.Number{"10", "10", "10"}, doc.Profiles[2].Weights)
	assert.Equal(t, [][]int{{}, {}}, doc.Profiles[0].Samples)

	// The scaled count column is written as decimals in unit "none".
	out = write(t, p, speedscope.WriteOptions{Value: 1})
	assert.Contains(t, string(out), `{"type":"sampled","name":"Thread 7 \"worker\"","unit":"none","startValue":0,"endValue":1.5,"samples":[[0,1],[0,1],[0,1]],"weights":[0.5,0.5,0.5]}`)
	assert.Contains(t, string(out), `"endValue":2.5,"samples":[[],[]],"weights":[1.25,1.25]}`)
	p2 := reread(t, out)
	assert.Equal(t, []profile.ValueType{{Type: "weight", Unit: "count", Scale: 100}, {Type: "samples", Unit: "count"}}, p2.SampleTypes)
	assert.Equal(t, folded(t, p, 1), folded(t, p2, 0))
}

func TestWriteEmpty(t *testing.T) {
	p := build(t, []profile.ValueType{{Type: "samples", Unit: "count"}}, func(*profile.Builder) {})
	out := write(t, p, speedscope.WriteOptions{Value: -1})
	assert.Equal(t, `{"$schema":"https://www.speedscope.app/file-format-schema.json","exporter":"hotspot","name":"hotspot profile","activeProfileIndex":0,"shared":{"frames":[]},`+"\n"+`"profiles":[]}`+"\n", string(out))
	p2 := reread(t, out)
	assert.Empty(t, p2.Samples)
}
