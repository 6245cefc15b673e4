package pprof

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFixturesTotals(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			data := readFile(t, fixturePath(t, fx.rel, fx.shared))
			pp, want := pprofTotals(t, data)
			p := mustRead(t, data, fx.name)
			require.NoError(t, p.Validate())
			require.Len(t, p.SampleTypes, len(pp.SampleType))
			for i, st := range pp.SampleType {
				assert.Equal(t, st.Type, p.SampleTypes[i].Type)
				assert.Equal(t, st.Unit, p.SampleTypes[i].Unit)
				assert.Equal(t, want[i], p.Total(i), "total of %s", st.Type)
			}
			wantDefault, err := pp.SampleIndexByName("")
			require.NoError(t, err)
			assert.Equal(t, wantDefault, p.DefaultType)
			// The sample count is the samples/count column where there is
			// one (how many samples each pprof sample stands for), else one
			// per pprof sample.
			wantCount := int64(len(pp.Sample))
			if i := sampleCountIndex(pp.SampleType); i >= 0 {
				wantCount = want[i]
			}
			assert.Equal(t, wantCount, p.SampleCount())
			assert.Equal(t, "pprof", p.Meta.Format)
			assert.Equal(t, pp.Period, p.Meta.Period)
			assert.Equal(t, pp.TimeNanos, p.Meta.TimeNanos)
			assert.Equal(t, pp.DurationNanos, p.Meta.DurationNanos)
		})
	}
}

func TestReadUncompressedAndGzipAgree(t *testing.T) {
	data := readFile(t, fixturePath(t, "pprof/gobench-cpu.pb.gz", false))
	pp, _ := pprofTotals(t, data)
	var raw bytes.Buffer
	require.NoError(t, pp.WriteUncompressed(&raw))
	require.True(t, Sniff(raw.Bytes()))
	a := mustRead(t, data, "cpu.pb.gz")
	b := mustRead(t, raw.Bytes(), "cpu.pb")
	assert.Equal(t, canon(t, a), canon(t, b))
}

func TestReadMeta(t *testing.T) {
	tests := []struct {
		rel, producer, recording, def string
	}{
		{"pprof/gobench-cpu.pb.gz", "go runtime", "on-cpu", "cpu"},
		{"pprof/gobench-mem.pb.gz", "go runtime", "memory", "alloc_space"},
		{"pprof/gobench-mutex.pb.gz", "go runtime", "off-cpu", "delay"},
	}
	for _, tc := range tests {
		t.Run(tc.rel, func(t *testing.T) {
			p := mustRead(t, readFile(t, fixturePath(t, tc.rel, false)), tc.rel)
			assert.Equal(t, tc.producer, p.Meta.Producer)
			assert.Equal(t, tc.recording, p.Meta.Recording)
			assert.Equal(t, tc.def, p.SampleTypes[p.DefaultType].Type)
		})
	}
}
