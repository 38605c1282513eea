# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench demo server server-pg scenarios clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "need python3.11 (or python3 >= 3.11) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/merchant-sim

demo: $(STAMP)
	$(BIN)/python -m mock_server.demo

server: $(STAMP)
	$(BIN)/mock-server

# A sandbox with 2 worker processes on a throwaway local PostgreSQL (removed when it stops).
server-pg: $(STAMP)
	$(BIN)/python -m mock_server.local_postgres --workers 2

# Runs every scenario (a failure does not stop the others) and ends with one summary line.
scenarios: $(STAMP)
	@passed=0; failed=""; \
	for f in merchant_sim/scenarios/*.yaml; do \
		if $(BIN)/merchant-sim run $$f; then passed=$$((passed + 1)); else failed="$$failed $$f"; fi; \
	done; \
	if [ -z "$$failed" ]; then echo "scenarios: $$passed passed, 0 failed"; \
	else echo "scenarios: $$passed passed, failed:$$failed"; exit 1; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy sdk/installo mock_server merchant_sim benchmarks

# The whole suite on in-memory SQLite, then the server suite again on a PostgreSQL cluster the
# tests start themselves (tests/conftest.py), so both backends stay green. Tests run on one
# pytest-xdist worker per core (each worker starts its own PostgreSQL cluster); PYTEST_WORKERS=0
# runs them in this process, e.g. to use a debugger.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist worksteal
unit: $(STAMP)
	$(BIN)/pytest $(XDIST)
	$(BIN)/pytest $(XDIST) tests/server --db=postgresql

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
