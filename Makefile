# e6data-odbc: build, demo and test harness.
#
#   make demo    build the driver and e6data-local, run a guided demo (blue -> green switch)
#   make test    lint, build, then every test suite (Rust, isql/iusql, C, Python)
#
# Both install what they need first (apt packages via installer/deps.sh, the Python venv in .venv).
# `make help` lists every target.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
PYTHON ?= python3
VENV ?= .venv
BUILD_DIR ?= $(CURDIR)/build
LOG_DIR := $(BUILD_DIR)/logs
PYTEST_ARGS ?=

CARGO_TARGET_DIR ?= $(CURDIR)/target
# Absolute, because the Rust integration tests run from their package's directory.
export CARGO_TARGET_DIR := $(abspath $(CARGO_TARGET_DIR))
export BUILD_DIR
# Where the test suites find the binaries.
export E6DATA_LOCAL_BIN ?= $(CARGO_TARGET_DIR)/debug/e6data-local
export E6DATA_ODBC_DRIVER ?= $(CARGO_TARGET_DIR)/debug/libe6data_odbc.so

# --all-targets builds the test targets too: dev-dependencies change the features of shared
# crates, so a plain `cargo build` followed by `cargo test` would compile the dependencies twice.
CARGO_BUILD := $(CARGO) build --workspace --all-targets
VENV_STAMP := $(VENV)/.requirements-installed
PYTEST := $(VENV)/bin/python -m pytest
TEST_SUITES := test-rust test-isql test-c test-python

.PHONY: help deps venv build lint fmt-check clippy test $(TEST_SUITES) test-conformance \
	test-pyodbc demo register-system clean

help:
	@echo "make demo              build, start e6data-local, query it through isql, switch blue -> green"
	@echo "make test              lint + build + every suite (summary at the end)"
	@echo "make lint              cargo fmt --check and clippy -D warnings"
	@echo "make build             cargo build --workspace --all-targets (debug)"
	@echo "make test-rust         cargo test --workspace --no-fail-fast"
	@echo "make test-isql         isql/iusql scripts (tests/isql)"
	@echo "make test-c            C strategy-attribute test (tests/c)"
	@echo "make test-python       all pytest suites (tests/python); PYTEST_ARGS=... to filter"
	@echo "make test-conformance  only the e6data Python connector conformance suite"
	@echo "make test-pyodbc       only the pyodbc suite"
	@echo "make register-system   register the built driver system-wide (odbcinst, needs root)"
	@echo "make deps / venv       install the apt packages / the Python venv only"

deps:
	@installer/deps.sh

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements-test.txt | deps
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

build: | deps
	$(CARGO_BUILD)

fmt-check:
	$(CARGO) fmt --all --check

clippy: | deps
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint: fmt-check clippy

# Every suite runs even if an earlier one failed; tests/harness/summary.sh prints the closing lines.
test: lint build venv
	@rm -rf $(LOG_DIR) && mkdir -p $(LOG_DIR)
	@failed=""; \
	for suite in $(TEST_SUITES); do \
		$(MAKE) --no-print-directory $$suite || failed="$$failed $$suite"; \
	done; \
	tests/harness/summary.sh $(LOG_DIR); \
	if [[ -n "$$failed" ]]; then echo "failed suites:$$failed"; exit 1; fi

test-rust: build
	@mkdir -p $(LOG_DIR)
	$(CARGO) test --workspace --no-fail-fast 2>&1 | tee $(LOG_DIR)/cargo-test.log

test-isql: build
	@mkdir -p $(LOG_DIR)
	tests/isql/run.sh 2>&1 | tee $(LOG_DIR)/isql.log

test-c: build
	@mkdir -p $(LOG_DIR)
	tests/c/run.sh 2>&1 | tee $(LOG_DIR)/c-test.log

test-python: build venv
	@mkdir -p $(LOG_DIR)
	$(PYTEST) tests/python $(PYTEST_ARGS) 2>&1 | tee $(LOG_DIR)/pytest.log

test-conformance: build venv
	$(PYTEST) tests/python/test_conformance_*.py $(PYTEST_ARGS)

test-pyodbc: build venv
	$(PYTEST) tests/python/test_pyodbc_*.py $(PYTEST_ARGS)

demo: build
	installer/demo.sh

register-system: build
	installer/register.sh --driver $(E6DATA_ODBC_DRIVER) --system

clean:
	rm -rf $(BUILD_DIR)
