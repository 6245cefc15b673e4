package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

func TestGeneratedFile(t *testing.T) {
	for file, want := range map[string]bool{
		"<string>": true, "<attrs generated init __main__.Point>": true, "<decorator-gen-12>": true,
		"<frozen runpy>": false, "<stdin>": false, "heapmap.py": false, "": false,
	} {
		assert.Equal(t, want, generatedFile(file), file)
	}
}

// TestGeneratedMethodsCountAtTheirCallers: in a public py-spy recording
// (BPE training with a dataclass heap), the methods dataclasses generated
// (file "<string>": __init__, __lt__, __eq__) hold 263 of the 595 active
// samples; an independent count over the speedscope file finds 216 of
// them under heapmap's insert (152 __init__ at line 47, 64 comparisons at
// line 48). The finding names insert, the code a user changes, never the
// generated __init__.
func TestGeneratedMethodsCountAtTheirCallers(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public/speedscope/pyspy-0.4.2-macos-multithread.speedscope.json"))
	f := findingOf(r, "move-hot-loop-native")
	require.NotNil(t, f, "findings %v", hintsOf(r))
	require.NotEmpty(t, f.Functions)
	assert.Equal(t, "insert", f.Functions[0])
	assert.NotContains(t, f.Functions, "__init__")
	assert.Contains(t, f.Evidence, "__init__ 25.5%")
	assert.Contains(t, f.Evidence, "insert 36.3%")
}
