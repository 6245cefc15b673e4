package diff

// Schema identifies the JSON contract of Report.
const Schema = "hotspot.diff/v1"

// Report is everything `hotspot diff` says. Compare computes it; renderers
// (package diff/render) only lay it out. The first keys are the contract
// in the README and are never renamed.
type Report struct {
	Schema        string        `json:"schema"`
	Before        Side          `json:"before"`
	After         Side          `json:"after"`
	Normalization Normalization `json:"normalization"`
	Comparable    Comparable    `json:"comparable"`
	Categories    []Row         `json:"categories"` // every category either side has, by delta
	Functions     []Row         `json:"functions"`  // by delta: significant ones first, then the largest others, Options.Top in all
	Findings      Findings      `json:"findings"`
	Regression    bool          `json:"regression"`

	// Callers are functions whose inclusive share (themselves and their
	// callees) changed significantly while their own self share did not
	// explain the change: the code paths that moved. Empty in leaf mode.
	Callers []Row `json:"callers"`
	// Total compares the sides' totals: values in Unit; Delta is the
	// change as a fraction of the before total.
	Total TotalRow `json:"total"`
	// Focus is the --focus part's share of each side, when --focus was given.
	Focus *Row `json:"focus,omitempty"`
	// Hotspots are the functions with no cost on one side and a
	// significant share on the other.
	Hotspots Hotspots  `json:"hotspots"`
	Noise    NoiseInfo `json:"noise"`
	// Gate says what --fail-on-regression looked at and what tripped it.
	Gate     *GateResult `json:"gate,omitempty"`
	Warnings []string    `json:"warnings"`
	// Unchanged counts the functions whose change is within noise.
	Unchanged int `json:"unchanged"`
	// Version is the hotspot build that wrote the report (set by the
	// command; empty in library use); last, after the contract keys.
	Version string `json:"version,omitempty"`
}

// Side describes one side of the comparison.
type Side struct {
	Paths      []string   `json:"paths"`
	Format     string     `json:"format"`
	Recording  string     `json:"recording"`
	Producer   string     `json:"producer,omitempty"`
	SampleType SampleType `json:"sample_type"`
	Total      int64      `json:"total"`   // in SampleType units, after --thread/--ignore
	Samples    int64      `json:"samples"` // input samples behind Total
	// BrokenShare is explain's truncated share: cost on stacks that never
	// reach a process root.
	BrokenShare float64 `json:"broken_share"`
	// RateHz is the sampling rate implied by Total and Samples when the
	// values are time; 0 when unknown.
	RateHz   float64  `json:"rate_hz,omitempty"`
	Findings []string `json:"findings"` // explain's hint ids, in its order
	Warnings []string `json:"warnings"`
}

// SampleType is the value compared on one side.
type SampleType struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// Comparable says on which part of the recordings the comparison rests.
type Comparable struct {
	// Mode is "whole" (every stack as recorded), "leaf" (each sample
	// reduced to its leaf frame, because the sides' stacks are broken to
	// very different degrees) or "python" (native frames below Python
	// code folded into it, because one side's recorder saw none).
	Mode   string `json:"mode"`
	Reason string `json:"reason"`
	// BeforeBroken and AfterBroken are the broken (truncated) shares.
	BeforeBroken float64 `json:"before_broken_share"`
	AfterBroken  float64 `json:"after_broken_share"`
}

// Row is one compared quantity: a category, a function or the focus part.
type Row struct {
	Name        string  `json:"name,omitempty"`     // categories
	Function    string  `json:"function,omitempty"` // functions
	File        string  `json:"file,omitempty"`     // functions: Python file or native module
	BeforeShare float64 `json:"before_share"`
	AfterShare  float64 `json:"after_share"`
	// Delta is AfterShare-BeforeShare with shares; with --absolute it is
	// the change in value as a fraction of the before total.
	Delta float64 `json:"delta"`
	// Interval is the 95% interval of Delta; nil when noise is unknown.
	Interval    *[2]float64 `json:"interval"`
	Significant bool        `json:"significant"`
	BeforeValue int64       `json:"before_value"`
	AfterValue  int64       `json:"after_value"`
	// BeforeTotalShare and AfterTotalShare are the function's inclusive
	// shares (itself and its callees), for functions in whole mode.
	BeforeTotalShare *float64 `json:"before_total_share,omitempty"`
	AfterTotalShare  *float64 `json:"after_total_share,omitempty"`
	pv               float64
}

// Label is the row's name as reports print it.
func (r Row) Label() string {
	if r.Function == "" {
		return r.Name
	}
	if r.File == "" {
		return r.Function
	}
	return r.Function + " (" + r.File + ")"
}

// TotalRow compares the two totals.
type TotalRow struct {
	Before int64   `json:"before"`
	After  int64   `json:"after"`
	Unit   string  `json:"unit"`
	Delta  float64 `json:"delta"` // (after-before)/before
}

// Findings compares explain's findings by hint id.
type Findings struct {
	Resolved   []FindingDiff `json:"resolved"`
	New        []FindingDiff `json:"new"`
	Persisting []FindingDiff `json:"persisting"`
	// Compared is false when the stacks were not comparable (leaf mode).
	Compared bool `json:"compared"`
}

// FindingDiff is one hint on one or both sides.
type FindingDiff struct {
	Hint            string   `json:"hint"`
	Title           string   `json:"title"`
	BeforeShare     float64  `json:"before_share"`
	AfterShare      float64  `json:"after_share"`
	BeforeFunctions []string `json:"before_functions"`
	AfterFunctions  []string `json:"after_functions"`
}

// Hotspots are functions that appeared or vanished.
type Hotspots struct {
	Appeared []Row `json:"appeared"`
	Vanished []Row `json:"vanished"`
}

// NoiseInfo says how noise was judged.
type NoiseInfo struct {
	Method     Noise   `json:"method"`
	Interval   string  `json:"interval"`
	Correction string  `json:"correction"`
	Alpha      float64 `json:"alpha"`
	Reason     string  `json:"reason,omitempty"`
}

// GateResult is the outcome of --fail-on-regression.
type GateResult struct {
	Threshold float64 `json:"threshold"` // points of share, as a fraction
	Scope     string  `json:"scope"`     // "all", "category NAME", "focus REGEX"
	Tripped   []Row   `json:"tripped"`
}
