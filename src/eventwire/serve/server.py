"""``eventwire serve``: the app under uvicorn, as the store's one writer.

The server takes the store's writer lock (``corpus.writer``), opens the
store once, binds its socket, and then writes the endpoint file beside the
store so that ``eventwire ingest`` hands it its articles (``serve.handoff``).
On the way out it removes the endpoint file, closes the store and releases
the lock; after ``kill -9`` the OS releases the lock and the next ingest
finds the endpoint file dead and ignores it.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..corpus.writer import WriterLock
from ..errors import StoreError
from ..settings import setting
from .app import close_app, create_app
from .handoff import new_endpoint, remove_endpoint, write_endpoint
from .security import is_loopback

__all__ = ["ServeOptions", "read_token_file", "run_server", "server_url"]

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What ``eventwire serve`` runs: the store, where to listen, the bearer
    token for writes (None: ``--token-file``, else ``$EVENTWIRE_TOKEN``, else
    read-only) and the host names served besides loopback ones."""

    db: str
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    token_file: str | None = None
    allow_hosts: tuple[str, ...] = ()
    data: str | None = None  # a folder of Parquet shards, read in place instead of ``db``


def read_token_file(path: str) -> str:
    """The token in ``path`` (its first line); ValueError with the reason."""
    try:
        token = Path(path).read_text(encoding="utf-8").strip().splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"cannot read token file {path}: {getattr(err, 'strerror', None) or err}") from err
    if not token or not token[0].strip():
        raise ValueError(f"token file {path} is empty")
    return token[0].strip()


def server_url(host: str, port: int) -> str:
    """The URL this machine's clients (the CLI's ingest) reach the server at."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1" if host != "::" else "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _warn(message: str) -> None:
    print(f"eventwire: warning: {message}", file=sys.stderr, flush=True)


def _resolve_token(options: ServeOptions) -> str | None:
    if options.token:
        _warn("--token is visible to other users of this machine (ps); use --token-file or EVENTWIRE_TOKEN")
        return options.token
    if options.token_file:
        return read_token_file(options.token_file)
    return setting("token") or None


def _served_hosts(options: ServeOptions) -> Iterable[str]:
    if options.host not in WILDCARD_HOSTS:
        yield options.host
    yield from options.allow_hosts


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listening from here on: a client that comes before uvicorn has
        # started waits in the backlog instead of being refused.
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def run_server(options: ServeOptions) -> int:
    """``eventwire serve``: run the app with uvicorn until interrupted."""
    try:
        token = _resolve_token(options)
    except ValueError as err:
        print(f"serve: {err}", file=sys.stderr)
        return 2
    if options.data is not None:
        if token:
            print("serve: shards are read-only; serve them without a token", file=sys.stderr)
            return 2
        return _serve_shards(options)
    if not token and not Path(options.db).exists():
        print(f"serve: no store at {options.db} (run `eventwire ingest PATH... --db {options.db}` first)", file=sys.stderr)
        return 1
    if not is_loopback(options.host):
        _warn(f"listening on {options.host or '*'}: other machines can reach this server; "
              "put it behind TLS and keep writes behind a token")
    lock = WriterLock(options.db)
    busy = f"{options.db} is being written by another eventwire process; waiting for it to finish"
    lock.acquire(None, on_wait=lambda: print(f"eventwire: {busy}", file=sys.stderr, flush=True))
    try:
        return _serve(options, token)
    except (StoreError, OSError) as err:
        print(f"serve: {err}", file=sys.stderr)
        return 1
    finally:
        lock.release()


def _serve_shards(options: ServeOptions) -> int:
    """Serve ``options.data``'s shards read-only: no writer lock, no hand-off."""
    import uvicorn

    try:
        app = create_app(options.db, data=options.data, allow_hosts=tuple(_served_hosts(options)))
    except StoreError as err:
        print(f"serve: {err}", file=sys.stderr)
        return 1
    sock = _bind(options.host, options.port)
    try:
        url = server_url(options.host, sock.getsockname()[1])
        print(f"eventwire: serving the shards in {options.data} on {url}/ — read-only", flush=True)
        try:
            uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off")).run(sockets=[sock])
        except (KeyboardInterrupt, SystemExit):
            pass
    finally:
        close_app(app)
        sock.close()
    return 0


def _serve(options: ServeOptions, token: str | None) -> int:
    import uvicorn

    sock = _bind(options.host, options.port)
    port = sock.getsockname()[1]
    endpoint = new_endpoint(options.db, server_url(options.host, port))
    app = create_app(options.db, token=token, handoff_token=endpoint.token, allow_hosts=tuple(_served_hosts(options)))
    try:
        write_endpoint(options.db, endpoint)
        mode = "writes need the bearer token" if token else "read-only API (no token)"
        print(f"eventwire: serving {options.db} on {server_url(options.host, port)}/ — {mode}", flush=True)
        # uvicorn stops on SIGINT/SIGTERM and then raises the signal again:
        # as an exception here, so the endpoint file and the store are closed.
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off")).run(sockets=[sock])
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        remove_endpoint(options.db, endpoint)
        close_app(app)
        sock.close()
    return 0
