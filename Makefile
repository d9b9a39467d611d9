# effsim: `make test` or `make reproduce` on a fresh Debian machine with Swift.
# Each target installs what is missing (libgsl-dev, pkg-config) with apt-get first.

SWIFT  ?= swift
CONFIG ?= release
BIN     = .build/$(CONFIG)/effsim
# One target per shipped sweep: Scenarios/sweeps/NAME.json -> make sweep-NAME.
SWEEP_FILES   := $(wildcard Scenarios/sweeps/*.json)
SWEEP_TARGETS := $(patsubst Scenarios/sweeps/%.json,sweep-%,$(SWEEP_FILES))
# apt-get needs root: use sudo when not root and sudo exists.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: setup build test reproduce bench shard-demo clean help sweeps sweep $(SWEEP_TARGETS)

help:
	@echo "make setup      install libgsl-dev and pkg-config with apt-get if missing"
	@echo "make build      build effsim ($(CONFIG))"
	@echo "make test       run the test suite"
	@echo "make reproduce  run Scenarios/seed-2024.json and compare with the published figures"
	@echo "make bench      effsim against the plain-C GSL reference (prints figures)"
	@echo "make shard-demo 4 shards with GNU parallel, merged, diffed against one run"
	@echo "make sweeps     run every sweep in Scenarios/sweeps/ (results/sweeps/<name>/sweep.csv)"
	@echo "make sweep SWEEP=path/to/sweep.json   run one sweep file"
	@echo "make sweep-NAME run Scenarios/sweeps/NAME.json: $(SWEEP_TARGETS)"

setup:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl; then :; else \
	  echo "installing libgsl-dev and pkg-config with apt-get"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgsl-dev pkg-config; \
	fi

build: setup
	$(SWIFT) build -c $(CONFIG)

test: setup
	$(SWIFT) test -c $(CONFIG)

reproduce: build
	$(BIN) run Scenarios/seed-2024.json

sweeps: $(SWEEP_TARGETS)

$(SWEEP_TARGETS): sweep-%: build
	$(BIN) sweep Scenarios/sweeps/$*.json

sweep: build
	@if [ -z "$(SWEEP)" ]; then echo "usage: make sweep SWEEP=Scenarios/sweeps/NAME.json"; exit 2; fi
	$(BIN) sweep $(SWEEP)

clean:
	rm -rf .build results

# Benchmarks: the C reference is built here, outside the Swift package, so that its
# build never reaches users. Figures are printed, never asserted.
Benchmarks/bin/reference: Benchmarks/reference.c | setup
	mkdir -p Benchmarks/bin
	$(CC) -O2 -o $@ $< $$(pkg-config --cflags --libs gsl)

bench: build Benchmarks/bin/reference
	python3 Benchmarks/bench.py

# Shard and merge: 4 shards run concurrently with GNU parallel (installed if missing), merged,
# and compared byte for byte with a single-process run of the same seed.
SHARD_TRIALS ?= 10000000
SHARD_DIR    ?= results/shard-demo
shard-demo: build
	@command -v parallel >/dev/null 2>&1 || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends parallel; }
	rm -rf $(SHARD_DIR) && mkdir -p $(SHARD_DIR)
	parallel --will-cite --halt now,fail=1 \
	  $(BIN) run Scenarios/seed-2024.json --trials $(SHARD_TRIALS) --threads 1 --quiet \
	  --shard {}/4 --state $(SHARD_DIR)/shard-{}.json ::: 1 2 3 4
	$(BIN) merge $(SHARD_DIR)/shard-*.json --out $(SHARD_DIR)/merged --quiet
	$(BIN) run Scenarios/seed-2024.json --trials $(SHARD_TRIALS) --out $(SHARD_DIR)/single --quiet
	diff -r $(SHARD_DIR)/merged $(SHARD_DIR)/single
	@echo "shard-demo: the 4 merged shards are byte-identical to the single run ($(SHARD_DIR))"
