# effsim: `make test` or `make reproduce` on a fresh Debian machine with Swift.
# Each target installs what is missing (libgsl-dev, pkg-config) with apt-get first.

SWIFT  ?= swift
CONFIG ?= release
BIN     = .build/$(CONFIG)/effsim
# apt-get needs root: use sudo when not root and sudo exists.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: setup build test reproduce clean help

help:
	@echo "make setup      install libgsl-dev and pkg-config with apt-get if missing"
	@echo "make build      build effsim ($(CONFIG))"
	@echo "make test       run the test suite"
	@echo "make reproduce  run Scenarios/seed-2024.json and compare with the published figures"

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

clean:
	rm -rf .build results
