"""ingest -> repair -> nlp -> actors -> quotes/timex -> events: one article in,
one ``Article`` record out. The spaCy ``Doc`` lives only inside ``Context``
(``context.py``), which never leaves this module and the extractors it calls.

Every entry point takes the coding tables to code with (``tables=``, default
``default_tables()``) and an optional ``ExtractTrace`` to fill (``trace=``);
both travel to the stages on the ``Context``, not through module state, so
calls with different tables may run side by side."""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from ..errors import ArticleTimeout, describe_error
from ..model import Article, Entity, Event, FileError, Quote, RawDocument, Source
from ..settings import SETTINGS_BY_NAME, setting
from . import actors, events, nlp, published, quotes, repair, timex
from .context import Context
from .tables import CodingTables, default_tables
from .trace import ExtractTrace


def content_hash(raw_text: str) -> str:
    return hashlib.sha256(raw_text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean_title(cleaned: repair.CleanText) -> str | None:
    """The repaired headline: the text of the title paragraph."""
    for p in cleaned.paragraphs:
        if p.zone == "title":
            return cleaned.text[p.start : p.end]
    return None


def _outside_credits(
    ctx: Context, entities: list[Entity], found_quotes: list[Quote], found_events: list[Event]
) -> tuple[tuple[Entity, ...], tuple[Quote, ...], tuple[Event, ...]]:
    """Drop what lies in credit and boilerplate zones: the extractors skip
    those zones already; this makes it hold whatever an extractor does."""
    kept_entities = []
    for entity in entities:
        mentions = tuple(m for m in entity.mentions if not ctx.in_skipped_zone(m.start))
        if mentions:
            kept_entities.append(entity if len(mentions) == len(entity.mentions) else replace(entity, mentions=mentions))
    kept_quotes = tuple(q for q in found_quotes if not ctx.in_skipped_zone(q.start))
    kept_events = tuple(
        e for e in found_events if not ctx.in_skipped_zone(e.trigger.start) and not ctx.in_skipped_zone(e.evidence.start)
    )
    return tuple(kept_entities), kept_quotes, kept_events


def split_entities_at_glue(doc: Doc, glue_points: list[int]) -> None:
    """A named entity that spans a point where glued words were split
    ("MerkelMacron" -> "Merkel Macron") is two names that markup kept
    apart: split it there, each part keeping the label."""
    if not glue_points:
        return
    points = sorted(glue_points)
    spans = []
    changed = False
    for ent in doc.ents:
        # A binary search: a scan of every point per entity was quadratic
        # in an article of many names and many glue points.
        inside = points[bisect.bisect_right(points, ent.start_char) : bisect.bisect_left(points, ent.end_char)]
        if not inside:
            spans.append(ent)
            continue
        edges = [ent.start_char, *inside, ent.end_char]
        parts = [doc.char_span(a, b, label=ent.label_, alignment_mode="contract") for a, b in itertools.pairwise(edges)]
        if any(part is None or len(part) == 0 for part in parts):
            spans.append(ent)
            continue
        spans.extend(p for p in parts if p is not None)
        changed = True
    if changed:
        doc.ents = spans


def _analyse(
    raw: RawDocument,
    cleaned: repair.CleanText,
    doc: Doc,
    tables: CodingTables,
    trace: ExtractTrace | None = None,
    now: date | None = None,
) -> Article:
    split_entities_at_glue(doc, [r.start for r in cleaned.repairs if r.kind == "glued-words"])
    doc_id = content_hash(raw.raw_text)
    ctx = Context(doc=doc, text=cleaned.text, published=None, clean=cleaned, tables=tables, trace=trace, doc_id=doc_id)
    dated = published.for_context(ctx, _parse_date(raw.published), raw.published_basis, now)
    ctx.published = dated.date
    index = actors.resolve(ctx)
    times = timex.extract(ctx)
    found_quotes = quotes.extract(ctx, index)
    found_events = events.extract(ctx, index, found_quotes, times, doc_id)
    entities, kept_quotes, kept_events = _outside_credits(ctx, list(index.entities), found_quotes, found_events)
    return Article(
        doc_id=doc_id,
        source=raw.source,
        title=_clean_title(cleaned) or raw.title,
        published=dated.date.isoformat() if dated.date else None,
        published_basis=dated.basis,
        text=cleaned.text,
        raw_text=raw.raw_text,
        raw_map=cleaned.raw_map,
        repairs=cleaned.repairs,
        paragraphs=cleaned.paragraphs,
        entities=entities,
        times=tuple(times),
        quotes=kept_quotes,
        events=kept_events,
    )


def make_document(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    source: Source | None = None,
) -> RawDocument:
    """A RawDocument from a body and an optional separate title: the title
    becomes the first line of the raw text, so it is analysed (and mapped) too."""
    raw_text = f"{title}\n\n{text}" if title else text
    return RawDocument(
        raw_text=raw_text,
        title=title,
        published=published,
        published_basis="given" if published else "none",
        source=source or Source(),
    )


# spaCy refuses texts over nlp.max_length (1,000,000 characters) and its
# memory grows with a text's length; longer texts are parsed in chunks of at
# most this many characters. The sentence-start component sets one boundary
# per line and each costs a pass over the doc, so a chunk also holds at most
# CHUNK_LINES line breaks (a text of many tiny lines stays linear).
CHUNK_CHARS = 100_000
CHUNK_LINES = 500
# A sentence end followed by whitespace: the second-best place to cut.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def needs_chunks(text: str, max_chars: int = CHUNK_CHARS, max_lines: int = CHUNK_LINES) -> bool:
    return len(text) > max_chars or text.count("\n", 0, max_chars + 1) > max_lines


def chunk_bounds(text: str, max_chars: int = CHUNK_CHARS, max_lines: int = CHUNK_LINES) -> list[tuple[int, int]]:
    """``[start, end)`` of consecutive chunks covering ``text`` exactly, each
    at most ``max_chars`` long with at most ``max_lines`` line breaks, cut
    after a line break where there is one, else after a sentence end, else
    after whitespace, else (one huge word) anywhere."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = _chunk_end(text, start, max_chars, max_lines)
        bounds.append((start, end))
        start = end
    return bounds or [(0, 0)]


def _chunk_end(text: str, start: int, max_chars: int, max_lines: int) -> int:
    limit = min(len(text), start + max_chars)
    newline = start - 1
    for _ in range(max_lines):
        newline = text.find("\n", newline + 1, limit)
        if newline < 0:
            break
    else:
        if text.find("\n", newline + 1, limit) >= 0:
            limit = newline + 1  # the chunk holds max_lines line breaks and ends at the last
    if limit == len(text):
        return limit
    window = text[start:limit]
    cut = window.rfind("\n") + 1
    if cut == 0:
        ends = [match.end() for match in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends and ends[-1] < len(window) else 0
    if cut == 0:
        cut = max(window.rfind(" "), window.rfind("\t"), window.rfind("\r")) + 1
    return start + (cut or len(window))


# A chunk that is one run without whitespace this long (a megabyte "word",
# a base64 blob, cut into chunks) becomes one token without the tokenizer:
# spaCy searches such a run for affixes at microseconds a character (seconds
# a megabyte) or splits it into thousands of punctuation tokens, and nothing
# in it is a word to tag. The run's whitespace at the chunk's edges stays
# whitespace tokens, so the Doc's text is the chunk exactly.
LONG_RUN_CHARS = 1_000


def _run_doc(piece: str) -> Doc | None:
    core = piece.strip()
    if len(core) < LONG_RUN_CHARS or len(core.split(maxsplit=1)) > 1:
        return None
    lead = piece[: len(piece) - len(piece.lstrip())]
    trail = piece[len(piece.rstrip()) :]
    words = [w for w in (lead, core, trail) if w]
    return Doc(nlp.load().vocab, words=words, spaces=[False] * len(words))


def parse_texts(texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """One Doc per text, like ``nlp.parse_many``; a long text is parsed in
    chunks (``chunk_bounds``) and joined with ``Doc.from_docs``, so its Doc's
    text is the text exactly and every character offset stays valid. The
    joined Doc drops the tok2vec tensor (no extractor reads it) to keep
    memory proportional to the tokens."""
    is_last: deque[bool] = deque()

    def pieces() -> Iterator[str | Doc]:
        for text in texts:
            bounds = chunk_bounds(text) if needs_chunks(text) else [(0, len(text))]
            for i, (start, end) in enumerate(bounds):
                is_last.append(i == len(bounds) - 1)
                piece = text[start:end]
                yield _run_doc(piece) or piece

    parts: list[Doc] = []
    for doc in nlp.parse_many(pieces(), batch_size=batch_size):
        parts.append(doc)
        if is_last.popleft():
            yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]
            parts = []


def context(
    text: str,
    *,
    title: str | None = None,
    published: date | None = None,
    tables: CodingTables | None = None,
    trace: ExtractTrace | None = None,
) -> Context:
    """Clean and parse one text into the Context the extractors share; for
    running a single stage (tests, stage evaluations)."""
    raw = make_document(text, title=title)
    cleaned = repair.clean(raw)
    return Context(
        doc=next(parse_texts([cleaned.text])),
        text=cleaned.text,
        published=published,
        clean=cleaned,
        tables=tables if tables is not None else default_tables(),
        trace=trace,
        doc_id=content_hash(raw.raw_text),
    )


# The extractors of one article (after its parse) may run this long; past it
# the article fails with ArticleTimeout so one pathological article cannot
# stall a batch. The setting ``article_seconds`` (EVENTWIRE_ARTICLE_SECONDS)
# overrides it. Was 300 s while long tokens, many glue points and many names
# cost quadratic time; with those bounded, a 1.2 MB token or 20,000 names
# finish in seconds (docs/reliability.md), and 60 s leaves ample room.
ARTICLE_SECONDS = float(SETTINGS_BY_NAME["article_seconds"].default)


def article_seconds() -> float:
    """The per-article limit in seconds: the setting when the environment
    sets it, else ``ARTICLE_SECONDS``; 0 means none."""
    value = setting("article_seconds")
    if value == SETTINGS_BY_NAME["article_seconds"].default:
        return ARTICLE_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"EVENTWIRE_ARTICLE_SECONDS must be a number of seconds, got {value!r}") from None
    if seconds < 0:
        raise ValueError(f"EVENTWIRE_ARTICLE_SECONDS must not be negative, got {value!r}")
    return seconds


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ArticleTimeout in the block after ``seconds``. Only where a
    timer signal can reach it: in the main thread, when nothing else uses
    SIGALRM; elsewhere (server threads) the block runs unlimited."""
    usable = (
        seconds is not None
        and seconds > 0
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)
    )
    if not usable or seconds is None:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ArticleTimeout(f"analysis took longer than the limit of {seconds:g} s; article skipped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_documents(
    docs: Iterable[RawDocument],
    batch_size: int = 32,
    *,
    tables: CodingTables | None = None,
    trace: ExtractTrace | None = None,
) -> Iterator[Article]:
    """Analyse many documents, parsing them in batches through ``nlp.pipe``.
    Each article's extractors run under ``time_limit(article_seconds())``.

    ``tables``: the dictionaries to code with (None: ``default_tables()``).
    ``trace``: filled with what the records do not hold (``ExtractTrace``)."""
    coding = tables if tables is not None else default_tables()
    limit = article_seconds()
    pending = ((d, repair.clean(d)) for d in docs)
    # Keep each document beside its cleaned text while spaCy batches the parse.
    buffered: deque[tuple[RawDocument, repair.CleanText]] = deque()

    def texts() -> Iterator[str]:
        for item in pending:
            buffered.append(item)
            yield item[1].text

    for parsed in parse_texts(texts(), batch_size=batch_size):
        raw, cleaned = buffered.popleft()
        with time_limit(limit):
            article = _analyse(raw, cleaned, parsed, coding, trace)
        yield article


def extract(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    source: Source | None = None,
    tables: CodingTables | None = None,
    trace: ExtractTrace | None = None,
) -> Article:
    """Analyse one article. ``published`` is "YYYY-MM-DD" or None (then the
    text is searched for its date); ``tables`` and ``trace`` as for
    ``extract_documents``."""
    raw = make_document(text, title=title, published=published, source=source)
    return next(extract_documents([raw], tables=tables, trace=trace))


def extract_many(
    items: Iterable[str | RawDocument | dict[str, str | None]],
    batch_size: int = 32,
    *,
    tables: CodingTables | None = None,
    trace: ExtractTrace | None = None,
) -> Iterator[Article]:
    """Analyse an iterable of texts, RawDocuments or dicts with ``text`` and
    optional ``title``, ``published``, ``url``, ``outlet``; ``tables`` and
    ``trace`` as for ``extract_documents``."""

    def as_document(item: str | RawDocument | dict[str, str | None]) -> RawDocument:
        if isinstance(item, RawDocument):
            return item
        if isinstance(item, str):
            return make_document(item)
        return make_document(
            item.get("text") or "",
            title=item.get("title"),
            published=item.get("published"),
            source=Source(url=item.get("url"), outlet=item.get("outlet")),
        )

    return extract_documents((as_document(i) for i in items), batch_size=batch_size, tables=tables, trace=trace)


BATCH_SIZE = 32


def _error_path(doc: RawDocument) -> str:
    return doc.source.path or doc.source.url or doc.title or "<document>"


def analyse(
    items: Iterable[RawDocument | FileError],
    batch_size: int = BATCH_SIZE,
    *,
    tables: CodingTables | None = None,
    trace: ExtractTrace | None = None,
) -> Iterator[Article | FileError]:
    """Articles for the documents in ``items``, FileErrors passed through;
    ``tables`` and ``trace`` as for ``extract_documents``.

    Documents are parsed in batches; if a batch fails (a bug in a stage, or a
    text spaCy cannot take) each of its documents is retried alone, so one bad
    article becomes one FileError instead of ending the run.
    """
    def run(batch: list[RawDocument]) -> Iterator[Article | FileError]:
        try:
            articles = list(extract_documents(batch, batch_size=batch_size, tables=tables, trace=trace))
        except Exception as err:  # noqa: BLE001 - one bad article must not stop the batch
            if len(batch) == 1:
                yield FileError(_error_path(batch[0]), f"analysis failed: {describe_error(err)}")
                return
            for doc in batch:
                yield from run([doc])
            return
        yield from articles

    batch: list[RawDocument] = []
    for item in items:
        if isinstance(item, FileError):
            yield item
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield from run(batch)
            batch = []
    if batch:
        yield from run(batch)
