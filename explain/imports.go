package explain

import (
	"path"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// importedPackage names the package an import sample's time is spent
// importing: among the module bodies (<module> frames) being executed on
// the stack, the outermost third-party package (what the program imports
// and could import later), else the outermost standard-library module,
// else the program's own module. "" when no module body has a file.
// Each sample is charged to one package, so the shares add up.
func (a *analysis) importedPackage(stack []profile.FrameID) (string, pkgKind) {
	var std, own string
	for _, f := range stack {
		fi := &a.cls.info[f]
		if fi.rt != rtPython || fi.fn != "<module>" {
			continue
		}
		name, kind := packageOf(fi.file)
		switch kind {
		case pkgThirdParty:
			return name, pkgThirdParty
		case pkgStdlib:
			if std == "" {
				std = name
			}
		case pkgOwn:
			if own == "" {
				own = name
			}
		}
	}
	if std != "" {
		return std, pkgStdlib
	}
	return own, pkgOwn
}

type pkgKind int

const (
	pkgNone pkgKind = iota
	pkgThirdParty
	pkgStdlib
	pkgOwn
)

// packageOf reads a Python source file's path as the package it belongs
// to: the first directory under site-packages or dist-packages (an
// installed distribution), under the standard library's directory (the
// standard library), or else the file's own package directory or module
// name.
func packageOf(file string) (string, pkgKind) {
	file = strings.ReplaceAll(file, `\`, "/")
	if file == "" || strings.HasPrefix(file, "<") {
		return "", pkgNone // <frozen importlib._bootstrap>, <string>: the machinery itself
	}
	if rel, kind := libraryPath(file); kind != pkgNone {
		return topName(rel), kind
	}
	base := path.Base(file)
	if base == "__init__.py" {
		return path.Base(path.Dir(file)), pkgOwn
	}
	return strings.TrimSuffix(base, ".py"), pkgOwn
}

// libraryPath splits a library file's path (slashes) at its root: the
// path under site-packages or dist-packages (pkgThirdParty), or under
// the standard library's directory, lib/pythonX.Y or a Windows
// install's PythonXY/Lib (pkgStdlib); pkgNone for other files.
func libraryPath(file string) (rel string, kind pkgKind) {
	for _, dir := range []string{"/site-packages/", "/dist-packages/"} {
		if i := strings.LastIndex(file, dir); i >= 0 {
			return file[i+len(dir):], pkgThirdParty
		}
	}
	if i := strings.LastIndex(file, "/lib/python"); i >= 0 {
		rest := file[i+len("/lib/python"):]
		if j := strings.IndexByte(rest, '/'); j >= 0 && strings.TrimLeft(rest[:j], "0123456789.t") == "" {
			return rest[j+1:], pkgStdlib
		}
	}
	if i := strings.LastIndex(file, "/Lib/"); i > 0 && strings.HasPrefix(strings.ToLower(path.Base(file[:i])), "python") {
		return file[i+len("/Lib/"):], pkgStdlib
	}
	return "", pkgNone
}

// topName is the first component of a path under a package root, without
// a module file's suffix ("numpy/core/x.py" → "numpy", "six.py" → "six").
func topName(rel string) string {
	if i := strings.IndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	if i := strings.IndexByte(rel, '.'); i > 0 {
		return rel[:i]
	}
	return rel
}
