package explain_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/explain"
	"github.com/hotspot-dev/hotspot/explain/report"
	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/dhat"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/hotspot-dev/hotspot/profile/ingest"
	"github.com/hotspot-dev/hotspot/profile/perfscript"
	"github.com/hotspot-dev/hotspot/profile/pprof"
	"github.com/hotspot-dev/hotspot/profile/speedscope"
)

// TestSharedFixturesRenderAllFormats is the end-to-end check the explain
// issue asks for: every profile in the shared fixtures (and the repository's
// own) explains without error and renders in text, markdown and JSON.
func TestSharedFixturesRenderAllFormats(t *testing.T) {
	cat, err := hints.Default()
	require.NoError(t, err)
	formats := []ingest.Format{pprof.Format{}, speedscope.Format{}, dhat.Format{}, perfscript.Format{}, folded.Format{}}
	var files []string
	for _, root := range []string{"../../shared/fixtures", "../fixtures"} {
		_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || strings.Contains(p, "conformance") || strings.Contains(p, "workloads") || strings.Contains(p, "/invalid") {
				return nil
			}
			for _, ext := range []string{".json", ".txt", ".folded", ".pb.gz"} {
				if strings.HasSuffix(p, ext) {
					files = append(files, p)
				}
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Skip("no fixtures found")
	}
	sort.Strings(files)
	rendered := 0
	for _, f := range files {
		t.Run(strings.TrimLeft(f, "./"), func(t *testing.T) {
			fh, err := os.Open(f)
			require.NoError(t, err)
			defer fh.Close()
			var p *profile.Profile
			if strings.HasSuffix(f, ".pb.gz") {
				p, err = pprof.Read(fh, f, profile.ReadOptions{})
			} else {
				p, err = ingest.Read(fh, f, formats, ingest.Options{})
			}
			if err != nil {
				t.Skipf("importer rejects it: %v", err) // the importers' tests own that
			}
			r, err := explain.Explain(p, cat, explain.Options{Path: f, Value: -1})
			if errors.Is(err, profile.ErrNoSamples) {
				return
			}
			require.NoError(t, err)
			for _, format := range report.Formats() {
				var buf bytes.Buffer
				require.NoError(t, report.Write(&buf, r, report.Options{Format: format}), "format %s", format)
				assert.NotEmpty(t, buf.String(), "format %s", format)
			}
			rendered++
		})
	}
	assert.Greater(t, rendered, 20)
}
