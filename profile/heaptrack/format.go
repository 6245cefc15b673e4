package heaptrack

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the heaptrack importer as a value, for detection lists.
type Format struct{}

// Name is the importer name, also used as Meta.Format.
func (Format) Name() string { return "heaptrack" }

// Sniff reports whether head starts a heaptrack data file; see the function Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads a heaptrack data file; see the function Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}
