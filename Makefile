# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser demo test check gate lock schema screenshot clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# --no-deps: the lock is complete, so nothing is resolved here. Without it
	# the venv's bundled pip (23.2.1) reads an extra such as lxml[html_clean]
	# as a new, unpinned requirement and resolves it against today's index.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: setup
	$(BIN)/eventwire ingest samples/articles.jsonl --db eventwire.duckdb
	$(BIN)/eventwire report --db eventwire.duckdb
	@echo
	@echo "Browse it: $(BIN)/eventwire serve --db eventwire.duckdb  then open http://127.0.0.1:8000/"

# The browser test drives Debian's Chromium (no browser download). Installed
# when missing and we may (root); without it that test skips, except under CI.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed and not root: the browser test will skip"; fi; }

# Static checks: the lock is consistent, ruff and mypy are clean, and the
# import-linter layer contracts hold.
check: setup
	$(BIN)/python -m pip check
	$(BIN)/ruff check src tests
	$(BIN)/mypy src/eventwire
	$(BIN)/lint-imports

# The regression gate: headline evaluation figures against floors.json.
gate: setup
	$(BIN)/eventwire eval --gate

# The suite in two runs: the quick tests (under 5 minutes on 2 cores), then the
# long checks marked slow (full evaluations, Ray, servers under load).
test: setup browser check
	$(BIN)/python -m pytest -q -m "not slow"
	$(BIN)/python -m pytest -q -m slow
	$(BIN)/eventwire eval --gate

# Regenerate the lock file after editing requirements.in (needs network).
lock:
	test -x .lock-tools/bin/uv || { $(PYTHON) -m venv .lock-tools && .lock-tools/bin/python -m pip install --quiet uv; }
	.lock-tools/bin/uv pip compile requirements.in --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --no-header -q -o requirements.lock

schema: setup
	$(BIN)/python -m eventwire.schema > docs/schema.json

# Refresh the README's page image (the browser test writes to a temp folder).
screenshot: setup browser
	EVENTWIRE_SCREENSHOT=docs/screenshot.png $(BIN)/python -m pytest -q tests/serve/test_web.py

clean:
	rm -rf $(VENV) eventwire.duckdb
