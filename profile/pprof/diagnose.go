package pprof

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// This file walks the protobuf encoding of a pprof profile without pprof's
// decoder. Sniff uses it to accept only data that looks like a profile, and
// decode uses it to say where a profile that pprof refused goes wrong:
// pprof's own messages ("malformed profile format", "sample has nil
// location") name neither the record nor the byte.

// valueKind is how a field is encoded.
type valueKind uint8

const (
	kVarint  valueKind = iota // one varint
	kVarints                  // repeated varints, packed or not
	kBytes                    // length-delimited bytes (a string)
	kMessage                  // length-delimited submessage
)

// fieldSpec describes one field of a profile.proto message.
type fieldSpec struct {
	name string
	kind valueKind
	msg  *msgSpec
	str  bool   // the value indexes the string table
	id   bool   // the value is the message's own id
	ref  string // the value refers to an id of this table ("", "mapping", ...)
}

// msgSpec describes a message; table names the id space of messages with ids.
type msgSpec struct {
	table  string
	fields []fieldSpec // indexed by field number; name "" means unknown
}

func (m *msgSpec) field(n uint64) *fieldSpec {
	if n < uint64(len(m.fields)) && m.fields[n].name != "" {
		return &m.fields[n]
	}
	return nil
}

// The schema, from perftools.profiles (proto/profile.proto).
var (
	valueTypeSpec = &msgSpec{fields: []fieldSpec{1: {name: "type", str: true}, 2: {name: "unit", str: true}}}
	labelSpec     = &msgSpec{fields: []fieldSpec{1: {name: "key", str: true}, 2: {name: "str", str: true}, 3: {name: "num"}, 4: {name: "num_unit", str: true}}}
	sampleSpec    = &msgSpec{fields: []fieldSpec{
		1: {name: "location_id", kind: kVarints, ref: "location"},
		2: {name: "value", kind: kVarints},
		3: {name: "label", kind: kMessage, msg: labelSpec},
	}}
	mappingSpec = &msgSpec{table: "mapping", fields: []fieldSpec{
		1: {name: "id", id: true}, 2: {name: "memory_start"}, 3: {name: "memory_limit"}, 4: {name: "file_offset"},
		5: {name: "filename", str: true}, 6: {name: "build_id", str: true},
		7: {name: "has_functions"}, 8: {name: "has_filenames"}, 9: {name: "has_line_numbers"}, 10: {name: "has_inline_frames"},
	}}
	lineSpec     = &msgSpec{fields: []fieldSpec{1: {name: "function_id", ref: "function"}, 2: {name: "line"}, 3: {name: "column"}}}
	locationSpec = &msgSpec{table: "location", fields: []fieldSpec{
		1: {name: "id", id: true}, 2: {name: "mapping_id", ref: "mapping"}, 3: {name: "address"},
		4: {name: "line", kind: kMessage, msg: lineSpec}, 5: {name: "is_folded"},
	}}
	functionSpec = &msgSpec{table: "function", fields: []fieldSpec{
		1: {name: "id", id: true}, 2: {name: "name", str: true}, 3: {name: "system_name", str: true},
		4: {name: "filename", str: true}, 5: {name: "start_line"},
	}}
	profileSpec = &msgSpec{fields: []fieldSpec{
		1: {name: "sample_type", kind: kMessage, msg: valueTypeSpec},
		2: {name: "sample", kind: kMessage, msg: sampleSpec},
		3: {name: "mapping", kind: kMessage, msg: mappingSpec},
		4: {name: "location", kind: kMessage, msg: locationSpec},
		5: {name: "function", kind: kMessage, msg: functionSpec},
		6: {name: "string_table", kind: kBytes},
		7: {name: "drop_frames", str: true}, 8: {name: "keep_frames", str: true},
		9: {name: "time_nanos"}, 10: {name: "duration_nanos"},
		11: {name: "period_type", kind: kMessage, msg: valueTypeSpec},
		12: {name: "period"},
		13: {name: "comment", kind: kVarints, str: true},
		14: {name: "default_sample_type", str: true},
		15: {name: "doc_url", str: true},
	}}
)

// finding is a problem at a place in the encoding.
type finding struct {
	path string
	off  int
	msg  string
}

func (f *finding) err() *profile.SyntaxError {
	e := &profile.SyntaxError{Offset: int64(f.off), Path: f.path, Msg: f.msg}
	if f.path != "" {
		e.Msg += fmt.Sprintf(" (byte %d of the protobuf)", f.off)
	}
	return e
}

// use is one reference to check once every table is known.
type use struct {
	path  string
	off   int
	table string // "string", "mapping", "location", "function"
	val   uint64
}

// walker collects what the encoding declares and uses.
type walker struct {
	strings     int
	firstString []byte
	firstOff    int
	timeSeen    bool
	sampleTypes int
	uses        []use
	ids         map[string]map[uint64]string // table -> id -> path of its message
	valueCounts []use                        // per sample: val = number of values
	lastValues  uint64                       // values in the message walked last
	structOnly  bool                         // Sniff: check the encoding, not the ids
	dups        []finding                    // ids defined twice
}

func newWalker() *walker { return &walker{ids: map[string]map[uint64]string{}} }

// diagnose returns the first problem in a profile's encoding, or nil when
// it finds none that pprof would refuse.
func diagnose(data []byte) *profile.SyntaxError {
	w := newWalker()
	if f := w.message(data, 0, profileSpec, ""); f != nil {
		return f.err()
	}
	if w.strings == 0 {
		return (&finding{"string_table", len(data), "is missing; it must hold at least the empty string"}).err()
	}
	if len(w.firstString) > 0 {
		return (&finding{"string_table[0]", w.firstOff, fmt.Sprintf("must be the empty string, is %q", clip(w.firstString))}).err()
	}
	if len(w.dups) > 0 {
		return w.dups[0].err()
	}
	for _, u := range w.uses {
		if f := w.check(u); f != nil {
			return f.err()
		}
	}
	for _, c := range w.valueCounts {
		if int(c.val) != w.sampleTypes {
			return (&finding{c.path, c.off, fmt.Sprintf("has %d values for %d sample types", c.val, w.sampleTypes)}).err()
		}
	}
	return nil
}

func (w *walker) check(u use) *finding {
	switch u.table {
	case "string":
		if u.val >= uint64(w.strings) {
			return &finding{u.path, u.off, fmt.Sprintf("string index %d is out of range (the string table has %d entries)", u.val, w.strings)}
		}
	case "mapping":
		if u.val != 0 && w.ids["mapping"][u.val] == "" {
			return &finding{u.path, u.off, fmt.Sprintf("mapping id %d is not defined", u.val)}
		}
	default:
		if u.val == 0 {
			return &finding{u.path, u.off, fmt.Sprintf("%s id 0 is reserved and refers to nothing", u.table)}
		}
		if w.ids[u.table][u.val] == "" {
			return &finding{u.path, u.off, fmt.Sprintf("%s id %d is not defined", u.table, u.val)}
		}
	}
	return nil
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// message walks one message body that starts at byte base of the input.
func (w *walker) message(data []byte, base int, m *msgSpec, path string) *finding {
	counts := make([]int, len(m.fields))
	var id uint64
	idOff := base
	values := 0
	for off := 0; off < len(data); {
		start := off
		key, n := binary.Uvarint(data[off:])
		if n <= 0 {
			return &finding{path, base + start, "malformed protobuf: bad field key"}
		}
		off += n
		num, wire := key>>3, key&7
		if num == 0 {
			return &finding{path, base + start, "malformed protobuf: field number 0"}
		}
		var v uint64
		var payload []byte
		payloadOff := off
		switch wire {
		case 0:
			v, n = binary.Uvarint(data[off:])
			if n <= 0 {
				return &finding{path, base + off, "malformed protobuf: bad varint"}
			}
			off += n
		case 1, 5:
			size := 8
			if wire == 5 {
				size = 4
			}
			if len(data)-off < size {
				return &finding{path, base + off, "malformed protobuf: the data ends inside a fixed-size field"}
			}
			off += size
		case 2:
			l, n := binary.Uvarint(data[off:])
			if n <= 0 {
				return &finding{path, base + off, "malformed protobuf: bad length"}
			}
			off += n
			if l > uint64(len(data)-off) {
				return &finding{path, base + off, fmt.Sprintf("malformed protobuf: field %d claims %d bytes, %d remain", num, l, len(data)-off)}
			}
			payloadOff = off
			payload = data[off : off+int(l)]
			off += int(l)
		default:
			return &finding{path, base + start, fmt.Sprintf("malformed protobuf: unknown wire type %d", wire)}
		}
		spec := m.field(num)
		if spec == nil {
			continue
		}
		i := counts[num]
		counts[num]++
		ep := elemPath(path, spec.name, i, spec.kind != kVarint)
		switch spec.kind {
		case kVarint:
			if wire != 0 {
				return &finding{ep, base + start, fmt.Sprintf("wire type %d where a varint belongs", wire)}
			}
			if m == profileSpec && num == 9 {
				if w.timeSeen {
					return &finding{ep, base + start, "appears twice: the input looks like several profiles concatenated"}
				}
				w.timeSeen = true
			}
			switch {
			case spec.id:
				id, idOff = v, base+start
			case spec.str:
				w.uses = append(w.uses, use{ep, base + start, "string", v})
			case spec.ref != "":
				w.uses = append(w.uses, use{ep, base + start, spec.ref, v})
			}
		case kVarints:
			vals := []uint64{v}
			if wire == 2 {
				vals = vals[:0]
				for p := 0; p < len(payload); {
					x, n := binary.Uvarint(payload[p:])
					if n <= 0 {
						return &finding{ep, base + payloadOff + p, "malformed protobuf: bad varint in a packed field"}
					}
					vals = append(vals, x)
					p += n
				}
			} else if wire != 0 {
				return &finding{ep, base + start, fmt.Sprintf("wire type %d where varints belong", wire)}
			}
			// Elements of a repeated scalar are numbered across all the
			// field's occurrences, packed or not.
			counts[num] += len(vals) - 1
			for j, x := range vals {
				p := elemPath(path, spec.name, i+j, true)
				switch {
				case spec.str:
					w.uses = append(w.uses, use{p, base + start, "string", x})
				case spec.ref != "":
					w.uses = append(w.uses, use{p, base + start, spec.ref, x})
				}
			}
			if spec.name == "value" {
				values += len(vals)
			}
		case kBytes:
			if wire != 2 {
				return &finding{ep, base + start, fmt.Sprintf("wire type %d where a string belongs", wire)}
			}
			if w.strings == 0 {
				w.firstString, w.firstOff = payload, base+start
			}
			w.strings++
		case kMessage:
			if wire != 2 {
				return &finding{ep, base + start, fmt.Sprintf("wire type %d where a message belongs", wire)}
			}
			if m == profileSpec && num == 1 {
				w.sampleTypes++
			}
			if f := w.message(payload, base+payloadOff, spec.msg, ep); f != nil {
				return f
			}
			if spec.msg == sampleSpec {
				w.valueCounts = append(w.valueCounts, use{ep, base + start, "", w.lastValues})
			}
		}
	}
	w.lastValues = uint64(values)
	if m.table != "" && !w.structOnly {
		if id == 0 {
			return &finding{path, idOff, "id 0 is reserved (ids start at 1)"}
		}
		if w.ids[m.table] == nil {
			w.ids[m.table] = map[uint64]string{}
		}
		if prev := w.ids[m.table][id]; prev != "" {
			// Reported after the walk: a broken encoding later on (two
			// profiles concatenated) explains a duplicate better.
			w.dups = append(w.dups, finding{path, idOff, fmt.Sprintf("id %d is also the id of %s, want a distinct id", id, prev)})
		} else {
			w.ids[m.table][id] = path
		}
	}
	return nil
}

func elemPath(parent, name string, i int, repeated bool) string {
	p := name
	if parent != "" {
		p = parent + "." + name
	}
	if repeated {
		p += "[" + strconv.Itoa(i) + "]"
	}
	return p
}
