# coopnet — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
COOPNET := $(VENV)/bin/coopnet
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://coopnet:coopnet@127.0.0.1:5432/coopnet

.PHONY: messages help install install-dev run serve demo test test-sqlite test-postgres test-deps bench bench-quick lint clean

help:
	@echo "make run        install, migrate, load the demo and serve on http://$(HOST):$(PORT)"
	@echo "make test       install test tools (Chromium, PostgreSQL) and run the suite on SQLite and PostgreSQL"
	@echo "make bench      run the benchmarks (figures against a baseline, with ratios)"
	@echo "make lint       ruff on everything, mypy on the pure modules"

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(COOPNET) migrate --no-input
	$(COOPNET) loaddemo

run: demo
	@echo
	@echo "coopnet is serving on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	@echo "Log in at http://$(HOST):$(PORT)/accounts/login/ with a demo account listed above"
	@echo "(for example admin / coopnet-demo). Stop with Ctrl+C."
	@echo
	$(COOPNET) runserver $(HOST):$(PORT)

test-deps: install-dev
	bash scripts/ensure-test-deps.sh

test: test-deps
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== test suite on SQLite =="
	$(PY) -m pytest -p no:cacheprovider -n 2 --dist loadgroup $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -p no:cacheprovider -n 2 --dist loadgroup -m "not browser" $(PYTEST_ARGS)

bench: install-dev
	@for b in bench/bench_*.py; do echo "== $$b =="; $(PY) $$b || exit 1; done

bench-quick: install-dev
	@for b in bench/bench_*.py; do echo "== $$b --quick =="; $(PY) $$b --quick || exit 1; done

lint: install-dev
	$(VENV)/bin/ruff check coopnet bench tests
	$(VENV)/bin/mypy

clean:
	rm -rf var/test-output var/test-*.sqlite3*

# Refresh the Russian catalogue after changing strings; translate the new entries, then compile.
messages: install-dev
	$(COOPNET) makemessages -l ru --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	msgfmt --check -o coopnet/locale/ru/LC_MESSAGES/django.mo coopnet/locale/ru/LC_MESSAGES/django.po
