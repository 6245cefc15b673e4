package term

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssue12DevNullIsNotATerminal: /dev/null is a character device, not
// a terminal.
func TestIssue12DevNullIsNotATerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no %s here: %v", os.DevNull, err)
	}
	defer f.Close()
	assert.False(t, IsTerminal(f))
	t.Setenv("COLUMNS", "")
	assert.Equal(t, 0, Width(f))
	t.Setenv("COLUMNS", "132")
	assert.Equal(t, 132, Width(f), "COLUMNS where the size is unknown")
}

// TestIssue12NoColor: only a non-empty NO_COLOR turns colour off
// (no-color.org); --color always and never decide outright.
func TestIssue12NoColor(t *testing.T) {
	tests := []struct {
		name  string
		tty   bool
		env   map[string]string
		mode  ColorMode
		color bool
	}{
		{"terminal", true, nil, ColorAuto, true},
		{"NO_COLOR empty", true, map[string]string{"NO_COLOR": ""}, ColorAuto, true},
		{"NO_COLOR set", true, map[string]string{"NO_COLOR": "1"}, ColorAuto, false},
		{"dumb terminal", true, map[string]string{"TERM": "dumb"}, ColorAuto, false},
		{"not a terminal", false, nil, ColorAuto, false},
		{"always, not a terminal", false, map[string]string{"NO_COLOR": "1"}, ColorAlways, true},
		{"never, terminal", true, nil, ColorNever, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			io, _, _ := Test("")
			io.OutTTY = tc.tty
			io.SetEnv(func(k string) string { return tc.env[k] })
			require.NoError(t, io.SetColor(tc.mode))
			assert.Equal(t, tc.color, io.Color)
		})
	}
	io, _, _ := Test("")
	assert.EqualError(t, io.SetColor("sometimes"), `unknown --color "sometimes" (want auto, always or never)`)
}
