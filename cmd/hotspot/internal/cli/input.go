package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hotspot-dev/hotspot/cmd/hotspot/internal/term"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/spf13/pflag"
)

// Formats is the detection list the commands use.
func Formats() []ingest.Format { return ingest.DefaultFormats() }

// InputFlags are the flags every command that reads profiles takes.
type InputFlags struct {
	From   string
	Strict bool
	Limits profile.Limits
	Addrs  bool
	// FetchTimeout bounds fetching an http(s) profile argument.
	FetchTimeout time.Duration
	// stacksOnly is not a flag: a command that reads only the samples'
	// stacks sets it (profile.ReadOptions.StacksOnly).
	stacksOnly bool
}

// register adds the flags; commands call it last, and help then lists flags
// in the order they were added, so the rarely used --max-* limits come
// after the everyday flags instead of among them.
func (f *InputFlags) register(fs *pflag.FlagSet) {
	fs.SortFlags = false
	d := profile.DefaultLimits()
	fs.StringVar(&f.From, "from", "", "input format, instead of detecting it: speedscope, dhat, perf, folded, pprof")
	fs.BoolVar(&f.Strict, "strict", false, "treat a malformed record as an error instead of skipping it with a warning")
	fs.DurationVar(&f.FetchTimeout, "fetch-timeout", 60*time.Second, "how long fetching an http(s) URL profile may take (pprof's ?seconds=N adds N)")
	fs.IntVar(&f.Limits.MaxStackDepth, "max-depth", d.MaxStackDepth, "most frames in one stack")
	fs.IntVar(&f.Limits.MaxFrames, "max-frames", d.MaxFrames, "most distinct frames in one profile")
	fs.IntVar(&f.Limits.MaxNodes, "max-nodes", d.MaxNodes, "most distinct call paths in one profile")
	fs.IntVar(&f.Limits.MaxLineBytes, "max-line", d.MaxLineBytes, "longest text line, in bytes")
	fs.IntVar(&f.Limits.MaxJSONDepth, "max-json-depth", d.MaxJSONDepth, "deepest JSON nesting")
	fs.Int64Var(&f.Limits.MaxDecompressed, "max-decompressed", d.MaxDecompressed, "most bytes a gzip input may decompress to, or a URL may send")
}

func (f *InputFlags) check() error {
	if f.From != "" {
		ok := false
		for _, n := range ingest.Names(Formats()) {
			ok = ok || n == f.From
		}
		if !ok {
			return flagErrorf("unknown --from format %q (want one of speedscope, dhat, perf, folded, pprof)", f.From)
		}
	}
	if f.FetchTimeout < 0 {
		return flagErrorf("--fetch-timeout must not be negative")
	}
	l := f.Limits
	if l.MaxStackDepth <= 0 || l.MaxFrames <= 0 || l.MaxNodes <= 0 || l.MaxLineBytes <= 0 || l.MaxJSONDepth <= 0 || l.MaxDecompressed <= 0 {
		return flagErrorf("limits (--max-*) must be positive")
	}
	return nil
}

// readProfile opens path ("-" is standard input) and reads it.
func readProfile(io *term.IO, path string, f InputFlags) (*profile.Profile, error) {
	var r ioReader
	name := path
	if path == "-" {
		name = "<stdin>"
		r = withProgress(io.In, inputSize(io.In), name, io)
	} else if isURL(path) {
		body, err := openURL(io, path, f.FetchTimeout, f.Limits.WithDefaults().MaxDecompressed)
		if err != nil {
			return nil, err
		}
		defer body.Close()
		r = body
	} else {
		file, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		st, err := file.Stat()
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			return nil, fmt.Errorf("%s: is a directory, want a profile file", path)
		}
		r = withProgress(file, st.Size(), name, io)
	}
	return ingest.Read(r, name, Formats(), ingest.Options{
		ReadOptions: profile.ReadOptions{Strict: f.Strict, Limits: f.Limits, Addrs: f.Addrs, StacksOnly: f.stacksOnly},
		From:        f.From,
	})
}

type ioReader = io.Reader

// loadProfile is what every command that reads one profile and writes a
// result does first: refuse an output that is the input, read the profile,
// and resolve --sample-type/--event to a value index (-1: the default).
func loadProfile(io *term.IO, input, output string, f InputFlags, sampleType, event string) (*profile.Profile, int, error) {
	if err := checkOutput(output, []string{input}); err != nil {
		return nil, 0, err
	}
	p, err := readProfile(io, input, f)
	if err != nil {
		return nil, 0, err
	}
	value, err := pickValue(p, sampleType, event)
	if err != nil {
		return nil, 0, err
	}
	return p, value, nil
}

// loadProfiles is loadProfile for one or more inputs: several are read in
// turn and merged (pprof does the same), refused when their value types
// differ.
func loadProfiles(io *term.IO, inputs []string, output string, f InputFlags, sampleType, event string) (*profile.Profile, int, error) {
	if len(inputs) == 1 {
		return loadProfile(io, inputs[0], output, f, sampleType, event)
	}
	if err := checkOutput(output, inputs); err != nil {
		return nil, 0, err
	}
	ps := make([]*profile.Profile, 0, len(inputs))
	for _, in := range inputs {
		p, err := readProfile(io, in, f)
		if err != nil {
			return nil, 0, err
		}
		ps = append(ps, p)
	}
	p, err := profile.Merge(ps, inputs, f.Limits)
	if err != nil {
		return nil, 0, err
	}
	value, err := pickValue(p, sampleType, event)
	if err != nil {
		return nil, 0, err
	}
	return p, value, nil
}
