# effsim: `make test` or `make reproduce` on a fresh Debian machine with Swift.
# Each target installs what is missing (libgsl-dev, pkg-config; chromium for report-check) with apt-get first.

SWIFT  ?= swift
CONFIG ?= release
BIN     = .build/$(CONFIG)/effsim
# One target per shipped sweep: Scenarios/sweeps/NAME.json -> make sweep-NAME.
SWEEP_FILES   := $(wildcard Scenarios/sweeps/*.json)
SWEEP_TARGETS := $(patsubst Scenarios/sweeps/%.json,sweep-%,$(SWEEP_FILES))
# apt-get needs root: use sudo when not root and sudo exists.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
# Where report-check runs seed-2024 and leaves report.png and chromium.log.
REPORT_DIR ?= results/seed-2024
# Tall enough for the whole seed-2024 report at 1280px wide.
REPORT_WINDOW ?= 1280,5200
# What headless Chromium prints about a page that failed: load errors, console messages
# (the report has no script, so any is a fault), blocked resources.
comma := ,
PAGE_ERRORS = CONSOLE|Page load failed|net::ERR_|Uncaught|Not allowed to load|Refused to

.PHONY: setup build test docs reproduce report-check bench shard-demo fuzz clean help sweeps sweep $(SWEEP_TARGETS)

help:
	@echo "make setup      install libgsl-dev and pkg-config with apt-get if missing"
	@echo "make build      build effsim ($(CONFIG))"
	@echo "make test       run the test suite"
	@echo "make docs       build the EffSim library's DocC archive (docs/EffSim.doccarchive); warnings fail it"
	@echo "make reproduce  run Scenarios/seed-2024.json, compare with the published figures, write its report"
	@echo "make report-check  render seed-2024's report.html in headless Chromium; fail on a blank page or a page error"
	@echo "make bench      effsim against the plain-C GSL reference (prints figures)"
	@echo "make shard-demo 4 shards with GNU parallel, merged, diffed against one run"
	@echo "make fuzz       seeded mutation fuzzer for FUZZ_SECONDS (default 60) over the scenarios and a state file"
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

# The library's documentation (Sources/EffSim/EffSim.docc and the doc comments), warnings as errors.
DOCS_DIR ?= docs/EffSim.doccarchive
docs: setup
	$(SWIFT) package --disable-sandbox generate-documentation --target EffSim --warnings-as-errors --output-path $(DOCS_DIR)
	@echo "docs: $(DOCS_DIR) (open with: xcrun docc preview, or serve it as static files)"

# The sensitivity analysis goes first so that the run's report includes its tornado chart.
reproduce: build
	$(BIN) sensitivity Scenarios/seed-2024.json --quiet
	$(BIN) run Scenarios/seed-2024.json --report

# Not part of `test`: CI needs no browser. Installs chromium if missing.
report-check: build
	@if command -v chromium >/dev/null 2>&1; then :; else \
	  echo "installing chromium with apt-get"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi
	$(BIN) sensitivity Scenarios/seed-2024.json --out $(REPORT_DIR) --quiet
	$(BIN) run Scenarios/seed-2024.json --out $(REPORT_DIR) --report --quiet
	rm -f $(REPORT_DIR)/report.png
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr \
	  --window-size=$(REPORT_WINDOW) --screenshot=$(abspath $(REPORT_DIR))/report.png \
	  file://$(abspath $(REPORT_DIR))/report.html 2> $(REPORT_DIR)/chromium.log \
	  || { cat $(REPORT_DIR)/chromium.log; echo "report-check: chromium failed"; exit 1; }
	@if grep -E '$(PAGE_ERRORS)' $(REPORT_DIR)/chromium.log; then \
	  echo "report-check: chromium reported an error about the page (see $(REPORT_DIR)/chromium.log)"; exit 1; \
	fi
	python3 Scripts/check-screenshot.py $(REPORT_DIR)/report.png $(subst $(comma), ,$(REPORT_WINDOW))
	@echo "report-check: ok; look at $(REPORT_DIR)/report.png"

sweeps: $(SWEEP_TARGETS)

$(SWEEP_TARGETS): sweep-%: build
	$(BIN) sweep Scenarios/sweeps/$*.json

sweep: build
	@if [ -z "$(SWEEP)" ]; then echo "usage: make sweep SWEEP=Scenarios/sweeps/NAME.json"; exit 2; fi
	$(BIN) sweep $(SWEEP)

clean:
	rm -rf .build results docs

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

# A seeded mutation fuzzer over the shipped scenarios and a shard state file (Scripts/fuzz.py):
# fails on a crash, a hang, an exit status other than 0/1/2, a non-finite number in an accepted
# run, an edited state file merged, or a file left behind. FUZZ_SECONDS sets the budget.
FUZZ_SECONDS ?= 60
FUZZ_SEED    ?= 1
fuzz: build
	python3 Scripts/fuzz.py --binary $(BIN) --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED)
