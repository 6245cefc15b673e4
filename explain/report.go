package explain

// Schema identifies the JSON contract of Report.
const Schema = "hotspot.explain/v1"

// Report is everything `hotspot explain` says about one profile. The engine
// computes it; renderers (package explain/report) only lay it out. The JSON
// field order is the contract documented in the README: its first keys are
// fixed, later keys may be added but never renamed.
type Report struct {
	Schema     string     `json:"schema"`
	Input      Input      `json:"input"`
	SampleType SampleType `json:"sample_type"`
	// Total is the profile's total in SampleType units (all threads, idle included).
	Total      int64           `json:"total"`
	Categories []CategoryShare `json:"categories"` // by share, descending, then name
	Hotspots   []Hotspot       `json:"hotspots"`   // by self cost, descending; --top of them
	Findings   []Finding       `json:"findings"`   // by the cost they could remove, descending
	Warnings   []string        `json:"warnings"`   // sentences: capture quality, skipped records, limits

	// Summary is the report in a few lines: the cause, its evidence as one
	// number, the fix (Headline's three sentences, one a line), then the
	// hot-path hypothesis with numbers.
	Summary string `json:"summary"`
	// Headline is what to change first: the cause, one number of
	// evidence with its sampling interval, and the fix, each a sentence in
	// the program's own names. Empty when nothing has enough evidence.
	Headline Headline `json:"headline"`
	// Flat is true when no function stands out; Findings then hold flat-profile.
	Flat bool `json:"flat"`
	// HotPath is the heaviest root-to-leaf path (display names), root first.
	HotPath []PathFrame `json:"hot_path"`
	// Crossings summarises Python<->native transitions.
	Crossings Crossings `json:"crossings"`
	// Quality describes what the recording can show and how well it was captured.
	Quality Quality `json:"quality"`
	// Plan is the measurement plan: what to record next and what should move.
	Plan []string `json:"measurement_plan"`
	// Idle is the part of Total attributed to the idle category; shares of
	// hotspots and findings are of Total minus Idle, as ActiveTotal.
	Idle        int64 `json:"idle"`
	ActiveTotal int64 `json:"active_total"`
	Samples     int64 `json:"samples"` // input samples (counts), for noise estimates
	// RuledOut are hints the detectors saw some evidence for that did not
	// become findings, each with the reason: what not to recommend, and
	// why.
	RuledOut []RuledOut `json:"ruled_out"`
	// Version is the hotspot build that wrote the report (set by the
	// command; empty in library use); last, after the contract's keys.
	Version string `json:"version,omitempty"`
}

// RuledOut is a hint explain considered and left out.
type RuledOut struct {
	Hint      string   `json:"hint"`
	Title     string   `json:"title"`
	Functions []string `json:"functions,omitempty"`
	Reason    string   `json:"reason"`
}

// Headline is the first three lines of a report.
type Headline struct {
	Cause    string `json:"cause"`
	Evidence string `json:"evidence"`
	Fix      string `json:"fix"`
}

// Input says what was read.
type Input struct {
	Path      string `json:"path"`
	Format    string `json:"format"`    // pprof, speedscope, perf, folded, dhat
	Recording string `json:"recording"` // on-cpu, off-cpu, wall, memory
	Producer  string `json:"producer,omitempty"`
}

// SampleType is the value explained.
type SampleType struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// CategoryShare is one cost category's part of the total.
type CategoryShare struct {
	Name  string  `json:"name"`
	Value int64   `json:"value"`
	Share float64 `json:"share"` // of Total, in [0,1]
}

// Hotspot is one function ranked by self cost.
type Hotspot struct {
	Function   string  `json:"function"`
	File       string  `json:"file"`
	Kind       string  `json:"kind"`
	Self       int64   `json:"self"`
	SelfShare  float64 `json:"self_share"`
	Total      int64   `json:"total"`
	TotalShare float64 `json:"total_share"`
	Category   string  `json:"category"` // the category most of its self cost went to
	// Line is the source line carrying most of its self cost, 0 when the
	// profile has no line numbers.
	Line int64 `json:"line,omitempty"`
}

// Finding is one ranked, evidenced recommendation tied to a catalogue hint.
type Finding struct {
	Hint     string  `json:"hint"`     // catalogue id, e.g. "batch-ffi-calls"
	Category string  `json:"category"` // the cost category it addresses
	Share    float64 `json:"share"`    // share of the active total it could remove at most
	Severity string  `json:"severity"` // high, medium, low
	// Evidence, Fix and ExpectedImpact are sentences that quote this profile's numbers.
	Evidence       string `json:"evidence"`
	Fix            string `json:"fix"`
	ExpectedImpact string `json:"expected_impact"`

	Title     string   `json:"title"`
	Context   string   `json:"context,omitempty"` // e.g. "alloc under serialization"
	Functions []string `json:"functions,omitempty"`
	Tradeoffs string   `json:"tradeoffs"`
	Measure   string   `json:"measure"`
	Sketches  []Sketch `json:"sketches,omitempty"`
	// Value is the cost (in SampleType units) the finding is about.
	Value int64 `json:"value"`
	// Confidence is "low" when the recording cannot separate the cause the
	// finding names from another (Python-only stacks hide C calls); empty
	// otherwise. The evidence then says what to record to decide.
	Confidence string `json:"confidence,omitempty"`
	// Risk is how much the fix changes beyond the code it speeds up (the
	// catalogue's low, medium, high); findings are ranked by Share per
	// unit of it (hints.RiskUnits).
	Risk string `json:"risk,omitempty"`
	// Claimed is the cost this finding holds alone (no other finding
	// claims the same samples), ClaimedShare its share of the active
	// total; the claimed shares of all findings add up to at most 1.
	Claimed      int64   `json:"claimed"`
	ClaimedShare float64 `json:"claimed_share"`
	// RemoveLow and RemoveHigh are the fractions of the claimed cost the
	// fix is expected to remove; Share is ClaimedShare × RemoveHigh.
	RemoveLow  float64 `json:"remove_low"`
	RemoveHigh float64 `json:"remove_high"`
	// Targets are pass/fail thresholds for the measurement after the fix,
	// from the predicted profile.
	Targets []string `json:"targets,omitempty"`
	// Cause is one sentence in the program's names saying what causes the
	// cost; Claim is the claimed cost as one number with its sampling
	// interval; FixShort is the fix in one sentence.
	Cause    string `json:"cause"`
	Claim    string `json:"claim"`
	FixShort string `json:"fix_short"`
	// Lines are the hottest source lines of the functions it names, where
	// the profile has line numbers.
	Lines []SourceLine `json:"lines,omitempty"`
	// waitShare is the claim's share of the time off the CPU where a
	// recording of context switches timed them (candidate.waitShare).
	waitShare float64
	// libraryCall: a library-call finding (move-hot-loop-native's library
	// cause), a mechanism of its own rather than the interpreter's cost.
	libraryCall bool
}

// Sketch is a before/after code sketch in one language.
type Sketch struct {
	Language string `json:"language"` // python, rust
	Before   string `json:"before"`
	After    string `json:"after"`
}

// PathFrame is one frame on the hot path.
type PathFrame struct {
	Function   string  `json:"function"`
	Kind       string  `json:"kind"`
	TotalShare float64 `json:"total_share"`
}

// Crossings counts Python<->native transitions and the glue they cost.
type Crossings struct {
	PythonToNative int64         `json:"python_to_native"` // transitions seen on stacks, weighted by samples
	NativeToPython int64         `json:"native_to_python"`
	Entries        []NativeEntry `json:"entries,omitempty"` // per native entry point, by glue descending
}

// NativeEntry is one native function called from Python.
type NativeEntry struct {
	Function  string  `json:"function"`
	Glue      int64   `json:"glue"`       // cost of the per-call wrapper under this entry (trampoline, GIL pool, argument extraction, result conversion)
	Work      int64   `json:"work"`       // cost of the native work it wraps
	GlueRatio float64 `json:"glue_ratio"` // glue / (glue + convert + work)
	// Convert is the cost of converting sequence arguments and results
	// element by element under this entry (a list walked into a Vec).
	Convert int64 `json:"convert"`
}

// Quality is what the recording can and cannot show.
type Quality struct {
	Kind         string   `json:"kind"` // on-cpu, off-cpu, wall, memory
	CanSee       []string `json:"can_see"`
	CannotSee    []string `json:"cannot_see"`
	Unsymbolized float64  `json:"unsymbolized_share"` // share of cost in [unknown]/0x... leaves
	Truncated    float64  `json:"truncated_share"`    // share of stacks that never reach a process root
	// TruncatedAtPython is the part of Truncated whose stacks start at a
	// Python function: their Python callers are missing, the frames from
	// there to the leaf are whole (perf's DWARF unwinding stops at
	// CPython 3.12's -X perf trampolines).
	TruncatedAtPython float64 `json:"truncated_at_python_share,omitempty"`
	PythonFrames      bool    `json:"python_frames"` // does the profile name Python functions
	// CPUs is how many distinct CPUs the samples ran on, and CPUList which
	// (cpulist form, "0-3,8"), where the recording says (perf script's
	// [cpu] column); 0 and "" where it does not.
	CPUs    int    `json:"cpus,omitempty"`
	CPUList string `json:"cpu_list,omitempty"`
	// Runtime is the program's language (python, go, rust, c): whether
	// Python frames are a question at all.
	Runtime string `json:"runtime,omitempty"`
	// Next are commands that would record what this profile cannot show,
	// or show what this report leaves out.
	Next []string `json:"next,omitempty"`
}
