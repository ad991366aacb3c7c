package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/readyz":
			_, _ = io.WriteString(w, "ready\n")
		case "/slow":
			time.Sleep(500 * time.Millisecond)
		default:
			http.Error(w, "not ready", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	// A port nothing listens on: bind one, note it, close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/readyz"
	_ = ln.Close()

	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"ready", []string{srv.URL + "/readyz"}, 0},
		{"503 is unhealthy", []string{srv.URL + "/notready"}, 1},
		{"refused is unhealthy", []string{closed}, 1},
		{"timeout is unhealthy", []string{"--timeout", "100ms", srv.URL + "/slow"}, 1},
		{"no url", nil, 2},
		{"two urls", []string{srv.URL, srv.URL}, 2},
		{"bad flag", []string{"--nope", srv.URL}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stderr strings.Builder
			if got := run(t.Context(), tc.args, &stderr); got != tc.want {
				t.Errorf("run(%q) = %d, want %d (stderr %q)", tc.args, got, tc.want, stderr.String())
			}
		})
	}
}
