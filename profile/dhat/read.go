package dhat

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// Program-point number keys, in the order of pp.v.
const (
	kTB = iota
	kTBK
	kTL
	kMB
	kMBK
	kGB
	kGBK
	kEB
	kEBK
	kRB
	kWB
	nKeys
)

var keyNames = [nKeys]string{"tb", "tbk", "tl", "mb", "mbk", "gb", "gbk", "eb", "ebk", "rb", "wb"}

// pp is one program point, stored compactly until the frame table arrives.
type pp struct {
	v        [nKeys]int64
	has      uint16 // bit k set when key k was present
	hasFS    bool
	fs0, fs1 int // its frame indexes are doc.fs[fs0:fs1], leaf first
}

// doc is the whole document minus what is not needed (the "acc" access
// histograms).
type doc struct {
	version             int64
	hasVersion, hasMode bool
	mode, verb          string
	tu, mtu, cmd        string
	bu, bsu, bksu       string
	bklt, bkacc         bool
	ints                map[string]int64 // tuth, pid, te, tg when present
	pps                 []pp
	fs                  []int32
	ftbl                []string
	hasPPs, hasFtbl     bool
}

// Read reads a DHAT JSON document from r. name is used only in messages.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	limits := opt.Limits.WithDefaults()
	// A UTF-8 byte order mark is not JSON; editors on Windows add one.
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	d := newDecoder(br, name, limits)
	var doc doc
	empty, err := d.document(&doc)
	if err != nil {
		return nil, err
	}
	if empty {
		return emptyProfile(name, limits)
	}
	return build(d, &doc, limits)
}

// document reads the top-level object. empty is true for an input with no
// JSON value at all.
func (d *decoder) document(doc *doc) (empty bool, err error) {
	t, err := d.dec.ReadToken()
	if err == io.EOF {
		return true, nil
	}
	if err != nil || t.Kind() != '{' {
		return false, fmt.Errorf("%s: not a DHAT document (want a JSON object): %w", d.name, profile.ErrUnrecognized)
	}
	doc.ints = map[string]int64{}
	for {
		key, ok, err := d.key()
		if err != nil {
			return false, err
		}
		if !ok {
			break
		}
		if err := d.field(doc, key); err != nil {
			return false, err
		}
	}
	end := d.dec.InputOffset()
	if _, err := d.dec.ReadToken(); err != io.EOF {
		return false, d.at(end, "unexpected data after the DHAT object")
	}
	if !doc.hasVersion {
		return false, fmt.Errorf("%s: no \"dhatFileVersion\" key: %w", d.name, profile.ErrUnrecognized)
	}
	if doc.version != 2 {
		return false, d.shape(top("dhatFileVersion"), "unsupported version %d (hotspot reads version 2)", doc.version)
	}
	for _, k := range []struct {
		name string
		has  bool
	}{{"mode", doc.hasMode}, {"pps", doc.hasPPs}, {"ftbl", doc.hasFtbl}} {
		if !k.has {
			return false, d.shape(top(k.name), "missing (a required key)")
		}
	}
	return false, nil
}

// field reads the value of one top-level key.
func (d *decoder) field(doc *doc, key string) error {
	var err error
	w := top(key)
	switch key {
	case "dhatFileVersion":
		doc.version, err = d.int(w)
		doc.hasVersion = true
	case "mode":
		doc.mode, err = d.str(w)
		doc.hasMode = true
	case "verb":
		doc.verb, err = d.str(w)
	case "tu":
		doc.tu, err = d.str(w)
	case "Mtu":
		doc.mtu, err = d.str(w)
	case "cmd":
		doc.cmd, err = d.str(w)
	case "bu":
		doc.bu, err = d.str(w)
	case "bsu":
		doc.bsu, err = d.str(w)
	case "bksu":
		doc.bksu, err = d.str(w)
	case "bklt":
		doc.bklt, err = d.bool(w)
	case "bkacc":
		doc.bkacc, err = d.bool(w)
	case "tuth", "pid", "te", "tg":
		var v int64
		v, err = d.int(w)
		doc.ints[key] = v
	case "pps":
		if doc.hasPPs {
			return d.shape(w, "duplicate key")
		}
		doc.hasPPs = true
		err = d.programPoints(doc)
	case "ftbl":
		if doc.hasFtbl {
			return d.shape(w, "duplicate key")
		}
		doc.hasFtbl = true
		err = d.frameTable(doc)
	default:
		err = d.skip()
	}
	return err
}

// programPoints reads the "pps" array. Each element is taken from the
// decoder as raw bytes (the decoder checks the syntax once, and the bytes
// stay in its buffer) and read by a ppScanner.
func (d *decoder) programPoints(doc *doc) error {
	if err := d.open(top("pps"), '['); err != nil {
		return err
	}
	for i := 0; d.more(); i++ {
		raw, err := d.dec.ReadValue()
		if err != nil {
			return d.syntaxErr(err)
		}
		s := ppScanner{d: d, b: raw, pp: i}
		var p pp
		if err := s.programPoint(doc, &p); err != nil {
			return err
		}
		doc.pps = append(doc.pps, p)
	}
	_, err := d.token() // ']'
	return err
}

func (d *decoder) frameTable(doc *doc) error {
	w := top("ftbl")
	if err := d.open(w, '['); err != nil {
		return err
	}
	for j := 0; d.more(); j++ {
		s, err := d.str(w.at(j))
		if err != nil {
			return err
		}
		doc.ftbl = append(doc.ftbl, s)
	}
	_, err := d.token() // ']'
	return err
}
