# Fusion: `make run` serves API, admin, worker and beat; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run migrate test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -U pip setuptools wheel
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0

run: migrate
	$(BIN)/python manage.py client_bootstrap --superuser --sandbox
	@echo ""
	@echo "Fusion is starting:"
	@echo "  API      http://$${FUSION_HOST:-127.0.0.1}:$${FUSION_PORT:-8000}/api/  (POST /api/authenticate) and /queue/"
	@echo "  Admin    http://$${FUSION_HOST:-127.0.0.1}:$${FUSION_PORT:-8000}/admin/"
	@echo "  API docs http://$${FUSION_HOST:-127.0.0.1}:$${FUSION_PORT:-8000}/docs/"
	@echo "  Health   http://$${FUSION_HOST:-127.0.0.1}:$${FUSION_PORT:-8000}/health/"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/cache var/broker var/test-broker-*
