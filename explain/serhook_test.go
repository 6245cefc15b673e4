package explain

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/internal/testutil"
)

// countRawFrames is an independent counter over a py-spy raw (folded)
// file: all samples, the samples with a frame of each given function
// anywhere on the stack, and the samples whose leaf is a frame of each given
// function (any line).
// Frames are "function (file:line)"; it shares no code with the reader.
func countRawFrames(t *testing.T, path string, fns []string, leaves []string) (all int, under, leaf map[string]int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	under, leaf = map[string]int{}, map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		i := strings.LastIndexByte(line, ' ')
		require.Positive(t, i, line)
		n, err := strconv.Atoi(line[i+1:])
		require.NoError(t, err, line)
		frames := strings.Split(line[:i], ";")
		all += n
		for _, fn := range fns {
			for _, fr := range frames {
				if strings.HasPrefix(fr, fn+" (") {
					under[fn] += n
					break
				}
			}
		}
		for _, l := range leaves {
			if strings.HasPrefix(frames[len(frames)-1], l+" (") {
				leaf[l] += n
			}
		}
	}
	require.NoError(t, sc.Err())
	return all, under, leaf
}

// The shared py-spy recording of stdlib json round trips passes two Python
// callbacks to json (the example report's table: encode_extra as default=,
// 56 samples; to_order as object_hook, 54). Their cost is a finding of its
// own, claimed once, with shares recounted from the raw file; the codec
// finding's "hottest inside" counts each sample once.
func TestSerializerCallbacksRecount(t *testing.T) {
	path := testutil.Shared(t, "fixtures/pyspy/py312-json.raw.txt")
	enc, dec := "iterencode", "raw_decode"
	all, under, leaf := countRawFrames(t, path, []string{"encode_extra", "to_order"}, []string{enc, dec})
	require.Equal(t, 642, all, "the manifest's sample count")
	require.Equal(t, 56, under["encode_extra"], "the example report's default= row")
	require.Equal(t, 54, under["to_order"], "the example report's object_hook row")

	r := explainFile(t, path)
	var hook, codec *Finding
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case strings.HasPrefix(f.Title, "Stop calling Python"):
			hook = f
		case f.Hint == "faster-serialization" && strings.HasPrefix(f.Title, "Use a faster codec"):
			codec = f
		}
	}
	require.NotNil(t, hook, "a finding for json's Python callbacks")
	require.NotNil(t, codec, "the codec finding")
	share := func(n int) string { return pct(float64(n) / float64(all)) }
	hooks := under["encode_extra"] + under["to_order"]
	assert.Contains(t, hook.Claim, fmt.Sprintf("%s of the active time (%d of %d samples", share(hooks), hooks, all))
	assert.Contains(t, hook.Evidence, "encode_extra "+share(under["encode_extra"])+" (a default= hook")
	assert.Contains(t, hook.Evidence, "to_order "+share(under["to_order"])+" (an object_hook")
	assert.Equal(t, []string{"encode_extra", "to_order"}, hook.Functions)
	assert.Contains(t, hook.FixShort, "encode_extra")
	require.NotEmpty(t, hook.Sketches)
	assert.Contains(t, hook.Sketches[0].Before, "def encode_orders(obj):\n    return json.dumps(obj, default=encode_extra)")

	// Each sample once: iterencode's and raw_decode's leaf samples.
	assert.Contains(t, codec.Evidence, fmt.Sprintf("hottest inside: iterencode %s, raw_decode %s", share(leaf[enc]), share(leaf[dec])))
	// The codec finding shows the program's own sketch alone, not the
	// catalogue's generic ones (msgspec Event, serde_json::Value).
	for _, s := range codec.Sketches {
		assert.NotContains(t, s.Before, "serde_json")
		assert.NotContains(t, s.Before, "def encode(events)")
	}
}

// A callback is decided by where a frame sits, not by its name: a program
// function under the codec with no codec below it is a callback; one that
// runs the codec again is a wrapper, and its codec work is not a
// callback's. Names differ from the shared fixture's.
func TestSerializerCallbackStructure(t *testing.T) {
	top := "<module> (svc.py:1);serve (svc.py:12);render_rows (svc.py:40);dumps (json/__init__.py:231);encode (json/encoder.py:200);iterencode (json/encoder.py:258)"
	text := top + ";as_wire (svc.py:77) 30\n" +
		top + " 60\n" +
		"<module> (svc.py:1);serve (svc.py:12);tick (svc.py:90) 10\n"
	r := explainText(t, "callbacks.folded", text)
	var hook *Finding
	for i := range r.Findings {
		if strings.HasPrefix(r.Findings[i].Title, "Stop calling Python") {
			hook = &r.Findings[i]
		}
	}
	require.NotNil(t, hook, "as_wire under iterencode is a default= hook")
	assert.Equal(t, int64(30), hook.Claimed)
	assert.Contains(t, hook.Evidence, "as_wire 30.0% (a default= hook, through the codec called by render_rows 30.0%)")

	wrapper := top + ";Row.to_json (svc.py:55);dumps (json/__init__.py:231);encode (json/encoder.py:200);iterencode (json/encoder.py:258)"
	r = explainText(t, "wrapper.folded", wrapper+" 30\n"+top+" 60\n<module> (svc.py:1);serve (svc.py:12);tick (svc.py:90) 10\n")
	for _, f := range r.Findings {
		assert.False(t, strings.HasPrefix(f.Title, "Stop calling Python"), "Row.to_json runs the codec again: a wrapper, not a callback: %s", f.Evidence)
	}

	dec := "<module> (svc.py:1);serve (svc.py:12);load_rows (svc.py:44);loads (json/__init__.py:346);decode (json/decoder.py:337);raw_decode (json/decoder.py:353)"
	r = explainText(t, "decode.folded", dec+";Row.from_dict (svc.py:60) 25\n"+dec+" 65\n<module> (svc.py:1);serve (svc.py:12);tick (svc.py:90) 10\n")
	hook = nil
	for i := range r.Findings {
		if strings.HasPrefix(r.Findings[i].Title, "Stop calling Python") {
			hook = &r.Findings[i]
		}
	}
	require.NotNil(t, hook, "Row.from_dict under raw_decode is an object_hook")
	assert.Contains(t, hook.Evidence, "Row.from_dict 25.0% (an object_hook")
	assert.Contains(t, hook.FixShort, "Row.from_dict")
}
