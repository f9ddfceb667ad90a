# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run dev test install install-test lint translations messages clean

# The production server (gunicorn); WORKERS and THREADS default to what suits 2 cores.
run: install translations
	$(BIN)/practice-wiki db upgrade
	$(BIN)/practice-wiki demo --if-empty
	$(BIN)/practice-wiki serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS)) $(if $(THREADS),--threads $(THREADS))

# Flask's development server: reloads on code changes, shows tracebacks in the browser.
dev: install translations
	$(BIN)/practice-wiki db upgrade
	$(BIN)/practice-wiki demo --if-empty
	$(BIN)/practice-wiki run --debug --host $(HOST) --port $(PORT)

# One test process per core (TEST_WORKERS=1 for a single process); files stay whole on a worker.
TEST_WORKERS ?= auto
test: install-test translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Runtime dependencies only (`make run`); the test tools come with `make test`.
install: $(STAMP)
install-test: $(TEST_STAMP)

# Reinstall only when the project's dependencies change; a second run is instant.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "practice-wiki needs Python 3.11 or newer (set PYTHON=python3.12 for example)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

translations:
	@if ls wiki/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d wiki/translations; fi

# Refresh the French and Spanish catalogues after changing user-facing strings.
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k _ -o wiki/translations/messages.pot .
	for lang in fr es; do \
		if [ -f wiki/translations/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel -q update -i wiki/translations/messages.pot -d wiki/translations -l $$lang; \
		else \
			$(BIN)/pybabel -q init -i wiki/translations/messages.pot -d wiki/translations -l $$lang; \
		fi; done

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
