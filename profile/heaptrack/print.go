package heaptrack

import (
	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/internal/lines"
)

// readPrint reads heaptrack_print's text report.
func readPrint(lr *lines.Reader, first []byte, name string, limits profile.Limits) (*profile.Profile, error) {
	return nil, lr.Errorf("heaptrack_print's text report is not read (its lists are cut at --peak-limit): read the heaptrack data file it was printed from (heaptrack.PROG.PID.zst)")
}
