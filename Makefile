# Entry points, each doing its own idempotent set-up:
#   make demo       scan the bundled demo portal and print the report's path
#   make test       run the linters and the test suite (real Chromium, local servers)
#   make test-fast  run only the tests that need no browser and no server (pytest -m fast)
#   make bench      govscan's full audit against bare navigation on a generated portal (docs/performance.md;
#                   BENCH_ARGS="--pages 200 --rounds 1" for scale); never part of make test
#   make bench-act  govscan's accessibility family on the W3C ACT Rules test cases (docs/accuracy.md;
#                   ACT_ARGS="--cases DIR" for a local copy); never part of make test
#   make bench-hostile  a portal where a third of the pages are hostile: every page classified, what
#                   each costs (docs/performance.md); never part of make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.govscan-installed

.PHONY: setup browser test-fixtures demo test test-fast bench bench-act bench-hostile lint format clean

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

ACT_ARGS ?=
bench-act: setup
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/act_rules.py $(ACT_ARGS)

HOSTILE_ARGS ?= --page-timeout 10 --each
bench-hostile: setup
	PYTHONPATH=$(CURDIR) $(BIN)/python benchmarks/hostile_portal.py $(HOSTILE_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) govscan-reports .pytest_cache .ruff_cache .test-cache
