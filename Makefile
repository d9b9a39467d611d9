# effsim: `make test` or `make reproduce` on a fresh Debian machine with Swift.
# Each target installs what is missing (libgsl-dev, pkg-config; chromium for report-check) with apt-get first.

SWIFT  ?= swift
CONFIG ?= release
BIN     = .build/$(CONFIG)/effsim
# apt-get needs root: use sudo when not root and sudo exists.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
# Where report-check runs seed-2024 and leaves report.png and chromium.log.
REPORT_DIR ?= results/seed-2024
# Tall enough for the whole seed-2024 report at 1280px wide.
REPORT_WINDOW ?= 1280,4400
# What headless Chromium prints about a page that failed: load errors, console messages
# (the report has no script, so any is a fault), blocked resources.
comma := ,
PAGE_ERRORS = CONSOLE|Page load failed|net::ERR_|Uncaught|Not allowed to load|Refused to

.PHONY: setup build test reproduce report-check clean help

help:
	@echo "make setup      install libgsl-dev and pkg-config with apt-get if missing"
	@echo "make build      build effsim ($(CONFIG))"
	@echo "make test       run the test suite"
	@echo "make reproduce  run Scenarios/seed-2024.json, compare with the published figures, write its report"
	@echo "make report-check  render seed-2024's report.html in headless Chromium; fail on a blank page or a page error"

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
	$(BIN) run Scenarios/seed-2024.json --report

# Not part of `test`: CI needs no browser. Installs chromium if missing.
report-check: build
	@if command -v chromium >/dev/null 2>&1; then :; else \
	  echo "installing chromium with apt-get"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi
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

clean:
	rm -rf .build results
