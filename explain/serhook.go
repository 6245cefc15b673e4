package explain

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Serializer callbacks: a codec that meets a value it cannot handle itself
// calls back into Python for it (json's default= and object_hook, a
// JSONEncoder subclass's default, a pickled class's __reduce__, a YAML
// constructor). The callback runs once per object, so its cost grows with
// the data, and a faster codec removes only part of it: the values it
// converts are the fix's subject. Decided from structure: a Python frame
// that is not the codec's own code, below a codec frame.

// hookStats is what the evidence keeps of the serializer callbacks.
type hookStats struct {
	total  int64
	who    tally            // the callbacks, by value
	caller map[string]tally // per callback, the program's function that called the codec
	enc    tally            // per callback, the value under an encoder
	dec    tally            // per callback, the value under a decoder
}

// hookHit is serHook's answer for one distinct stack.
type hookHit struct {
	name, caller, dir string
	ok                bool
}

// codecMark says, per frame, whether it is a codec's own frame and how
// its name reads (codecWords), worked out once per frame: serHook meets
// the same codec frames on every serialization stack.
type codecMark uint8

const (
	codecFrame codecMark = 1 << iota
	codecEnc
	codecDec
)

// serFrames marks, per frame, the codecs' own frames: those a
// serialization context rule matches.
func (a *analysis) serFrames() []codecMark {
	out := make([]codecMark, len(a.cls.info))
	for f := range out {
		for _, ri := range a.cls.ctx[f] {
			if a.cls.rules[ri].Cat == CatSerialization {
				out[f] = codecFrame
				e, d := codecWords(a.cls.info[f].name)
				if e {
					out[f] |= codecEnc
				}
				if d {
					out[f] |= codecDec
				}
				break
			}
		}
	}
	return out
}

// serHook finds a serializer's callback on a root-first stack: the first
// Python frame below a codec frame that is not itself the codec's code.
// caller is the program's function that called the codec (the nearest
// Python or native frame above the outermost codec frame); dir is
// "encode", "decode" or "" from the codec frames' names. hook is -1 when
// there is none, or when a codec runs again below the candidate (a
// wrapper that encodes, not a per-object callback).
func (a *analysis) serHook(stack []profile.FrameID, ser []codecMark) (hook int, caller, dir string) {
	outer := -1
	var enc, dec bool
	for j, f := range stack {
		fi := &a.cls.info[f]
		switch {
		case ser[f] != 0:
			if outer < 0 {
				outer = j
			}
			enc, dec = enc || ser[f]&codecEnc != 0, dec || ser[f]&codecDec != 0
		case outer >= 0 && fi.rt == rtPython && !fi.pseudo:
			for _, g := range stack[j+1:] {
				if ser[g] != 0 {
					return -1, "", ""
				}
			}
			for i := outer - 1; i >= 0; i-- {
				ci := &a.cls.info[stack[i]]
				if !ci.pseudo && (ci.rt == rtPython || ci.rt == rtNative && !isRuntimeFrame(ci)) {
					caller = ci.name
					break
				}
			}
			switch {
			case enc && !dec:
				dir = "encode"
			case dec && !enc:
				dir = "decode"
			}
			return j, caller, dir
		}
	}
	return -1, "", ""
}

// codecWords says whether a codec frame's name reads as encoding or as
// decoding (json's dumps/iterencode/encoder_listencode_obj against
// loads/raw_decode/scan_once_unicode; pickle's save/dump against load).
func codecWords(name string) (enc, dec bool) {
	n := strings.ToLower(name)
	dec = strings.Contains(n, "decode") || strings.Contains(n, "load") || strings.Contains(n, "scan") || strings.Contains(n, "deserializ")
	enc = strings.Contains(n, "encode") || strings.Contains(n, "dump") || strings.Contains(n, "save") ||
		strings.Contains(n, "serializ") && !strings.Contains(n, "deserializ")
	return enc, dec
}

// add counts one sample's callback.
func (h *hookStats) add(name, caller, dir string, v int64) {
	if h.who == nil {
		h.who, h.caller, h.enc, h.dec = tally{}, map[string]tally{}, tally{}, tally{}
	}
	h.total += v
	h.who[name] += v
	if caller != "" {
		if h.caller[name] == nil {
			h.caller[name] = tally{}
		}
		h.caller[name][caller] += v
	}
	switch dir {
	case "encode":
		h.enc[name] += v
	case "decode":
		h.dec[name] += v
	}
}

// hookRole is how json passes a callback of this direction.
func hookRole(dir string) string {
	switch dir {
	case "encode":
		return "a default= hook"
	case "decode":
		return "an object_hook"
	}
	return "a callback"
}

// dirOf is a callback's direction: the side holding at least 80% of its
// value, "" when mixed or unknown.
func (h *hookStats) dirOf(name string) string {
	v := h.who[name]
	switch {
	case v <= 0:
		return ""
	case h.enc[name]*5 >= v*4:
		return "encode"
	case h.dec[name]*5 >= v*4:
		return "decode"
	}
	return ""
}

// hookCandidate is the finding for the serializer callbacks, when they
// hold enough of the active cost: evidence per callback (its share, how
// the codec calls it, the program functions that called the codec), the
// callbacks' own names in the cause, fix and sketch.
func (a *analysis) hookCandidate(ev *evidence) (candidate, bool) {
	h := &ev.hooks
	if h.total <= 0 || a.activeShare(h.total) < a.minShare("faster-serialization") {
		return candidate{}, false
	}
	json := a.codecName() == "the standard library's json"
	top := h.who.top(3)
	var parts []string
	var callers []string
	for _, n := range top {
		role := "a callback"
		if json {
			role = hookRole(h.dirOf(n.name))
		}
		part := fmt.Sprintf("%s %s (%s", n.name, pct(a.activeShare(n.v)), role)
		if cs := h.caller[n.name].top(2); len(cs) > 0 {
			part += ", through the codec called by " + a.fmtNamed(cs)
			for _, c := range cs {
				if !slices.Contains(callers, c.name) {
					callers = append(callers, c.name)
				}
			}
		}
		parts = append(parts, part+")")
	}
	e := fmt.Sprintf("%s runs in Python functions the codec calls back for each object it cannot handle itself: %s", upperFirst(a.about(h.total)), strings.Join(parts, "; "))
	e += ". A faster codec still calls them per object; converting the values once, or a codec that handles them natively, removes the calls"
	variant := "codec-hook"
	if json {
		if d := h.dirOf(top[0].name); d != "" {
			variant = "json-hook-" + d
		}
	}
	return candidate{hint: "faster-serialization", cat: CatSerialization, value: h.total, unit: "python-call",
		what:     "Converting the values once, or a codec that handles them natively, instead of a Python call per object",
		evidence: e + ".", functions: names(top), callers: callers, inside: names(top), variant: variant,
		gone:  []goneFrames{{what: "the callbacks", when: "converting the values up front", names: names(top), share: a.activeShare(h.total)}},
		claim: whole(func(k int) bool { return ev.hooked[k] })}, true
}
