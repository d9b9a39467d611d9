# effsim: `make test` or `make reproduce` on a fresh Debian machine with Swift.
# Each target installs what is missing (libgsl-dev, libcurl4-openssl-dev, pkg-config; chromium for report-check) with apt-get first.

SWIFT  ?= swift
CONFIG ?= release
BIN     = .build/$(CONFIG)/effsim
# The binary links the Swift runtime and Foundation statically: a 10^3-trial run then takes
# about 15 ms rather than 21 (no loading and binding of a dozen shared Swift libraries at each
# start), and an installed effsim needs no Swift toolchain beside it.
BUILD_FLAGS = -c $(CONFIG) --static-swift-stdlib
# Swift Testing exists only as a shared library, so the tests build in a folder of their own
# (sharing .build would rebuild everything at each switch between `make build` and `make test`)
# and run the binary above (EFFSIM_BINARY). Without testable imports: the tests use none.
TEST_FLAGS  = -c $(CONFIG) --disable-testable-imports --scratch-path .build/tests
# make install [PREFIX=/usr/local] [DESTDIR=staging root]
PREFIX ?= /usr/local
BASH_COMPLETIONS = $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS  = $(PREFIX)/share/zsh/site-functions
# The JSON Schemas, at a fixed absolute path an editor can be pointed at from a scenario anywhere.
SCHEMA_DIR       = $(PREFIX)/share/effsim
SCHEMAS          = Scenarios/scenario.schema.json Scenarios/sweep.schema.json
# The README and the guides, where `effsim --help` points to.
DOC_DIR          = $(PREFIX)/share/doc/effsim
GUIDES           = $(wildcard Guides/*.md Guides/*.png)
# One target per shipped sweep: Scenarios/sweeps/NAME.json -> make sweep-NAME.
SWEEP_FILES   := $(wildcard Scenarios/sweeps/*.json)
SWEEP_TARGETS := $(patsubst Scenarios/sweeps/%.json,sweep-%,$(SWEEP_FILES))
# One target per shipped scenario: Scenarios/NAME.json -> make scenario-NAME (results/NAME/).
SCENARIO_FILES   := $(filter-out %.schema.json,$(wildcard Scenarios/*.json))
SCENARIO_TARGETS := $(patsubst Scenarios/%.json,scenario-%,$(SCENARIO_FILES))
# apt-get needs root: use sudo when not root and sudo exists.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
# Where report-check runs seed-2024 and leaves report.png and chromium.log (Chromium's log).
REPORT_DIR ?= results/seed-2024
# Tall enough for the whole seed-2024 report at 1280px wide.
REPORT_WINDOW ?= 1280,5200
# What headless Chromium prints about a page that failed: load errors, console messages
# (the report has no script, so any is a fault), blocked resources.
comma := ,
PAGE_ERRORS = CONSOLE|Page load failed|net::ERR_|Uncaught|Not allowed to load|Refused to

.PHONY: serve-check bench-serve format lint scenarios $(SCENARIO_TARGETS) setup build test docs install uninstall reproduce report-check report-browser report-check-run report-check-compare $(SWEEP_CHECKS) bench bench-quick bench-merge shard-demo slurm-check fuzz clean help sweeps sweep $(SWEEP_TARGETS)

help:
	@echo "make setup      install libgsl-dev, libcurl4-openssl-dev and pkg-config with apt-get if missing"
	@echo "make build      build effsim ($(CONFIG))"
	@echo "make test       run the test suite (same build configuration as build)"
	@echo "make install    effsim in \$$PREFIX/bin (default /usr/local), its bash and zsh completions, its JSON Schemas, its README and guides"
	@echo "make uninstall  remove what make install put in \$$PREFIX"
	@echo "make format     rewrite Sources/ with swift format and the committed .swift-format"
	@echo "make lint       swift format lint --strict over Sources/ (CI runs it)"
	@echo "make docs       build the EffSim library's DocC archive (docs/EffSim.doccarchive); warnings fail it"
	@echo "make reproduce  run Scenarios/seed-2024.json, compare with the published figures, write its report"
	@echo "make report-check  render report.html, compare.html and the shipped sweeps' reports in headless Chromium; fail on a blank page or a page error"
	@echo "make bench      effsim against a C prototype at the plausible limit and the plain-C GSL reference, fixed costs (prints figures)"
	@echo "make serve-check  effsim serve in headless Chromium (Selenium): edit a CI, wait for effsim run's median, save, diff"
	@echo "make bench-serve  POST /api/run latency of effsim serve (p50, p95 over 50 requests, 1 and 2 threads)"
	@echo "make bench-quick  the same at smaller trial counts (under two minutes)"
	@echo "make bench-merge  time effsim merge over 10, 100 and 1,000 shard states of 10^9 trials (peak memory too; about 4 GB of disk while it runs)"
	@echo "make shard-demo 4 shards with GNU parallel, merged, diffed against one run"
	@echo "make slurm-check a one-node Slurm (slurm-wlm, munge; installed if missing): 4-task job arrays of a run and a sweep, merged, diffed against one process"
	@echo "make fuzz       seeded mutation fuzzer for FUZZ_SECONDS (default 60) over the scenarios and a state file"
	@echo "make scenarios  run every scenario in Scenarios/ with its sensitivity and report (results/<name>/)"
	@echo "make scenario-NAME run Scenarios/NAME.json: $(SCENARIO_TARGETS)"
	@echo "make sweeps     run every sweep in Scenarios/sweeps/ (results/sweeps/<name>/sweep.csv)"
	@echo "make sweep SWEEP=path/to/sweep.json   run one sweep file"
	@echo "make sweep-NAME run Scenarios/sweeps/NAME.json: $(SWEEP_TARGETS)"

# libcurl4-openssl-dev: the static link of `effsim serve`'s server library (FlyingFox) pulls in
# Foundation's networking part, which needs libcurl's symbols (see Guides/Serve.md).
setup:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gsl && pkg-config --exists libcurl; then :; else \
	  echo "installing libgsl-dev, libcurl4-openssl-dev and pkg-config with apt-get"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgsl-dev libcurl4-openssl-dev pkg-config; \
	fi

build: setup
	$(SWIFT) build $(BUILD_FLAGS)

test: build
	EFFSIM_BINARY=$(abspath $(BIN)) $(SWIFT) test $(TEST_FLAGS)

# The binary holds the Swift runtime and Foundation (linked statically); GSL and the C++
# runtime come from the system. Completions are generated by the binary itself (swift-argument-parser).
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(BASH_COMPLETIONS) $(DESTDIR)$(ZSH_COMPLETIONS) $(DESTDIR)$(SCHEMA_DIR) $(DESTDIR)$(DOC_DIR)/Guides
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/effsim
	install -m 644 $(SCHEMAS) $(DESTDIR)$(SCHEMA_DIR)
	install -m 644 README.md $(DESTDIR)$(DOC_DIR)
	$(if $(GUIDES),install -m 644 $(GUIDES) $(DESTDIR)$(DOC_DIR)/Guides)
	$(BIN) --generate-completion-script bash > $(DESTDIR)$(BASH_COMPLETIONS)/effsim
	$(BIN) --generate-completion-script zsh > $(DESTDIR)$(ZSH_COMPLETIONS)/_effsim
	@echo "installed $(DESTDIR)$(PREFIX)/bin/effsim, its bash and zsh completions, its JSON Schemas ($(DESTDIR)$(SCHEMA_DIR)) and its README and guides ($(DESTDIR)$(DOC_DIR))"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/effsim $(DESTDIR)$(BASH_COMPLETIONS)/effsim $(DESTDIR)$(ZSH_COMPLETIONS)/_effsim
	rm -f $(addprefix $(DESTDIR)$(SCHEMA_DIR)/,$(notdir $(SCHEMAS)))
	rmdir $(DESTDIR)$(SCHEMA_DIR) 2>/dev/null || true
	rm -rf $(DESTDIR)$(DOC_DIR)

# swift format ships with the toolchain; .swift-format is the configuration (Guides/Developing.md).
format:
	$(SWIFT) format format --in-place --recursive --parallel --configuration .swift-format Sources

lint:
	$(SWIFT) format lint --strict --recursive --parallel --configuration .swift-format Sources

# The library's documentation (Sources/EffSim/EffSim.docc and the doc comments), warnings as errors.
DOCS_DIR ?= docs/EffSim.doccarchive
docs: setup
	mkdir -p $(dir $(DOCS_DIR))
	$(SWIFT) package --disable-sandbox generate-documentation --target EffSimCore --target EffSimModel --target EffSimSampling --target EffSimResults --target EffSim --enable-experimental-combined-documentation --warnings-as-errors --output-path $(DOCS_DIR)
	@echo "docs: $(DOCS_DIR) (open with: xcrun docc preview, or serve it as static files)"

# The sensitivity analysis goes first so that the run's report includes its tornado chart.
reproduce: build
	$(BIN) sensitivity Scenarios/seed-2024.json --quiet
	$(BIN) run Scenarios/seed-2024.json --report

# $(call check-page,HTML,PNG,WINDOW): screenshot a page with headless Chromium into PNG (its log
# beside it, .log), and fail if Chromium fails, logs a page error, or the screenshot is blank.
define check-page
	rm -f $(2)
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr \
	  --window-size=$(3) --screenshot=$(abspath $(2)) file://$(abspath $(1)) 2> $(dir $(2))chromium.log \
	  || { cat $(dir $(2))chromium.log; echo "report-check: chromium failed on $(1)"; exit 1; }
	@if grep -E '$(PAGE_ERRORS)' $(dir $(2))chromium.log; then \
	  echo "report-check: chromium reported an error about $(1) (see $(dir $(2))chromium.log)"; exit 1; \
	fi
	python3 Scripts/check-screenshot.py $(2) $(subst $(comma), ,$(3))
endef

# Where report-check leaves compare.html and the shipped sweeps' reports (and their screenshots).
COMPARE_DIR ?= results/compare-check
SWEEP_REPORT_DIR ?= results/sweep-check
COMPARE_WINDOW ?= 1280,2400
SWEEP_WINDOW ?= 1280,2400

# Not part of `test`: CI needs no browser. Installs chromium if missing. Renders the three kinds
# of page: seed-2024's report.html, compare.html (seed-2024 against its literal-CI reading) and
# each shipped sweep's report.html (report-check-sweep-NAME).
SWEEP_CHECKS := $(patsubst Scenarios/sweeps/%.json,report-check-sweep-%,$(SWEEP_FILES))

report-check: report-check-run report-check-compare $(SWEEP_CHECKS)
	@echo "report-check: ok; look at $(REPORT_DIR)/report.png, $(COMPARE_DIR)/compare.png and $(SWEEP_REPORT_DIR)/*/report.png"

report-browser:
	@if command -v chromium >/dev/null 2>&1; then :; else \
	  echo "installing chromium with apt-get"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi

report-check-run: build report-browser
	$(BIN) sensitivity Scenarios/seed-2024.json --out $(REPORT_DIR) --quiet
	$(BIN) run Scenarios/seed-2024.json --out $(REPORT_DIR) --report --quiet
	$(call check-page,$(REPORT_DIR)/report.html,$(REPORT_DIR)/report.png,$(REPORT_WINDOW))

report-check-compare: build report-browser
	$(BIN) compare Scenarios/seed-2024.json Scenarios/seed-2024-literal.json --trials 200000 --out $(COMPARE_DIR) --report --quiet
	$(call check-page,$(COMPARE_DIR)/compare.html,$(COMPARE_DIR)/compare.png,$(COMPARE_WINDOW))

$(SWEEP_CHECKS): report-check-sweep-%: build report-browser
	$(BIN) sweep Scenarios/sweeps/$*.json --out $(SWEEP_REPORT_DIR)/$* --report --quiet
	$(call check-page,$(SWEEP_REPORT_DIR)/$*/report.html,$(SWEEP_REPORT_DIR)/$*/report.png,$(SWEEP_WINDOW))

scenarios: $(SCENARIO_TARGETS)

# The sensitivity analysis first, so that the report includes its tornado chart.
$(SCENARIO_TARGETS): scenario-%: build
	$(BIN) sensitivity Scenarios/$*.json --quiet
	$(BIN) run Scenarios/$*.json --report

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

# The prototype at the plausible limit: built for this CPU (-march=native), with effsim's
# vector math kernels included from Sources/CPhilox.
Benchmarks/bin/prototype: Benchmarks/prototype.c Sources/CPhilox/philox.c Sources/CPhilox/include/philox.h | setup
	mkdir -p Benchmarks/bin
	$(CC) -O3 -march=native -fno-math-errno -ISources/CPhilox/include -o $@ $< $$(pkg-config --cflags --libs gsl) -lpthread

bench: build Benchmarks/bin/reference Benchmarks/bin/prototype
	python3 Benchmarks/bench.py

# Under two minutes: smaller trial counts, no C reference runs, one sweep and sensitivity round.
bench-quick: build Benchmarks/bin/prototype
	PROTO_TRIALS=2e7 EXPR_TRIALS=2e7 TRIALS= BIG=0 SMALL_REPEATS=11 SWEEP_REPEATS=1 REPEATS=3 python3 Benchmarks/bench.py

# The merge's cost for 10, 100 and 1,000 shard states of 10^9 trials each (prints figures).
bench-merge: build
	python3 Benchmarks/merge_states.py

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

# A one-node Slurm cluster in a temporary folder (Debian's slurm-wlm and munge, installed if
# missing): job arrays of a run and of a sweep with their dependent merges (Scripts/slurm/),
# diffed against one process. Every daemon it starts is stopped, also on failure.
slurm-check: build
	@if command -v slurmctld >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then :; else \
	  echo "installing slurm-wlm and munge with apt-get"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge; \
	fi
	$(SUDO) Scripts/slurm/check.sh $(BIN)

# A seeded mutation fuzzer over the shipped scenarios, a shard state file, a run.json and
# scenarios at the ends of the double range (Scripts/fuzz.py): fails on a crash, a hang, an exit
# status other than 0/1/2, a non-finite number in an accepted run, an edited state file merged or
# run.json run, a control character printed, or a file left behind. FUZZ_SECONDS sets the budget.
FUZZ_SECONDS ?= 60
FUZZ_SEED    ?= 1
fuzz: build
	python3 Scripts/fuzz.py --binary $(abspath $(BIN)) --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED)

# effsim serve in a real browser: headless Chromium and chromedriver from Debian, Selenium from
# PyPI (installed here if missing). Screenshots before and after the edit go to SERVE_DIR.
SERVE_DIR ?= results/serve-check
serve-check: build
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; else \
	  echo "installing chromium and chromium-driver with apt-get"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; \
	fi
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet selenium
	python3 Scripts/serve-check.py --binary $(abspath $(BIN)) --out $(SERVE_DIR)

# POST /api/run at 100,000 trials of seed-2024, 50 requests each on 1 and 2 threads (prints figures).
bench-serve: build
	python3 Benchmarks/bench-serve.py --binary $(abspath $(BIN))
