package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/hotspot-dev/hotspot/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersionString(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}
	assert.Equal(t, "v0.3.0 (commit 0123456789ab+dirty, go1.26.8)", versionString(info, true))
	assert.Equal(t, "(devel) (commit unknown, go1.26.8)", versionString(&debug.BuildInfo{GoVersion: "go1.26.8"}, true))
	assert.Equal(t, "(unknown: no build information)", versionString(nil, false))
}

// TestInstalledBinary installs hotspot with go install into a temporary
// GOBIN, as the README says, and runs --version and each completion.
func TestInstalledBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	gobin := t.TempDir()
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "install", "./cmd/hotspot")
	cmd.Dir = testutil.RepoRoot(t)
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go install: %s", out)
	bin := filepath.Join(gobin, "hotspot")

	out, err = exec.Command(bin, "--version").Output()
	require.NoError(t, err)
	v := string(out)
	assert.True(t, strings.HasPrefix(v, "hotspot "), v)
	assert.Contains(t, v, "(commit ")
	assert.Contains(t, v, runtime.Version()+")\n", "the Go version the binary was built with")

	for shell, mark := range map[string]string{"bash": "complete -o default -F __start_hotspot hotspot", "zsh": "#compdef hotspot", "fish": "complete -c hotspot", "powershell": "Register-ArgumentCompleter"} {
		out, err := exec.Command(bin, "completion", shell).Output()
		require.NoError(t, err, shell)
		assert.Contains(t, string(out), mark, shell)
	}
}
