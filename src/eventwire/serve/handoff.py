"""``eventwire ingest`` while ``eventwire serve`` runs on the same store.

The server is the store's one writer for its life. It says where it listens
in an endpoint file beside the store (``STORE.server.json``: URL, a random
per-run token, PID; mode 0600, removed when it stops). ``IngestTarget`` is
what the CLI's ingest writes to: when a live server answers for the store,
the articles (analysed in the CLI's own process) go to it over HTTP, one
request each, and the server stores each in one transaction; otherwise the
CLI takes the store's writer lock (waiting for another ingest, up to
``--wait``) and writes the file itself. If the server dies mid-run, the
target takes the lock in its turn and goes on locally; an article in flight
is stored at most once, its doc_id being its content hash. See
docs/concurrency.md.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

from ..corpus.store import Store
from ..corpus.writer import WriterLock
from ..errors import StoreError
from ..model import Article, LearnedRole
from .routes.handoff import HANDOFF_PREFIX

__all__ = [
    "Endpoint",
    "IngestTarget",
    "ServerClient",
    "ServerGone",
    "endpoint_path",
    "find_server",
    "new_endpoint",
    "remove_endpoint",
    "write_endpoint",
]

ENDPOINT_SUFFIX = ".server.json"
# A live server answers its store check well within this; a slower answer
# counts as no server for now (the CLI looks again while it waits).
PROBE_SECONDS = 5.0
# One article's hand-off: the server may be busy with readers and other writers.
ADD_SECONDS = 120.0

T = TypeVar("T")


class ServerGone(Exception):
    """The server stopped answering (it was stopped or killed)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    url: str  # http://127.0.0.1:PORT
    token: str
    pid: int
    store: str  # the store's real path


def endpoint_path(db: str | Path) -> Path:
    return Path(f"{db}{ENDPOINT_SUFFIX}")


def new_endpoint(db: str | Path, url: str) -> Endpoint:
    return Endpoint(url=url, token=secrets.token_urlsafe(32), pid=os.getpid(), store=os.path.realpath(db))


def write_endpoint(db: str | Path, endpoint: Endpoint) -> Path:
    """Write the endpoint file, readable by this user only, atomically."""
    path = endpoint_path(db)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(endpoint), fh)
    os.replace(temporary, path)
    return path


def remove_endpoint(db: str | Path, endpoint: Endpoint) -> None:
    """Remove the endpoint file if it is still this server's."""
    path = endpoint_path(db)
    if _read_endpoint(path) == endpoint:
        path.unlink(missing_ok=True)


def _read_endpoint(path: Path) -> Endpoint | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Endpoint(url=str(data["url"]), token=str(data["token"]), pid=int(data["pid"]), store=str(data["store"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_server(db: str | Path) -> ServerClient | None:
    """The live server writing the store at ``db``, or None (no endpoint
    file, or one left by a server that is gone, or that serves another file)."""
    endpoint = _read_endpoint(endpoint_path(db))
    if endpoint is None or endpoint.store != os.path.realpath(db):
        return None
    client = ServerClient(endpoint)
    try:
        info = client.call("GET", "/store", timeout=PROBE_SECONDS)
    except (ServerGone, StoreError):
        client.close()
        return None
    if info.get("store") != endpoint.store:
        client.close()
        return None
    return client


class ServerClient:
    """The hand-off routes of one server, over one kept-alive connection."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        parts = urlsplit(endpoint.url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._conn: http.client.HTTPConnection | None = None

    @property
    def url(self) -> str:
        return self.endpoint.url

    def call(self, method: str, path: str, body: bytes | None = None, *, timeout: float = ADD_SECONDS) -> dict[str, Any]:
        """One request; ServerGone when the server does not answer,
        StoreError when it refuses."""
        headers = {"Authorization": f"Bearer {self.endpoint.token}", "Host": f"127.0.0.1:{self._port}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        # A kept-alive connection the server has closed meanwhile (it closes
        # idle ones after a few seconds) fails once: try again on a new one.
        # Every call is safe to repeat (an article is stored once by doc_id).
        for attempt in (1, 2):
            reused = self._conn is not None
            try:
                if self._conn is None:
                    self._conn = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
                self._conn.timeout = timeout
                if self._conn.sock is not None:
                    self._conn.sock.settimeout(timeout)
                self._conn.request(method, HANDOFF_PREFIX + path, body=body, headers=headers)
                response = self._conn.getresponse()
                payload = response.read()
                break
            except (OSError, http.client.HTTPException) as err:
                self.close()
                if attempt == 2 or not reused:
                    raise ServerGone(f"the server at {self.url} does not answer: {err}") from err
        try:
            data = json.loads(payload)
        except ValueError:
            data = {}
        if response.status >= 400:
            raise StoreError(f"the server at {self.url} refused: {data.get('detail') or response.status}")
        return data if isinstance(data, dict) else {}

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and bool(self.call("GET", f"/articles/{doc_id}", timeout=PROBE_SECONDS * 6)["stored"])

    def add(self, article: Article) -> bool:
        body = json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
        return bool(self.call("POST", "/articles", body)["stored"])

    def __len__(self) -> int:
        return int(self.call("GET", "/store", timeout=PROBE_SECONDS * 6)["articles"])

    def learned_roles(self) -> list[LearnedRole]:
        """The roles corpus memory learned in the server's store."""
        return [LearnedRole(**role) for role in self.call("GET", "/learned-roles")["roles"]]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class IngestTarget:
    """Where ``eventwire ingest`` stores its articles: a live server writing
    the store, else the store itself under its writer lock (waiting up to
    ``wait`` seconds for another writer; None: as long as it takes).
    ``notice`` gets a line whenever the target waits or changes."""

    def __init__(self, db: str | Path, *, wait: float | None, notice: Callable[[str], None]) -> None:
        self.db = str(db)
        self.wait = wait
        self.notice = notice
        self._lock = WriterLock(db)
        self._server: ServerClient | None = None
        self._store: Store | None = None
        self._connect()

    @property
    def via(self) -> str:
        """Where the articles go: the server's URL, or "" for the file itself."""
        return self._server.url if self._server is not None else ""

    def _connect(self) -> None:
        found: list[ServerClient] = []

        def server_found() -> bool:
            server = find_server(self.db)
            if server is not None:
                found.append(server)
            return server is not None

        busy = f"{self.db} is being written by another eventwire process (an ingest or a server starting); waiting"
        if not self._lock.acquire(self.wait, on_wait=lambda: self.notice(busy), meanwhile=server_found):
            self._server = found[0]
            self.notice(f"a server is running on {self.db}: handing the articles to it at {self._server.url}")
            return
        try:
            self._store = Store(self.db)
        except BaseException:
            self._lock.release()
            raise

    def _do(self, operation: Callable[[Any], T]) -> T:
        if self._store is not None:
            return operation(self._store)
        assert self._server is not None
        try:
            return operation(self._server)
        except ServerGone:
            self.notice(f"the server at {self._server.url} stopped; writing {self.db} here")
            self._server.close()
            self._server = None
            self._connect()
            return self._do(operation)

    def __contains__(self, doc_id: object) -> bool:
        return self._do(lambda target: doc_id in target)

    def add(self, article: Article) -> bool:
        return self._do(lambda target: target.add(article))

    def __len__(self) -> int:
        return self._do(len)

    def learned_roles(self) -> list[LearnedRole]:
        return self._do(lambda target: target.learned_roles())

    def close(self) -> None:
        try:
            if self._store is not None:
                self._store.close()
            if self._server is not None:
                self._server.close()
        finally:
            self._store = self._server = None
            self._lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
