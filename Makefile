# Two commands for a new user: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test screenshots lint format check install clean bench

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py load_demo
	@echo ""
	@echo "Zielsteuerung: http://127.0.0.1:8000  (Anmeldung: ministerium, coesfeld oder borken;"
	@echo "Passwort: zielsteuerung-demo). Beenden mit Strg+C."
	@echo ""
	DEBUG=true $(BIN)/honcho -f Procfile.dev start

# worksteal: a worker that runs out of tests takes queued ones from the other,
# so the long browser journeys never leave one core idle at the end.
# TEST_ARGS passes options to pytest, e.g. TEST_ARGS='-m "not browser"'.
# PYTHONDONTWRITEBYTECODE (set on some machines) is lifted: else every worker
# and every process a test starts compiles the project again, and pytest
# rewrites every test module again (3.5 s instead of 1.9 s of collection each).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist worksteal

test: $(STAMP)
	$(PYTEST) $(TEST_ARGS)

# The browser journeys once more, keeping a full-page screenshot of the pages
# they pass in test-artifacts/ (the PDFs' pages are kept there by every run).
screenshots: $(STAMP)
	SCREENSHOTS=1 $(PYTEST) -m browser $(TEST_ARGS)

# Benchmarks against a PostgreSQL database of their own (created if missing);
# each prints its figures and their ratio to a baseline measured in the same run.
BENCH_DB ?= zs_bench
BENCH_URL := postgres://postgres@127.0.0.1:5432/$(BENCH_DB)

bench: $(STAMP)
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/pdf.py
	DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/figures.py
	cd bench && DATABASE_URL=$(BENCH_URL) ../$(BIN)/python overview.py
	command -v wrk >/dev/null && DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/load.py \
		|| echo "bench/load.py skipped: apt-get install wrk"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
