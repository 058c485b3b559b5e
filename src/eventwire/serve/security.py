"""What every answer of the server carries, and which ``Host`` it serves.

``Guard`` is a plain ASGI middleware (no per-request task or body copy):

* a request whose ``Host`` header is not a loopback name, the address the
  server is bound to, or a name given with ``--allow-host`` gets 421 before
  any route runs. A web page elsewhere cannot read a local server through
  DNS rebinding: its requests carry the page's own host name;
* every answer carries a Content-Security-Policy (the page loads only its
  own files; the OpenAPI pages may also load their script from the CDN
  FastAPI names), ``X-Content-Type-Options: nosniff``, ``X-Frame-Options:
  DENY`` (and ``frame-ancestors 'none'``) and ``Referrer-Policy: no-referrer``.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from typing import Any

__all__ = ["LOOPBACK_NAMES", "Guard", "host_name", "is_loopback"]

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

# The page: its own scripts and styles only. Plot writes style attributes and
# a <style> into the SVG it draws, hence 'unsafe-inline' for styles (never for
# scripts); the icon is a data: URL.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from jsDelivr and
# start them with an inline script.
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {DOCS_CDN}; style-src 'self' 'unsafe-inline' {DOCS_CDN}; "
    f"img-src 'self' data: https://fastapi.tiangolo.com; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")

_COMMON_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) stays on this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without port or IPv6 brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Guard:
    """The Host allowlist and the security headers around an ASGI app."""

    def __init__(self, app: Any, allow_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = {h.strip().lower().strip("[]") for h in allow_hosts if h.strip()}

    def allows(self, host: str) -> bool:
        return host in self.allowed or is_loopback(host)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        host = host_name(header)
        policy = DOCS_POLICY if scope["path"].startswith(DOCS_PATHS) else PAGE_POLICY
        extra = [*_COMMON_HEADERS, (b"content-security-policy", policy.encode())]

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if not self.allows(host):
            await _refuse(send_with_headers, host)
            return
        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Any, host: str) -> None:
    """421 Misdirected Request, in the API's error shape."""
    shown = host[:100] or "(none)"
    detail = f"this server does not answer for host {shown!r}; start it with --allow-host NAME to serve a name"
    body = json.dumps({"status": 421, "detail": detail, "errors": []}).encode()
    await send({"type": "http.response.start", "status": 421,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
