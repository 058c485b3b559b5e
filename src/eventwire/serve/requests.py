"""Request helpers of the routes: HTTP errors and the JSON error answer,
the date-range check, the bearer token, and reading and parsing a POSTed
article body within a size limit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from .bodies import ArticleIn, ErrorBody

__all__ = [
    "bearer_token",
    "check_date_range",
    "check_published",
    "error",
    "error_response",
    "parse_article_body",
    "read_capped",
    "validation_errors",
]


def error(status: int, detail: str) -> HTTPException:
    return HTTPException(status_code=status, detail=detail)


def check_date_range(start: str | None, end: str | None) -> None:
    for name, value in (("start", start), ("end", end)):
        if value and not _is_real_date_prefix(value):
            raise error(400, f"{name} {value!r} is not a real date")
    if start and end and start[: len(end)] > end:
        raise error(400, f"start {start} is after end {end}")


def check_published(value: str) -> None:
    """422 unless ``value`` is a real "YYYY-MM-DD" date no later than today,
    the rule the CLI's ``--published`` follows."""
    from ..ingest.readers import validate_published

    try:
        day = date.fromisoformat(validate_published(value))
    except ValueError:
        raise error(422, f"published {value!r} is not a real date written YYYY-MM-DD") from None
    if day > date.today():
        raise error(422, f"published {value} is after today ({date.today().isoformat()})")


def _is_real_date_prefix(value: str) -> bool:
    """Whether "YYYY", "YYYY-MM" or "YYYY-MM-DD" names a real year, month or day."""
    parts = value.split("-")
    filled = parts + ["01"] * (3 - len(parts))
    try:
        date(int(filled[0]), int(filled[1]), int(filled[2]))
    except ValueError:
        return False
    return True


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def read_capped(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes
    (declared or actually sent)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise error(413, f"body of {declared} bytes is over the limit of {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise error(413, f"body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_article_body(body: bytes, content_type: str) -> ArticleIn:
    media = content_type.split(";")[0].strip().lower()
    try:
        if media == "application/json":
            return ArticleIn.model_validate_json(body)
        if media == "text/plain":
            return ArticleIn(text=body.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise error(400, "body is not UTF-8 text") from err
    raise error(415, "send application/json or text/plain")


def validation_errors(err: ValidationError | RequestValidationError) -> list[dict[str, Any]]:
    """Per-field problems, JSON-safe (pydantic's ``ctx`` may hold exceptions)."""
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in err.errors()
    ]


def error_response(status: int, detail: str, errors: list[dict[str, Any]] | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(status=status, detail=detail, errors=errors or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)
