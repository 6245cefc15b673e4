package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pprofServer is a real net/http/pprof server on loopback, serving this
// test process's own profiles.
func pprofServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.Handle("/debug/pprof/heap", pprof.Handler("heap"))
	mux.HandleFunc("/folded", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("main;serve;parse 30\nmain;serve;encode 10\n"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestProfileFromURL(t *testing.T) {
	srv := pprofServer(t)

	code, out, errOut := run(t, "", "explain", srv.URL+"/debug/pprof/heap", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "pprof", doc["input"].(map[string]any)["format"])

	// A CPU profile recorded while the request waits, as go tool pprof
	// fetches it; the test burns CPU meanwhile so there is something to see.
	done := make(chan struct{})
	go func() {
		x := 0
		for {
			select {
			case <-done:
				return
			default:
				for i := range 100000 {
					x += i * i
				}
			}
		}
	}()
	code, out, errOut = run(t, "", "top", srv.URL+"/debug/pprof/profile?seconds=1", "--format", "json")
	close(done)
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "cpu", doc["sample_type"].(map[string]any)["name"])

	code, out, errOut = run(t, "", "convert", srv.URL+"/folded", "--to", "folded")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "main;serve;encode 10\nmain;serve;parse 30\n", out)
}

func TestProfileFromURLErrors(t *testing.T) {
	srv := pprofServer(t)
	code, _, errOut := run(t, "", "explain", srv.URL+"/nope")
	assert.Equal(t, 1, code)
	assert.Equal(t, "hotspot: fetching "+srv.URL+"/nope: HTTP 404 Not Found\n", errOut)

	code, _, errOut = run(t, "", "convert", srv.URL+"/folded", "--to", "folded", "--max-decompressed", "10")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--max-decompressed")
	assert.True(t, strings.HasPrefix(errOut, "hotspot: "+srv.URL+"/folded"), errOut)

	code, _, errOut = run(t, "", "explain", "http://127.0.0.1:1/x")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "fetching http://127.0.0.1:1/x: ")
}
