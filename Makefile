# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lock schema clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: setup
	$(BIN)/eventwire ingest samples/articles.jsonl --db eventwire.duckdb
	$(BIN)/eventwire report --db eventwire.duckdb

test: setup
	$(BIN)/python -m pytest -q

# Regenerate the lock file after editing requirements.in (needs network).
lock:
	uv pip compile requirements.in --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --no-header -q -o requirements.lock

schema: setup
	$(BIN)/python -m eventwire.schema > docs/schema.json

clean:
	rm -rf $(VENV) eventwire.duckdb
