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

.PHONY: setup build test reproduce clean help sweeps sweep $(SWEEP_TARGETS)

help:
	@echo "make setup      install libgsl-dev and pkg-config with apt-get if missing"
	@echo "make build      build effsim ($(CONFIG))"
	@echo "make test       run the test suite"
	@echo "make reproduce  run Scenarios/seed-2024.json and compare with the published figures"
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
