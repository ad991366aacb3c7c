// Command healthprobe is the container healthcheck of the watchpost image: it GETs one URL and
// exits 0 when the answer is 2xx, 1 otherwise (refused, timed out, or any other status), so
// that `docker compose` can wait for /readyz although the distroless runtime image has no
// shell, curl or wget. Kubernetes probes the same endpoints itself and does not use it.
//
//	healthprobe [--timeout 2s] http://127.0.0.1:9464/readyz
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stderr)) }

// run probes the URL in args and returns the exit code: 0 healthy, 1 unhealthy, 2 usage.
func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthprobe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 2*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *timeout <= 0 {
		fmt.Fprintln(stderr, "usage: healthprobe [--timeout D] URL")
		return 2
	}
	if err := probe(ctx, fs.Arg(0), *timeout); err != nil {
		fmt.Fprintln(stderr, "healthprobe:", err)
		return 1
	}
	return 0
}

func probe(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("building the request: %w", err)
	}
	// No proxy from the environment: the probe targets the container itself.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("requesting %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errors.New(url + ": " + resp.Status)
	}
	return nil
}
