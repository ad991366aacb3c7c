package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/watchpost/watchpost/internal/console"
)

func TestConsoleHashPassword(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, "s3cret pass\n", "console", "hash-password", "--iterations", "1000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	hash := strings.TrimSpace(out)
	if strings.Contains(out+errOut, "s3cret") {
		t.Error("the password is echoed")
	}
	us, err := console.ParseUsers([]byte(fmt.Sprintf("users:\n  - {id: a, country: FRA, password: '%s'}\n", hash)))
	if err != nil {
		t.Fatalf("the printed hash does not load: %v", err)
	}
	if us.Authenticate("a", "s3cret pass") == nil || us.Authenticate("a", "s3cret") != nil {
		t.Error("the printed hash does not verify the password it was made from")
	}
	if _, errOut, code := cli(t, "", "console", "hash-password"); code == 0 || !strings.Contains(errOut, "no password") {
		t.Errorf("empty stdin: exit %d, %q", code, errOut)
	}
}

func TestConsoleNeedsUsers(t *testing.T) {
	t.Parallel()
	if _, errOut, code := cli(t, "", "console", "--brokers", "127.0.0.1:1"); code == 0 || !strings.Contains(errOut, "--users FILE is required") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

// TestConsoleServes runs `watchpost console` against kfake and an in-process registry:
// it logs where it serves, an officer logs in there, and SIGTERM stops it cleanly.
func TestConsoleServes(t *testing.T) {
	t.Parallel()
	c, registry := newStack(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	hash, err := console.HashPassword("pw FRA", console.MinIterations)
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(t.TempDir(), "users.yaml")
	if err := os.WriteFile(users, []byte("users:\n  - {id: fra-1, country: FRA, password: '"+hash+"'}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, "console", "--brokers", strings.Join(c.Brokers, ","), "--registry", registry,
		"--users", users, "--listen", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var url string
	var logged []string
	for url == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the console exited before serving: %v; log:\n%s", cmd.Wait(), strings.Join(logged, "\n"))
			}
			logged = append(logged, l)
			var rec struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "console serving" {
				url = rec.URL
			}
		case <-ctx.Done():
			t.Fatalf("no 'console serving' line; log:\n%s", strings.Join(logged, "\n"))
		}
	}
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/api/login", strings.NewReader(`{"officer_id":"fra-1","password":"pw FRA"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) != 1 {
		t.Errorf("login at %s: %d, cookies %v", url, resp.StatusCode, resp.Cookies())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for range lines { // until the process closes stderr: Wait must come after the reads
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("console after SIGTERM: %v", err)
	}
}
