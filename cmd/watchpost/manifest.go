package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ingest"
)

// decodedMessage is one line of `watchpost manifest decode`: the manifest and its warnings.
type decodedMessage struct {
	ID          string            `json:"id"`
	Format      string            `json:"format"`
	Interchange string            `json:"interchange,omitempty"`
	Ref         string            `json:"message_ref,omitempty"`
	Carrier     string            `json:"carrier"`
	Flight      string            `json:"flight"`
	Country     string            `json:"country,omitempty"`
	Legs        []event.Leg       `json:"legs"`
	Travellers  []event.Traveller `json:"travellers"`
	Warnings    []ingest.Warning  `json:"warnings"`
}

// runManifest implements `watchpost manifest decode [--format auto|paxlst|pnrgov|json] FILE|-`:
// one JSON object per message on stdout; exit 0 when decoded (even with warnings), 1 with the
// located error on stderr when not.
func runManifest(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] != "decode" {
		return errors.New("usage: watchpost manifest decode [--format auto|paxlst|pnrgov|json] FILE|-")
	}
	fs := flag.NewFlagSet("manifest decode", flag.ContinueOnError)
	format := fs.String("format", ingest.Auto, "auto, paxlst, pnrgov or json")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("manifest decode: give one FILE, or - for standard input")
	}
	var (
		b    []byte
		err  error
		name = fs.Arg(0)
	)
	if name == "-" {
		b, err = io.ReadAll(io.LimitReader(os.Stdin, 256<<20))
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	res, err := ingest.Decode(*format, b, time.Now())
	if err != nil {
		return err
	}
	for _, m := range res.Messages {
		warnings := append(append([]ingest.Warning{}, res.Warnings...), m.Warnings...)
		if err := writeJSON(os.Stdout, decodedMessage{
			ID: m.Manifest.ID, Format: res.Format, Interchange: m.Interchange, Ref: m.Ref,
			Carrier: m.Manifest.Carrier, Flight: m.Manifest.Flight, Country: m.Manifest.Country,
			Legs: m.Manifest.Legs, Travellers: m.Manifest.Travellers, Warnings: warnings,
		}); err != nil {
			return err
		}
	}
	return nil
}
