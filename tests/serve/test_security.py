"""The server's hardening against real servers on 127.0.0.1: the Host
allowlist, the security headers, POST dates, a client that goes away, 503s
that name no path, the token from a file and the warnings of
``eventwire serve``."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from eventwire.serve.app import close_app, create_app
from eventwire.serve.security import host_name
from eventwire.serve.server import ServeOptions, _resolve_token

TOKEN = "security-token-456"
EVENTWIRE = [sys.executable, "-m", "eventwire.cli.main"]


@pytest.fixture(scope="module")
def writable_url(serve, sample_store, tmp_path_factory) -> str:
    copy = tmp_path_factory.mktemp("security") / "store.duckdb"
    shutil.copy(sample_store, copy)
    return serve(create_app(copy, token=TOKEN, allow_hosts=("events.example.org",)))


def test_a_foreign_host_is_refused_before_any_route(writable_url):
    port = writable_url.rsplit(":", 1)[1]
    for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1.attacker.example"):
        refused = httpx.get(f"{writable_url}/api/articles", headers={"Host": host}, timeout=30)
        assert refused.status_code == 421, host
        assert refused.json()["status"] == 421 and "--allow-host" in refused.json()["detail"]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "events.example.org", f"EVENTS.example.org:{port}"):
        assert httpx.get(f"{writable_url}/healthz", headers={"Host": host}, timeout=30).status_code == 200, host


def test_host_names_lose_port_and_brackets():
    assert host_name("LocalHost:8000") == "localhost"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("example.org") == "example.org"


def test_every_answer_carries_the_security_headers(writable_url):
    for path, status in (("/", 200), ("/healthz", 200), ("/static/app.js", 200), ("/api/articles/nope", 404)):
        answer = httpx.get(writable_url + path, timeout=30)
        assert answer.status_code == status, path
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy, path
    refused = httpx.get(writable_url + "/", headers={"Host": "attacker.example"}, timeout=30)
    assert refused.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("published, says", [("2020-13-45", "not a real date"), ("2021-02-30", "not a real date"),
                                             ((date.today() + timedelta(days=30)).isoformat(), "after today")])
def test_post_dates_are_checked_like_the_cli(writable_url, published, says):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answer = httpx.post(f"{writable_url}/api/articles", json={"text": "Talks resumed.", "published": published},
                        headers=auth, timeout=30)
    assert answer.status_code == 422
    assert says in answer.json()["detail"] and published in answer.json()["detail"]


def test_a_client_that_goes_away_mid_body_is_one_log_line(writable_url, caplog):
    port = int(writable_url.rsplit(":", 1)[1])
    with caplog.at_level(logging.WARNING):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
                         "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"text\": \"half".encode())
        deadline = time.monotonic() + 10
        while "client disconnected" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
    assert "client disconnected during POST /api/articles" in caplog.text
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)


def test_an_unavailable_store_is_a_503_naming_no_path(serve, tmp_path):
    app = create_app(tmp_path / "store.duckdb", token=TOKEN)
    url = serve(app)
    assert httpx.get(f"{url}/healthz", timeout=30).status_code == 200
    close_app(app)
    answer = httpx.get(f"{url}/api/articles", timeout=30)
    assert answer.status_code == 503
    assert str(tmp_path) not in answer.text and "store.duckdb" not in answer.text and "PID" not in answer.text


def test_token_precedence_and_the_ps_warning(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EVENTWIRE_TOKEN", "from-env")
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")
    assert _resolve_token(ServeOptions(db="x")) == "from-env"
    assert _resolve_token(ServeOptions(db="x", token_file=str(token_file))) == "from-file"
    assert "visible" not in capsys.readouterr().err
    assert _resolve_token(ServeOptions(db="x", token="on-the-command-line")) == "on-the-command-line"
    assert "visible to other users" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_reads_the_token_file_and_warns_beyond_loopback(tmp_path, sample_store):
    db = tmp_path / "store.duckdb"
    shutil.copy(sample_store, db)
    token_file = tmp_path / "token"
    token_file.write_text("file-token-789\n")
    port = _free_port()
    command = [*EVENTWIRE, "serve", "--db", str(db), "--host", "0.0.0.0", "--port", str(port), "--token-file", str(token_file)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and "serving" in server.stdout.readline()
        url = f"http://127.0.0.1:{port}/api/articles"
        blank = {"text": "   "}  # passes the token check, then refused: no pipeline run
        assert httpx.post(url, json=blank, headers={"Authorization": "Bearer file-token-789"}, timeout=30).status_code == 400
        assert httpx.post(url, json=blank, headers={"Authorization": "Bearer wrong"}, timeout=30).status_code == 403
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "warning: listening on 0.0.0.0" in err
    assert not Path(f"{db}.server.json").exists()  # removed on the way out
