package dhat

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the DHAT importer as a value, for format detection lists.
type Format struct{}

// Name is the importer name, also used as Meta.Format.
func (Format) Name() string { return "dhat" }

// Sniff reports whether head starts a DHAT document; see the function Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads a DHAT document; see the function Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}
