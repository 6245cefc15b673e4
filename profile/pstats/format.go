package pstats

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the pstats importer as a value, for format detection lists.
type Format struct{}

// Name is the importer name, also used as Meta.Format.
func (Format) Name() string { return "pstats" }

// Sniff reports whether head starts a pstats file; see the function Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads a pstats file; see the function Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}

// Sniff reports whether head is the start of a pstats file: a marshal dict
// ('{', usually with the ref flag: 0xfb) whose first key is a tuple of
// three ("(" with an int32 length or ")" with a one-byte length), and whose
// first element is a string. No text format starts this way: '{' followed
// by '(' or ')' and a control byte is not JSON.
func Sniff(head []byte) bool {
	if len(head) < 8 || head[0]&^flagRef != '{' {
		return false
	}
	var elem byte
	switch head[1] &^ flagRef {
	case ')':
		if head[2] != 3 {
			return false
		}
		elem = head[3]
	case '(':
		if head[2] != 3 || head[3] != 0 || head[4] != 0 || head[5] != 0 {
			return false
		}
		elem = head[6]
	default:
		return false
	}
	switch elem &^ flagRef {
	case 'z', 'Z', 'a', 'A', 'u', 't', 'r':
		return true
	}
	return false
}
