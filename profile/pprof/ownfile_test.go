package pprof

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWithoutOwnFile(t *testing.T) {
	for _, c := range []struct{ name, file, want string }{
		{"lib/utility/utility.py:-1 - find_nearest_vehicle", "lib/utility/utility.py", "find_nearest_vehicle"},
		{"app.py:12 - handle", "app.py", "handle"},
		{"app.py:12 - handle", "other.py", "app.py:12 - handle"}, // not its own file
		{"app.py - handle", "app.py", "app.py - handle"},         // no line
		{"app.py:12 - ", "app.py", "app.py:12 - "},               // nothing after
		{"app.py:x - handle", "app.py", "app.py:x - handle"},
		{"handle", "", "handle"},
		{"main.work", "main.go", "main.work"},
	} {
		assert.Equal(t, c.want, withoutOwnFile(c.name, c.file), "%q in %q", c.name, c.file)
	}
}

// TestPyroscopePythonNames: Pyroscope stores py-spy's frames as
// "FILE:-1 - NAME" with FILE also the function's file (a public profile):
// the function is read by its name, as py-spy prints it, file and line kept.
func TestPyroscopePythonNames(t *testing.T) {
	p := mustRead(t, readFile(t, fixturePath(t, "fixtures/public2/pprof/pyroscope_profile_python.pb.gz", true)), "profile_python")
	var found bool
	for _, f := range p.Frames {
		assert.NotContains(t, f.Display, ":-1 - ", "%+v", f)
		if f.Display == "find_nearest_vehicle" {
			found = true
			assert.Equal(t, "lib/utility/utility.py", f.File)
		}
	}
	assert.True(t, found, "find_nearest_vehicle by its name")
}
