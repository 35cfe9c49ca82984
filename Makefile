# The course's two commands:
#   make lab    set up what a learner needs (.venv) and open the course in JupyterLab
#   make test   set up the test tools too and run the whole test suite (the command CI runs)
# Another Python: make PYTHON=python3.12 lab (3.10 or later).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB_STAMP := $(VENV)/.lab-installed
TEST_STAMP := $(VENV)/.test-installed
# A second environment with the oldest versions the course supports (tests/constraints-oldest.txt).
OLDEST ?= .venv-oldest
OLDEST_STAMP := $(OLDEST)/.installed
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Two test processes, one file each at a time (a notebook's cells, a browser session and the hub
# tests stay together in one process): on 2 cores the suite takes about half the time.
PARALLEL := -n 2 --dist loadfile

# `make lab` options: PORT=8888 (a free one from 8888 up when unset), TOKEN=... (random when
# unset), BROWSER=no (print the address without opening a browser).
PORT ?=
TOKEN ?=
BROWSER ?=

# What each environment gets (kept in variables: a comma cannot appear in a $(call) argument).
LAB_SPEC := -e ".[lab]"
TEST_SPEC := -e ".[lab,test,browser]"
OLDEST_SPEC := -c tests/constraints-oldest.txt -e ".[test]"

# uv installs in seconds what pip takes minutes for; it is itself installed from the Python
# registry into each environment. Without it (an unusual platform), pip does the same job.
# Both environments share uv's download cache (~/.cache/uv). uv compiles the bytecode at install
# time, as pip does: otherwise, where PYTHONDONTWRITEBYTECODE is set, every kernel would compile
# pandas afresh (`import pandas` 1.9 s instead of 0.6 s).
define install
	@if [ -x $(1)/bin/uv ]; then \
		$(1)/bin/uv pip install --compile-bytecode --python $(1)/bin/python $(2); \
	else \
		$(1)/bin/python -m pip install --progress-bar on $(2); \
	fi
endef

define new_env
	@echo "==> Creating the environment $(1) with $$($(PYTHON) --version 2>&1) (a few seconds)"
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 10))' || \
		{ echo "The course needs Python 3.10 or later; choose one with: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }
	$(PYTHON) -m venv $(1)
	@echo "==> Installing uv, a fast installer, into $(1) (a few seconds; pip is used if this fails)"
	-@$(1)/bin/python -m pip install --quiet --disable-pip-version-check uv || true
endef

.PHONY: lab test oldest notebooks screenshots validate benchmark clean

lab: $(LAB_STAMP)
	@$(BIN)/python tools/lab.py --port "$(PORT)" --token "$(TOKEN)" --browser "$(BROWSER)"

$(BIN)/python:
	$(call new_env,$(VENV))

$(LAB_STAMP): pyproject.toml | $(BIN)/python
	@echo "==> Installing JupyterLab, Notebook 7, Voila and the course into $(VENV)"
	@echo "    (first time: about 30 s with uv, 2 min with pip, about 500 MB with the download cache; later runs skip this)"
	$(call install,$(VENV),$(LAB_SPEC))
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

$(TEST_STAMP): $(LAB_STAMP) pyproject.toml
	@echo "==> Adding the test tools (pytest, nbval, Playwright, axe) to $(VENV)"
	@echo "    (first time: about 15 s with uv, 1 min with pip, 150 MB)"
	$(call install,$(VENV),$(TEST_SPEC))
	@touch $@

$(OLDEST_STAMP): pyproject.toml tests/constraints-oldest.txt
	rm -rf $(OLDEST)
	$(call new_env,$(OLDEST))
	@echo "==> Installing the oldest supported versions into $(OLDEST) (about 30 s with uv, 450 MB)"
	$(call install,$(OLDEST),$(OLDEST_SPEC))
	@$(OLDEST)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

# The whole suite: unit tests and doctests, every notebook under nbval (strict: stored outputs
# must reproduce), the browser tests (skipped with a message when no Chromium is found), the
# JupyterHub tests (as root, with npm: accounts of their own on a real hub), then
# the same unit tests and every notebook again with the oldest supported versions.
test: $(TEST_STAMP) $(OLDEST_STAMP)
	@if [ "$$(id -u)" = 0 ] && command -v npm >/dev/null && command -v useradd >/dev/null; then \
		echo "==> The JupyterHub test's environment and proxy (first time about 1 min; later a check)"; \
		$(BIN)/python tests/hub/install.py; \
	else \
		echo "==> Not root with npm and useradd: the JupyterHub tests will be skipped, with a message"; \
	fi
	@echo "==> Unit tests, doctests, every notebook (nbval), the browser and hub tests, two at a time (about 7 min on 2 cores)"
	$(BIN)/python -m pytest $(PARALLEL) tests rolelib notebooks $(NBVAL)
	@$(MAKE) --no-print-directory oldest

# The oldest supported versions: unit tests, doctests, and every notebook run top to bottom
# (outputs are not compared there: other versions may print numbers or PNGs differently).
oldest: $(OLDEST_STAMP)
	@echo "==> The unit tests and every notebook again, with the oldest supported versions (about 2 min)"
	$(OLDEST)/bin/python -m pytest -p no:cacheprovider $(PARALLEL) --ignore=tests/browser --ignore=tests/hub \
		--ignore=tests/test_make_lab.py tests rolelib notebooks --nbval-lax --nbval-current-env

# After changing a notebook, the banks, the data or rolelib: re-run every notebook in a fresh
# kernel, regenerate the navigation cells, and store outputs that read well without a kernel.
notebooks: $(TEST_STAMP)
	$(BIN)/python tools/run_notebooks.py

# The screenshots in docs/screenshots/, taken by the browser tests (needs Chromium).
screenshots: $(TEST_STAMP)
	ROLELIB_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -p no:cacheprovider -m browser \
		tests/browser/test_lab.py tests/browser/test_notebook7.py tests/browser/test_voila.py tests/browser/test_static.py

validate: $(LAB_STAMP)
	$(BIN)/rolelib validate

benchmark: $(TEST_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OLDEST) .venv-hub build dist .pytest_cache tests/artifacts
