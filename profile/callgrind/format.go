package callgrind

import (
	"bytes"
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Format is the callgrind importer as a value, for format detection lists.
type Format struct{}

// Name is the importer name, also used as Meta.Format.
func (Format) Name() string { return "callgrind" }

// Sniff reports whether head starts callgrind output; see the function Sniff.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads callgrind output; see the function Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}

// Sniff reports whether head is callgrind output: it starts with the
// optional "# callgrind format" line, or it has an "events:" header line
// and either a "creator: callgrind" line or an "fn=" line. Folded stacks
// would take "fn=(1) main" and "calls=1 12" for frames, so this must be
// tried before them; no other format has lines starting "events: " and
// "fn=".
func Sniff(head []byte) bool {
	if bytes.HasPrefix(head, []byte("# callgrind format")) {
		return true
	}
	hasLine := func(p string) bool {
		return bytes.HasPrefix(head, []byte(p)) || bytes.Contains(head, []byte("\n"+p))
	}
	return hasLine("events: ") && (hasLine("creator: callgrind") || hasLine("fn="))
}
