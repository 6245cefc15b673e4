package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/internal/testutil"
)

func catalogue(t *testing.T) *hints.Catalogue {
	t.Helper()
	c, err := hints.Default()
	require.NoError(t, err)
	return c
}

// hintFormats are the catalogue's formats: a page adds nothing to it.
var hintFormats = []Format{Text, Markdown, JSON}

func TestHintsGolden(t *testing.T) {
	c := catalogue(t)
	h, ok := c.Lookup("batch-ffi-calls")
	require.True(t, ok)
	for _, f := range hintFormats {
		t.Run(string(f), func(t *testing.T) {
			var list, one bytes.Buffer
			require.NoError(t, WriteHints(&list, c, Options{Format: f}))
			testutil.Golden(t, filepath.Join("testdata", "hints."+extensions[f]), list.Bytes())
			require.NoError(t, WriteHint(&one, h, c, Options{Format: f}))
			testutil.Golden(t, filepath.Join("testdata", "hint-batch-ffi-calls."+extensions[f]), one.Bytes())
		})
	}
}

// TestEveryHintRenders renders each catalogue entry in each format.
func TestEveryHintRenders(t *testing.T) {
	c := catalogue(t)
	for _, h := range c.Hints {
		for _, f := range hintFormats {
			var buf bytes.Buffer
			require.NoError(t, WriteHint(&buf, h, c, Options{Format: f, Color: true}), "%s/%s", h.ID, f)
			assert.Contains(t, buf.String(), h.ID)
			for _, id := range h.UnitCosts {
				assert.Contains(t, buf.String(), id, "%s/%s shows the unit costs it uses", h.ID, f)
			}
		}
	}
}

func TestHintJSON(t *testing.T) {
	c := catalogue(t)
	h, _ := c.Lookup("flat-profile")
	var buf bytes.Buffer
	require.NoError(t, WriteHint(&buf, h, c, Options{Format: JSON}))
	assert.NotContains(t, buf.String(), "null", "no sketches encode as []")
	var doc struct {
		Schema    string           `json:"schema"`
		Hint      hints.Hint       `json:"hint"`
		UnitCosts []hints.UnitCost `json:"unit_costs"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "hotspot.hints/v1", doc.Schema)
	assert.Equal(t, "flat-profile", doc.Hint.ID)
	assert.Len(t, doc.UnitCosts, len(h.UnitCosts))

	// Without a catalogue, no unit costs, still valid JSON.
	buf.Reset()
	require.NoError(t, WriteHint(&buf, h, nil, Options{Format: JSON}))
	assert.Contains(t, buf.String(), `"unit_costs": []`)
}

func TestHintsListJSON(t *testing.T) {
	c := catalogue(t)
	var buf bytes.Buffer
	require.NoError(t, WriteHints(&buf, c, Options{Format: JSON}))
	var doc struct {
		Schema string `json:"schema"`
		Hints  []struct{ ID, Category, Title string }
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Hints, len(c.Hints))
	assert.Equal(t, c.Hints[0].ID, doc.Hints[0].ID)
}
