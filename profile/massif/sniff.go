package massif

import "bytes"

// Sniff reports whether head starts massif output: "desc:" first, and a
// "time_unit:" line among the header lines that follow.
func Sniff(head []byte) bool {
	return bytes.HasPrefix(head, []byte("desc:")) && bytes.Contains(head, []byte("\ntime_unit: "))
}
