package pprof

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/profile"
)

// Label keys that map onto profile.Labels fields rather than into Extra.
const (
	keyPID        = "pid"         // numeric
	keyTID        = "tid"         // numeric
	keyComm       = "comm"        // string
	keyThread     = "thread"      // string; what ToPprof writes
	keyThreadName = "thread_name" // string; accepted on import when "thread" is absent
)

// numericValue matches the Extra spelling of a numeric label value:
// "1024[bytes]", or "7[]" when the label has no unit.
var numericValue = regexp.MustCompile(`^-?[0-9]+\[[^\]\n]*\]$`)

// extraPair is one decoded Extra entry.
type extraPair struct {
	key     string
	str     string
	num     int64
	unit    string
	numeric bool
}

// EncodeExtra returns the canonical Extra form of pprof labels: one
// "key=value" pair per label value, sorted by byte order and joined by "\n".
// String values are written as they are; numeric values are written as
// "n[unit]", with empty brackets when the label has no unit, so that
// "size=1024[bytes]" and the string label size="1024" stay distinct. A key or
// string value that would be ambiguous (it contains '\n', '\\' or '"', a key
// that contains '=', or a string value that looks like a numeric one) is
// written as a Go-quoted string instead.
//
// Two pprof limits apply on export: pprof drops a string label whose value
// is empty and a numeric label whose value is 0 and whose unit is empty
// (both encode as "no value"), and in a unit ']' becomes ')' and a newline
// a space, so the bracket form stays one unambiguous line.
func EncodeExtra(str map[string][]string, num map[string][]int64, units map[string][]string) string {
	pairs := make([]string, 0, len(str)+len(num))
	for k, vs := range str {
		for _, v := range vs {
			pairs = append(pairs, quoteKey(k)+"="+quoteValue(v))
		}
	}
	for k, vs := range num {
		us := units[k]
		for i, v := range vs {
			u := ""
			if i < len(us) {
				u = us[i]
			}
			pairs = append(pairs, quoteKey(k)+"="+strconv.FormatInt(v, 10)+"["+unitSanitizer.Replace(u)+"]")
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "\n")
}

var unitSanitizer = strings.NewReplacer("]", ")", "\n", " ")

func quoteKey(k string) string {
	if strings.ContainsAny(k, "=\n\\\"") {
		return strconv.Quote(k)
	}
	return k
}

func quoteValue(v string) string {
	if strings.ContainsAny(v, "\n\\") || strings.HasPrefix(v, `"`) || numericValue.MatchString(v) {
		return strconv.Quote(v)
	}
	return v
}

// decodeExtra parses the canonical Extra form written by EncodeExtra (and
// by other importers, whose plain "key=value" pairs read as string labels).
func decodeExtra(extra string) ([]extraPair, error) {
	if extra == "" {
		return nil, nil
	}
	lines := strings.Split(extra, "\n")
	out := make([]extraPair, 0, len(lines))
	for _, line := range lines {
		var p extraPair
		rest := line
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("label %q: bad quoted key", line)
			}
			p.key, _ = strconv.Unquote(q)
			rest = rest[len(q):]
			if !strings.HasPrefix(rest, "=") {
				return nil, fmt.Errorf("label %q: want '=' after the quoted key", line)
			}
			rest = rest[1:]
		} else {
			i := strings.IndexByte(rest, '=')
			if i < 0 {
				return nil, fmt.Errorf("label %q: want key=value", line)
			}
			p.key, rest = rest[:i], rest[i+1:]
		}
		switch {
		case strings.HasPrefix(rest, `"`):
			v, err := strconv.Unquote(rest)
			if err != nil {
				return nil, fmt.Errorf("label %q: bad quoted value", line)
			}
			p.str = v
		case numericValue.MatchString(rest):
			open := strings.IndexByte(rest, '[')
			n, err := strconv.ParseInt(rest[:open], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("label %q: %v", line, err)
			}
			p.num, p.unit, p.numeric = n, rest[open+1:len(rest)-1], true
		default:
			p.str = rest
		}
		out = append(out, p)
	}
	return out, nil
}

// labelsFrom maps one pprof sample's labels onto profile.Labels: pid and tid
// numeric labels, comm and thread (or thread_name) string labels become
// fields when they hold exactly one value; everything else goes to Extra.
func labelsFrom(s *pprofile.Sample) profile.Labels {
	var l profile.Labels
	if len(s.Label) == 0 && len(s.NumLabel) == 0 {
		return l
	}
	var str map[string][]string
	var num map[string][]int64
	var units map[string][]string
	for k, vs := range s.Label {
		switch {
		case k == keyComm && len(vs) == 1:
			l.Comm = vs[0]
			continue
		case k == keyThread && len(vs) == 1:
			l.Thread = vs[0]
			continue
		case k == keyThreadName && len(vs) == 1 && len(s.Label[keyThread]) != 1:
			l.Thread = vs[0]
			continue
		}
		if str == nil {
			str = map[string][]string{}
		}
		str[k] = vs
	}
	for k, vs := range s.NumLabel {
		switch {
		case k == keyPID && len(vs) == 1:
			l.PID, l.HasPID = vs[0], true
			continue
		case k == keyTID && len(vs) == 1:
			l.TID, l.HasTID = vs[0], true
			continue
		}
		if num == nil {
			num, units = map[string][]int64{}, map[string][]string{}
		}
		num[k] = vs
		units[k] = s.NumUnit[k]
	}
	if str != nil || num != nil {
		l.Extra = EncodeExtra(str, num, units)
	}
	return l
}

// setLabels writes l onto a pprof sample, the inverse of labelsFrom.
func setLabels(s *pprofile.Sample, l profile.Labels) error {
	addStr := func(k, v string) {
		if s.Label == nil {
			s.Label = map[string][]string{}
		}
		s.Label[k] = append(s.Label[k], v)
	}
	addNum := func(k string, v int64, unit string) {
		if s.NumLabel == nil {
			s.NumLabel, s.NumUnit = map[string][]int64{}, map[string][]string{}
		}
		s.NumLabel[k] = append(s.NumLabel[k], v)
		s.NumUnit[k] = append(s.NumUnit[k], unit)
	}
	if l.HasPID {
		addNum(keyPID, l.PID, zeroUnit(l.PID))
	}
	if l.HasTID {
		addNum(keyTID, l.TID, zeroUnit(l.TID))
	}
	if l.Comm != "" {
		addStr(keyComm, l.Comm)
	}
	if l.Thread != "" {
		addStr(keyThread, l.Thread)
	}
	pairs, err := decodeExtra(l.Extra)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if p.numeric {
			addNum(p.key, p.num, p.unit)
		} else {
			addStr(p.key, p.str)
		}
	}
	// pprof wants NumUnit to be absent or as long as the values; drop unit
	// lists that carry no unit at all so the encoding stays minimal.
	for k, us := range s.NumUnit {
		if allEmpty(us) {
			delete(s.NumUnit, k)
		}
	}
	return nil
}

// zeroUnit works around a pprof encoding quirk: a numeric label whose value
// is 0 and whose unit is empty is indistinguishable from no label and is
// dropped on decode. pid 0 and tid 0 are real (perf's swapper), so those get
// the unit "id", which keeps them; the importer ignores pid and tid units.
func zeroUnit(v int64) string {
	if v == 0 {
		return "id"
	}
	return ""
}

func allEmpty(ss []string) bool {
	for _, s := range ss {
		if s != "" {
			return false
		}
	}
	return true
}
