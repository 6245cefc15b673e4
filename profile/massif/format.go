package massif

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the massif importer as a value, for detection lists.
type Format struct{}

// Name is the importer name, also used as Meta.Format.
func (Format) Name() string { return "massif" }

// Sniff reports whether head starts massif output; see the function Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads massif output; see the function Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}
