# OpenIOP developer commands. `make run` and `make test` work on a fresh
# machine: they create .venv, install the pinned requirements and, where
# DATABASE_URL / REDIS_URL are unset, start embedded PostgreSQL and Redis.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test checks lint imports format migrations-check audit-deps bench seed backup restore clean-var

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## The app with demo data: web, Celery worker and beat, with DEBUG off as in
## production (DEBUG=1 make run for Django's debug pages); Ctrl-C, SIGTERM or
## SIGHUP stops all, the embedded PostgreSQL and Redis too.
run: $(STAMP)
	$(PY) -m iop.devstack run

## Lint, migrations check and the whole test suite, on PostgreSQL and Redis.
test: $(STAMP)
	$(PY) -m iop.devstack exec -- $(MAKE) --no-print-directory checks

# The steps of `make test`; expects DATABASE_URL and REDIS_URL to be set.
checks: lint imports migrations-check audit-deps
	$(VENV)/bin/pytest --ds=tests.settings

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The architecture's import rules (pyproject.toml [tool.importlinter],
# explained in docs/architecture.md).
imports:
	$(VENV)/bin/lint-imports --no-cache

migrations-check:
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Known vulnerabilities in requirements.txt (pip-audit); where the advisory
# service cannot be reached it prints a notice and does not fail.
audit-deps:
	$(PY) scripts/audit_deps.py requirements.txt

## Benchmarks (tests/perf), not part of `make test`; results in var/bench/.
bench: $(STAMP)
	OPENIOP_BENCH=1 $(PY) -m iop.devstack exec -- $(VENV)/bin/pytest --ds=tests.settings tests/perf -q -s -p no:cacheprovider

seed: $(STAMP)
	$(PY) -m iop.devstack exec -- $(PY) manage.py seed_demo

## The database to var/backups/openiop-YYYYmmdd-HHMMSS.dump (pg_dump custom format).
backup: $(STAMP)
	$(PY) -m iop.devstack exec -- $(PY) manage.py backup_database

## A backup into an empty database: make restore FILE=var/backups/openiop-....dump
## (FORCE=1 replaces the contents of a database that is not empty).
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/openiop-YYYYmmdd-HHMMSS.dump [FORCE=1]" >&2; exit 2; }
	$(PY) -m iop.devstack exec -- $(PY) manage.py restore_database "$(FILE)" $(if $(FORCE),--force)

clean-var:
	rm -rf var/
