package speedscope

import (
	"bytes"
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// SchemaURL is the value of "$schema" that identifies a speedscope file.
const SchemaURL = "https://www.speedscope.app/file-format-schema.json"

// Format is the speedscope importer for format detection.
type Format struct{}

// Name returns "speedscope".
func (Format) Name() string { return "speedscope" }

// Sniff reports whether head looks like speedscope JSON.
func (Format) Sniff(head []byte) bool { return Sniff(head) }

// Read reads a speedscope file; see the package Read.
func (Format) Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	return Read(r, name, opt)
}

// Sniff reports whether head (the first bytes of an input) is a JSON object
// with a "$schema" key naming the speedscope schema.
func Sniff(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	rest := head
	for {
		i := bytes.Index(rest, []byte(`"$schema"`))
		if i < 0 {
			return false
		}
		rest = rest[i+len(`"$schema"`):]
		v := bytes.TrimLeft(rest, " \t\r\n")
		if len(v) == 0 || v[0] != ':' {
			continue
		}
		v = bytes.TrimLeft(v[1:], " \t\r\n")
		if len(v) > 0 && v[0] == '"' {
			end := bytes.IndexByte(v[1:], '"')
			if end < 0 {
				end = len(v) - 1
			}
			s := bytes.ReplaceAll(v[1:1+end], []byte(`\/`), []byte("/"))
			return bytes.Contains(s, []byte("speedscope.app/file-format-schema.json"))
		}
	}
}
