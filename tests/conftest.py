import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles.jsonl"
RAW_DIR = ROOT / "tests" / "data"


def load_samples() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def sample_records() -> list[dict]:
    return load_samples()


@pytest.fixture(scope="session")
def sample_articles(sample_records):
    """The two sample articles run through the whole pipeline once per session."""
    import eventwire

    return {
        r["id"]: a
        for r, a in zip(sample_records, eventwire.extract_many(sample_records), strict=True)
    }


# --- HTTP API and web page (test_api.py, test_web.py) -----------------------


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, sample_articles) -> str:
    """A DuckDB store of the two sample articles, run through the pipeline."""
    from eventwire.corpus.store import Store

    path = tmp_path_factory.mktemp("store") / "samples.duckdb"
    with Store(path) as store:
        for article in sample_articles.values():
            store.add(article)
    return str(path)


@pytest.fixture(scope="session")
def serve():
    """Start an ASGI app with uvicorn on a free port of 127.0.0.1 in a thread;
    returns its base URL. Every server started is stopped at the session's end."""
    import contextlib
    import socket
    import threading
    import time

    import uvicorn

    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        running.append((server, thread))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for server, _thread in running:
        server.should_exit = True
    for server, thread in running:
        thread.join(timeout=10)
        with contextlib.suppress(OSError):
            for s in getattr(server, "servers", []):
                s.close()


@pytest.fixture(scope="session")
def api_url(serve, sample_store) -> str:
    """A read-only API server (no token) over the sample store."""
    from eventwire.serve.app import create_app

    return serve(create_app(sample_store))
