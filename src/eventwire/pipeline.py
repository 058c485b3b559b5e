"""ingest -> repair -> nlp -> actors -> quotes/timex -> events: one article in,
one ``Article`` record out. The spaCy ``Doc`` lives only inside ``Context``,
which never leaves this module and the extractors it calls."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from . import actors, events, nlp, quotes, repair, timex
from .model import Article, PublishedBasis, RawDocument, Source


@dataclass(slots=True)
class Context:
    """Everything the extractors of one article share."""

    doc: Doc
    text: str
    published: date | None
    clean: repair.CleanText

    def zone_at(self, offset: int) -> str:
        for p in self.clean.paragraphs:
            if p.start <= offset < p.end:
                return p.zone
        return "body"


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


def _analyse(raw: RawDocument, cleaned: repair.CleanText, doc: Doc) -> Article:
    published = _parse_date(raw.published)
    basis: PublishedBasis = raw.published_basis if published else "none"
    ctx = Context(doc=doc, text=cleaned.text, published=published, clean=cleaned)
    if published is None:
        inferred = timex.infer_published(ctx)
        if inferred is not None:
            published, basis = inferred, "text"
            ctx.published = published
    index = actors.resolve(ctx)
    times = timex.extract(ctx)
    found_quotes = quotes.extract(ctx, index)
    doc_id = content_hash(raw.raw_text)
    found_events = events.extract(ctx, index, found_quotes, times, doc_id)
    return Article(
        doc_id=doc_id,
        source=raw.source,
        title=_clean_title(cleaned) or raw.title,
        published=published.isoformat() if published else None,
        published_basis=basis,
        text=cleaned.text,
        raw_text=raw.raw_text,
        raw_map=cleaned.raw_map,
        repairs=cleaned.repairs,
        paragraphs=cleaned.paragraphs,
        entities=tuple(index.entities),
        times=tuple(times),
        quotes=tuple(found_quotes),
        events=tuple(found_events),
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


def context(text: str, *, title: str | None = None, published: date | None = None) -> Context:
    """Clean and parse one text into the Context the extractors share; for
    running a single stage (tests, stage evaluations)."""
    cleaned = repair.clean(make_document(text, title=title))
    return Context(doc=nlp.parse(cleaned.text), text=cleaned.text, published=published, clean=cleaned)


def extract_documents(docs: Iterable[RawDocument], batch_size: int = 32) -> Iterator[Article]:
    """Analyse many documents, parsing them in batches through ``nlp.pipe``."""
    pending = ((d, repair.clean(d)) for d in docs)
    # Keep each document beside its cleaned text while spaCy batches the parse.
    buffered: deque[tuple[RawDocument, repair.CleanText]] = deque()

    def texts() -> Iterator[str]:
        for item in pending:
            buffered.append(item)
            yield item[1].text

    for parsed in nlp.parse_many(texts(), batch_size=batch_size):
        raw, cleaned = buffered.popleft()
        yield _analyse(raw, cleaned, parsed)


def extract(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    source: Source | None = None,
) -> Article:
    """Analyse one article. ``published`` is "YYYY-MM-DD" or None (then the
    text is searched for its date)."""
    raw = make_document(text, title=title, published=published, source=source)
    return next(extract_documents([raw]))


def extract_many(
    items: Iterable[str | RawDocument | dict[str, str | None]], batch_size: int = 32
) -> Iterator[Article]:
    """Analyse an iterable of texts, RawDocuments or dicts with ``text`` and
    optional ``title``, ``published``, ``url``, ``outlet``."""

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

    return extract_documents((as_document(i) for i in items), batch_size=batch_size)
