package pprof

import (
	"encoding/binary"
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the pprof importer as the ingest layer's format list wants it.
type Format struct{}

// Name returns "pprof".
func (Format) Name() string { return "pprof" }

// Sniff reports whether head looks like a pprof profile; see Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads a pprof profile; see Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}

// ReadValidates marks Read's result as validated (ingest then does not
// validate it again): finish checks every profile Read returns.
func (Format) ReadValidates() {}

// sniffWindow is the most the ingest layer passes to Sniff; a shorter head
// is the whole input.
const sniffWindow = 64 << 10

// Sniff reports whether head (the first bytes of the input, at most
// 64 KiB) is a gzip stream or plausibly an uncompressed pprof protobuf. A
// raw protobuf has no magic number, so the test is conservative, as befits
// the last entry of the detection order: head must hold a sample_type or
// the string table, wherever it comes (the pprof library writes sample_type
// first, the Go runtime time_nanos, Pyroscope's heap.pb period_type), and
// every top-level field in head must be a profile.proto field with its
// proper wire type and well-formed content. When head is
// shorter than the window it is the whole input and must decode
// completely; otherwise only a field cut off at the end of the window is
// forgiven.
func Sniff(head []byte) bool {
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		return true
	}
	if len(head) < 2 {
		return false
	}
	if head[0] == 1<<3|2 && head[1] > 22 {
		return false // a sample_type is at most two small varints (Parca writes an empty one)
	}
	whole := len(head) < sniffWindow
	core := false // a sample_type or the string table was seen
	w := newWalker()
	w.structOnly = true
	for off := 0; off < len(head); {
		key, n := binary.Uvarint(head[off:])
		if n <= 0 {
			return n == 0 && !whole && core
		}
		off += n
		num, wire := key>>3, key&7
		spec := profileSpec.field(num)
		if spec == nil {
			return false
		}
		core = core || num == 1 || num == 6
		switch spec.kind {
		case kVarint, kVarints:
			if wire == 0 {
				_, n := binary.Uvarint(head[off:])
				if n <= 0 {
					return n == 0 && !whole && core
				}
				off += n
				continue
			}
			if wire != 2 || spec.kind == kVarint {
				return false
			}
		default:
			if wire != 2 {
				return false
			}
		}
		l, n := binary.Uvarint(head[off:])
		if n <= 0 {
			return n == 0 && !whole && core
		}
		off += n
		if l > uint64(len(head)-off) {
			return !whole && core
		}
		payload := head[off : off+int(l)]
		off += int(l)
		if spec.kind == kMessage {
			if w.message(payload, 0, spec.msg, "") != nil {
				return false
			}
		}
	}
	return core
}
