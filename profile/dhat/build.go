package dhat

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// column is one value type and the program-point key that feeds it.
type column struct {
	vt  profile.ValueType
	key int
}

// columns picks the value types the document supports (formats.md §5). The
// first is the default: total bytes (or units, in ad-hoc mode), because it
// answers "who allocates most" for every mode. warn is set for an unknown
// mode, which is read like heap mode.
func columns(doc *doc) (cols []column, warn string) {
	bytes := func(t string, k int) column { return column{profile.ValueType{Type: t, Unit: "bytes"}, k} }
	count := func(t string, k int) column { return column{profile.ValueType{Type: t, Unit: "count"}, k} }
	switch doc.mode {
	case "heap", "rust-heap":
		cols = []column{bytes("alloc_space", kTB), count("alloc_objects", kTBK)}
	case "copy":
		cols = []column{bytes("copy_space", kTB), count("copy_objects", kTBK)}
	case "ad-hoc", "rust-ad-hoc":
		cols = []column{count("units", kTB), count("events", kTBK)}
	default:
		cols = []column{bytes("alloc_space", kTB), count("alloc_objects", kTBK)}
		warn = fmt.Sprintf("unknown DHAT mode %q: read as heap mode", doc.mode)
	}
	if doc.bklt {
		tu := doc.tu
		if tu == "" {
			tu = "instrs" // valgrind's unit, the one dh_view assumes
		}
		cols = append(cols,
			bytes("peak_space", kGB), count("peak_objects", kGBK),
			bytes("end_space", kEB), count("end_objects", kEBK),
			column{profile.ValueType{Type: "lifetime", Unit: tu}, kTL},
			bytes("max_space", kMB))
	}
	if doc.bkacc {
		cols = append(cols, bytes("read_bytes", kRB), bytes("write_bytes", kWB))
	}
	return cols, warn
}

func types(cols []column) []profile.ValueType {
	out := make([]profile.ValueType, len(cols))
	for i, c := range cols {
		out[i] = c.vt
	}
	return out
}

func emptyProfile(name string, limits profile.Limits) (*profile.Profile, error) {
	cols, _ := columns(&doc{mode: "heap"})
	b := profile.NewBuilder(name, types(cols), limits)
	b.Meta().Format = "dhat"
	b.Meta().Recording = "memory"
	p := b.Profile()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", name, err)
	}
	return p, nil
}

// build turns the stored document into a profile: frame indexes are
// checked against the frame table, each leaf-first "fs" is reversed into a
// root-first stack, and each program point becomes one sample.
func build(d *decoder, doc *doc, limits profile.Limits) (*profile.Profile, error) {
	cols, warn := columns(doc)
	b := profile.NewBuilder(d.name, types(cols), limits)
	setMeta(b.Meta(), doc)
	if warn != "" {
		b.Meta().Warn(d.name + ": " + warn)
	}
	if len(doc.ftbl) > 0 && doc.ftbl[0] != "[root]" {
		b.Meta().Warn(fmt.Sprintf("%s: ftbl[0] is %q, not \"[root]\"; it is not used as a frame", d.name, doc.ftbl[0]))
	}
	frames := make([]parsedFrame, len(doc.ftbl))
	for i := 1; i < len(doc.ftbl); i++ {
		frames[i] = parseFrame(doc.ftbl[i])
	}
	inlined := make([]bool, len(doc.ftbl))
	for i, p := range doc.pps {
		if err := d.complete(doc, cols, &p, i); err != nil {
			return nil, err
		}
		fs := doc.fs[p.fs0:p.fs1]
		for j, ix := range fs {
			if int(ix) >= len(doc.ftbl) {
				return nil, d.shape(inPP(i, "fs").at(j), "frame %d out of range (%d entries in ftbl)", ix, len(doc.ftbl))
			}
		}
		// valgrind and dhat-rs write a function inlined at an address as an
		// extra entry with the same address, just before its caller.
		for j := 0; j+1 < len(fs); j++ {
			a, c := fs[j], fs[j+1]
			if a != 0 && c != 0 && frames[a].addr != 0 && frames[a].addr == frames[c].addr {
				inlined[a] = true
			}
		}
	}
	ids := make([]profile.FrameID, len(doc.ftbl))
	for i := range ids {
		ids[i] = profile.NoFrame
	}
	sums := make([]int64, len(cols))
	vals := make([]int64, len(cols))
	var stack []profile.FrameID
	for i := range doc.pps {
		p := &doc.pps[i]
		stack = stack[:0]
		for j := p.fs1 - 1; j >= p.fs0; j-- {
			ix := doc.fs[j]
			if ix == 0 { // "[root]" is the tree's root, not a frame
				continue
			}
			if ids[ix] == profile.NoFrame {
				f := frames[ix].frame
				f.Inlined = inlined[ix]
				id, err := b.Frame(f)
				if err != nil {
					return nil, placed(err, i)
				}
				ids[ix] = id
			}
			stack = append(stack, ids[ix])
		}
		for c, col := range cols {
			v := p.v[col.key]
			if sums[c]+v < sums[c] {
				return nil, d.shape(inPP(i, keyNames[col.key]), "the total of %q over all program points overflows a 64-bit integer", keyNames[col.key])
			}
			sums[c] += v
			vals[c] = v
		}
		if err := b.Add(stack, profile.Labels{}, 1, vals...); err != nil {
			return nil, placed(err, i)
		}
	}
	p := b.Profile()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", d.name, err)
	}
	return p, nil
}

// complete checks that a program point has every key its columns need.
func (d *decoder) complete(doc *doc, cols []column, p *pp, i int) error {
	for _, c := range cols {
		if p.has&(1<<c.key) == 0 {
			k := keyNames[c.key]
			switch {
			case c.key == kRB || c.key == kWB:
				return d.shape(inPP(i, ""), "missing %q (required when \"bkacc\" is true)", k)
			case c.key != kTB && c.key != kTBK:
				return d.shape(inPP(i, ""), "missing %q (required when \"bklt\" is true)", k)
			}
			return d.shape(inPP(i, ""), "missing %q", k)
		}
	}
	if !p.hasFS {
		return d.shape(inPP(i, ""), "missing \"fs\"")
	}
	return nil
}

// placed adds the program point to limit errors from the Builder.
func placed(err error, i int) error {
	var le *profile.LimitError
	if errors.As(err, &le) && le.Where == "" {
		le.Where = inPP(i, "").String()
	}
	return err
}

func setMeta(m *profile.Meta, doc *doc) {
	m.Format = "dhat"
	m.Recording = "memory"
	m.Producer = "valgrind DHAT"
	if strings.HasPrefix(doc.mode, "rust-") {
		m.Producer = "dhat-rs"
	}
	if doc.cmd != "" {
		m.Comments = append(m.Comments, "command: "+doc.cmd)
	}
	// Copy and ad-hoc modes count something other than allocations; the
	// value types are named for it, and the report must say so too.
	switch doc.mode {
	case "copy":
		m.Warn("DHAT copy mode: the values are bytes copied (memcpy, memmove, strcpy and the like) and the copies made, not allocations")
	case "ad-hoc", "rust-ad-hoc":
		m.Warn("DHAT ad-hoc mode: the values are the units and events the program reported itself, not allocations")
	}
	if te, ok := doc.ints["te"]; ok && doc.tu == "µs" && te <= (1<<63-1)/1000 {
		m.DurationNanos = te * 1000
	}
	add := func(k, v string) {
		if v != "" {
			m.Attrs = append(m.Attrs, profile.Attr{Key: k, Value: v})
		}
	}
	add("cmd", doc.cmd)
	add("mode", doc.mode)
	add("verb", doc.verb)
	add("tu", doc.tu)
	add("Mtu", doc.mtu)
	add("bu", doc.bu)
	add("bsu", doc.bsu)
	add("bksu", doc.bksu)
	for _, k := range []string{"pid", "te", "tg", "tuth"} {
		if v, ok := doc.ints[k]; ok {
			add(k, strconv.FormatInt(v, 10))
		}
	}
	sort.Slice(m.Attrs, func(i, j int) bool { return m.Attrs[i].Key < m.Attrs[j].Key })
}
