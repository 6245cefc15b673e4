package explain

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// inParts hands every index to exactly one call, large n or small.
func TestInPartsCoversOnce(t *testing.T) {
	for _, n := range []int{0, 1, minSplit - 1, minSplit, 3*minSplit + 7} {
		seen := make([]int32, n)
		inParts(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d visited %d times", n, i, c)
			}
		}
	}
}

// manyFrames is a profile with more distinct frames than minSplit, so the
// classifier's per-frame passes run in parts: Python functions, GIL and
// allocator frames (each name at many lines, so the dedup map sees
// repeats in both halves), and native frames.
func manyFrames(t *testing.T) *profile.Profile {
	t.Helper()
	b := profile.NewBuilder("t", []profile.ValueType{{Type: "samples", Unit: "count"}}, profile.Limits{})
	lib := "libpython3.12.so.1.0"
	for i := range 3 * minSplit {
		st := []profile.Frame{
			{Name: "main", File: "app.py", Kind: profile.KindPython},
			{Name: fmt.Sprintf("handler%d", i%97), File: "svc.py", Line: int64(i), Kind: profile.KindPython},
		}
		switch i % 4 {
		case 0:
			st = append(st, profile.Frame{Name: "take_gil", Module: lib, Kind: profile.KindNative, Line: int64(i)})
		case 1:
			st = append(st, profile.Frame{Name: "PyObject_Malloc", Module: lib, Kind: profile.KindNative, Line: int64(i)})
		case 2:
			st = append(st, profile.Frame{Name: fmt.Sprintf("work_%d", i), Module: "libwork.so", Kind: profile.KindNative})
		default:
			st = append(st, profile.Frame{Name: "dumps", File: "/usr/lib/python3.12/json/__init__.py", Line: int64(i), Kind: profile.KindPython})
		}
		if err := b.AddFrames(st, profile.Labels{}, 1, int64(1+i%5)); err != nil {
			t.Fatal(err)
		}
	}
	return b.Profile()
}

// Each frame's candidates, split over parts with a dedup map a part,
// are what matching that frame alone gives.
func TestClassifierPartsMatchEachFrame(t *testing.T) {
	p := manyFrames(t)
	if len(p.Frames) < 2*minSplit {
		t.Fatalf("%d frames, want at least %d for the split", len(p.Frames), 2*minSplit)
	}
	c := newClassifier(p, DefaultRules())
	var ps framePairs
	for i := range p.Frames {
		fi := &c.info[i]
		ps.set(fi)
		var leaf, ctx []int16
		for j := range c.rules {
			if c.matchStatic(&c.rules[j], j, fi, &ps) {
				if c.rules[j].Layer == leafLayer {
					leaf = append(leaf, int16(j))
				} else {
					ctx = append(ctx, int16(j))
				}
			}
		}
		if !reflect.DeepEqual(leaf, c.leaf[i]) || !reflect.DeepEqual(ctx, c.ctx[i]) {
			t.Fatalf("frame %d (%s): leaf %v ctx %v, want %v %v", i, fi.name, c.leaf[i], c.ctx[i], leaf, ctx)
		}
		if w := fi.rt != rtPython && waitName.MatchString(fi.name); c.wait[i] != w {
			t.Fatalf("frame %d (%s): wait %v, want %v", i, fi.name, c.wait[i], w)
		}
	}
}

// Explain with a Classifier shared with the flame graph reports what it
// reports alone, and the shared categorizer answers as NodeCategories.
func TestSharedClassifier(t *testing.T) {
	cat, err := hints.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := manyFrames(t)
	alone, err := Explain(p, cat, Options{Value: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := NodeCategories(p)
	cl := NewClassifier(p)
	shared, err := Explain(p, cat, Options{Value: -1, Classifier: cl})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(alone, shared) {
		t.Errorf("report with a shared classifier differs:\n%+v\nalone:\n%+v", shared, alone)
	}
	of := cl.NodeCategorizer()
	for n := range p.Nodes {
		if got := of(profile.NodeID(n)); got != want[n] {
			t.Fatalf("node %d: category %q, want %q", n, got, want[n])
		}
	}
	if alone.Categories[0].Name == "" || len(alone.Hotspots) == 0 {
		t.Fatalf("the test profile explains to nothing: %+v", alone.Categories)
	}
}

// Samples classified in halves get the class each stack gets alone, and
// one shared copy per distinct class.
func TestClassifySamplesInParts(t *testing.T) {
	p := manyFrames(t)
	a := newAnalysis(p, 0, DefaultRules())
	a.filter(nil, nil, nil)
	if len(a.samples) < 2*minSplit {
		t.Fatalf("%d samples, want at least %d for the split", len(a.samples), 2*minSplit)
	}
	a.class = make([]*Class, len(a.samples))
	a.classifySamples()
	ref := newClassifier(p, DefaultRules())
	byValue := map[Class]*Class{}
	for k, i := range a.samples {
		want := ref.classifyNode(p.Samples[i].Node)
		if *a.class[k] != want {
			t.Fatalf("sample %d: class %+v, want %+v", k, *a.class[k], want)
		}
		if q, ok := byValue[want]; ok && q != a.class[k] {
			t.Fatalf("sample %d: class %+v not shared", k, want)
		}
		byValue[want] = a.class[k]
	}
	if len(byValue) < 3 {
		t.Fatalf("%d distinct classes, want the test profile to have several", len(byValue))
	}
}
