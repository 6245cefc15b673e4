package flamesvg

import "bytes"

// Sniff reports whether head is a flame graph SVG: an SVG document (after
// an optional XML declaration and doctype) that names its writer,
// flamegraph.pl's "Flame graph stack visualization" comment or inferno's
// fg namespace, within the head.
func Sniff(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	if !bytes.HasPrefix(t, []byte("<?xml")) && !bytes.HasPrefix(t, []byte("<svg")) && !bytes.HasPrefix(t, []byte("<!DOCTYPE svg")) {
		return false
	}
	return bytes.Contains(head, []byte("<svg")) &&
		(bytes.Contains(head, []byte("Flame graph stack visualization")) || bytes.Contains(head, []byte(`xmlns:fg="http://github.com/jonhoo/inferno"`)))
}
