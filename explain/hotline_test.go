package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// TestScaleneHotLine: the planted hot loop under scalene. From the JSON:
// line 34 has n_cpu_percent_python 56.78, _c 0.047, n_sys_percent 42.22
// of elapsed_time_sec 4.219, so 4.18 s, 99.0% of the lines' 100% total;
// the line makes no call, so the finding is not low confidence. scalene
// gives shares, not sample counts: the report counts no samples.
func TestScaleneHotLine(t *testing.T) {
	r := explainFile(t, "../fixtures/scalene/crunch.scalene.json")
	assert.Zero(t, r.Samples)
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Empty(t, f.Confidence)
	assert.Contains(t, f.Evidence, "line crunch.py:34 in pairwise_energy, `energy += a.m * b.m / r2`, takes 4.18 s, 99.0% of all the time measured (python 56.8%, native <0.1%, system 42.2%)")
	assert.Equal(t, []string{"pairwise_energy"}, f.Functions)
}

// TestScaleneHotLineWithCall: the per-item extension call's line (89%
// Python by scalene's count, MANIFEST) makes a call, so the line profile
// cannot tell the call from the interpreter: low confidence, and the
// call named.
func TestScaleneHotLineWithCall(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/scalene/deb311-sumsq-per-item.scalene.json"))
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "move-hot-loop-native", f.Hint)
	assert.Equal(t, "low", f.Confidence)
	assert.Contains(t, f.Evidence, "the hot lines make calls (sumsq.sum_of_squares)")
}

// TestScaleneLineMechanisms: planted workloads under scalene, whose lines
// say what their time is for by the calls they make (shares from the JSON:
// n_cpu_percent_python + _c + n_sys_percent of each line). logging_loop:
// line 33 `log.info("processed item %d value %d", i, v)` 90.2% and line 32
// `log.debug(f"...")` 2.8%; json_loop: line 25 `json.dumps` 54.5% and 26
// `json.loads` 40.4%; price_bands: lines 25 and 24, min and max of a
// fresh window slice, 59.7% and 40.3%.
func TestScaleneLineMechanisms(t *testing.T) {
	for _, tc := range []struct {
		file, hint, line string
		calls            string
	}{
		{"logging_loop", "hot-logging", "line logging_loop.py:33 in process, `log.info(\"processed item %d value %d\", i, v)`, takes", "(log.info, log.debug;"},
		{"json_loop", "faster-serialization", "line json_loop.py:25 in roundtrip, `text = json.dumps(rec)`, takes", "(json.dumps, json.loads;"},
		{"price_bands", "algorithmic", "line price_bands.py:25 in breakouts, `low = min(series[i - WINDOW:i])`, takes", "(min, max;"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := explainFile(t, "../fixtures/scalene/"+tc.file+".scalene.json")
			require.NotEmpty(t, r.Findings)
			f := r.Findings[0]
			assert.Equal(t, tc.hint, f.Hint)
			assert.Contains(t, f.Evidence, tc.line)
			assert.Contains(t, f.Evidence, tc.calls)
			assert.Nil(t, findingOf(r, "move-hot-loop-native"), "the lines' time is their calls'")
		})
	}
}

// TestScaleneLoggingProtocol: the planted log_handler workload logs
// through its own logging.Formatter subclass, whose format lines
// (log_handler.py:16 and :17 in CsvFormatter.format, 16.8% and 3.0% by
// the JSON) are logging's cost as much as the log.info line (62.4%) that
// calls it: one finding holds them all.
func TestScaleneLoggingProtocol(t *testing.T) {
	r := explainFile(t, "../fixtures/scalene/log_handler.scalene.json")
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "hot-logging", f.Hint)
	assert.Contains(t, f.Evidence, "line log_handler.py:16 in CsvFormatter.format")
	assert.Contains(t, f.Evidence, "line log_handler.py:37 in read_sensors")
	assert.Contains(t, f.Evidence, "CsvFormatter.format")
	assert.Nil(t, findingOf(r, "move-hot-loop-native"))
}

func TestLineMechanism(t *testing.T) {
	for text, want := range map[string]string{
		`total = sum(readings[:i + 1])`:  "algorithmic",
		`hi = max(self.prices[i - w:i])`: "algorithmic",
		`total = sum(readings)`:          "",
		`book.debug("scan %d", level)`:   "hot-logging",
		`logging.info(f"x {y}")`:         "hot-logging",
		`self.info(x)`:                   "",
		`doc = tomllib.loads(text)`:      "faster-serialization",
		`out.write(json.dumps(rec))`:     "faster-serialization",
		`rows = list(csv.reader(f))`:     "faster-serialization",
		`value = cache.loads`:            "",
		`energy += a.m * b.m / r2`:       "",
	} {
		hint, _, _ := lineMechanism(text)
		assert.Equal(t, want, hint, text)
	}
}

func TestLineCalls(t *testing.T) {
	for text, want := range map[string][]string{
		"energy += a.m * b.m / r2":                       nil,
		"while n != 1:":                                  nil,
		"if (a and b):":                                  nil,
		"def to_order(d):":                               nil,
		"total += sumsq.sum_of_squares([v])":             {"sumsq.sum_of_squares"},
		"n += len(json.loads(json.dumps(o, default=f)))": {"len", "json.loads", "json.dumps"},
		"return (x)":                                     nil,
	} {
		assert.Equal(t, want, lineCalls(text), text)
	}
}
