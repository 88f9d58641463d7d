# DLT Library — see README.md. `make run` serves the library, `make test` runs every suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/dlt_library
HOST ?= 127.0.0.1
PORT ?= 8000
LOCALE_PO := locale/zh_Hans/LC_MESSAGES/django.po
LOCALE_MO := locale/zh_Hans/LC_MESSAGES/django.mo
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=static --ignore=tests --ignore=var --ignore=backups

.PHONY: install install-dev lock worker browser gettext messages wrk data fixtures run serve test test-sqlite test-pg test-fast lint format bench clean backup restore

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed $(LOCALE_MO)

install-dev: $(VENV)/.installed-dev $(LOCALE_MO)

# --- Translations: zh-Hans. The .po is the source, committed; the .mo is built from it. -------

# GNU gettext (msgfmt, xgettext), from Debian's packages, like the browser below.
gettext:
	@if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; \
	  else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; fi; \
	fi

$(LOCALE_MO): $(LOCALE_PO) | gettext
	msgfmt --check --output-file=$@ $<

# Refresh the .po from templates and Python after any change to marked strings (new entries come
# untranslated, changed ones fuzzy: tests/test_translations.py fails until they are translated).
messages: $(VENV)/.installed gettext
	$(PY) manage.py makemessages -l zh_Hans --add-location=file $(MAKEMESSAGES_IGNORE)
	msgattrib --sort-output --no-obsolete --output-file=$(LOCALE_PO) $(LOCALE_PO)
	msgfmt --statistics --output-file=/dev/null $(LOCALE_PO)

# Recompile both lock files (every transitive dependency, with hashes) from the .in files.
# After adding a dependency to requirements.in or requirements-dev.in: `make lock install-dev`.
UV_COMPILE := $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 --python-platform linux
lock:
	test -x $(VENV)/bin/uv || $(PY) -m pip install -q "$$(grep -E '^uv==' requirements-dev.in)"
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

# A background worker: runs queued imports, link checks and metadata fetches (docs/deploy.md).
worker: install
	$(PY) manage.py run_worker

# Debian's chromium and CJK fonts for the browser tests (Playwright never downloads a browser here).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	  else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; fi; \
	fi

# Migrate and load the shipped library into the database DATABASE_URL names; idempotent.
data: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_library

# Rebuild fixtures/library.json from the shipped list and the curation file (maintainers only).
fixtures: install
	scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	  DATABASE_URL=sqlite:///$$scratch/build.sqlite3 $(PY) manage.py migrate --noinput -v 0 && \
	  DATABASE_URL=sqlite:///$$scratch/build.sqlite3 $(PY) manage.py build_library_fixture

run: install data
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	DEBUG=$${DEBUG:-0} SECRET_KEY=$${SECRET_KEY:-local-serve-$$(hostname)} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
	  $(PY) manage.py collectstatic --noinput -v 0
	DEBUG=$${DEBUG:-0} SECRET_KEY=$${SECRET_KEY:-local-serve-$$(hostname)} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
	  PROMETHEUS_MULTIPROC_DIR=$${PROMETHEUS_MULTIPROC_DIR:-$(CURDIR)/var/prometheus} \
	  $(VENV)/bin/gunicorn dlt_library.wsgi:application --bind $(HOST):$(PORT) \
	  --config python:dlt_library.gunicorn_conf \
	  --workers $${WEB_CONCURRENCY:-4} --worker-class sync --log-level warning

test: install-dev browser lint test-sqlite test-pg

# Two pytest-xdist workers, one per core: a full CI run took 13 of its 15 minutes serially.
# Each worker gets its own test database (test_dlt_library_gw0, _gw1). TEST_WORKERS=0: serial.
TEST_WORKERS ?= 2

test-sqlite: install-dev
	$(PY) -m pytest -n $(TEST_WORKERS)

test-pg: install-dev
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n $(TEST_WORKERS)

# Skips the slow suites (browser, property and load tests) for a quick local loop.
test-fast: install-dev
	$(PY) -m pytest -m "not slow"

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The load generator, from Debian's packages (like the browser above).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; \
	  else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; fi; \
	fi

bench: install-dev wrk
	$(PY) manage.py bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache $(LOCALE_MO)

# --- Search benchmark: the lead folds this into `make bench` ---------------------------------
# 100,000 synthetic resources on a scratch SQLite file and a scratch PostgreSQL database, then
# search latency (p50/p95) on each. Both scratch databases are dropped and rebuilt every run.
BENCH_COUNT ?= 100000
BENCH_SQLITE ?= /tmp/dlt-bench-search.sqlite3
BENCH_PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
BENCH_PG_DB ?= dlt_bench_search
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_PG_DB)

.PHONY: bench-search
bench-search: install-dev
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py generate_resources --count $(BENCH_COUNT)
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py bench_search
	psql "$(BENCH_PG_ADMIN_URL)" -q -c "DROP DATABASE IF EXISTS $(BENCH_PG_DB)" -c "CREATE DATABASE $(BENCH_PG_DB)"
	DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py generate_resources --count $(BENCH_COUNT)
	DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py bench_search
# --- Citation export benchmark (issue 13): 10,000 resources, the export limit --------------
BENCH_EXPORT_SQLITE ?= /tmp/dlt-bench-exports.sqlite3

.PHONY: bench-exports
bench-exports: install-dev
	rm -f $(BENCH_EXPORT_SQLITE) $(BENCH_EXPORT_SQLITE)-wal $(BENCH_EXPORT_SQLITE)-shm
	DATABASE_URL=sqlite:///$(BENCH_EXPORT_SQLITE) $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(BENCH_EXPORT_SQLITE) $(PY) manage.py generate_resources --count 10000
	DATABASE_URL=sqlite:///$(BENCH_EXPORT_SQLITE) $(PY) manage.py bench_exports
# --- Backup and restore (issue 7; README "Backup and restore") -------------------------------
BACKUP_DIR ?= backups

backup: install
	$(PY) manage.py backup -o $(BACKUP_DIR)/dlt-library-$$(date -u +%Y%m%dT%H%M%SZ).jsonl.gz

# Into an empty database only (a fresh DATABASE_URL): loaddata overwrites rows with equal keys.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/dlt-library-….jsonl.gz"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata "$(FILE)"

# --- Two servers on PostgreSQL at 10,000 and 100,000 resources (docs/benchmarks.md) -------------
# Rebuilds the scratch database BENCH_SCALE_DB for each size and drops it at the end.
BENCH_SCALE_DB ?= dlt_bench_scale
BENCH_SCALE_COUNTS ?= 10000,100000

.PHONY: bench-scale
bench-scale: install-dev wrk
	$(PY) manage.py bench_scale --counts $(BENCH_SCALE_COUNTS) --database $(BENCH_SCALE_DB) \
	  --admin-url $(BENCH_PG_ADMIN_URL)
