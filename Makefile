# Klubba: `make demo` and `make test` are the two commands in the README.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
KLUBBA := $(VENV)/bin/klubba
STAMP := $(VENV)/.installed
# The data directory (database, signing CA, uploads), as klubba/settings.py reads it.
VAR ?= $(or $(KLUBBA_VAR_DIR),var)
HOST ?= 127.0.0.1
PORT ?= 8000
# Daphne's transport limit for one incoming websocket message, far above the application's
# 16 KiB (KLUBBA_MAX_FRAME_BYTES), so oversize frames get `frame_too_large` (docs/operations.md).
DAPHNE_LIMITS = --websocket-max-message-size 2097152 --websocket-max-frame-size 2097152

.PHONY: install demo demo-data serve test bench bench-flood lint typecheck check messages verify-log

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The `klubba` command reads this file, so `.venv/bin/klubba ...` runs with the demo settings.
$(VAR)/klubba.env:
	mkdir -p $(VAR)
	printf '# Written by `make demo`: development settings for the klubba command.\nKLUBBA_DEBUG=1\n' > $@

# The demo's database, without serving it.
demo-data: $(STAMP) $(VAR)/klubba.env
	$(KLUBBA) migrate --noinput
	$(KLUBBA) load_demo

demo: demo-data
	@echo
	@echo "Klubba is running on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo
	KLUBBA_DEBUG=1 $(VENV)/bin/daphne -b $(HOST) -p $(PORT) $(DAPHNE_LIMITS) klubba.asgi:application

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

bench-flood: $(STAMP)
	$(PY) -m bench.flood

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# What CI checks besides the tests: style and types.
check: lint typecheck

verify-log: $(STAMP)
	$(KLUBBA) verify_log

messages: $(STAMP)
	KLUBBA_DEBUG=1 $(PY) manage.py makemessages -l sv --ignore=.venv --ignore=var
	KLUBBA_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv
