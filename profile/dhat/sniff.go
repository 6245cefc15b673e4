package dhat

import "bytes"

// Sniff reports whether head (the first bytes of an input) is a DHAT
// document: a JSON object whose first key is "dhatFileVersion", after an
// optional UTF-8 byte order mark and whitespace (formats.md §0, rule 3).
// Both valgrind and dhat-rs write that key first.
func Sniff(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	head = bytes.TrimLeft(head[1:], " \t\r\n")
	return bytes.HasPrefix(head, []byte(`"dhatFileVersion"`))
}
