"""Ingest: files, directories and stdin in; RawDocuments (or per-file errors) out.

``read_paths`` never raises for bad input: every file (or JSONL line) that
cannot be read becomes a ``FileError`` with a human reason, and the rest of the
batch goes on. Input kinds, by extension (case-insensitive, ``.gz`` stripped
first and decompressed with a size cap):

* ``.txt`` (and any explicitly named file with an unknown extension): the
  decoded file is ``raw_text`` exactly as read; its first non-empty line,
  stripped, is the title.
* ``.html`` / ``.htm``: main text and title through trafilatura, the
  publication date through htmldate (original date, no extensive search, no
  network); under MIN_HTML_WORDS extracted words is an error. ``raw_text`` is ``title + "\\n\\n" + extracted text``, so offsets of
  an HTML article point into the *extracted* text, never into the markup.
* ``.jsonl`` / ``.ndjson``: one JSON object per line with ``text`` and optional
  ``title``, ``url``, ``published`` (basis "given"), ``outlet``,
  ``source_file``, ``id``. Read line by line; ``source.path`` is the record's
  ``source_file``, else "file:line#id" ("file:line" without an ``id``;
  ``Source`` has no field of its own for it).
* ``.json``: one article object (the fields of a JSONL record) or an array
  of them; ``source.path`` is "file[i]" for the i-th (from 0) of an array. A
  ``.json`` file that holds JSON lines is read as JSONL.
* ``.csv`` / ``.tsv``: a header row naming a ``text`` column and optionally
  ``title``, ``url``, ``published``, ``outlet``, ``id`` (others are ignored);
  each row is a record like a JSONL one, ``source.path`` "file:line".
* ``.warc`` / ``.warc.gz`` (e.g. CC-NEWS), read with warcio record by record:
  each HTML ``response`` record is an article read like an ``.html`` file,
  with the record's target URI as ``source.url`` and its WARC-Date as the
  publication date (basis "metadata") when the page itself gives none. Other
  records are skipped; a truncated record is a FileError and the records
  before it stand.

Every article's text is capped (``max_article_bytes``, default 5 MB of UTF-8).

Directories are walked recursively in sorted order, reading files with a
known extension; every other file is a ``SkippedFile`` (listed with its
reason, not a failure; hidden files and folders are passed over silently).
Glob patterns are expanded; ``-`` is stdin (read as text, or as JSONL when
every non-blank line is a JSON object).

A few stray NUL or control bytes in a text are kept for the repair stage to
remove (and record); only a text with many of them is refused as binary.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import functools
import glob
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import IO, Any, AnyStr, cast

from ..errors import IngestError
from ..extract.runner import make_document
from ..model import FileError, PublishedBasis, RawDocument, SkippedFile, Source

# Whole-file reads (.txt, .html, unknown, stdin, and a decompressed .gz of
# those) stop here; JSONL files are streamed, so only their lines are capped.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
# One article's text (the body, before a title is prepended), in UTF-8 bytes;
# read_paths(max_article_bytes=...) overrides it.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
# One article's line breaks: every line is a paragraph and a sentence, and a
# text of a million tiny lines (3 MB) takes hours in analysis while no news
# article comes near this many (docs/reliability.md).
MAX_ARTICLE_LINES = 20_000
# One WARC record's payload.
MAX_RECORD_BYTES = MAX_FILE_BYTES
# Fewer words than this extracted from an HTML page are navigation, not an article.
MIN_HTML_WORDS = 10
# A first line longer than this is a paragraph, not a title.
MAX_TITLE_CHARS = 500
# A JSONL file whose first lines all fail is probably not JSONL at all: stop
# after this many instead of reporting every line.
MAX_LEADING_BAD_LINES = 20
# Share of control characters (other than whitespace) above which a decoded
# text is taken for binary data.
MAX_CONTROL_RATIO = 0.05

TEXT_EXTENSIONS = frozenset({".txt"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})
# Delimiter of each table format.
TABLE_DELIMITERS = {".csv": ",", ".tsv": "\t"}
WARC_EXTENSIONS = frozenset({".warc"})
KNOWN_EXTENSIONS = (
    TEXT_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS | JSON_EXTENSIONS | frozenset(TABLE_DELIMITERS) | WARC_EXTENSIONS
)
# The fields of an article record (JSONL line, JSON object, CSV row).
RECORD_FIELDS = ("text", "title", "url", "published", "outlet", "source_file", "id")
HTML_CONTENT_TYPES = ("text/html", "application/xhtml")
STDIN_NAME = "<stdin>"

# Byte-order marks, longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Signatures of common binary formats, for a clearer reason than "binary".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed data (name the file *.gz)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_GLOB_CHARS = re.compile(r"[*?\[]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Unicode category Cc (C0, DEL, C1) less the whitespace controls \t \n \v \f \r.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SNIFF_BYTES = 64 * 1024


# ---------------------------------------------------------------------------
# Entry point


def read_paths(
    paths: Sequence[str], *, published: str | None = None, max_article_bytes: int | None = None
) -> Iterator[RawDocument | FileError]:
    """Yield one RawDocument per article found under ``paths`` (``-`` = stdin),
    or a FileError per file (or JSONL line, or WARC record) that cannot be
    read; never raises for bad input. ``published`` ("YYYY-MM-DD") overrides
    every document's date, with basis "given". ``max_article_bytes`` caps one
    article's text (UTF-8 bytes; default MAX_ARTICLE_BYTES).

    Raises ValueError at once (not lazily) when ``published`` is not a valid
    "YYYY-MM-DD" date: that is a caller's mistake, not bad input.
    """
    override = validate_published(published) if published is not None else None
    limit = MAX_ARTICLE_BYTES if max_article_bytes is None else max_article_bytes
    if limit <= 0:
        raise ValueError(f"max_article_bytes must be positive, got {limit}")
    return _read_all(paths, override, limit)


def input_files(paths: Sequence[str]) -> Iterator[str | FileError]:
    """The files ``read_paths(paths)`` reads, in its order, each once (``-``
    for stdin), or a FileError for a path that names nothing: reading each
    alone with ``read_paths([file])`` gives the same documents."""
    for target in _unique_targets(paths):
        if isinstance(target, FileError):
            yield target
        elif target[1] or target[0] == "-" or _known_kind(target[0]) is not None:
            yield target[0]


def _unique_targets(paths: Sequence[str]) -> Iterator[tuple[str, bool] | FileError]:
    """``_expand(paths)`` with each file once (a folder and a file in it may name
    one file twice); stdin ("-") and FileErrors pass through."""
    seen: set[str] = set()
    for target in _expand(paths):
        if not isinstance(target, FileError) and target[0] != "-":
            key = os.path.realpath(target[0])
            if key in seen:
                continue
            seen.add(key)
        yield target


def validate_published(value: str) -> str:
    """The ISO date ``value`` if it is a real "YYYY-MM-DD" date, else ValueError."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        pass
    raise ValueError(f"published date must be a real date written YYYY-MM-DD, got {value!r}")


def _read_all(paths: Sequence[str], override: str | None, limit: int) -> Iterator[RawDocument | FileError]:
    for target in _unique_targets(paths):
        if isinstance(target, FileError):
            yield target
            continue
        name, explicit = target
        for item in _read_one(name, explicit, limit):
            if override is not None and isinstance(item, RawDocument):
                item = dataclasses.replace(item, published=override, published_basis="given")
            yield item


# ---------------------------------------------------------------------------
# Paths -> files


def _expand(paths: Sequence[str]) -> Iterator[tuple[str, bool] | FileError]:
    """(file name, named explicitly?) for every file to read, in order; a
    FileError for a path that names nothing."""
    for arg in paths:
        if arg == "-":
            yield "-", True
            continue
        path = os.path.expanduser(arg)
        if os.path.isdir(path):
            yield from _walk(path)
        elif os.path.exists(path):
            yield path, True
        elif _GLOB_CHARS.search(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield FileError(arg, "no files match this pattern")
            for match in matches:
                if os.path.isdir(match):
                    yield from _walk(match)
                else:
                    yield match, _known_kind(match) is not None or _pattern_names_extension(path)
        else:
            yield FileError(arg, "no such file or directory")


def count_documents(paths: Sequence[str]) -> int | None:
    """How many documents ``read_paths`` will yield at most (one per text or
    HTML file, one per non-blank line of a JSON Lines file), for a progress
    bar's total; None when that is unknown without reading the input (stdin,
    WARC, gzip, JSON and CSV/TSV files)."""
    total = 0
    for target in _expand(paths):
        if isinstance(target, FileError):
            continue
        name, explicit = target
        if name == "-":
            return None
        kind = _known_kind(name)
        if _split_gz(name)[1] or kind in ("warc", "json", "table"):
            return None
        if kind is None and not explicit:
            continue
        if kind == "jsonl":
            try:
                with open(name, "rb") as f:
                    total += sum(1 for line in f if line.strip())
            except OSError:
                continue
        else:
            total += 1
    return total


def _pattern_names_extension(pattern: str) -> bool:
    """``notes/*.md`` asks for .md files on purpose; ``notes/*`` does not."""
    ext = os.path.splitext(os.path.basename(pattern))[1]
    return bool(ext) and not _GLOB_CHARS.search(ext)


def _walk(directory: str) -> Iterator[tuple[str, bool] | FileError]:
    """Known-kind files under ``directory`` in path order (a folder's files
    and subfolders interleaved by name), lazily; hidden entries skipped."""
    found = False
    for item in _walk_sorted(directory):
        found = found or not isinstance(item, FileError) and _known_kind(item[0]) is not None
        yield item
    if not found:
        yield FileError(directory, f"directory holds no article files ({_formats()})")


def _walk_sorted(directory: str) -> Iterator[tuple[str, bool] | FileError]:
    try:
        with os.scandir(directory) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as err:
        yield FileError(directory, f"cannot read directory: {_os_reason(err)}")
        return
    for entry in entries:
        try:
            # Symlinked folders are not followed: they can loop.
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk_sorted(entry.path)
        else:
            yield entry.path, False


def _split_gz(name: str) -> tuple[str, bool]:
    """(the extension that says what the content is, gzip-compressed?)"""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    return os.path.splitext(lower)[1], gz


def _known_kind(name: str) -> str | None:
    ext, _ = _split_gz(name)
    if ext in TEXT_EXTENSIONS:
        return "text"
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext in JSONL_EXTENSIONS:
        return "jsonl"
    if ext in JSON_EXTENSIONS:
        return "json"
    if ext in TABLE_DELIMITERS:
        return "table"
    if ext in WARC_EXTENSIONS:
        return "warc"
    return None


# ---------------------------------------------------------------------------
# One file


def _read_one(name: str, explicit: bool, limit: int) -> Iterator[RawDocument | FileError]:
    if name == "-":
        yield from _read_stdin(limit)
        return
    ext, gz = _split_gz(name)
    if not explicit and _known_kind(name) is None:
        yield SkippedFile(name, f"skipped: {ext or 'no extension'} is not an article format ({_formats()}); name the file to read it as text")
        return
    kind = _known_kind(name) or "text"
    try:
        if not os.path.isfile(name):
            raise IngestError("not a regular file")
        if kind == "jsonl":
            yield from _read_jsonl_file(name, gz, limit)
            return
        if kind == "warc":
            yield from _read_warc_file(name, limit)
            return
        data = _read_bytes(name, gz)
        if kind == "json":
            yield from _json_records(decode_bytes(data), name, limit)
        elif kind == "table":
            yield from _table_records(decode_bytes(data), name, limit, TABLE_DELIMITERS[ext])
        elif kind == "html":
            yield _html_document(data, name, limit)
        else:
            yield _text_document(decode_bytes(data), name, limit)
    except IngestError as err:
        yield FileError(name, str(err))
    except OSError as err:
        yield FileError(name, _os_reason(err))


def _formats() -> str:
    return ", ".join(sorted(KNOWN_EXTENSIONS)) + ", any of them .gz"


def _os_reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read file: {err.strerror or err}"


def _read_bytes(name: str, gz: bool) -> bytes:
    """The file's bytes (decompressed for .gz), refusing anything over MAX_FILE_BYTES."""
    if not gz:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            raise IngestError(f"file too big ({_mb(size)} > limit {_mb(MAX_FILE_BYTES)})")
        with open(name, "rb") as fh:
            data = read_capped(fh, MAX_FILE_BYTES)
    else:
        with open(name, "rb") as raw:
            if not raw.read(2).startswith(b"\x1f\x8b"):
                raise IngestError("not a gzip file (it does not start with the gzip signature)")
            raw.seek(0)
            # Read at most one byte past the cap: a decompression bomb stops there.
            data = _gunzip_capped(raw, MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        what = "decompressed content" if gz else "file"
        raise IngestError(f"{what} too big (> limit {_mb(MAX_FILE_BYTES)})")
    return data


def _gunzip_capped(raw: IO[bytes], cap: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=raw) as gz:
            return read_capped(cast(IO[bytes], gz), cap)
    except EOFError:
        raise IngestError("truncated gzip file (compressed stream ends early)") from None
    except (gzip.BadGzipFile, zlib.error) as err:
        raise IngestError(f"corrupt gzip file ({err})") from None


def read_capped(stream: IO[AnyStr], cap: int) -> AnyStr:
    """At most ``cap + 1`` bytes of ``stream``, read in chunks: ``read(n)``
    would allocate ``n`` bytes up front even for a tiny file, and one byte
    past the cap is enough to tell that the input is too big."""
    chunks: list[AnyStr] = []
    total = 0
    while total <= cap:
        chunk = stream.read(min(1 << 20, cap + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if not chunks:
        return stream.read(0)  # b"" or "", whichever the stream gives
    return chunks[0][:0].join(chunks)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


# ---------------------------------------------------------------------------
# Bytes -> text


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode a whole file: a BOM's encoding, else UTF-8, else ``declared``
    (e.g. an HTML meta charset), else charset-normalizer's guess when it is
    confident. IngestError for empty, binary or undecodable data."""
    if not data.strip():
        raise IngestError("empty file" if not data else "empty file (only whitespace)")
    text = _decode_with_bom(data)
    if text is None:
        _reject_binary_bytes(data)
        text = _decode_without_bom(data, declared)
    _reject_binary_text(text)
    if not text.strip():
        raise IngestError("empty file (only whitespace)")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                # utf-8-sig / utf-16 / utf-32 consume the BOM themselves.
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise IngestError(f"not valid {codec.removesuffix('-sig').upper()} despite its byte-order mark ({err.reason} at byte {err.start})") from None
    return None


def _reject_binary_bytes(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"binary file: {what}, not text")
    sample = data[:_SNIFF_BYTES]
    nul = sample.count(0)
    if nul:
        odd = sample[1::2].count(0)
        even = sample[0::2].count(0)
        if max(odd, even) > len(sample) // 4 and min(odd, even) < max(odd, even) // 10:
            raise IngestError("binary file (NUL bytes); it looks like UTF-16 without a byte-order mark, which is not supported")
        # A few stray NULs in a text are dropped by the repair stage (and
        # recorded there); text never holds many.
        if nul / len(sample) > MAX_CONTROL_RATIO:
            raise IngestError(f"binary file ({nul / len(sample):.0%} NUL bytes)")


def _decode_without_bom(data: bytes, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    guessed = _confident_guess(data)
    if guessed is not None:
        return guessed
    raise IngestError(
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02X} at offset {utf8_error.start}) "
        "and its encoding could not be determined with confidence; re-save it as UTF-8"
    )


def _confident_guess(data: bytes) -> str | None:
    """charset-normalizer's decoding, only when it is clean (little mess) and
    reads as a language (some coherence); a BOM-less UTF-16/32 guess is never
    trusted (real ones were caught by the NUL check)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:MAX_FILE_BYTES]).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        return None
    if best.chaos > 0.1 or best.coherence < 0.2:
        return None
    try:
        return data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _reject_binary_text(text: str) -> None:
    sample = text[:_SNIFF_BYTES]
    controls = len(_CONTROL_CHARS.findall(sample))
    if sample and controls / len(sample) > MAX_CONTROL_RATIO:
        raise IngestError(f"binary file ({controls / len(sample):.0%} control characters)")


def _check_article_length(text: str, limit: int) -> None:
    """IngestError when ``text`` is over ``limit`` bytes of UTF-8 (a character
    is at most four bytes, so short texts are not encoded to check) or has
    more than MAX_ARTICLE_LINES lines."""
    lines = text.count("\n", 0, len(text)) if len(text) > MAX_ARTICLE_LINES else 0
    if lines > MAX_ARTICLE_LINES:
        raise IngestError(f"article has too many lines ({lines:,} > limit {MAX_ARTICLE_LINES:,}): not an article")
    if len(text) * 4 <= limit:
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise IngestError(f"article text too big ({_mb(size)} > limit {_mb(limit)})")


# ---------------------------------------------------------------------------
# Text files


def title_line(text: str) -> str | None:
    """The first non-empty line, stripped; None when it is too long to be a title."""
    for line in text.splitlines():
        if line.strip():
            stripped = line.strip()
            return stripped if len(stripped) <= MAX_TITLE_CHARS else None
    return None


def _text_document(text: str, name: str, limit: int) -> RawDocument:
    _check_article_length(text, limit)
    return RawDocument(raw_text=text, title=title_line(text), source=Source(path=name))


# ---------------------------------------------------------------------------
# HTML


def _html_document(
    data: bytes, name: str, limit: int, *, declared: str | None = None, url: str | None = None, fallback_date: str | None = None
) -> RawDocument:
    """An HTML page's article. ``declared`` is a charset from outside the page
    (an HTTP header), ``url`` the address it was fetched from and
    ``fallback_date`` a date of the fetch, used when the page gives none."""
    head = data[:4096]
    match = _META_CHARSET.search(head)
    html = decode_bytes(data, declared=declared or (match.group(1).decode("ascii") if match else None))
    page = extract_html(html)
    if not page.text:
        raise IngestError("no article text could be extracted from the HTML")
    words = len(page.text.split())
    if words < MIN_HTML_WORDS:
        # trafilatura falls back to whatever text a page has (a menu, a link).
        raise IngestError(f"no article text could be extracted from the HTML (only {words} word{'s' * (words != 1)} of page text)")
    _check_article_length(page.text, limit)
    found = page.published or fallback_date
    basis: PublishedBasis = "metadata" if found else "none"
    doc = make_document(page.text, title=page.title, source=Source(path=name, url=url or page.url, outlet=page.outlet))
    return dataclasses.replace(doc, published=found, published_basis=basis)


@dataclasses.dataclass(frozen=True, slots=True)
class HtmlPage:
    """What ingest takes from an HTML page (every field may be None)."""

    title: str | None = None
    text: str | None = None
    published: str | None = None  # "YYYY-MM-DD"
    url: str | None = None  # the page's own canonical URL, from its metadata
    outlet: str | None = None  # the site name, from its metadata


def extract_html(html: str) -> HtmlPage:
    """Title, main text, publication date, URL and site name of an HTML page.
    Never touches the network: both libraries get a parsed tree (htmldate
    fetches a *string* that looks like a URL), and htmldate's extensive
    free-text search is off so a date mentioned in the story is not taken for
    the publication date."""
    import trafilatura
    from htmldate import find_date

    tree = trafilatura.load_html(html)
    if tree is None:
        return HtmlPage()
    published = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    # trafilatura prunes the tree it is given, so it gets its own parse.
    extracted = trafilatura.bare_extraction(
        trafilatura.load_html(html),
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        output_format="python",
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if extracted is None:
        return HtmlPage(published=published)
    title = _clean_field(getattr(extracted, "title", None))
    text = _clean_field(getattr(extracted, "text", None))
    if title and text:
        text = _drop_repeated_title(title, text)
    return HtmlPage(
        title=title,
        text=text,
        published=published,
        url=_clean_field(getattr(extracted, "url", None)),
        outlet=_clean_field(getattr(extracted, "sitename", None)),
    )


def _drop_repeated_title(title: str, text: str) -> str | None:
    """The headline usually opens the extracted text too; the raw text gets
    the title once (prepended), not twice."""
    first, _, rest = text.partition("\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.strip() or None
    return text


def _clean_field(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# ---------------------------------------------------------------------------
# JSONL


def _read_jsonl_file(name: str, gz: bool, limit: int) -> Iterator[RawDocument | FileError]:
    with open(name, "rb") as raw:
        if gz:
            if not raw.read(2).startswith(b"\x1f\x8b"):
                raise IngestError("not a gzip file (it does not start with the gzip signature)")
            raw.seek(0)
            stream: IO[bytes] = io.BufferedReader(GunzipReader(raw))
        else:
            stream = raw
        try:
            yield from _jsonl_records(_binary_lines(stream), name, limit)
        except EOFError:
            yield FileError(name, "truncated gzip file (compressed stream ends early)")
        except (gzip.BadGzipFile, zlib.error) as err:
            yield FileError(name, f"corrupt gzip file ({err})")
            return
        if gz and stream.raw.truncated:  # type: ignore[attr-defined]
            yield FileError(name, "truncated gzip file (compressed stream ends early)")


class GunzipReader(io.RawIOBase):
    """A gzip stream decompressed as it is read, handing out every byte that
    can be decompressed: a truncated file reads as far as it goes (then
    ``truncated`` is True) instead of failing in a read-ahead buffer and
    losing the whole lines before the cut."""

    CHUNK = 1 << 16

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._inflate = zlib.decompressobj(wbits=31)
        self._pending = b""
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            if self._inflate.eof:  # the end of a gzip member: another may follow
                data = self._inflate.unused_data or self._raw.read(self.CHUNK)
                if not data.strip(b"\x00"):
                    return 0
                self._inflate = zlib.decompressobj(wbits=31)
            elif self._inflate.unconsumed_tail:
                data = self._inflate.unconsumed_tail
            else:
                data = self._raw.read(self.CHUNK)
                if not data:
                    self.truncated = True
                    return 0
            self._pending = self._inflate.decompress(data, len(buffer))
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _binary_lines(stream: IO[bytes]) -> Iterator[tuple[str | None, bool, str | None]]:
    """(decoded line or None, ends with a newline?, reason it failed) per line.

    UTF-16/32 files (with a BOM) are decoded as a whole stream; otherwise each
    line is decoded as UTF-8 on its own, so one bad line costs one record.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, stream))
    start = buffered.peek(4)[:4]
    if start.startswith(codecs.BOM_UTF8):
        buffered.read(3)
    else:
        for bom, codec in _BOMS:
            if start.startswith(bom):
                text_stream = io.TextIOWrapper(buffered, encoding=codec, newline="")
                read_line = functools.partial(text_stream.readline, MAX_LINE_BYTES + 1)
                try:
                    while line := read_line():
                        yield from _capped(line, read_line)
                except UnicodeDecodeError as err:
                    yield None, True, f"not valid {codec.upper()} ({err.reason})"
                return
    sample = buffered.peek(_SNIFF_BYTES)
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise IngestError(f"binary file: {what}, not JSONL")
    if b"\x00" in sample:  # never in UTF-8 JSON text
        raise IngestError("binary file (contains NUL bytes), not JSONL")
    while chunk := buffered.readline(MAX_LINE_BYTES + 1):
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while (rest := buffered.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None, True, f"line too long (> {_mb(MAX_LINE_BYTES)})"
            continue
        try:
            yield chunk.decode("utf-8"), chunk.endswith(b"\n"), None
        except UnicodeDecodeError as err:
            yield None, True, f"not valid UTF-8 (byte 0x{chunk[err.start]:02X} at column {err.start + 1}); JSONL must be UTF-8"


def _capped(line: str, more: Callable[[], str]) -> Iterator[tuple[str | None, bool, str | None]]:
    if len(line) > MAX_LINE_BYTES and not line.endswith("\n"):
        while (rest := more()) and not rest.endswith("\n"):
            pass
        yield None, True, f"line too long (> {_mb(MAX_LINE_BYTES)})"
    else:
        yield line, line.endswith("\n"), None


def _jsonl_records(
    lines: Iterator[tuple[str | None, bool, str | None]], name: str, limit: int
) -> Iterator[RawDocument | FileError]:
    good = bad = 0
    for lineno, (line, complete, failure) in enumerate(lines, start=1):
        where = f"{name}:{lineno}"
        if failure is None and line is not None and not line.strip():
            continue
        try:
            if failure is not None or line is None:
                raise IngestError(failure or "unreadable line")
            yield jsonl_document(line, where, complete=complete, max_article_bytes=limit)
            good += 1
        except IngestError as err:
            bad += 1
            yield FileError(where, str(err))
            if good == 0 and bad >= MAX_LEADING_BAD_LINES:
                yield FileError(name, f"gave up after the first {bad} lines all failed: this does not look like JSONL")
                return
    if good == 0 and bad == 0:
        yield FileError(name, "empty file (no JSON lines)")


def jsonl_document(line: str, where: str, *, complete: bool = True, max_article_bytes: int | None = None) -> RawDocument:
    """One JSONL record -> RawDocument, built like ``eventwire.extract`` builds
    one (``pipeline.make_document``). ``where`` ("file:line") is the source
    path unless the record names its ``source_file``. ``complete`` is False for
    a last line without a newline, which makes a parse error read "truncated"."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        if not complete:
            raise IngestError(f"truncated JSON line (the file ends mid-record: {_json_error(err)})") from None
        raise IngestError(f"invalid JSON ({_json_error(err)})") from None
    except RecursionError:
        raise IngestError("invalid JSON (nested too deeply)") from None
    return record_document(record, where, max_article_bytes=max_article_bytes, what="JSON line")


def _json_error(err: json.JSONDecodeError, *, line: bool = False) -> str:
    """json's message with where it happened; some messages end in "at"
    ("Unterminated string starting at") and take the place directly."""
    place = f"line {err.lineno}, column {err.colno}" if line else f"column {err.colno}"
    return f"{err.msg} {place}" if err.msg.endswith(" at") else f"{err.msg} at {place}"


def record_document(record: Any, where: str, *, max_article_bytes: int | None = None, what: str = "record") -> RawDocument:
    """One article record (a parsed JSONL line or JSON object, or a CSV row
    as a dict of strings) -> RawDocument; IngestError naming what is wrong."""
    if not isinstance(record, dict):
        raise IngestError(f"{what} is not an object (got {_json_type(record)})")
    if "text" not in record or record["text"] is None:
        raise IngestError("row has no text" if what == "row" else "JSON object has no 'text' field")
    text = record["text"]
    if not isinstance(text, str):
        raise IngestError(f"'text' must be a string, got {_json_type(text)}")
    if not text.strip():
        raise IngestError("'text' is empty")
    _check_article_length(text, MAX_ARTICLE_BYTES if max_article_bytes is None else max_article_bytes)
    fields = {key: _optional_string(record, key) for key in ("title", "url", "published", "outlet", "source_file")}
    record_id = record.get("id")
    if record_id is not None and not isinstance(record_id, str | int):
        raise IngestError(f"'id' must be a string or a number, got {_json_type(record_id)}")
    published = _record_date(fields["published"]) if fields["published"] else None
    title = fields["title"] if fields["title"] and fields["title"].strip() else None
    doc = make_document(
        text,
        title=title,
        source=Source(path=fields["source_file"] or _record_path(where, record_id), url=fields["url"], outlet=fields["outlet"]),
    )
    basis: PublishedBasis = "given" if published else "none"
    return dataclasses.replace(doc, published=published, published_basis=basis)


def _json_records(text: str, name: str, limit: int) -> Iterator[RawDocument | FileError]:
    """A ``.json`` file: one article object or an array of them (one
    FileError per bad item); JSON lines in a ``.json`` file are read as JSONL."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and _is_jsonl(text):
            lines = text.split("\n")
            yield from _jsonl_records(((line, i < len(lines) - 1, None) for i, line in enumerate(lines)), name, limit)
            return
        raise IngestError(f"invalid JSON ({_json_error(err, line=True)})") from None
    except RecursionError:
        raise IngestError("invalid JSON (nested too deeply)") from None
    if isinstance(value, dict):
        yield record_document(value, name, max_article_bytes=limit, what="JSON value")
        return
    if not isinstance(value, list):
        raise IngestError(f"JSON file holds {_json_type(value)}, not an article object or an array of them")
    if not value:
        raise IngestError("empty JSON array (no articles)")
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        try:
            yield record_document(item, where, max_article_bytes=limit, what="array item")
        except IngestError as err:
            yield FileError(where, str(err))


def _table_records(text: str, name: str, limit: int, delimiter: str) -> Iterator[RawDocument | FileError]:
    """A ``.csv`` / ``.tsv`` file: a header naming a ``text`` column, then
    one article per row (one FileError per bad row)."""
    kind = "TSV" if delimiter == "\t" else "CSV"
    # An article's text is one field: the csv module's default cap (128 KB)
    # would refuse long articles, which the article limit checks instead.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows, None)
        columns = [c.strip().lower() for c in header or []]
        if "text" not in columns:
            shown = ", ".join(repr(c) for c in columns[:8]) or "none"
            raise IngestError(f"{kind} file has no 'text' column (its header names {shown}); see README, Ingest")
        found = False
        first_line = rows.line_num + 1  # a quoted field may span lines: a row is named by its first
        for row in rows:
            where, first_line = f"{name}:{first_line}", rows.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            found = True
            if len(row) > len(columns):
                yield FileError(where, f"row has {len(row)} fields, the header {len(columns)}")
                continue
            record = {c: cell for c, cell in zip(columns, row, strict=False) if c in RECORD_FIELDS and cell.strip()}
            try:
                yield record_document(record, where, max_article_bytes=limit, what="row")
            except IngestError as err:
                yield FileError(where, str(err))
    except csv.Error as err:
        raise IngestError(f"malformed {kind} at line {rows.line_num} ({err})") from None
    if not found:
        raise IngestError(f"{kind} file has a header but no rows")


def _record_path(path: str, record_id: str | int | None) -> str:
    return path if record_id is None or str(record_id) == "" else f"{path}#{record_id}"


def _optional_string(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise IngestError(f"'{key}' must be a string or null, got {_json_type(value)}")


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), "null"
    )


def _record_date(value: str) -> str:
    """A record's ``published`` as "YYYY-MM-DD": ISO dates and datetimes
    directly, other spellings through dateparser (no relative dates)."""
    head = value.strip()[:10]
    try:
        return date.fromisoformat(head).isoformat()
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(
        value,
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time", "custom-formats", "timestamp"]},
    )
    if parsed is None:
        raise IngestError(f"'published' is not a recognisable date: {value!r}")
    return parsed.date().isoformat()


# ---------------------------------------------------------------------------
# stdin


def _read_stdin(limit: int) -> Iterator[RawDocument | FileError]:
    try:
        text = _stdin_text()
        if _is_jsonl(text):
            lines = text.split("\n")
            pieces = ((line, i < len(lines) - 1, None) for i, line in enumerate(lines))
            yield from _jsonl_records(pieces, STDIN_NAME, limit)
        else:
            yield _text_document(text, STDIN_NAME, limit)
    except IngestError as err:
        yield FileError(STDIN_NAME, str(err))
    except OSError as err:
        yield FileError(STDIN_NAME, _os_reason(err))


def _stdin_text() -> str:
    stream = sys.stdin
    if stream is None:
        raise IngestError("no standard input")
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        data = read_capped(buffer, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            raise IngestError(f"standard input too big (> limit {_mb(MAX_FILE_BYTES)})")
        return decode_bytes(data)
    text = read_capped(stream, MAX_FILE_BYTES)
    if len(text) > MAX_FILE_BYTES:
        raise IngestError(f"standard input too big (> limit {_mb(MAX_FILE_BYTES)})")
    if not text.strip():
        raise IngestError("empty file" if not text else "empty file (only whitespace)")
    _reject_binary_text(text)
    return text


def _is_jsonl(text: str) -> bool:
    """Every non-blank line is a JSON object (split on "\\n" only: U+2028 and
    friends are legal inside JSON strings)."""
    seen = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if not (stripped.startswith("{") and stripped.endswith("}")):
            return False
        try:
            if not isinstance(json.loads(stripped), dict):
                return False
        except (json.JSONDecodeError, RecursionError):
            return False
        seen = True
    return seen


# ---------------------------------------------------------------------------
# WARC (CC-NEWS)


def _read_warc_file(name: str, limit: int) -> Iterator[RawDocument | FileError]:
    """Each HTML response record of a WARC file (plain or gzip, per record or
    whole) as an article; a FileError for a record that cannot be read, and
    one for a file that ends inside a record. Each record gives at most one
    item: the last one's waits until the file is known to be whole, so a cut
    record is one "truncated" error, not that and another."""
    from warcio.archiveiterator import ArchiveIterator

    size = os.path.getsize(name)
    with open(name, "rb") as fh:
        records = ArchiveIterator(fh)
        walk = _WarcWalk()
        failure = None
        try:
            for record in records:
                if walk.pending is not None:
                    yield walk.pending
                walk.pending = None
                walk.number += 1
                failure = walk.take(records, record, name, limit)
                if failure is not None:
                    break
        except Exception as err:  # noqa: BLE001 - sorted into a reason by _warc_failure, or raised again
            if walk.pending is not None:
                yield walk.pending
            yield _warc_failure(err, name, walk.number)
            return
        if failure is not None:
            yield failure
            return
        if walk.number and not _gzip_ends_whole(fh, walk.last_start):
            yield FileError(f"{name}#{walk.number}", "truncated WARC record (the gzip stream ends inside it)")
            return
        if walk.pending is not None:
            yield walk.pending
        if walk.number == 0:
            yield FileError(name, "no complete WARC record (the file is empty or ends inside the first record's header)")
            return
        fh.seek(walk.end)
        if size - walk.end > 0 and fh.read(4096).strip():
            yield FileError(
                f"{name}#{walk.number + 1}", f"truncated WARC record (the file ends inside a record at byte {walk.end:,} of {size:,})"
            )


@dataclasses.dataclass(slots=True)
class _WarcWalk:
    """Where ``_read_warc_file`` is in a file: records seen, the last one's
    item (not yet handed out) and offsets."""

    number: int = 0
    pending: RawDocument | FileError | None = None
    last_start: int = 0
    end: int = 0

    def take(self, records: Any, record: Any, name: str, limit: int) -> FileError | None:
        """Read one record into ``pending``; a FileError that ends the file."""
        where = f"{name}#{self.number}"
        if not str(getattr(record, "format", "warc")).startswith("warc"):
            # warcio also reads the older ARC format and guesses at junk.
            return FileError(name if self.number == 1 else where, "not a readable WARC record (no WARC header)")
        missing = [h for h in ("WARC-Type", "Content-Length") if not record.rec_headers.get_header(h)]
        if missing:  # a header cut short reads as a record without them
            return FileError(where, f"truncated or malformed WARC record (no {' or '.join(missing)} header)")
        item = _warc_record(record, where, limit)
        records.read_to_end(record)
        self.last_start = records.get_record_offset()
        if getattr(record.raw_stream, "limit", 0) and not isinstance(item, FileError):
            # Any record, HTML or not, that the file cuts short (even
            # inside its HTTP headers, which then read as none).
            item = FileError(where, "truncated WARC record (its content is shorter than its Content-Length)")
        self.pending = item
        self.end = records.get_record_offset() + records.get_record_length()
        return None


def _warc_failure(err: Exception, name: str, number: int) -> FileError:
    """The FileError for an exception warcio raised while reading the record
    after record ``number``; anything else is a bug and raised again."""
    from warcio.exceptions import ArchiveLoadFailed

    if isinstance(err, ArchiveLoadFailed):
        return FileError(f"{name}#{number + 1}" if number else name, f"not a readable WARC record ({_first_line(err)})")
    if isinstance(err, EOFError | zlib.error | gzip.BadGzipFile | ValueError):
        return FileError(f"{name}#{number + 1}", f"truncated or corrupt WARC record ({_first_line(err) or type(err).__name__})")
    if isinstance(err, AttributeError | KeyError | IndexError | TypeError):
        # warcio's parser trips over malformed headers (a record without a
        # target URI, say) with errors of its own making.
        return FileError(f"{name}#{number + 1}", f"malformed WARC record ({type(err).__name__}: {_first_line(err)})")
    raise err


def _gzip_ends_whole(fh: IO[bytes], start: int) -> bool:
    """True unless the file is gzip and the member(s) from ``start`` (the last
    record's offset) stop before their end: warcio reads a cut gzip member
    quietly as far as it goes."""
    fh.seek(start)
    if fh.read(2) != b"\x1f\x8b":
        return True
    fh.seek(start)
    inflate = zlib.decompressobj(wbits=31)
    try:
        while chunk := fh.read(1 << 16):
            while chunk:
                inflate.decompress(chunk)
                if not inflate.eof:
                    break
                chunk = inflate.unused_data
                if not chunk.strip(b"\x00"):
                    return True
                inflate = zlib.decompressobj(wbits=31)
    except zlib.error:
        return False
    return inflate.eof


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0][:200] if str(err).strip() else ""


# Top-level media types of response records skipped without a word.
MEDIA_TYPES_SKIPPED = frozenset({"image", "audio", "video", "font"})
# Record types of WARC 1.1 (ISO 28500:2017, section 6).
WARC_RECORD_TYPES = frozenset(
    {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}
)


def _warc_record(record: Any, where: str, limit: int) -> RawDocument | FileError | None:
    """One WARC record: an article, an error, or None for a record that is no
    HTML response (requests, metadata, images)."""
    if record.rec_type not in WARC_RECORD_TYPES:
        # A type the standard does not have is a damaged header, not a record to skip.
        return FileError(where, f"malformed WARC record (unknown WARC-Type {record.rec_type!r})")
    if record.rec_type != "response":
        return None
    content_type = (record.http_headers.get_header("Content-Type") or "").lower() if record.http_headers else ""
    if not content_type:
        return FileError(where, "WARC response record without HTTP headers or Content-Type (damaged or not HTTP)")
    if not content_type.startswith(HTML_CONTENT_TYPES):
        if content_type.split("/", 1)[0] in MEDIA_TYPES_SKIPPED:
            return None  # images, video, fonts: never articles
        # Anything else is reported, so a damaged header cannot hide a page.
        return FileError(where, f"not an HTML response (Content-Type {content_type.split(';')[0]!r})")
    url = record.rec_headers.get_header("WARC-Target-URI")
    stream = record.content_stream()
    try:
        data = read_capped(stream, MAX_RECORD_BYTES)
    except (EOFError, zlib.error) as err:
        return FileError(where, f"truncated or corrupt WARC record ({_first_line(err) or type(err).__name__})")
    if len(data) > MAX_RECORD_BYTES:
        return FileError(where, f"WARC record too big (> limit {_mb(MAX_RECORD_BYTES)})")
    if getattr(record.raw_stream, "limit", 0):
        # warcio stops quietly where the file ends: fewer bytes than announced.
        return FileError(where, "truncated WARC record (its content is shorter than its Content-Length)")
    charset = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type)
    try:
        return _html_document(
            data,
            where,
            limit,
            declared=charset.group(1) if charset else None,
            url=url,
            fallback_date=_warc_date(record.rec_headers.get_header("WARC-Date")),
        )
    except IngestError as err:
        return FileError(where, str(err))


def _warc_date(value: str | None) -> str | None:
    """The day of a WARC-Date ("2023-09-15T10:00:00Z"), or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None
