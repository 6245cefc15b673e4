package views

import (
	"cmp"
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// Threads lists the processes and threads samples carry, to pick a
// --thread pattern from.
type Threads struct {
	SampleType profile.ValueType `json:"-"`
	Total      int64             `json:"total"`
	Rows       []ThreadRow       `json:"threads"` // by value, descending, then pid, tid, names
}

// ThreadRow is one distinct (process, thread) pair.
type ThreadRow struct {
	Process string  `json:"process"` // process (command) name; "" when unknown
	PID     int64   `json:"pid"`
	HasPID  bool    `json:"has_pid"`
	TID     int64   `json:"tid"`
	HasTID  bool    `json:"has_tid"`
	Thread  string  `json:"thread"` // thread name; "" when unknown
	Value   int64   `json:"value"`
	Share   float64 `json:"share"`
	Samples int64   `json:"samples"` // input samples merged
}

// ComputeThreads groups the samples by process and thread.
func ComputeThreads(p *profile.Profile, opt Options) *Threads {
	vi := valueIndex(p, opt.Value)
	th := &Threads{}
	if vi >= 0 && vi < len(p.SampleTypes) {
		th.SampleType = p.SampleTypes[vi]
	}
	type key struct {
		comm, thread   string
		pid, tid       int64
		hasPID, hasTID bool
	}
	index := map[key]int{}
	for _, s := range p.Samples {
		if vi < 0 || vi >= len(s.Values) {
			break
		}
		l := s.Labels
		k := key{l.Comm, l.Thread, l.PID, l.TID, l.HasPID, l.HasTID}
		i, ok := index[k]
		if !ok {
			i = len(th.Rows)
			index[k] = i
			th.Rows = append(th.Rows, ThreadRow{Process: l.Comm, PID: l.PID, HasPID: l.HasPID, TID: l.TID, HasTID: l.HasTID, Thread: l.Thread})
		}
		th.Rows[i].Value += s.Values[vi]
		th.Rows[i].Samples += s.Count
		th.Total += s.Values[vi]
	}
	for i := range th.Rows {
		th.Rows[i].Share = share(th.Rows[i].Value, th.Total)
	}
	slices.SortFunc(th.Rows, func(a, b ThreadRow) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.PID, b.PID), cmp.Compare(a.TID, b.TID),
			cmp.Compare(a.Process, b.Process), cmp.Compare(a.Thread, b.Thread))
	})
	return th
}
