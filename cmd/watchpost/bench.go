package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/gen"
	"github.com/watchpost/watchpost/internal/loadtest"
	"github.com/watchpost/watchpost/internal/obs"
)

// runBench implements `watchpost bench`: end-to-end load at fixed offered rates, against the
// embedded broker (default) or a real cluster (--brokers).
func runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	brokers := fs.String("brokers", "", "Kafka seed brokers; empty runs on the embedded broker")
	rates := fs.String("rates", "0", "comma-separated offered rates in travellers/s; 0 = as fast as possible")
	duration := fs.Duration("duration", 20*time.Second, "offered load per rate")
	warmup := fs.Duration("warmup", 3*time.Second, "not measured at the start of each run")
	delivery := fs.String("delivery", string(app.ExactlyOnce), "exactly-once or at-least-once")
	manifests := fs.Int("manifests", 3000, "pool of generated manifests to cycle through")
	logLevel := fs.String("log-level", "warn", "log level (stderr)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	log, err := obs.NewLogger(*logLevel, true)
	if err != nil {
		return err
	}
	cfg := gen.DefaultConfig()
	cfg.Manifests = *manifests
	for _, r := range splitList(*rates) {
		var rate int
		if _, err := fmt.Sscan(r, &rate); err != nil || rate < 0 {
			return fmt.Errorf("--rates: %q is not a rate", r)
		}
		res, err := loadtest.Run(ctx, loadtest.Options{
			Brokers: splitList(*brokers), Rate: rate, Duration: *duration, Warmup: *warmup,
			Gen: cfg, Delivery: app.Delivery(*delivery), Logger: log,
		})
		if err != nil {
			return err
		}
		fmt.Println(res)
	}
	return nil
}
