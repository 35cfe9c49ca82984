# The course's two commands:
#   make lab    set everything up (.venv) and open the course in JupyterLab
#   make test   set everything up and run the whole test suite (the command CI runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A second environment with the oldest versions the course supports (tests/constraints-oldest.txt).
OLDEST ?= .venv-oldest
OLDEST_STAMP := $(OLDEST)/.installed
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test oldest notebooks validate benchmark clean

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test,browser]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

$(OLDEST_STAMP): pyproject.toml tests/constraints-oldest.txt
	rm -rf $(OLDEST)
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -c tests/constraints-oldest.txt -e ".[test]"
	$(OLDEST)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(OLDEST_STAMP)

# The whole suite: unit tests and doctests, every notebook under nbval (strict: stored outputs
# must reproduce), the browser tests (skipped with a message when chromium is missing), then
# the same unit tests and every notebook again with the oldest supported versions.
test: $(STAMP) $(OLDEST_STAMP)
	$(BIN)/python -m pytest tests rolelib notebooks $(NBVAL)
	$(MAKE) --no-print-directory oldest

# The oldest supported versions: unit tests, doctests, and every notebook run top to bottom
# (outputs are not compared there: other versions may print numbers or PNGs differently).
oldest: $(OLDEST_STAMP)
	$(OLDEST)/bin/python -m pytest -p no:cacheprovider --ignore=tests/browser tests rolelib
	$(OLDEST)/bin/python -m pytest -p no:cacheprovider --nbval-lax --nbval-current-env notebooks

# After changing a notebook, the banks, the data or rolelib: re-run every notebook in a fresh
# kernel, regenerate the navigation cells, and store outputs that read well without a kernel.
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py

validate: $(STAMP)
	$(BIN)/rolelib validate

benchmark: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OLDEST) build dist .pytest_cache tests/artifacts
