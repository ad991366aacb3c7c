# Watchpost — the Makefile is the CI contract. `make help` lists the targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
BIN       := bin/watchpost
CH        := deploy/local/clickhouse.sh
KAFKA     := deploy/local/kafka.sh
FUZZTIME  ?= 5s
BENCHTIME ?= 1s
BENCHOUT  ?= bench/results.txt
BENCHSTAT_VERSION := v0.0.0-20260908200009-22c9c6c9d4da
export GOFLAGS := -buildvcs=false

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-18s %s\n", $$1, $$2}'

.PHONY: build
build: ## build bin/watchpost
	$(GO) build -o $(BIN) ./cmd/watchpost

.PHONY: demo
demo: build ## the main job on a fresh machine: embedded Kafka + a private ClickHouse, ends with a summary
	@addr=""; \
	if addr=$$($(CH) start); then \
	  trap '$(CH) stop >/dev/null 2>&1 || true' EXIT; \
	else \
	  echo "ClickHouse could not be installed or started (see above): the demo runs without analytics." >&2; addr=""; \
	fi; \
	WATCHPOST_CLICKHOUSE="$$addr" ./$(BIN) demo

.PHONY: test
test: .run browser ## the whole suite with -race: embedded Kafka, plus a real Kafka broker and ClickHouse it starts itself; then a fuzz smoke
	@trap '$(CH) stop >/dev/null 2>&1 || true; $(KAFKA) stop >/dev/null 2>&1 || true' EXIT; \
	addr=$$($(CH) start); broker=$$($(KAFKA) start); \
	export WATCHPOST_TEST_CLICKHOUSE="$$addr" WATCHPOST_TEST_KAFKA="$$broker" WATCHPOST_REQUIRE_INTEGRATION=1; \
	$(GO) vet ./...; \
	$(GO) test -race -shuffle=on -count=1 -timeout 20m ./...; \
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

.run:
	@mkdir -p .run

.PHONY: browser
browser: .run ## install Debian's chromium for the browser tests (console, HTML reports) when missing
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package) for the browser tests" >&2; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >.run/apt-chromium.log 2>&1 \
	    || { tail -20 .run/apt-chromium.log >&2; echo "could not install chromium: the browser tests will fail" >&2; }; }
	@command -v node >/dev/null 2>&1 || echo "node is not installed: the console browser test will fail" >&2

.PHONY: test-short
test-short: ## unit tests only (no ClickHouse), with -race
	$(GO) test -race -shuffle=on -count=1 ./...

.PHONY: fuzz
fuzz: .run ## run every fuzz target for FUZZTIME (default 5s; `make fuzz FUZZTIME=5m` for a long run)
	@for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f"; \
	    if ! $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg > .run/fuzz.log 2>&1; then \
	      if grep -q 'context deadline exceeded' .run/fuzz.log && ! grep -q 'Failing input written' .run/fuzz.log; then \
	        echo "  (the fuzz time ran out inside a slow input; no failure found)"; \
	      else cat .run/fuzz.log; exit 1; fi; \
	    fi; \
	  done; \
	done

.PHONY: bench
bench: build .run ## benchmarks (-benchmem, 6 runs each) summarised by benchstat (medians) into bench/results.txt
	@mkdir -p bench
	@trap '$(CH) stop >/dev/null 2>&1 || true; $(KAFKA) stop >/dev/null 2>&1 || true' EXIT; \
	addr=$$($(CH) start); broker=$$($(KAFKA) start); \
	export WATCHPOST_TEST_CLICKHOUSE="$$addr"; \
	{ $(GO) test -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) -count=6 -timeout 60m \
	    ./pipeline/... ./schemas/... ./internal/gen/... ./internal/gateway/... ./analytics/... ; \
	  $(GO) test -run='^$$' -bench=BenchmarkEndToEnd -benchtime=1x -count=6 ./internal/demo/ ; \
	  $(GO) test -run='^$$' -bench=BenchmarkColdStart -benchtime=1x -count=3 -timeout 30m ./consumers/watchlistfeed/ ; \
	  WATCHPOST_TEST_KAFKA="$$broker" $(GO) test -run='^$$' -bench=BenchmarkReplay -benchtime=1x -count=1 -timeout 30m ./consumers/watchlistfeed/ ; \
	} > bench/raw.txt; \
	{ echo "# watchpost benchmarks, $$(date -u +%F), $$(nproc) cores, $$($(GO) version | cut -d' ' -f3)"; \
	  echo "# raw runs in bench/raw.txt; medians and spread by benchstat"; echo; \
	  $(GO) run golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION) bench/raw.txt; \
	  echo; echo "# end-to-end load (watchpost bench): offered rate -> sustained screenings/s and produce-to-screening latency (read_committed)"; \
	  ./$(BIN) bench --rates 0,20000,5000 --duration 20s; \
	  ./$(BIN) bench --brokers "$$broker" --rates 0,20000,5000 --duration 20s; } > $(BENCHOUT); \
	cat $(BENCHOUT)

.PHONY: eval
eval: ## matching quality: recall and false positives per database and variant, written to eval/results.md
	$(GO) run ./internal/eval/cmd/evalrun -out eval/results.md

.PHONY: lint
lint: ## gofmt and go vet (golangci-lint when installed)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above are not formatted" >&2; exit 1; }
	$(GO) vet ./...
	@if command -v golangci-lint >/dev/null; then golangci-lint run ./...; else echo "golangci-lint not installed: skipped"; fi

.PHONY: up
up: ## start the private ClickHouse and Kafka broker and leave them running (prints their addresses)
	@$(CH) start
	@$(KAFKA) start

.PHONY: down
down: ## stop the private ClickHouse and Kafka broker
	@$(CH) stop
	@$(KAFKA) stop

.PHONY: clean
clean: ## remove build output and local server data
	-$(CH) stop
	-$(KAFKA) stop
	rm -rf bin .run
