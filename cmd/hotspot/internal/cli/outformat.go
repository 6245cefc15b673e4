package cli

import (
	"path/filepath"
	"slices"
	"strings"
)

// extFormat maps an output file's extension to the format it implies.
type extFormat struct{ ext, format string }

// reportExts are the extensions the report commands (explain, top, peek,
// threads) recognise, as pandoc infers its writer from -o. Formats a
// command cannot write are refused, not silently replaced by text.
var reportExts = []extFormat{
	{".json", "json"}, {".md", "markdown"}, {".markdown", "markdown"},
	{".txt", "text"}, {".html", "html"}, {".htm", "html"}, {".svg", "svg"},
}

// convertExts are the extensions convert recognises; the longest match
// wins, so x.speedscope.json is speedscope and not report JSON.
var convertExts = []extFormat{
	{".pb.gz", "pprof"}, {".pb", "pprof"}, {".pprof", "pprof"},
	{".folded", "folded"}, {".collapsed", "folded"},
	{".speedscope.json", "speedscope"}, {".svg", "svg"}, {".html", "html"},
}

// reportFormats are what the report commands write.
var reportFormats = []string{"text", "markdown", "json"}

// extensionFormat returns the format path's extension implies, if any.
func extensionFormat(path string, table []extFormat) (extFormat, bool) {
	base := strings.ToLower(filepath.Base(path))
	var best extFormat
	for _, e := range table {
		if strings.HasSuffix(base, e.ext) && len(base) > len(e.ext) && len(e.ext) > len(best.ext) {
			best = e
		}
	}
	return best, best.ext != ""
}

// outputFormat decides the output format from the flag (flagName, its
// value, and whether the user set it) and the -o path's extension. A
// flag and an extension that disagree, or an extension naming a format the
// command cannot write, are usage errors.
func outputFormat(flagName, value string, set bool, output string, table []extFormat, supported []string) (string, error) {
	want := orList(supported)
	if set && !slices.Contains(supported, value) {
		return "", flagErrorf("%s: unknown format %q (want %s)", flagName, value, want)
	}
	e, ok := extensionFormat(output, table)
	if output == "-" || !ok {
		if value == "" {
			return "", flagErrorf("%s is required: %s (or an -o name ending in a known extension)", flagName, want)
		}
		return value, nil
	}
	if set {
		if e.format != value {
			return "", flagErrorf("-o %s implies %s output but %s is %s: make them agree or drop one", output, e.format, flagName, value)
		}
		return value, nil
	}
	if !slices.Contains(supported, e.format) {
		return "", flagErrorf("-o %s implies %s output, which this command does not write (it writes %s); give %s", output, e.format, want, flagName)
	}
	return e.format, nil
}

// orList writes "a, b or c".
func orList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
