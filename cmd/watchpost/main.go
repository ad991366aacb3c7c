// Command watchpost is Watchpost's one binary. Each subcommand wires packages together; none
// holds logic of its own.
//
//	watchpost demo                      the main job on embedded defaults, ending with a summary
//	watchpost gateway                   the carriers', border posts' and partners' HTTP API
//	watchpost matcher                   a matcher worker (reference replay, then group consumer)
//	watchpost sink                      copies screenings and alerts into ClickHouse
//	watchpost console                   the control rooms' web console: live alerts, evidence, decisions
//	watchpost gen                       deterministic synthetic watchlists and manifests
//	watchpost topics apply              creates the declared topics on a cluster
//	watchpost acl apply                 makes the cluster's ACLs match deploy/acls.yaml
//	watchpost bench                     end-to-end throughput and latency at fixed rates
//	watchpost lists load --db NAME FILE loads an owner's list file into its reference topic (differences only)
//	watchpost screen --lists DIR        offline screening of JSONL subjects with the workers' engine
//	watchpost manifest decode FILE|-    decodes PAXLST, PNRGOV or JSON manifests to JSON
//	watchpost mrz parse [LINES…|-]      parses a machine-readable zone into JSON
//	watchpost id check --kind K VALUE   validates a VIN, IMO number or hull identification number
//	watchpost ops create|list|posts     operations (campaigns) and border posts in ClickHouse
//	watchpost report operation ID       an operation's report (text, JSON or self-contained HTML)
//	watchpost retention apply|policy    enforces the retention policy on monthly partitions
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string) error
}

var commands = []command{
	{"demo", "run the whole pipeline on embedded Kafka (and ClickHouse when available), then print a summary", runDemo},
	{"gateway", "the HTTP API carriers and border posts submit manifests and crossings to, and partners check documents at", runGateway},
	{"matcher", "run a matcher worker against a Kafka cluster", runMatcher},
	{"sink", "copy screenings and alerts from Kafka into ClickHouse", runSink},
	{"console", "serve the control-room console: live alerts of the officer's country, evidence, confirm or dismiss", runConsole},
	{"gen", "generate deterministic synthetic watchlists and manifests (files or topics)", runGen},
	{"topics", "topics apply: create the declared topics on a cluster", runTopics},
	{"acl", "acl apply: create and delete Kafka ACLs to match deploy/acls.yaml", runACL},
	{"bench", "end-to-end load at fixed rates: sustained travellers/s and latency percentiles", runBench},
	{"lists", "lists load --db NAME [--owner CC] [--format auto|jsonl|csv] [--dry-run] FILE|-: load an owner's list into its reference topic", runLists},
	{"screen", "screen --lists DIR [--in FILE|-] [--top N] [--threshold X]: offline screening, JSONL in and out", runScreen},
	{"manifest", "manifest decode [--format auto|paxlst|pnrgov|json] FILE|-: decode a manifest to JSON", runManifest},
	{"mrz", "mrz parse [LINE…|-]: parse a machine-readable zone (ICAO 9303) into JSON", runMRZ},
	{"id", "id check --kind vin|imo|hin VALUE: validate a vehicle, vessel or hull identifier", runID},
	{"ops", "ops create|list|posts: operations (campaigns) and border posts in ClickHouse", runOps},
	{"report", "report operation ID [--format text|json|html]: an operation's results against the period before", runReport},
	{"retention", "retention apply [--now T] [--dry-run] | policy: drop or depersonalise old monthly partitions", runRetention},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "watchpost:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage()
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	usage()
	return fmt.Errorf("unknown command %q", args[0])
}

func usage() {
	var b strings.Builder
	b.WriteString("usage: watchpost COMMAND [flags]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'watchpost COMMAND -h' for a command's flags.\n")
	fmt.Fprint(os.Stderr, b.String())
}

// envOr returns the environment variable's value, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
