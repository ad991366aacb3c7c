package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/internal/console"
	"github.com/watchpost/watchpost/internal/obs"
)

// runConsole serves the control-room console, or with "hash-password" writes a users-file
// password hash.
func runConsole(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "hash-password" {
		return runHashPassword(args[1:])
	}
	fs := flag.NewFlagSet("console", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	listen := fs.String("listen", envOr("WATCHPOST_CONSOLE_LISTEN", "127.0.0.1:8088"), "address the console's web page is served on (env WATCHPOST_CONSOLE_LISTEN)")
	usersPath := fs.String("users", os.Getenv("WATCHPOST_CONSOLE_USERS"), "users file: officers, their country and password hashes (env WATCHPOST_CONSOLE_USERS; see `watchpost console hash-password`)")
	certFile := fs.String("tls-cert", os.Getenv("WATCHPOST_CONSOLE_TLS_CERT"), "PEM certificate chain: serve HTTPS (env WATCHPOST_CONSOLE_TLS_CERT)")
	keyFile := fs.String("tls-key", os.Getenv("WATCHPOST_CONSOLE_TLS_KEY"), "PEM key of --tls-cert (env WATCHPOST_CONSOLE_TLS_KEY)")
	secure := fs.Bool("secure-cookies", envBool("WATCHPOST_CONSOLE_SECURE_COOKIES"), "mark the session cookie Secure although this process serves plain HTTP (behind a TLS proxy)")
	since := fs.Duration("since", console.DefaultSince, "how far back each country's alerts are read at start")
	backlog := fs.Int("backlog", console.DefaultBacklog, "recent alerts held per country")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *usersPath == "" {
		return errors.New("console: --users FILE is required")
	}
	if (*certFile == "") != (*keyFile == "") {
		return errors.New("console: give both --tls-cert and --tls-key, or neither")
	}
	users, err := console.LoadUsers(*usersPath)
	if err != nil {
		return err
	}
	var tlsCfg *tls.Config
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return fmt.Errorf("loading the console's TLS certificate: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	k, log, serde, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	reg := obs.NewRegistry()
	srv, err := console.New(console.Config{
		Brokers: k.Brokers, Opts: k.Opts, Topics: k.Topics, Serde: serde, Users: users, Logger: log, Registry: reg,
		Since: *since, Backlog: *backlog, SecureCookies: *secure,
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	metrics, err := obs.Serve(cf.metricsAddr, reg, func() bool { return true })
	if err != nil {
		return err
	}
	defer func() { _ = metrics.Close() }()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listening for the console on %s: %w", *listen, err)
	}
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	} else if !*secure && !loopback(ln.Addr()) {
		log.Warn("serving the console over plain HTTP on a non-loopback address: put it behind TLS (--tls-cert, or a proxy with --secure-cookies)")
	}
	log.Info("console serving", zap.String("url", scheme+"://"+ln.Addr().String()), zap.Strings("countries", users.Countries()),
		zap.String("metrics", metrics.Addr()))
	return srv.Serve(ctx, ln, tlsCfg)
}

func loopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// runHashPassword reads a password from the first line of stdin and prints its users-file
// hash. The password is never a flag: flags show in ps.
func runHashPassword(args []string) error {
	fs := flag.NewFlagSet("console hash-password", flag.ContinueOnError)
	iter := fs.Int("iterations", console.DefaultIterations, "PBKDF2 work factor")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "password (one line on stdin):")
	sc := bufio.NewScanner(os.Stdin)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return fmt.Errorf("reading the password: %w", err)
		}
		return errors.New("console hash-password: no password on stdin")
	}
	start := time.Now()
	h, err := console.HashPassword(strings.TrimRight(sc.Text(), "\r"), *iter)
	if err != nil {
		return err
	}
	fmt.Println(h)
	fmt.Fprintf(os.Stderr, "hashed in %v\n", time.Since(start).Round(time.Millisecond))
	return nil
}
