package explain

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// perfRecord is one record of a perf script text as the independent
// counters of the tests read it, sharing no code with the importer: its
// period (the header's number before the event name, 0 where there is
// none) and its frame lines, leaf first.
type perfRecord struct {
	period int64
	frames []perfFrame
}

// perfFrame is one frame line: the whole line, and its symbol (offset
// cut) and object.
type perfFrame struct {
	line, sym, dso string
}

// readPerfRecords reads every record of the perf script text at path
// (gzipped where it ends in .gz).
func readPerfRecords(t *testing.T, path string) []perfRecord {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(f)
		require.NoError(t, err)
		r = z
	}
	var out []perfRecord
	in := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			in = false
		case line[0] != ' ' && line[0] != '\t':
			out = append(out, perfRecord{period: headerPeriod(line)})
			in = true
		case in:
			out[len(out)-1].frames = append(out[len(out)-1].frames, frameLine(line))
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// headerPeriod is the number right after "TIME:" in a record header
// ("comm pid [cpu] time: period event:"), 0 where the header has none.
func headerPeriod(line string) int64 {
	fields := strings.Fields(line)
	for i, fl := range fields {
		if strings.HasSuffix(fl, ":") && i+1 < len(fields) {
			if v, err := strconv.ParseInt(fields[i+1], 10, 64); err == nil {
				return v
			}
		}
	}
	return 0
}

// frameLine splits "ADDR SYMBOL+0xOFF (DSO)".
func frameLine(line string) perfFrame {
	fr := perfFrame{line: line}
	rest := strings.TrimSpace(line)
	if i := strings.IndexByte(rest, ' '); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.LastIndex(rest, " ("); i >= 0 && strings.HasSuffix(rest, ")") {
		fr.dso = rest[i+2 : len(rest)-1]
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, "+0x"); i > 0 {
		rest = rest[:i]
	}
	fr.sym = rest
	return fr
}

// has says whether some frame line of r contains s.
func (r perfRecord) has(s string) bool {
	for _, f := range r.frames {
		if strings.Contains(f.line, s) {
			return true
		}
	}
	return false
}
