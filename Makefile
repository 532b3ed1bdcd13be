# The backprop course: `make lab` opens the course, `make test` runs every test.
# Both create the virtual environment in .venv on first use; only Python 3.11+ is needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told; containers and Binder-like machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_ARGS ?=
BENCH_ARGS ?=
TORCH ?=

.PHONY: help lab test test-fast lint clean slides student html bench assignments test-assignments test-hub

help:
	@echo "make lab    set up .venv and open the course in JupyterLab (your copies: my_notebooks/)"
	@echo "            (TORCH=1: also install PyTorch CPU, for notebook 07)"
	@echo "make test   set up .venv with the test tools and run every test"
	@echo "make test-fast   unit tests and the checker catalogue only (the edit-test loop)"
	@echo "make lint   ruff over helpers/, tests/, tools/ and the notebooks"
	@echo "make student   build/student/: the notebooks with solutions and outputs removed"
	@echo "make slides    build/slides/: a reveal.js deck per notebook, works offline"
	@echo "make html      build/html/: the notebooks as a static site with a table of contents"
	@echo "make bench     run the benchmarks and print their tables (TORCH=1: install PyTorch"
	@echo "               CPU first to compare with it; BENCH_ARGS=--quick: tiny sizes, once)"
	@echo "make assignments   build/nbgrader/: an nbgrader course directory, one assignment a notebook"
	@echo "make test-assignments   nbgrader releases and autogrades every notebook (about 3 min)"
	@echo "make test-hub  a class of 12 on a JupyterHub on 127.0.0.1 runs the lab (about 5 min)"

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

# The learner works in my_notebooks/ (git-ignored): copies made once, with the solutions folded.
# A copy is never overwritten once changed (tools/workspace.py); notebooks/ holds the answers.
WORK ?= my_notebooks

# JupyterLab settings the course ships, as defaults of the JupyterLab in .venv: the news question
# ("notified about official Jupyter news?") is answered ahead, so the first screen is the course.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_SETTINGS): tools/jupyterlab/overrides.json | $(BIN)/python
	@mkdir -p $(@D)
	cp $< $@

lab: $(LAB_SETTINGS)
$(VENV)/.installed-test: | $(LAB_SETTINGS)

lab: $(VENV)/.installed-lab
ifeq ($(TORCH),1)
	$(BIN)/python -m pip install --quiet -e ".[torch]"
endif
	$(BIN)/python -m tools.workspace --out $(WORK)
	$(BIN)/jupyter lab --notebook-dir=$(WORK) $(ROOT_FLAG) $(LAB_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check helpers tests tools notebooks benchmarks
	$(BIN)/ruff format --check helpers tests tools benchmarks

test: $(VENV)/.installed-test lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The edit-test loop: the unit tests of helpers and tools and the checker's answer catalogue,
# without notebooks, browsers, instructor builds or benchmarks, on every core (pytest-xdist).
# make test stays the full run.
# No notebook runs here, so nbval's plugin is left out (it imports nbformat: 2-3 s per process).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests -m "not slow" -n auto -p no:nbval \
		-o addopts="-rs -p no:cacheprovider" --ignore=tests/browser \
		--ignore=tests/test_instructor.py --ignore=tests/test_assignments.py -q $(PYTEST_ARGS)

# Instructor outputs, built from the notebooks as stored (with their outputs). The slides and the
# site fetch reveal.js and MathJax from the npm registry once (cached in vendor/, git-ignored).
student: $(VENV)/.installed-lab
	$(BIN)/python -m tools.make_student --out build/student

slides: $(VENV)/.installed-lab
	$(BIN)/python -m tools.build_slides --out build/slides

html: $(VENV)/.installed-lab
	$(BIN)/python -m tools.build_html --out build/html

# Benchmarks (benchmarks/README.md). PyTorch, to compare with, is installed only on request.
bench: $(VENV)/.installed-test
ifeq ($(TORCH),1)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
endif
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

# Teaching a class (README, "For instructors"): nbgrader homework, and the course on a JupyterHub.
$(VENV)/.installed-instructor: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,instructor]"
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed-lab

$(VENV)/.installed-hub: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,hub]"
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed-lab

assignments: $(VENV)/.installed-instructor
	$(BIN)/python -m tools.assignments --course build/nbgrader

test-assignments: $(VENV)/.installed-instructor
	$(BIN)/python -m pytest tests/test_assignments.py $(PYTEST_ARGS)

# Installs JupyterHub's proxy with npm into build/hub-proxy/ on first use.
test-hub: $(VENV)/.installed-hub
	COURSE_HUB_TEST=1 $(BIN)/python -m pytest tests/hub -s $(PYTEST_ARGS)

clean:
	rm -rf build .pytest_cache .ruff_cache
