"""ingest -> repair -> nlp -> actors -> quotes/timex -> events: one article in,
one ``Article`` record out. The spaCy ``Doc`` lives only inside ``Context``,
which never leaves this module and the extractors it calls."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc

from . import actors, events, nlp, published, quotes, repair, timex
from .model import Article, Entity, Event, Quote, RawDocument, Source


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


# Zones whose text is never a source of entities, quotes or events.
SKIPPED_ZONES = frozenset({"credit", "boilerplate"})


def _in_skipped_zone(ctx: Context, offset: int) -> bool:
    return ctx.zone_at(offset) in SKIPPED_ZONES


def _outside_credits(
    ctx: Context, entities: list[Entity], found_quotes: list[Quote], found_events: list[Event]
) -> tuple[tuple[Entity, ...], tuple[Quote, ...], tuple[Event, ...]]:
    """Drop what lies in credit and boilerplate zones: the extractors skip
    those zones already; this makes it hold whatever an extractor does."""
    kept_entities = []
    for entity in entities:
        mentions = tuple(m for m in entity.mentions if not _in_skipped_zone(ctx, m.start))
        if mentions:
            kept_entities.append(entity if len(mentions) == len(entity.mentions) else replace(entity, mentions=mentions))
    kept_quotes = tuple(q for q in found_quotes if not _in_skipped_zone(ctx, q.start))
    kept_events = tuple(
        e for e in found_events if not _in_skipped_zone(ctx, e.trigger.start) and not _in_skipped_zone(ctx, e.evidence.start)
    )
    return tuple(kept_entities), kept_quotes, kept_events


def split_entities_at_glue(doc: Doc, glue_points: list[int]) -> None:
    """A named entity that spans a point where glued words were split
    ("MerkelMacron" -> "Merkel Macron") is two names that markup kept
    apart: split it there, each part keeping the label."""
    if not glue_points:
        return
    spans = []
    changed = False
    for ent in doc.ents:
        inside = [g for g in glue_points if ent.start_char < g < ent.end_char]
        if not inside:
            spans.append(ent)
            continue
        edges = [ent.start_char, *inside, ent.end_char]
        parts = [doc.char_span(a, b, label=ent.label_, alignment_mode="contract") for a, b in zip(edges, edges[1:], strict=False)]
        if any(part is None or len(part) == 0 for part in parts):
            spans.append(ent)
            continue
        spans.extend(p for p in parts if p is not None)
        changed = True
    if changed:
        doc.ents = spans


def _analyse(raw: RawDocument, cleaned: repair.CleanText, doc: Doc, now: date | None = None) -> Article:
    split_entities_at_glue(doc, [r.start for r in cleaned.repairs if r.kind == "glued-words"])
    ctx = Context(doc=doc, text=cleaned.text, published=None, clean=cleaned)
    dated = published.for_context(ctx, _parse_date(raw.published), raw.published_basis, now)
    ctx.published = dated.date
    index = actors.resolve(ctx)
    times = timex.extract(ctx)
    found_quotes = quotes.extract(ctx, index)
    doc_id = content_hash(raw.raw_text)
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
