package pprof

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// pprof has no place for some of the model's facts, so ToPprof writes them
// as profile comments that start with annotationPrefix, one fact a line,
// and FromPprof reads them back and removes them from Meta.Comments:
//
//	hotspot:scale <i> <type> <n>          ValueType.Scale of sample type i, named <type>
//	hotspot:default <i>                   DefaultType, only where DefaultSampleType cannot
//	                                      say it (two sample types share the name)
//	hotspot:kind <function id> <kind> <name>
//	                                      Frame.Kind of every frame of that function, where
//	                                      the import rule (see inferKind) would differ;
//	                                      ignored unless the function's name still matches
//	hotspot:producer [<text>]             Meta.Producer, even when empty
//	hotspot:recording [<text>]            Meta.Recording, even when empty
//	hotspot:truncated                     Meta.Truncated
//	hotspot:attr <key>=<value>            one Meta.Attrs entry
//	hotspot:approximation <text>          one Meta.Approximations sentence (stacks
//	                                      derived from a call graph, a lossy SVG)
//
// Other tools keep comments when they rewrite a profile, but may renumber
// functions, which is why kind lines carry the name as a check.
const annotationPrefix = "hotspot:"

// annotations are the facts read back from hotspot comments.
type annotations struct {
	scale     map[int]scaleNote
	dflt      int // 1 + the default type index; 0 when absent
	kind      map[uint64]kindNote
	producer  string
	recording string
	// hasProducer and hasRecording tell "written empty" from "absent", so
	// an empty Producer is not replaced by a guess on the way back.
	hasProducer  bool
	hasRecording bool
	truncated    bool
	attrs        []profile.Attr
	approx       []string
}

type scaleNote struct {
	typ   string
	scale int64
}

type kindNote struct {
	kind profile.FrameKind
	name string
}

// parseAnnotations splits comments into hotspot annotations and the
// comments to keep. A hotspot line that does not parse is kept as a comment.
func parseAnnotations(comments []string) (annotations, []string) {
	var a annotations
	var keep []string
	for _, c := range comments {
		if !strings.HasPrefix(c, annotationPrefix) || !a.parse(c[len(annotationPrefix):]) {
			keep = append(keep, c)
		}
	}
	return a, keep
}

func (a *annotations) parse(s string) bool {
	verb, rest, _ := strings.Cut(s, " ")
	switch verb {
	case "scale":
		idx, rest, _ := strings.Cut(rest, " ")
		j := strings.LastIndexByte(rest, ' ')
		if j < 0 {
			return false
		}
		i, err1 := strconv.Atoi(idx)
		n, err2 := strconv.ParseInt(rest[j+1:], 10, 64)
		if err1 != nil || err2 != nil || i < 0 || n < 1 {
			return false
		}
		if a.scale == nil {
			a.scale = map[int]scaleNote{}
		}
		a.scale[i] = scaleNote{rest[:j], n}
	case "default":
		i, err := strconv.Atoi(rest)
		if err != nil || i < 0 {
			return false
		}
		a.dflt = i + 1
	case "kind":
		f := strings.SplitN(rest, " ", 3)
		if len(f) != 3 {
			return false
		}
		id, err := strconv.ParseUint(f[0], 10, 64)
		k := profile.FrameKind(f[1])
		if err != nil || !validKind(k) {
			return false
		}
		if a.kind == nil {
			a.kind = map[uint64]kindNote{}
		}
		a.kind[id] = kindNote{k, f[2]}
	case "producer":
		a.producer, a.hasProducer = rest, true
	case "recording":
		a.recording, a.hasRecording = rest, true
	case "truncated":
		a.truncated = rest == ""
		return a.truncated
	case "approximation":
		a.approx = append(a.approx, rest)
		return rest != ""
	case "attr":
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			return false
		}
		a.attrs = append(a.attrs, profile.Attr{Key: k, Value: v})
	default:
		return false
	}
	return true
}

// metaAnnotations renders the Meta and value-type facts as comment lines.
// Kind lines are added by the exporter, which knows the function ids.
func metaAnnotations(p *profile.Profile) []string {
	var out []string
	for i, t := range p.SampleTypes {
		if t.Scale > 1 {
			out = append(out, fmt.Sprintf("%sscale %d %s %d", annotationPrefix, i, t.Type, t.Scale))
		}
	}
	m := &p.Meta
	// Always written, even empty: the importer guesses both when absent.
	out = append(out, annotation("producer", m.Producer), annotation("recording", m.Recording))
	if m.Truncated {
		out = append(out, annotationPrefix+"truncated")
	}
	for _, ap := range m.Approximations {
		out = append(out, annotation("approximation", strings.ReplaceAll(ap, "\n", " ")))
	}
	for _, at := range m.Attrs {
		if !strings.Contains(at.Key, "=") {
			out = append(out, annotationPrefix+"attr "+at.Key+"="+at.Value)
		}
	}
	return out
}

// annotation renders "hotspot:verb value", or "hotspot:verb" when value is empty.
func annotation(verb, value string) string {
	if value == "" {
		return annotationPrefix + verb
	}
	return annotationPrefix + verb + " " + value
}

// scaleOf returns the scale recorded for sample type i named typ, or 0.
func (a *annotations) scaleOf(i int, typ string) int64 {
	if n, ok := a.scale[i]; ok && n.typ == typ {
		return n.scale
	}
	return 0
}
