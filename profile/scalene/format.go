package scalene

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the scalene importer as a value, for detection lists.
type Format struct{}

// Name is the importer name, also used as Meta.Format.
func (Format) Name() string { return "scalene" }

// Sniff reports whether head starts a scalene JSON profile; see the function Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads a scalene JSON profile; see the function Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}
