package pprof

import (
	"encoding/binary"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/profile"
)

// fromProto converts an uncompressed profile.proto message without
// building pprof's per-sample structures, which for a million samples cost
// more memory than the whole model: everything but the samples (a small
// header of types, locations, functions and strings) is decoded by pprof,
// and the samples are then read one by one from data straight into the
// model. ok is false when the message has a shape this path leaves to
// pprof's decoder (anything malformed or unusual); the caller then decodes
// it the slow way, whose messages say what is wrong. When ok is true, the
// result is what FromPprof gives for pprof's decoding of data.
func fromProto(data []byte, name string, opt profile.ReadOptions) (p *profile.Profile, ok bool, err error) {
	im, ok, err := streamSamples(data, name, opt)
	if !ok || err != nil {
		return nil, ok, err
	}
	p, err = im.finish()
	return p, true, err
}

// streamSamples is fromProto up to the finished model, so that a caller
// can drop data before the tree is laid out.
func streamSamples(data []byte, name string, opt profile.ReadOptions) (im *importer, ok bool, err error) {
	header, nSamples, ok := withoutSamples(data)
	if !ok || len(header) == 0 {
		return nil, false, nil
	}
	pp, err := pprofile.ParseUncompressed(header)
	if err != nil || pp.CheckValid() != nil {
		return nil, false, nil
	}
	sd := newSampleDecoder(pp, header)
	im = newImporter(pp, name, opt)
	// At most one model sample per message: a sample repeated many times
	// costs as much as that many distinct ones would.
	im.b.ExpectSamples(nSamples)
	i := 0
	for off := 0; off < len(data); {
		field, wire, start, end, ok := nextField(data, off)
		if !ok {
			return nil, false, nil
		}
		off = end
		if field != 2 || wire != 2 {
			continue
		}
		// A sample in a profile with no sample types is what pprof's
		// CheckValid refuses: leave it to the full parse, which says so.
		if sd.nTypes == 0 {
			return nil, false, nil
		}
		if !sd.decode(data[start:end]) {
			return nil, false, nil
		}
		if err := im.addIDs(i, sd, sd.ids, sd.values, sd.labels); err != nil {
			return nil, true, err
		}
		i++
	}
	return im, true, nil
}

// withoutSamples returns data's top-level fields other than samples (field
// 2), in order, and the number of samples; ok is false when data is not a
// well-formed sequence of fields.
func withoutSamples(data []byte) (header []byte, samples int, ok bool) {
	for off := 0; off < len(data); {
		field, wire, _, end, ok := nextField(data, off)
		if !ok {
			return nil, 0, false
		}
		if field == 2 {
			if wire != 2 {
				return nil, 0, false
			}
			samples++
		} else {
			header = append(header, data[off:end]...)
		}
		off = end
	}
	return header, samples, true
}

// nextField reads the field that starts at off: its number, wire type, where
// its payload starts and where the field ends.
func nextField(data []byte, off int) (field uint64, wire int, start, end int, ok bool) {
	tag, n := binary.Uvarint(data[off:])
	if n <= 0 {
		return 0, 0, 0, 0, false
	}
	field, wire, start = tag>>3, int(tag&7), off+n
	switch wire {
	case 0:
		_, n := binary.Uvarint(data[start:])
		if n <= 0 {
			return 0, 0, 0, 0, false
		}
		end = start + n
	case 1:
		end = start + 8
	case 2:
		l, n := binary.Uvarint(data[start:])
		if n <= 0 || l > uint64(len(data)) {
			return 0, 0, 0, 0, false
		}
		start += n
		end = start + int(l)
	case 5:
		end = start + 4
	default:
		return 0, 0, 0, 0, false
	}
	if field == 0 || end > len(data) {
		return 0, 0, 0, 0, false
	}
	return field, wire, start, end, true
}

// sampleDecoder decodes one Sample message at a time into reused buffers.
type sampleDecoder struct {
	header  []byte   // the message without samples, for the string table
	strings []string // the string table, decoded when a label needs it
	// dense indexes locations by id when ids are small, as every producer
	// writes them; sparse holds the rest.
	dense  []*pprofile.Location
	sparse map[uint64]*pprofile.Location
	nTypes int

	ids    []uint64 // the sample's location ids, leaf first
	values []int64
	labels profile.Labels
	// rawLabels holds the sample's label fields as encoded; byRaw caches
	// the Labels of each distinct encoding, which samples repeat.
	rawLabels []byte
	byRaw     map[string]profile.Labels
}

func newSampleDecoder(pp *pprofile.Profile, header []byte) *sampleDecoder {
	d := &sampleDecoder{header: header, nTypes: len(pp.SampleType), byRaw: map[string]profile.Labels{}}
	var maxID uint64
	for _, l := range pp.Location {
		maxID = max(maxID, l.ID)
	}
	if maxID <= 2*uint64(len(pp.Location))+64 {
		d.dense = make([]*pprofile.Location, maxID+1)
	}
	for _, l := range pp.Location {
		if l.ID < uint64(len(d.dense)) {
			d.dense[l.ID] = l
			continue
		}
		if d.sparse == nil {
			d.sparse = map[uint64]*pprofile.Location{}
		}
		d.sparse[l.ID] = l
	}
	return d
}

// decode reads one Sample message; false when it holds anything pprof
// would refuse (an unknown location, a value count that does not match the
// sample types, a label string out of range) or a shape left to pprof.
func (d *sampleDecoder) decode(msg []byte) bool {
	d.ids, d.values, d.rawLabels = d.ids[:0], d.values[:0], d.rawLabels[:0]
	for off := 0; off < len(msg); {
		field, wire, start, end, ok := nextField(msg, off)
		if !ok {
			return false
		}
		switch field {
		case 1: // location ids
			if !varints(msg[start:end], wire, func(id uint64) bool {
				d.ids = append(d.ids, id)
				return d.location(id) != nil
			}) {
				return false
			}
		case 2: // values
			if !varints(msg[start:end], wire, func(v uint64) bool {
				d.values = append(d.values, int64(v))
				return true
			}) {
				return false
			}
		case 3: // a label
			if wire != 2 {
				return false
			}
			d.rawLabels = append(d.rawLabels, msg[off:end]...)
		default:
			return false
		}
		off = end
	}
	if len(d.values) != d.nTypes {
		return false
	}
	if len(d.rawLabels) == 0 {
		d.labels = profile.Labels{}
		return true
	}
	if l, ok := d.byRaw[string(d.rawLabels)]; ok {
		d.labels = l
		return true
	}
	s, ok := d.labelSample(d.rawLabels)
	if !ok {
		return false
	}
	d.labels = labelsFrom(s)
	d.byRaw[string(d.rawLabels)] = d.labels
	return true
}

func (d *sampleDecoder) location(id uint64) *pprofile.Location {
	if id < uint64(len(d.dense)) {
		return d.dense[id]
	}
	return d.sparse[id]
}

// varints calls f with each varint of a field's payload, packed (wire type
// 2) or single (0), until f returns false.
func varints(payload []byte, wire int, f func(uint64) bool) bool {
	if wire != 0 && wire != 2 {
		return false
	}
	for len(payload) > 0 {
		v, n := binary.Uvarint(payload)
		if n <= 0 {
			return false
		}
		if !f(v) {
			return false
		}
		payload = payload[n:]
	}
	return true
}

// labelSample decodes a sample's label fields into the maps pprof's
// decoder would give the sample, in the same order and with the same
// rules (a string label when str is set, else a numeric one when num or
// unit is set, units padded to the values).
func (d *sampleDecoder) labelSample(raw []byte) (*pprofile.Sample, bool) {
	s := &pprofile.Sample{}
	str := map[string][]string{}
	num := map[string][]int64{}
	units := map[string][]string{}
	for off := 0; off < len(raw); {
		_, _, start, end, ok := nextField(raw, off)
		if !ok {
			return nil, false
		}
		off = end
		var x [5]int64 // key, str, num, unit by field number
		msg := raw[start:end]
		for o := 0; o < len(msg); {
			f, wire, st, en, ok := nextField(msg, o)
			if !ok || wire != 0 || f > 4 {
				return nil, false
			}
			v, _ := binary.Uvarint(msg[st:en])
			x[f] = int64(v)
			o = en
		}
		key, ok := d.str(x[1])
		if !ok {
			return nil, false
		}
		switch {
		case x[2] != 0:
			v, ok := d.str(x[2])
			if !ok {
				return nil, false
			}
			str[key] = append(str[key], v)
		case x[3] != 0 || x[4] != 0:
			if x[4] != 0 {
				u, ok := d.str(x[4])
				if !ok {
					return nil, false
				}
				units[key] = append(padStrings(units[key], len(num[key])), u)
			}
			num[key] = append(num[key], x[3])
		}
	}
	if len(str) > 0 {
		s.Label = str
	}
	if len(num) > 0 {
		s.NumLabel = num
		for k, us := range units {
			if len(us) > 0 {
				units[k] = padStrings(us, len(num[k]))
			}
		}
		s.NumUnit = units
	}
	return s, true
}

func (d *sampleDecoder) str(i int64) (string, bool) {
	if d.strings == nil {
		d.strings = []string{}
		for off := 0; off < len(d.header); {
			field, wire, start, end, _ := nextField(d.header, off)
			if field == 6 && wire == 2 {
				d.strings = append(d.strings, string(d.header[start:end]))
			}
			off = end
		}
	}
	if i < 0 || i >= int64(len(d.strings)) {
		return "", false
	}
	return d.strings[i], true
}

// padStrings pads ss with empty strings to length n.
func padStrings(ss []string, n int) []string {
	for len(ss) < n {
		ss = append(ss, "")
	}
	return ss
}
