# Tekseru: `make run` serves the app with demo data, `make test` runs every check.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := FLASK_APP=inspect_app $(BIN)/flask

.PHONY: run test install lint translations bench bench-registry bench-scheduler bench-solomon bench-reports bench-year bench-load bench-dashboard worker clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

install: $(STAMP) node_modules/.installed translations

translations: $(STAMP)
	$(BIN)/pybabel compile -d inspect_app/translations 2>&1 | grep -v "^compiling" || true

run: install
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: install lint
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

worker: install
	$(FLASK) jobs worker

bench: bench-registry bench-scheduler bench-solomon bench-reports bench-year bench-load bench-dashboard

bench-registry: install
	$(BIN)/python bench/bench_registry.py

bench-scheduler: install
	$(BIN)/python bench/bench_scheduler.py
	$(BIN)/python bench/bench_scheduler.py --national

bench-solomon: install
	$(BIN)/python bench/bench_solomon.py

# The load test runs on the embedded SQLite and on this PostgreSQL (a schema of its own, dropped at the end).
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

bench-load: install
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_load.py --database-url $(BENCH_DATABASE_URL)

bench-dashboard: install
	$(BIN)/python bench/bench_dashboard.py --database-url $(BENCH_DATABASE_URL)

bench-reports: install
	$(BIN)/python bench/bench_reports.py

bench-year: install
	$(BIN)/python bench/bench_year.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache

translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o /tmp/tekseru-messages.pot .
	$(BIN)/pybabel update -i /tmp/tekseru-messages.pot -d inspect_app/translations --no-fuzzy-matching
