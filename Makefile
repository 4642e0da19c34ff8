# Two commands a fresh machine needs (Python 3.10+ and make):
#   make lab    create .venv, install, open JupyterLab on the first notebook (127.0.0.1, token on)
#   make test   create .venv, install, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
ROOTFLAG = $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test test-fast test-stress lint notebooks bench clean

$(STAMP): pyproject.toml binder/requirements.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# the Binder pins as constraints: the tests run the versions Binder installs (tests/env/test_binder.py)
	$(BIN)/python -m pip install --quiet -e ".[test,notebooks,course]" -c binder/requirements.txt
	# nbgrader (the course extra, for tests/course) stays out of the front ends here, so the
	# browser tests see what students see; an instructor's `pip install ".[course]"` keeps them.
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader
	$(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.formgrader \
	    nbgrader.server_extensions.validate_assignment nbgrader.server_extensions.assignment_list \
	    nbgrader.server_extensions.course_list
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(ROOTFLAG) notebooks/00_overview.ipynb

# One pytest run on every core (pytest-xdist): the tests, and nbval re-running every notebook
# and comparing its outputs with the saved ones. Tests that must not run side by side (one
# notebook's cells, the browser tests, the builds) are grouped in tests/conftest.py. The ten
# slowest tests are listed at the end.
PYTEST_PARALLEL = -n 4 --dist loadgroup
# test-fast is all computation: one worker per core, without the nbval plugin (its import, about
# a second per process, buys nothing when no notebook is collected)
FAST_PARALLEL = -n auto --dist loadgroup -p no:nbval

# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: about forty processes (kernels,
# servers, workers) import the editable ipcmodel, and each would compile it again (about 0.2 s).
test: $(STAMP)
	$(BIN)/ruff check .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest $(PYTEST_PARALLEL) --durations=10 tests \
	    --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

# The model, the exercises and the explorers in-process: no installs, kernels or browsers.
test-fast: $(STAMP)
	$(BIN)/python -m pytest $(FAST_PARALLEL) tests -m "not slow and not browser"

# the explorers' stress tests with 500 changes each (not part of `make test`: about 8 minutes)
test-stress: $(STAMP)
	IPCMODEL_STRESS_CHANGES=500 $(BIN)/python -m pytest $(FAST_PARALLEL) -m slow -k stress tests/explorers

lint: $(STAMP)
	$(BIN)/ruff check .

# Re-execute every notebook top to bottom and save it (outputs included).
notebooks: $(STAMP)
	$(BIN)/python tools/build_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_explorers.py

# Static exports of the saved notebooks (nothing is re-run; tools/export_notebooks.py): HTML that
# works offline, each explorer as its figure with the reading as alt text and visible text, in
# build/html/; a PDF handout per notebook printed by Chromium (/usr/bin/chromium) in build/pdf/.
.PHONY: html pdf
html: $(STAMP)
	$(BIN)/python tools/export_notebooks.py html --out build/html

pdf: $(STAMP)
	$(BIN)/python tools/export_notebooks.py pdf --out build/pdf

# nbgrader source assignments from the exercises (ipcmodel/course/): one per notebook in
# build/course/source/<notebook>/, and build/course/nbgrader_config.py (kept once edited).
# Then, in build/course: nbgrader generate_assignment 00_overview; nbgrader autograde 00_overview.
.PHONY: assignments
assignments: $(STAMP)
	$(BIN)/python -m ipcmodel.course --out build/course

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
