package speedscope

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// eventJSON is one profiles[i].events entry before its fields are checked.
type eventJSON struct {
	Type, Frame, At json.RawMessage
}

// events reads profiles[i].events. A malformed event breaks the nesting
// of the ones after it, so it makes the whole profile skipped.
func (r *reader) events(p *rawProfile) error {
	p.hasEvents = true
	if err := r.open('[', p.path()+".events"); err != nil {
		return err
	}
	for i := 0; r.more(); i++ {
		if err := r.element(); err != nil {
			return err
		}
		p.eventCount++
		if p.broken {
			continue
		}
		ev, err := r.event(p, i)
		if err != nil {
			if !isRecordError(err) {
				return err
			}
			if err := r.skipRecord(err, "profile"); err != nil {
				return err
			}
			p.broken = true
			p.events = nil
			continue
		}
		p.events = append(p.events, ev)
	}
	_, err := r.tok()
	return err
}

// event checks the event held in r.raw.
func (r *reader) event(p *rawProfile, i int) (event, error) {
	path := func() string { return fmt.Sprintf("%s.events[%d]", p.path(), i) }
	if err := r.checkObject(path); err != nil {
		return event{}, err
	}
	var ej eventJSON
	if err := json.Unmarshal(r.raw, &ej); err != nil {
		return event{}, r.pathError(path(), err.Error())
	}
	var ev event
	switch {
	case ej.Type == nil:
		return event{}, r.pathError(path(), `missing "type"`)
	case string(ej.Type) == `"O"`:
		ev.open = true
	case string(ej.Type) == `"C"`:
	default:
		return event{}, r.pathError(path()+".type", fmt.Sprintf(`want "O" or "C", got %s`, ej.Type))
	}
	if ej.Frame == nil {
		return event{}, r.pathError(path(), `missing "frame"`)
	}
	fb := bytes.TrimSpace(ej.Frame)
	f, _, err := r.index(fb, 0, func() string { return path() + ".frame" })
	if err != nil {
		return event{}, err
	}
	if err := r.checkFrame(p, f, fb, "events", i); err != nil {
		return event{}, err
	}
	ev.frame = f
	if ej.At == nil {
		return event{}, r.pathError(path(), `missing "at"`)
	}
	at, ok := parseDecimal(bytes.TrimSpace(ej.At))
	if !ok {
		return event{}, r.pathError(path()+".at", "want a number, got "+rawKind(ej.At))
	}
	ev.at = at
	return ev, nil
}
