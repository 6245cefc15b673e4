package heaptrack

import (
	"bytes"
	"io"

	"github.com/klauspost/compress/zstd"
)

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// Sniff reports whether head is a heaptrack data file: its text starts
// with the version line "v <hex> <hex>" and the next line is one of
// heaptrack's records. A zstd-compressed head is decompressed as far as it
// goes (a few bytes are enough).
func Sniff(head []byte) bool {
	if bytes.HasPrefix(head, zstdMagic) {
		d, err := zstd.NewReader(bytes.NewReader(head), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(64<<20))
		if err != nil {
			return false
		}
		defer d.Close()
		buf := make([]byte, 256)
		n, _ := io.ReadFull(d, buf)
		head = buf[:n]
	}
	line, rest, ok := bytes.Cut(head, []byte("\n"))
	if !ok {
		return false
	}
	f := bytes.Fields(line)
	if len(f) != 3 || string(f[0]) != "v" || !hex(f[1]) || !hex(f[2]) {
		return false
	}
	return len(rest) >= 2 && bytes.IndexByte([]byte("XIAsitac+-R#"), rest[0]) >= 0 && rest[1] == ' '
}

func hex(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
