# One task runner. `make demo` and `make test` work on a fresh machine: they install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install demo test test-fast lint bench migration browser fonts screenshots clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Debian's chromium for the browser tests; never a downloaded browser build.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Cyrillic fonts for the briefings' PDF and charts, and pdftotext (poppler) that the briefing tests read
# the PDF back with; Debian's packages, installed like the browser.
fonts:
	@(fc-list 2>/dev/null | grep -q DejaVuSans && command -v pdftotext >/dev/null) || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core fontconfig poppler-utils >/dev/null)

demo: install fonts
	$(BIN)/qala demo $(if $(PORT),--port $(PORT))

# Store tests run on SQLite and on this machine's PostgreSQL (as .ci/run does); under CI=true an
# unreachable server fails the run. Point QALA_TEST_POSTGRES_URL elsewhere to use another server.
QALA_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export QALA_TEST_POSTGRES_URL

test: install browser fonts
	$(BIN)/python -m pytest --corpus $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -x -q -m "not browser"

lint: install
	$(BIN)/ruff check qala tests benchmarks

bench: install
	$(BIN)/python benchmarks/extract.py

# The next migration step from qala/store/schema.py: make migration MESSAGE="what it changes"
migration: install
	$(BIN)/python -m qala.store.makemigration "$(MESSAGE)"

# Refresh the committed screenshots (every page type at 1400 and 390 px); tests write theirs to a temp folder.
screenshots: install browser
	QALA_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q -m browser tests/web/test_layout.py

clean:
	rm -rf $(VENV) build *.egg-info
