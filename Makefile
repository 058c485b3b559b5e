# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser demo test lock schema clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
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

test: setup browser
	$(BIN)/python -m pytest -q

# Regenerate the lock file after editing requirements.in (needs network).
lock:
	uv pip compile requirements.in --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --no-header -q -o requirements.lock

schema: setup
	$(BIN)/python -m eventwire.schema > docs/schema.json

clean:
	rm -rf $(VENV) eventwire.duckdb
