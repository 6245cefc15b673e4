package diff

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// NameOptions say how far names are normalised before matching.
type NameOptions struct {
	// StripGenerics drops generic parameters ("Vec<T>::push" -> "Vec::push"),
	// for builds that instantiate the same code with different types.
	StripGenerics bool
	// Lines keeps Python line numbers in the key, to compare line by line.
	Lines bool
}

// Key identifies one function across profiles: its normalised name and the
// place it lives (Python file or native module), both reduced to what stays
// the same across machines, builds and recorders.
type Key struct {
	Name  string
	Place string
	Line  int64 // only with NameOptions.Lines, for Python frames
}

var (
	reOffset   = regexp.MustCompile(`\+0x[0-9a-fA-F]+$`)
	reRustHash = regexp.MustCompile(`::h[0-9a-f]{16}$`)
	// GCC clone suffixes: foo.isra.0, foo.constprop.3, foo.part.1, foo.cold,
	// foo.cold.12, foo.lto_priv.0, foo.llvm.123456; they can stack up.
	reClone   = regexp.MustCompile(`(\.(isra|constprop|part|cold|lto_priv|llvm|localalias|clone)(\.\d+)?)+$`)
	reAddr    = regexp.MustCompile(`^(0x)?[0-9a-fA-F]{6,16}$`)
	reSoVer   = regexp.MustCompile(`\.so(\.[0-9.]+)?$`)
	rePyLoc   = regexp.MustCompile(`^(.*) \(([^()]*):(\d+)\)$`)
	reGeneric = regexp.MustCompile(`<[^<>]*>`)
	// Thread and process roots that recorders put on stacks (austin's
	// "Thread 7f12..", py-spy raw's "thread (0x7f12..)" and
	// "process 123:..."): their ids change with every run.
	reThreadRoot  = regexp.MustCompile(`^(Thread [0-9a-fA-Fx]+|thread \(0x[0-9a-fA-F]+\)(: .*)?)$`)
	reProcessRoot = regexp.MustCompile(`^process \d+(:.*)?$`)
)

// ThreadRoot and ProcessRoot are the key names of the thread and process
// frames some recorders put at the root of every stack.
const (
	ThreadRoot  = "[thread]"
	ProcessRoot = "[process]"
)

// FrameKey returns the key of frame f.
func FrameKey(f profile.Frame, opt NameOptions) Key {
	name := f.Display
	if name == "" {
		name = f.Name
	}
	if f.Kind != profile.KindPython && f.File == "" {
		switch {
		case (strings.HasPrefix(name, "Thread ") || strings.HasPrefix(name, "thread (")) && reThreadRoot.MatchString(name):
			return Key{Name: ThreadRoot}
		case strings.HasPrefix(name, "process ") && reProcessRoot.MatchString(name):
			return Key{Name: ProcessRoot}
		}
	}
	file, line := f.File, f.Line
	python := f.Kind == profile.KindPython
	// Recorders spell Python frames differently: perf's trampoline
	// "py::qualname:file", py-spy raw "name (file:line)". Importers split
	// them; these cuts catch a name that still carries its location.
	if rest, ok := strings.CutPrefix(name, "py::"); ok {
		python = true
		if q, fl, ok := strings.Cut(rest, ":"); ok {
			name = q
			if file == "" {
				file = fl
			}
		} else {
			name = rest
		}
	}
	// Each pattern runs only where the name has the text it needs: keys
	// are made for every distinct frame of both profiles.
	if m := matchIf(strings.HasSuffix(name, ")"), rePyLoc, name); m != nil && (python || strings.HasSuffix(m[2], ".py")) {
		python = true
		name = m[1]
		if file == "" {
			file = m[2]
		}
	}
	if python {
		// perf names the qualified name (Class.method), py-spy only the
		// function: keep the last component so both match.
		if i := strings.LastIndexByte(name, '.'); i >= 0 && i < len(name)-1 && !strings.HasPrefix(name, "<") {
			name = name[i+1:]
		}
		if name == "" {
			name = "[unknown]"
		}
		k := Key{Name: name, Place: pyPlace(file)}
		if opt.Lines {
			k.Line = line
		}
		return k
	}
	if strings.Contains(name, "+0x") {
		name = reOffset.ReplaceAllString(name, "")
	}
	if strings.Contains(name, "::h") {
		name = reRustHash.ReplaceAllString(name, "")
	}
	if mayHaveCloneSuffix(name) {
		name = reClone.ReplaceAllString(name, "")
	}
	if opt.StripGenerics {
		for strings.ContainsRune(name, '<') {
			n := reGeneric.ReplaceAllString(name, "")
			if n == name {
				break
			}
			name = n
		}
	}
	if f.Addr != 0 || len(name) <= 18 && reAddr.MatchString(name) || name == "[unknown]" || name == "" {
		// An unsymbolized frame's address changes with every build: what
		// stays is the module it was in.
		return Key{Name: "[unknown]", Place: modPlace(f.Module)}
	}
	return Key{Name: name, Place: modPlace(f.Module)}
}

// matchIf is re's submatches in name where may says name can match, nil
// otherwise.
func matchIf(may bool, re *regexp.Regexp, name string) []string {
	if !may {
		return nil
	}
	return re.FindStringSubmatch(name)
}

// cloneSuffixes are the words reClone's suffixes start with.
var cloneSuffixes = []string{".isra", ".constprop", ".part", ".cold", ".lto_priv", ".llvm", ".localalias", ".clone"}

// mayHaveCloneSuffix says whether name holds one of reClone's words.
func mayHaveCloneSuffix(name string) bool {
	if strings.IndexByte(name, '.') < 0 {
		return false
	}
	for _, w := range cloneSuffixes {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// pyPlace keeps a Python file's base name: checkouts and virtualenvs put
// the same file under different directories on different machines. Package
// files (__init__.py, __main__.py) keep their package directory.
func pyPlace(file string) string {
	file = strings.ReplaceAll(file, "\\", "/")
	dir, base := path.Split(file)
	if base != "__init__.py" && base != "__main__.py" {
		return base
	}
	parent := path.Base(strings.TrimSuffix(dir, "/"))
	if dir == "" || parent == "/" || parent == "." {
		return base
	}
	return parent + "/" + base
}

// modPlace keeps a module's base name without its version suffix
// (libpython3.12.so.1.0 -> libpython3.12.so).
func modPlace(mod string) string {
	if mod == "" {
		return ""
	}
	if strings.HasPrefix(mod, "[") {
		if strings.HasPrefix(mod, "[kernel") {
			return "[kernel]"
		}
		return mod
	}
	if strings.HasPrefix(mod, "/tmp/perf-") && strings.HasSuffix(mod, ".map") {
		return "[jit]"
	}
	base := path.Base(strings.ReplaceAll(mod, "\\", "/"))
	if loc := reSoVer.FindStringIndex(base); loc != nil {
		base = base[:loc[0]] + ".so"
	}
	return base
}

// String is the key as reports print it: "name (place)" or "name".
func (k Key) String() string {
	s := k.Name
	if k.Place != "" {
		s += " (" + k.Place
		if k.Line > 0 {
			s += ":" + strconv.FormatInt(k.Line, 10)
		}
		s += ")"
	}
	return s
}
