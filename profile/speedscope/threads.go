package speedscope

import (
	"regexp"
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// pyspyThread matches py-spy's profile names: `Thread <tid> "<name>"` and,
// with --subprocesses, `Process <pid> Thread <tid> "<name>"`. The thread id
// is decimal on Linux and a hex pthread id on macOS.
var pyspyThread = regexp.MustCompile(`(?s)^(?:Process (\d+) )?Thread (\d+|0x[0-9A-Fa-f]+) "(.*)"$`)

// ParseProfileName turns a profile name into sample labels. A name py-spy did not
// write is kept whole as the thread name.
func ParseProfileName(name string) profile.Labels {
	m := pyspyThread.FindStringSubmatch(name)
	if m == nil {
		return profile.Labels{Thread: name}
	}
	var l profile.Labels
	var err error
	if len(m[2]) > 2 && m[2][1] == 'x' {
		var u uint64
		u, err = strconv.ParseUint(m[2][2:], 16, 63)
		l.TID = int64(u)
	} else {
		l.TID, err = strconv.ParseInt(m[2], 10, 64)
	}
	if err != nil {
		return profile.Labels{Thread: name}
	}
	l.HasTID = true
	if m[1] != "" {
		if l.PID, err = strconv.ParseInt(m[1], 10, 64); err != nil {
			return profile.Labels{Thread: name}
		}
		l.HasPID = true
	}
	l.Thread = m[3]
	return l
}

// ProfileName is the inverse of ParseProfileName: the profile name Write gives a label
// set. Labels without a thread id use the thread name, then the process
// name; labels speedscope cannot express (Comm beside a tid, Extra) are
// not written.
func ProfileName(l profile.Labels) string {
	switch {
	case l.HasTID && l.HasPID:
		return "Process " + strconv.FormatInt(l.PID, 10) + " Thread " + strconv.FormatInt(l.TID, 10) + ` "` + l.Thread + `"`
	case l.HasTID:
		return "Thread " + strconv.FormatInt(l.TID, 10) + ` "` + l.Thread + `"`
	case l.Thread != "":
		return l.Thread
	case l.Comm != "" && l.HasPID:
		return l.Comm + " pid: " + strconv.FormatInt(l.PID, 10)
	}
	return l.Comm
}
