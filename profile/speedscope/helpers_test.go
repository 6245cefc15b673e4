package speedscope_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
)

// folded is the canonical text form of value type vi.
func folded(t testing.TB, p *profile.Profile, vi int) string {
	t.Helper()
	var sb strings.Builder
	require.NoError(t, profile.WriteFolded(&sb, p, profile.FoldedOptions{Value: vi}))
	return sb.String()
}
