package pprof

import (
	"path"
	"strings"

	pprofile "github.com/google/pprof/profile"

	"github.com/hotspot-dev/hotspot/profile"
)

// inferKind is the import rule for Frame.Kind. ToPprof runs the same rule
// on what it wrote and records a "hotspot:kind" override for every
// function whose kind the rule would get wrong, so kinds round-trip.
//
//   - no function name: unknown (the frame is named from its address);
//   - a kernel mapping ([kernel.kallsyms], vmlinux, *.ko): kernel;
//   - a source file ending in .py, or no mapping in a Python-origin
//     profile: python;
//   - a JIT map or jitdump mapping (perf-PID.map, jitted-PID-N.so): jit;
//   - anything else: native.
func inferKind(named bool, file, module string, pyOrigin bool) profile.FrameKind {
	switch {
	case !named:
		return profile.KindUnknown
	case isKernelModule(module):
		return profile.KindKernel
	case strings.HasSuffix(file, ".py") || pyOrigin && module == "":
		return profile.KindPython
	case profile.IsJITModule(module):
		return profile.KindJIT
	}
	return profile.KindNative
}

// isKernelModule reports whether a mapping file names the kernel or a
// kernel module, as perf and perf_to_profile write them.
func isKernelModule(module string) bool {
	if module == "" {
		return false
	}
	base := path.Base(module)
	return strings.HasPrefix(module, "[kernel.kallsyms]") ||
		base == "vmlinux" || strings.HasPrefix(base, "vmlinux-") ||
		strings.HasSuffix(base, ".ko") || strings.HasSuffix(base, ".ko.xz") || strings.HasSuffix(base, ".ko.zst")
}

// pythonOrigin reports whether a profile comes from a Python profiler: it
// has no mapping that names a file (Python profilers write none) and at
// least one function lives in a .py file. In such a profile, frames whose
// file is not a .py ("<frozen importlib._bootstrap>", "<string>") are
// Python frames too.
func pythonOrigin(pp *pprofile.Profile) bool {
	for _, m := range pp.Mapping {
		if m != nil && m.File != "" {
			return false
		}
	}
	for _, f := range pp.Function {
		if f != nil && strings.HasSuffix(f.Filename, ".py") {
			return true
		}
	}
	return false
}

// validKind reports whether k is one of the model's kinds.
func validKind(k profile.FrameKind) bool {
	switch k {
	case profile.KindPython, profile.KindNative, profile.KindKernel, profile.KindJIT, profile.KindUnknown:
		return true
	}
	return false
}
