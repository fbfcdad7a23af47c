# Entry points, each doing its own idempotent set-up:
#   make demo       scan the bundled demo portal and print the report's path
#   make test       run the linters and the test suite (real Chromium, local servers)
#   make test-fast  run only the tests that need no browser and no server (pytest -m fast)
#   make bench      govscan's full audit against bare navigation on a generated portal (docs/performance.md;
#                   BENCH_ARGS="--pages 200 --rounds 1" for scale); never part of make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.govscan-installed

.PHONY: setup browser test-fixtures demo test test-fast bench lint format clean

setup: $(STAMP) browser

$(STAMP): pyproject.toml
	@scripts/setup-venv.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

browser: $(STAMP)
	@scripts/ensure-browser.sh "$(BIN)"

demo: setup
	$(BIN)/govscan demo

test-fixtures: $(STAMP)
	@scripts/ensure-npm-fixtures.sh .test-cache/npm $(BIN)/python

test: setup lint test-fixtures
	$(BIN)/pytest

# No Chromium and no npm fixtures needed: only the venv.
test-fast: $(STAMP)
	$(BIN)/pytest -m fast

BENCH_ARGS ?= --pages 20 --rounds 3
bench: setup
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/portal_bench.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) govscan-reports .pytest_cache .ruff_cache .test-cache
