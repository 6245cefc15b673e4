package cli

import (
	"fmt"
	"runtime/debug"
)

// versionString is what --version prints after "hotspot": the module
// version ("(devel)" for a build from a checkout), the VCS commit with a
// "+dirty" mark for uncommitted changes, and the Go version, all from the
// build information the go command embeds.
func versionString(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "(unknown: no build information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	commit, dirty := "unknown", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if dirty {
		commit += "+dirty"
	}
	return fmt.Sprintf("%s (commit %s, %s)", version, commit, info.GoVersion)
}
