package faulttest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var binary string // built once by TestMain

func TestMain(m *testing.M) {
	if os.Getenv("WATCHPOST_TEST_KAFKA") == "" && os.Getenv("WATCHPOST_REQUIRE_INTEGRATION") != "1" {
		os.Exit(m.Run()) // the tests skip themselves
	}
	dir, err := os.MkdirTemp("", "watchpost-faulttest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "watchpost")
	build := exec.Command("go", "build", "-o", binary, "github.com/watchpost/watchpost/cmd/watchpost")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building watchpost:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		wd, _ := os.Getwd()
		return filepath.Join(wd, "..", "..")
	}
	return strings.TrimSpace(string(out))
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// server is a private broker or ClickHouse run by one of the deploy/local scripts.
type server struct {
	t      *testing.T
	script string
	env    []string
	Addr   string
}

func (s *server) run(verb string) string {
	s.t.Helper()
	cmd := exec.Command(s.script, verb)
	cmd.Env = append(os.Environ(), s.env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("%s %s: %v\n%s", filepath.Base(s.script), verb, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

func (s *server) Start() { s.Addr = s.run("start") }
func (s *server) Stop()  { s.run("stop") }

func startKafka(t *testing.T) *server {
	dir := t.TempDir()
	s := &server{t: t, script: filepath.Join(repoRoot(t), "deploy/local/kafka.sh"), env: []string{
		"WATCHPOST_KAFKA_DIR=" + dir,
		"WATCHPOST_KAFKA_PORT=" + strconv.Itoa(freePort(t)),
		"WATCHPOST_KAFKA_CONTROLLER_PORT=" + strconv.Itoa(freePort(t)),
	}}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

func startClickHouse(t *testing.T) *server {
	dir := t.TempDir()
	s := &server{t: t, script: filepath.Join(repoRoot(t), "deploy/local/clickhouse.sh"), env: []string{
		"WATCHPOST_CH_DIR=" + dir,
		"WATCHPOST_CH_PORT=" + strconv.Itoa(freePort(t)),
		"WATCHPOST_CH_HTTP_PORT=" + strconv.Itoa(freePort(t)),
		"WATCHPOST_CH_INTER_PORT=" + strconv.Itoa(freePort(t)),
	}}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// supervisor runs a watchpost service and restarts it whenever it exits, like a Kubernetes
// Deployment would, until Stop.
type supervisor struct {
	t        *testing.T
	name     string
	args     []string
	env      []string
	logDir   string
	mu       sync.Mutex
	cmd      *exec.Cmd
	starts   int
	stopping bool
	done     chan struct{}
}

func supervise(t *testing.T, name string, env []string, args ...string) *supervisor {
	s := &supervisor{t: t, name: name, args: args, env: env, logDir: t.TempDir(), done: make(chan struct{})}
	go s.loop()
	t.Cleanup(s.Stop)
	return s
}

func (s *supervisor) loop() {
	defer close(s.done)
	for {
		s.mu.Lock()
		if s.stopping {
			s.mu.Unlock()
			return
		}
		s.starts++
		logf, err := os.Create(filepath.Join(s.logDir, fmt.Sprintf("%s.%d.log", s.name, s.starts)))
		if err != nil {
			s.mu.Unlock()
			s.t.Errorf("creating log: %v", err)
			return
		}
		cmd := exec.Command(binary, s.args...)
		cmd.Env = append(os.Environ(), s.env...)
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			s.mu.Unlock()
			s.t.Errorf("starting %s: %v", s.name, err)
			return
		}
		s.cmd = cmd
		s.mu.Unlock()
		_ = cmd.Wait()
		logf.Close()
		time.Sleep(500 * time.Millisecond) // restart backoff
	}
}

// Kill sends SIGKILL to the running process: no shutdown, no commit, no flush.
func (s *supervisor) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
	}
}

// Starts is how many times the process was started.
func (s *supervisor) Starts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.starts
}

// Stop terminates the process gracefully and stops restarting it.
func (s *supervisor) Stop() {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return
	}
	s.stopping = true
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
	}
	s.mu.Unlock()
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.Kill()
		<-s.done
	}
}

// Logs returns the tail of every log of the service, for failure messages.
func (s *supervisor) Logs() string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(s.logDir, "*.log"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if len(data) > 3000 {
			data = data[len(data)-3000:]
		}
		fmt.Fprintf(&b, "── %s ──\n%s\n", filepath.Base(f), data)
	}
	return b.String()
}

func waitUntil(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting until %s", what)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Exits returns the error line each run of the service ended with ("watchpost: …"), in order.
func (s *supervisor) Exits() []string {
	var out []string
	for i := 1; i <= s.Starts(); i++ {
		data, err := os.ReadFile(filepath.Join(s.logDir, fmt.Sprintf("%s.%d.log", s.name, i)))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "watchpost: ") {
				out = append(out, fmt.Sprintf("run %d: %s", i, line))
			}
		}
	}
	return out
}
