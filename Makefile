# The backprop course: `make lab` opens the course, `make test` runs every test.
# Both create the virtual environment in .venv on first use; only Python 3.11+ is needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told; containers and Binder-like machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_ARGS ?=

.PHONY: help lab test lint clean

help:
	@echo "make lab    set up .venv and open the course in JupyterLab"
	@echo "make test   set up .venv with the test tools and run every test"
	@echo "make lint   ruff over helpers/, tests/ and the notebooks"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The course needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A stamp per extra, remade when pyproject.toml changes.
$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed-lab

lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check helpers tests notebooks benchmarks
	$(BIN)/ruff format --check helpers tests benchmarks

test: $(VENV)/.installed-test lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf build .pytest_cache .ruff_cache
