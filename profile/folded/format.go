package folded

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the folded-stacks importer as a value, for format detection
// lists.
type Format struct{}

// Name is the importer name, also used as Meta.Format.
func (Format) Name() string { return "folded" }

// Sniff reports whether head looks like folded stacks; see the function Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads folded stacks; see the function Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}
