# The course's two commands:
#   make lab    set everything up (.venv) and open the course in JupyterLab
#   make test   set everything up and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test notebooks validate benchmark clean

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test,browser]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# The whole suite: unit tests and doctests, notebooks under nbval, browser tests
# (skipped with a message when chromium is missing) and the oldest supported versions.
test: $(STAMP)
	$(BIN)/python -m pytest tests rolelib notebooks \
		--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# After changing a notebook, the banks, the data or rolelib: re-run every notebook in a fresh
# kernel, regenerate the navigation cells, and store outputs that read well without a kernel.
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py

validate: $(STAMP)
	$(BIN)/rolelib validate

clean:
	rm -rf $(VENV) build dist .pytest_cache
