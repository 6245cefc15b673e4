package ingest

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Known is a file kind hotspot recognises but has no importer for. It is
// consulted only after every Format's Sniff has declined, so an entry can
// be deleted as soon as the importer for its kind lands.
type Known struct {
	What  string              // what the file is, for the message
	Match func(h []byte) bool // h is the head, decompressed if it was gzip
	Do    string              // what to run instead, said to the user
}

// KnownUnreadable lists the kinds, most specific first.
func KnownUnreadable() []Known {
	return []Known{
		{"a perf.data recording (perf's binary format)", prefix("PERFILE2"),
			"convert it to text first: perf script -i FILE > perf.txt (add -F +pid for process ids), then read perf.txt"},
		{"zstd-compressed data", prefix("\x28\xb5\x2f\xfd"),
			"decompress it first (zstd -d FILE); heaptrack's own .zst recordings are read as they are"},
		{"heaptrack_print's text report", prefix("reading file \""),
			"read the heaptrack data file it was printed from (heaptrack.PROG.PID.zst) instead"},
		{"xz-compressed data", prefix("\xfd7zXZ\x00"), "decompress it first: xz -dk FILE"},
		{"bzip2-compressed data", prefix("BZh"), "decompress it first: bzip2 -dk FILE"},
		{"an SVG image that flamegraph.pl or inferno did not draw", isSVG,
			"read the folded stacks it was drawn from instead (the stackcollapse/inferno-collapse output, or py-spy record -f raw)"},
	}
}

func prefix(p string) func([]byte) bool {
	return func(h []byte) bool { return bytes.HasPrefix(h, []byte(p)) }
}

func isSVG(h []byte) bool {
	t := bytes.TrimLeft(h, " \t\r\n\xef\xbb\xbf")
	return (bytes.HasPrefix(t, []byte("<?xml")) || bytes.HasPrefix(t, []byte("<svg")) || bytes.HasPrefix(t, []byte("<!DOCTYPE svg"))) &&
		bytes.Contains(h, []byte("<svg"))
}

// unreadable returns the error for a head that matches a Known kind, or nil.
func unreadable(head []byte, name string, kinds []Known) error {
	for _, k := range kinds {
		if k.Match(head) {
			return fmt.Errorf("%s: %w: this is %s, which hotspot does not read yet; %s", name, profile.ErrUnrecognized, k.What, strings.ReplaceAll(k.Do, "FILE", name))
		}
	}
	return nil
}
