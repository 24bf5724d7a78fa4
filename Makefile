# Two commands for a newcomer: `make run` (install, migrate, seed the demo, serve) and `make test`.
# With no environment the project runs on its embedded default: SQLite and eager Celery.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test` spreads the suite over this many pytest-xdist workers (0: one process; auto: one per
# core), test by test in collection order (--dist load), so each worker still runs the
# transactional tests (browser, real worker) after the others, as pytest-django orders them: their
# flush removes the organisations of the data migration. Not loadfile (a file's transactional test
# would flush the database under the next files' tests on that worker), and not loadgroup
# (pytest-xdist 3.8 groups by renaming item._nodeid, which pytest 9 no longer reads).
TEST_WORKERS ?= 2

.PHONY: install run serve test test-fast lint format bench bench-pages migrate seed messages clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "$$(grep -E '^uv==' requirements-dev.txt)"
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	$(PY) bin/build-css
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "Demo-wachtwoord: zie README. Herinneringen: een Celery-worker met beat draait ernaast (bin/run-dev); e-mail verschijnt in deze console."
	HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) bin/run-dev

test: install
	@bin/ensure-system-packages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) manage.py bench_duo_import
	$(PY) manage.py bench_deadlines
	$(PY) manage.py bench_pip_pdf

# The page benchmark at national size (issue 15): needs DATABASE_URL on PostgreSQL (a database of
# its own; <name>_demo is made beside it), builds or reuses BENCH_CASES (100000) cases, serves
# both sizes with gunicorn in production mode and prints one line per page. See README.
bench-pages: install
	@test -n "$$DATABASE_URL" || { echo "bench-pages: zet DATABASE_URL op een eigen PostgreSQL-database, bv. DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_national make bench-pages"; exit 2; }
	$(PY) manage.py bench_pages

clean:
	rm -rf $(VENV) node_modules var staticfiles
