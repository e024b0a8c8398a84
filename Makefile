# impactkit — the two commands of the README:
#   make report   build the sample impact reports into reports/
#   make test     run every check (lint, format, types, unit + property tests, notebooks, report)
# Both create .venv if it is missing and reinstall only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
PYTEST_ARGS ?=

.PHONY: report test lint format typecheck pytest system-libs system-libs-test browser benchmarks samples tutorials clean help

help:
	@echo "make report   build the sample impact reports into reports/"
	@echo "make test     lint, format check, mypy and pytest (incl. notebooks and the report)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip setuptools wheel

# Stamps: reinstall only when pyproject.toml is newer than the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

# WeasyPrint needs the Pango text-layout library from the system.
system-libs:
	@sh scripts/check_system_libs.sh

# The portfolio browser test drives headless Chromium (installed as root; else skipped).
browser:
	@sh scripts/check_browser.sh

# The same, plus Java (default-jre-headless) for the PySpark engine tests.
system-libs-test:
	@sh scripts/check_system_libs.sh --with-java

report: system-libs $(VENV)/.installed
	$(BIN)/python -m impactkit.cli report --all sample_data --out-dir reports
	$(BIN)/python -m impactkit.cli portfolio reports --out reports/portfolio.pdf --html reports/portfolio.html

test: system-libs-test browser $(VENV)/.installed-dev
	$(BIN)/ruff check impactkit tests benchmarks scripts sample_data
	$(BIN)/ruff format --check impactkit tests benchmarks scripts sample_data
	$(BIN)/mypy impactkit
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check impactkit tests benchmarks scripts sample_data

format: $(VENV)/.installed-dev
	$(BIN)/ruff format impactkit tests benchmarks scripts sample_data
	$(BIN)/ruff check --fix impactkit tests benchmarks scripts sample_data

benchmarks: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

# Rewrite sample_data/<initiative>/ (seeded: byte-identical) and the tutorial notebooks.
samples: $(VENV)/.installed
	$(BIN)/python -m sample_data.generate

tutorials: $(VENV)/.installed
	$(BIN)/python scripts/make_tutorials.py

clean:
	rm -rf reports .pytest_cache .mypy_cache .ruff_cache .hypothesis
