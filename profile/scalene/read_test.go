package scalene_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/scalene"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const doc = `{"alloc_samples": 1, "elapsed_time_sec": 2.0, "memory": true, "program": "a.py", "files": {"a.py": {
 "lines": [{"line": "x = [0] * n\n", "lineno": 3, "n_cpu_percent_python": 10.0, "n_cpu_percent_c": 5.0, "n_sys_percent": 1.0, "n_malloc_mb": 1.0, "n_mallocs": 2, "n_peak_mb": 0.5},
           {"line": "import os\n", "lineno": 1, "n_cpu_percent_python": 1.0}],
 "functions": [{"line": "f", "lineno": 2, "n_cpu_percent_python": 30.0, "n_cpu_percent_c": 5.0}]}}}`

func TestRead(t *testing.T) {
	p, err := scalene.Read(strings.NewReader(doc), "s.json", profile.ReadOptions{})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, profile.WriteFolded(&buf, p, profile.FoldedOptions{Value: 0}))
	// 10% of 2 s under f's line 3; f's own 30% less its lines' 10%; the
	// module-level line 1.
	assert.Equal(t, "<module>;a.py:1 20000000\nf 400000000\nf;a.py:3 200000000\n", buf.String())
	assert.Equal(t, int64(1<<20), p.Total(p.TypeIndex("malloc_bytes")))
	assert.Equal(t, "x = [0] * n", p.Meta.Attr("source:a.py:3"))
}

func TestErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"cut", doc[:60], "s.json:1:60: unexpected end of JSON input: the file is cut"},
		{"syntax", `{"elapsed_time_sec": 1,, }`, "s.json:1:24: invalid character ',' looking for beginning of object key string"},
		{"no elapsed", `{"alloc_samples": 1}`, "s.json: elapsed_time_sec: missing (a required key): not a scalene profile"},
		{"wrong type", `{"elapsed_time_sec": "1"}`, "s.json: elapsed_time_sec: want float64, got JSON string"},
		{"negative share", `{"elapsed_time_sec": 1, "files": {"a.py": {"lines": [{"line": "x", "lineno": 1, "n_cpu_percent_python": -3}]}}}`, `s.json: files["a.py"].lines[0].n_cpu_percent_python: -3 is not a percentage`},
		{"no lineno", `{"elapsed_time_sec": 1, "files": {"a.py": {"lines": [{"line": "x"}]}}}`, `s.json: files["a.py"].lines[0]: want "line" and "lineno"`},
		{"huge", `{"elapsed_time_sec": 1, "files": {"a.py": {"lines": [{"line": "x", "lineno": 1, "n_malloc_mb": 1e300}]}}}`, `s.json: files["a.py"].lines[0].n_malloc_mb: 1e+300 is out of range`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scalene.Read(strings.NewReader(tc.in), "s.json", profile.ReadOptions{})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}
