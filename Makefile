# The whole set-up is `make run` and `make test`; both create .venv when needed.
# `make test` first installs the missing system packages (scripts/system-deps).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format check clean screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@$(BIN)/putokaz i18n compile > /dev/null
	@$(BIN)/putokaz serve

test: $(STAMP)
	scripts/system-deps
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m tests.bench

lint: $(STAMP)
	$(BIN)/ruff format --check bot tests
	$(BIN)/ruff check bot tests
	$(BIN)/mypy bot

format: $(STAMP)
	$(BIN)/ruff format bot tests
	$(BIN)/ruff check --fix bot tests

check: $(STAMP)
	$(BIN)/putokaz check

clean:
	rm -rf $(VENV) var .pytest_cache

screenshots: $(STAMP)
	PUTOKAZ_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser
