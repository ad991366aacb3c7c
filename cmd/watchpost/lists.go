package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/watchpost/watchpost/internal/acl"
	"github.com/watchpost/watchpost/internal/lists"
	"github.com/watchpost/watchpost/pipeline/event"
)

const listsUsage = "usage: watchpost lists load --db NAME [--owner CC] [--format auto|jsonl|csv] [--dry-run] [--brokers …] FILE|-"

// runLists implements `watchpost lists load`: an owner's list file into its database's
// reference topic, only the differences, in one transaction. It prints the summary as one
// JSON object; a bad file is reported line by line on stderr and nothing is produced.
func runLists(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "load" {
		return errors.New(listsUsage)
	}
	fs := flag.NewFlagSet("lists load", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	db := fs.String("db", "", "database: sltd, notices, nominals, tdawn, vehicles, vessels or firearms")
	owner := fs.String("owner", os.Getenv("WATCHPOST_OWNER"), "country the load acts for (ISO alpha-3); with SASL it is the user's country in the ACL declaration, and this must agree (env WATCHPOST_OWNER)")
	format := fs.String("format", lists.FormatAuto, "file format: auto (by extension, else by content), jsonl or csv")
	dryRun := fs.Bool("dry-run", false, "print what would change, produce nothing")
	aclFile := fs.String("acl-file", envOr("WATCHPOST_ACL_FILE", "deploy/acls.yaml"), "ACL declaration naming the SASL user's country (env WATCHPOST_ACL_FILE)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(listsUsage)
	}
	database := event.Database(*db)
	if !slices.Contains(event.Databases(), database) {
		return fmt.Errorf("lists load: --db: want one of %v", event.Databases())
	}
	var decl *acl.File
	if cf.sec.Username != "" {
		var err error
		if decl, err = acl.ParseFile(*aclFile); err != nil {
			return err
		}
	}
	who, err := lists.Owner(decl, cf.sec.Username, *owner)
	if err != nil {
		return fmt.Errorf("lists load: %w", err)
	}

	path := fs.Arg(0)
	var r io.Reader = os.Stdin
	name := "stdin"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("opening the list file: %w", err)
		}
		defer f.Close()
		r, name = f, path
	}
	list, err := lists.Read(r, name, database, *format, who)
	if err != nil {
		return err
	}

	k, log, serde, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	sum, err := lists.Load(ctx, lists.Config{Kafka: k, Serde: serde, Owner: who, DryRun: *dryRun, Logger: log}, list)
	if err != nil {
		return err
	}
	return writeJSON(os.Stdout, sum)
}
