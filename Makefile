# govsim build targets (GNU make). `make` alone lists them.
#
# Variables (override on the command line, e.g. `make run MAIN_JOB=run`):
#   MAIN_JOB     govsim sub-command run by `make run`          (default: compare)
#   ARGS         extra arguments for `make run` / `make bench`
#   PYTEST_ARGS  extra arguments appended to pytest in `make test`
#   PYTHON       interpreter used to create .venv (default: found by scripts/find_python.sh)
#   VENV         virtual environment directory                 (default: .venv)
#   EXTRAS       pyproject extras installed            (default: test,demo,toolkit,ray,slurm)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

VENV        ?= .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
MAIN_JOB    ?= compare
ARGS        ?=
PYTEST_ARGS ?=
# the extras installed: tests, the page, the toolkit and both launchers (their tests run in CI)
EXTRAS      ?= test,demo,toolkit,ray,slurm

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1
# scripts/find_python.sh reads PYTHON from the environment (make venv PYTHON=...).
ifdef PYTHON
export PYTHON
endif

.PHONY: help venv $(VENV) run bench test lint clean

help: ## list the targets
	@echo "Usage: make <target> [VAR=value]   (variables: MAIN_JOB, ARGS, PYTEST_ARGS, PYTHON, VENV)"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_.$$()-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(STAMP) ## create .venv (Python >= 3.12) and pip install -e '.[$(EXTRAS)]'
$(VENV): $(STAMP)

# Re-runs only when pyproject.toml changes (or the stamp is missing). An existing
# .venv is reused unless its interpreter is missing/broken/older than 3.12.
$(STAMP): pyproject.toml
	@if ! "$(BIN)/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    py="$$(bash scripts/find_python.sh)"; \
	    echo "==> creating $(VENV) with $$py ($$("$$py" --version 2>&1))"; \
	    rm -rf "$(VENV)"; \
	    "$$py" -m venv "$(VENV)"; \
	fi
	"$(BIN)/python" -m pip install --upgrade pip
	"$(BIN)/python" -m pip install -e '.[$(EXTRAS)]'
	@touch "$@"

run: venv ## the main job: govsim MAIN_JOB ARGS (a policy comparison with its report)
	"$(BIN)/govsim" $(MAIN_JOB) $(ARGS)

bench: venv ## run the benchmark: govsim bench ARGS
	"$(BIN)/govsim" bench $(ARGS)

test: lint ## lint, then pytest -n auto (append PYTEST_ARGS)
	"$(BIN)/python" -m pytest -n auto -q $(PYTEST_ARGS)

lint: venv ## ruff check, and import-linter's contracts (.importlinter: layers import one way down)
	"$(BIN)/ruff" check .
	"$(BIN)/lint-imports" --no-cache

clean: ## remove .venv and caches (keeps results/)
	rm -rf "$(VENV)" .pytest_cache .ruff_cache .hypothesis build dist
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -prune -exec rm -rf {} +
	find . -path ./.git -prune -o -name '*.py[co]' -type f -exec rm -f {} +
