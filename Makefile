# minik8s. Quick start: `make lab` opens the course, `make test` runs every test.
# Each target first builds .venv (pinned by constraints.txt); that step is skipped when up to date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOURCES := minik8s tests tools benchmarks
# JupyterLab refuses to run as root (containers, CI machines) unless told it may.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root)

# Same output on every run and machine: fixed hash seed and time zone, the venv's kernel spec.
export PYTHONHASHSEED := 0
export TZ := UTC
export JUPYTER_PREFER_ENV_PATH := 1

.PHONY: lab test lint typecheck unit nbval notebooks figures bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and \
		"minik8s needs Python >= 3.10; try make PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -c constraints.txt -e '.[course,test]'
	touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

test: lint typecheck unit nbval

lint: $(STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: $(STAMP)
	$(BIN)/mypy minik8s

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env notebooks/

notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

figures: $(STAMP)
	$(BIN)/python tools/figures.py

# Every benchmark and one table of figure, target, ratio; `make bench BENCH_ARGS=--quick` is small.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} + -o -name .ipynb_checkpoints -prune -exec rm -rf {} +
