# The two commands of the quick start: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test bench lint format install clean frontend

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# GOV.UK Frontend from npm (pinned in package-lock.json) and our stylesheet compiled from it; nothing built
# is committed. whitenoise serves both from the app (see STATICFILES_DIRS).
FRONTEND := node_modules/.build/govuk-frontend.css
$(FRONTEND): package-lock.json static/tracker/govuk-frontend.scss
	npm ci --no-audit --no-fund
	npm run --silent build:css

frontend: $(FRONTEND)

# Serve the site on http://127.0.0.1:8000 with the embedded defaults: SQLite, eager tasks, file email.
run: install frontend
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py ingest_letters fixtures/letters --approve
	$(PY) manage.py import_pfd_reports fixtures/pfd/pdt-statuses-2025-07-24.csv fixtures/pfd/pdt-reports-2024-02-11.csv --year 2023 --quiet-rows --no-progress
	$(PY) manage.py flag_overdue
	$(PY) manage.py runserver 127.0.0.1:8000

# The layers' import contracts (.importlinter), then the whole suite against the real PostgreSQL and Redis.
test: install frontend
	$(VENV)/bin/lint-imports --no-cache
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest

bench: install
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) benchmarks/run_all.py

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format:
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) var
