package profile

// Limits bound what one input may cost. Importers stop with a *LimitError
// naming the flag that raises the limit instead of exhausting the machine.
// A zero field means "use the default".
type Limits struct {
	MaxStackDepth   int   // frames in one stack (--max-depth)
	MaxFrames       int   // distinct frames in one profile (--max-frames)
	MaxNodes        int   // distinct call-tree nodes (--max-nodes)
	MaxLineBytes    int   // bytes in one text line (--max-line)
	MaxJSONDepth    int   // JSON nesting depth (--max-json-depth)
	MaxDecompressed int64 // bytes after gunzip (--max-decompressed)
}

// DefaultLimits are generous for real profiles (py-spy caps stacks at 4096
// frames, perf at 127 by default; the bench's 100 MB inputs have 50k distinct
// frames) yet keep memory bounded: a distinct frame costs about 300 bytes
// with its interning, so 2M frames stay near 3 GB on the 24 GB machines this
// runs on, where 10M would pass 6 GB before stopping.
func DefaultLimits() Limits {
	return Limits{
		MaxStackDepth:   100_000,
		MaxFrames:       2_000_000,
		MaxNodes:        20_000_000,
		MaxLineBytes:    64 << 20,
		MaxJSONDepth:    1_000,
		MaxDecompressed: 8 << 30,
	}
}

// WithDefaults fills zero fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.MaxStackDepth <= 0 {
		l.MaxStackDepth = d.MaxStackDepth
	}
	if l.MaxFrames <= 0 {
		l.MaxFrames = d.MaxFrames
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxLineBytes <= 0 {
		l.MaxLineBytes = d.MaxLineBytes
	}
	if l.MaxJSONDepth <= 0 {
		l.MaxJSONDepth = d.MaxJSONDepth
	}
	if l.MaxDecompressed <= 0 {
		l.MaxDecompressed = d.MaxDecompressed
	}
	return l
}

// ReadOptions are what every importer takes besides its input.
type ReadOptions struct {
	// Strict turns a skipped malformed record into an error.
	Strict bool
	// Limits bound the cost of one input; zero fields take DefaultLimits.
	Limits Limits
	// Addrs keeps the addresses of unresolved perf frames in their names
	// ("[libc.so.6 <0x7f..>]" as stackcollapse-perf --addrs prints them)
	// instead of folding them to one frame per module.
	Addrs bool
	// StacksOnly says the caller reads samples, their labels and their
	// stacks (Profile.SampleStack), never the call tree: folded output
	// needs no more. An importer that keeps the stacks it read (pprof)
	// then leaves the tree unbuilt (see Builder.BuildStacks); the others
	// build it anyway.
	StacksOnly bool
}
