# Two commands do all the set-up: `make run` (the app with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint translations chromium pg-client nginx clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/monitor demo
	@echo ""
	@echo "The monitor starts at http://localhost:$(PORT) (on a phone in the same network: http://<this computer's address>:$(PORT))"
	@echo ""
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STAMP) chromium pg-client nginx
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

translations: $(STAMP)
	bash scripts/update_translations.sh

chromium:
	@bash scripts/ensure_chromium.sh

pg-client:
	@bash scripts/ensure_pg_client.sh

nginx:
	@bash scripts/ensure_nginx.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
