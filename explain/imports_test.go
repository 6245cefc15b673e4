package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// TestImportNamesPackages: a real py-spy recording (public) spends 45% of
// its samples importing at start-up; the finding names the packages being
// imported, each sample charged to the outermost installed package whose
// module body runs. An independent count over the raw speedscope file
// (samples with _find_and_load on the stack, the first <module> frame
// under site-packages) gives mlflow 1,188 and pydantic 464 of 5,091.
// runpy's frozen _get_module_details is no caller a user changes.
func TestImportNamesPackages(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public/speedscope/pyspy-0.4.1-linux-3threads.speedscope.json"))
	f := findingOf(r, "import-overhead")
	require.NotNil(t, f, "findings %v", hintsOf(r))
	assert.Contains(t, f.Evidence, "mlflow 23.3%, pydantic 9.1%")
	assert.Contains(t, r.Headline.Cause, "mlflow")
	assert.NotContains(t, f.Functions, "_get_module_details")
	require.NotEmpty(t, f.Sketches)
	assert.Contains(t, f.Sketches[0].Before, "import mlflow")
}

func TestPackageOf(t *testing.T) {
	for _, c := range []struct {
		file, name string
		kind       pkgKind
	}{
		{"/v/.venv/lib/python3.12/site-packages/numpy/_core/__init__.py", "numpy", pkgThirdParty},
		{"/usr/lib/python3/dist-packages/six.py", "six", pkgThirdParty},
		{"/opt/py/lib/python3.12/ctypes/__init__.py", "ctypes", pkgStdlib},
		{"/opt/py/lib/python3.13t/json/decoder.py", "json", pkgStdlib},
		{"/home/u/app/src/app/__init__.py", "app", pkgOwn},
		{"/home/u/app/cli.py", "cli", pkgOwn},
		{`C:\Users\u\AppData\Local\Programs\Python\Python312\Lib\statistics.py`, "statistics", pkgStdlib},
		{`C:\Python312\Lib\site-packages\numpy\__init__.py`, "numpy", pkgThirdParty},
		{"/home/u/Lib/tools.py", "tools", pkgOwn},
		{"<frozen importlib._bootstrap>", "", pkgNone},
		{"", "", pkgNone},
	} {
		name, kind := packageOf(c.file)
		assert.Equal(t, c.name, name, c.file)
		assert.Equal(t, c.kind, kind, c.file)
	}
}
