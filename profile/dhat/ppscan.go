package dhat

import (
	"encoding/json"
	"math"

	"github.com/hotspot-dev/hotspot/profile"
)

// ppScanner reads one program point from the bytes the decoder has already
// checked to be a single valid JSON value. Decoding each number through
// Decoder.Token costs an allocation and an error value per number (the
// scanner finds a number's end by failing on the next byte); a program
// point is mostly numbers, so this scanner reads them in place instead.
// Because the input is valid JSON, it only has to tell values apart, never
// to diagnose syntax.
type ppScanner struct {
	d   *decoder
	b   []byte
	pos int
	pp  int // program point index, for paths
}

// at returns the byte at s.pos, or 0 past the end. The bytes are one valid
// JSON value, so the end is never reached mid-value; 0 keeps a bug from
// becoming a panic.
func (s *ppScanner) at() byte {
	if s.pos < len(s.b) {
		return s.b[s.pos]
	}
	return 0
}

func (s *ppScanner) ws() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// programPoint reads the object in s.b into p, appending its frame
// indexes to doc.fs.
func (s *ppScanner) programPoint(doc *doc, p *pp) error {
	s.ws()
	if s.at() != '{' {
		return s.d.shape(inPP(s.pp, ""), "want an object, got %s", s.describe())
	}
	s.pos++
	for {
		s.ws()
		if c := s.at(); c == '}' || c == 0 {
			return nil
		}
		if s.at() == ',' {
			s.pos++
			s.ws()
		}
		key, err := s.key()
		if err != nil {
			return err
		}
		s.ws()
		s.pos++ // ':'
		s.ws()
		if err := s.field(doc, p, key); err != nil {
			return err
		}
	}
}

// key reads an object key without allocating (the keys are compared, not
// kept); keys with escapes go through encoding/json.
func (s *ppScanner) key() ([]byte, error) {
	start := s.pos
	if s.at() != '"' {
		return nil, s.d.shape(inPP(s.pp, ""), "malformed object")
	}
	s.skipString()
	raw := s.b[start:min(s.pos, len(s.b))]
	if len(raw) < 2 {
		return nil, s.d.shape(inPP(s.pp, ""), "malformed object")
	}
	for _, c := range raw {
		if c == '\\' {
			var k string
			err := json.Unmarshal(raw, &k)
			return []byte(k), err
		}
	}
	return raw[1 : len(raw)-1], nil
}

func (s *ppScanner) field(doc *doc, p *pp, key []byte) error {
	if k := numberKey(key); k >= 0 {
		w := inPP(s.pp, keyNames[k])
		if p.has&(1<<k) != 0 {
			return s.d.shape(w, "duplicate key")
		}
		v, err := s.int(w)
		p.v[k] = v
		p.has |= 1 << k
		return err
	}
	if string(key) != "fs" {
		return s.skip() // "acc" and anything newer
	}
	w := inPP(s.pp, "fs")
	if p.hasFS {
		return s.d.shape(w, "duplicate key")
	}
	p.hasFS = true
	if s.at() != '[' {
		return s.d.shape(w, "want an array, got %s", s.describe())
	}
	s.pos++
	p.fs0 = len(doc.fs)
	for j := 0; ; j++ {
		s.ws()
		if c := s.at(); c == ']' || c == 0 {
			s.pos++
			break
		}
		if s.at() == ',' {
			s.pos++
			s.ws()
		}
		if j >= s.d.limits.MaxStackDepth {
			return &profile.LimitError{File: s.d.name, Where: w.String(), What: "stack depth", Limit: int64(s.d.limits.MaxStackDepth), Flag: "--max-depth"}
		}
		v, err := s.int(w.at(j))
		if err != nil {
			return err
		}
		if v > math.MaxInt32 {
			return s.d.shape(w.at(j), "frame %d out of range", v)
		}
		doc.fs = append(doc.fs, int32(v))
	}
	p.fs1 = len(doc.fs)
	return nil
}

// int reads a non-negative integer. Plain digits are read in place; any
// other number (negative, fractional, exponent, too long) goes through the
// decoder's general number check for its message.
func (s *ppScanner) int(w where) (int64, error) {
	c := s.at()
	if c != '-' && (c < '0' || c > '9') {
		return 0, s.d.shape(w, "want a non-negative integer, got %s", s.describe())
	}
	start := s.pos
	var v int64
	plain := true
	for s.pos < len(s.b) {
		c := s.b[s.pos]
		switch {
		case c >= '0' && c <= '9':
			if plain {
				d := int64(c - '0')
				if v > (math.MaxInt64-d)/10 {
					plain = false
				} else {
					v = v*10 + d
				}
			}
		case c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E':
			plain = false
		default:
			goto done
		}
		s.pos++
	}
done:
	if plain {
		return v, nil
	}
	return s.d.number(w, json.Number(s.b[start:s.pos]))
}

// describe names the JSON type of the value at s.pos, for messages.
func (s *ppScanner) describe() string {
	start := s.pos
	switch s.at() {
	case '"':
		s.skipString()
		var str string
		if json.Unmarshal(s.b[start:s.pos], &str) == nil {
			return describe(str)
		}
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't':
		return "true"
	case 'f':
		return "false"
	case 'n':
		return "null"
	}
	end := start
	for end < len(s.b) && s.b[end] != ',' && s.b[end] != '}' && s.b[end] != ']' && s.b[end] != ' ' && s.b[end] != '\n' {
		end++
	}
	return "the number " + string(s.b[start:end])
}

func (s *ppScanner) skipString() {
	s.pos++ // opening quote
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case '\\':
			s.pos += 2
			continue
		case '"':
			s.pos++
			return
		}
		s.pos++
	}
}

// skip passes over one value, bounding nesting by Limits.MaxJSONDepth.
func (s *ppScanner) skip() error {
	if s.at() == '[' && s.d.limits.MaxJSONDepth >= 3 {
		// The common case, "acc": an array of numbers (one level inside
		// the document and pps arrays, within any depth limit of 3 or
		// more). Find its end in a tight loop; anything nested goes the
		// general way.
		for j := s.pos + 1; j < len(s.b); j++ {
			c := s.b[j]
			if c == ']' {
				s.pos = j + 1
				return nil
			}
			if c == '[' || c == '{' || c == '"' {
				break
			}
		}
	}
	depth := 0
	for s.pos < len(s.b) {
		switch c := s.b[s.pos]; c {
		case '"':
			s.skipString()
			if depth == 0 {
				return nil
			}
			continue
		case '{', '[':
			depth++
			if depth+2 > s.d.limits.MaxJSONDepth { // the document and pps arrays hold this value
				return &profile.LimitError{File: s.d.name, Where: inPP(s.pp, "").String(), What: "JSON nesting depth", Limit: int64(s.d.limits.MaxJSONDepth), Flag: "--max-json-depth"}
			}
		case '}', ']':
			if depth == 0 { // the end of the object holding a scalar
				return nil
			}
			depth--
			if depth == 0 {
				s.pos++
				return nil
			}
		case ',', ' ', '\t', '\r', '\n', ':':
			if depth == 0 {
				return nil
			}
		}
		s.pos++
	}
	return nil
}

// numberKey returns the index in keyNames of a program point's number key,
// or -1. A switch compiles to a few comparisons where a scan of keyNames
// compared a dozen strings for every key of every program point.
func numberKey(key []byte) int {
	switch string(key) {
	case "tb":
		return kTB
	case "tbk":
		return kTBK
	case "tl":
		return kTL
	case "mb":
		return kMB
	case "mbk":
		return kMBK
	case "gb":
		return kGB
	case "gbk":
		return kGBK
	case "eb":
		return kEB
	case "ebk":
		return kEBK
	case "rb":
		return kRB
	case "wb":
		return kWB
	}
	return -1
}
