package explain

import (
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
)

// A json.dumps leaf is serialization and a take_gil leaf is the GIL, by
// frames.md; the root has no category.
func TestNodeCategories(t *testing.T) {
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	py := func(name, file string) profile.Frame {
		return profile.Frame{Name: name, Display: name, File: file, Kind: profile.KindPython}
	}
	nat := func(name, mod string) profile.Frame {
		return profile.Frame{Name: name, Display: name, Module: mod, Kind: profile.KindNative}
	}
	ser := []profile.Frame{py("main", "app.py"), py("dumps", "/usr/lib/python3.12/json/__init__.py")}
	gil := []profile.Frame{py("main", "app.py"), nat("PyEval_RestoreThread", "libpython3.12.so.1.0"), nat("take_gil", "libpython3.12.so.1.0")}
	for _, st := range [][]profile.Frame{ser, gil} {
		if err := b.AddFrames(st, profile.Labels{}, 1, 1); err != nil {
			t.Fatal(err)
		}
	}
	p := b.Profile()
	cats := NodeCategories(p)
	if cats[profile.RootNode] != "" {
		t.Errorf("root category %q, want empty", cats[profile.RootNode])
	}
	want := map[string]string{"dumps": "serialization", "take_gil": "gil"}
	for n := 1; n < len(p.Nodes); n++ {
		name := p.Frames[p.Nodes[n].Frame].Name
		if w, ok := want[name]; ok && cats[n] != w {
			t.Errorf("%s: category %q, want %q", name, cats[n], w)
		}
	}
}
