# OpenIOP developer commands. `make run` and `make test` work on a fresh
# machine: they create .venv, install the pinned requirements and, where
# DATABASE_URL / REDIS_URL are unset, start embedded PostgreSQL and Redis.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test checks lint format migrations-check bench seed clean-var

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## The app with demo data: web, Celery worker and beat (Ctrl-C stops all).
run: $(STAMP)
	$(PY) -m iop.devstack run

## Lint, migrations check and the whole test suite, on PostgreSQL and Redis.
test: $(STAMP)
	$(PY) -m iop.devstack exec -- $(MAKE) --no-print-directory checks

# The steps of `make test`; expects DATABASE_URL and REDIS_URL to be set.
checks: lint migrations-check
	$(VENV)/bin/pytest --ds=tests.settings

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check:
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

## Benchmarks (tests/perf), not part of `make test`; results in var/bench/.
bench: $(STAMP)
	OPENIOP_BENCH=1 $(PY) -m iop.devstack exec -- $(VENV)/bin/pytest --ds=tests.settings tests/perf -q -s -p no:cacheprovider

seed: $(STAMP)
	$(PY) -m iop.devstack exec -- $(PY) manage.py seed_demo

clean-var:
	rm -rf var/
