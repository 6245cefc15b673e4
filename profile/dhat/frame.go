package dhat

import (
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/symbol"
)

// parsedFrame is one frame-table entry: the frame and its instruction
// address (kept apart from Frame.Addr, which is set only for unsymbolised
// frames, whose identity is the address).
type parsedFrame struct {
	frame profile.Frame
	addr  uint64
}

// parseFrame splits a frame-table string into address, function, file and
// line, or module:
//
//	0x1091B6: make_key (cmalloc.c:22)                        valgrind, debug info
//	0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)
//	0x4A2B3C1: ???                                           no symbol
//	0x5650a3089765: alloc::raw_vec::RawVec<T,A>::allocate_in (raw_vec.rs:203:45)   dhat-rs
//	0x5650a309758d: __rust_try (???:0:0)                     dhat-rs, no file
//
// Every DHAT frame is native code (C, C++ or Rust). A string that follows
// none of these shapes becomes a frame named by the whole string.
func parseFrame(s string) parsedFrame {
	var pf parsedFrame
	rest := s
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		if i := strings.Index(h, ": "); i > 0 {
			if a, err := strconv.ParseUint(h[:i], 16, 64); err == nil {
				pf.addr, rest = a, h[i+2:]
			}
		}
	}
	f := profile.Frame{Name: rest, Kind: profile.KindNative}
	if name, loc, ok := symbol.CutLocation(rest); ok {
		if obj, ok := strings.CutPrefix(loc, "in "); ok {
			f.Name, f.Module = name, obj
		} else if file, line, ok := fileLine(loc); ok {
			f.Name, f.File, f.Line = name, file, line
		}
	}
	if f.Name == "???" || f.Name == "" {
		// Unsymbolised: only the address tells such frames apart.
		f.Name = "???"
		f.Addr = pf.addr
	}
	f.Display = symbol.Clean(f.Name)
	pf.frame = f
	return pf
}

// fileLine reads "file:line" (valgrind) or "file:line:col" (dhat-rs). A
// file of "???" is unknown and becomes "".
func fileLine(loc string) (file string, line int64, ok bool) {
	i := strings.LastIndexByte(loc, ':')
	if i <= 0 || !digits(loc[i+1:]) {
		return "", 0, false
	}
	file, num := loc[:i], loc[i+1:]
	if j := strings.LastIndexByte(file, ':'); j > 0 && digits(file[j+1:]) {
		file, num = file[:j], file[j+1:] // num was the column
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return "", 0, false
	}
	if file == "???" {
		file = ""
	}
	return file, n, true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
