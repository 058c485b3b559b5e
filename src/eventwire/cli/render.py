"""Text the CLI prints: snippets and quotations on one line, aligned tables,
dyad timelines, actor rows, quote lines and the report's article sections.
Pure functions from records to strings; nothing here reads or writes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..corpus.query import ActorEntry, ActorSummary, CodeSpan, QuoteRow, TimelineEvent
    from ..corpus.resolve import ResolvedActor
    from ..model import Article, LearnedRole

__all__ = [
    "SNIPPET_CHARS",
    "actor_label",
    "actor_table",
    "format_table",
    "learned_table",
    "plural",
    "quote_line",
    "quoted",
    "render_article",
    "render_timeline",
    "resolved_lines",
    "snippet",
]

SNIPPET_CHARS = 90
_QUOTE_MARKS = "\"'“”„‟«»‘’‚‹›"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quoted(text: str, limit: int = SNIPPET_CHARS) -> str:
    """A quotation as one line between curly quotes, whatever marks it came with."""
    return f"“{snippet(text.strip().strip(_QUOTE_MARKS).strip(), limit)}”"


def actor_label(name: str | None, code: str | None) -> str:
    if name and code:
        return f"{name} [{code}]"
    return name or (f"[{code}]" if code else "?")


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns; the last column is never padded."""
    if not rows:
        return ""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers) - 1)]

    def line(cells: Sequence[str]) -> str:
        padded = [str(c).ljust(w) for c, w in zip(cells, widths, strict=False)]
        return "  ".join([*padded, str(cells[-1])]).rstrip()

    rule = "  ".join(["-" * w for w in widths] + ["-" * len(headers[-1])])
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


# ---------------------------------------------------------------------------
# Timelines


def _timeline_rows(events: Sequence[TimelineEvent]) -> list[list[str]]:
    return [
        [
            e.date or "?",
            f"{actor_label(e.source_name, e.source_actor)} → {actor_label(e.target_name, e.target_actor)}",
            e.code,
            e.label,
            f"{e.goldstein:+.1f}",
            e.modality,
            str(e.num_mentions),
            snippet(e.evidence),
        ]
        for e in events
    ]


def render_timeline(events: Sequence[TimelineEvent], a: str, b: str) -> str:
    from ..corpus.query import goldstein_sum

    if not events:
        return f"No events between {a} and {b}."
    table = format_table(
        ["date", "source → target", "code", "label", "goldstein", "modality", "reports", "evidence"],
        _timeline_rows(events),
    )
    return f"{table}\n\n{plural(len(events), 'event')} between {a} and {b}; Goldstein sum {goldstein_sum(events):+.1f}"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """"1 event", "2 events" (``nouns``: an irregular plural)."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def resolved_lines(sides: Sequence[ResolvedActor]) -> str:
    """What each actor argument of a query was taken to mean, one line each."""
    return "\n".join(f"{side.query}: {side.description}" for side in sides)


# ---------------------------------------------------------------------------
# Quotes and actors


def quote_line(q: QuoteRow) -> str:
    """``date  speaker: “text”`` for the ``quotes`` listing."""
    speaker = actor_label(q.speaker_name, q.speaker_actor) if q.speaker_name else "(unattributed)"
    return f"{q.published or '?'}  {speaker}: {quoted(q.text, 200)}"


def _codes_over_time(entry: ActorEntry) -> str:
    def span(c: CodeSpan) -> str:
        if not c.first:
            return c.code
        return f"{c.code} {c.first}" if c.first == c.last else f"{c.code} {c.first}..{c.last}"

    return "; ".join(span(c) for c in entry.codes) or "-"


def _labels_by_outlet(entry: ActorEntry) -> str:
    by_outlet: dict[str, list[str]] = {}
    for label in entry.labels:
        by_outlet.setdefault(label.outlet, []).append(f"{label.label} ({label.n})")
    return "; ".join(f"{outlet}: {', '.join(labels)}" for outlet, labels in by_outlet.items()) or "-"


def actor_table(entries: Sequence[ActorEntry]) -> str:
    """One row per actor identity; empty when there are none."""
    rows = [
        [
            e.name,
            _codes_over_time(e),
            e.type,
            str(e.mentions),
            str(e.articles),
            ", ".join(a.value for a in e.aliases if a.value != e.name) or "-",
            _labels_by_outlet(e),
        ]
        for e in entries
    ]
    headers = ["name", "codes over time", "type", "mentions", "articles", "aliases", "labels by outlet"]
    return format_table(headers, rows)


def learned_table(roles: Sequence[LearnedRole]) -> str:
    """One row per learned role, with the article that taught it and the one
    that ended it; empty when there are none."""
    rows = [
        [r.name, r.code, r.valid_from, r.valid_to or "-", r.title or "-", r.taught_by, r.closed_by or "-"]
        for r in roles
    ]
    return format_table(["person", "code", "valid from", "valid to", "taught by title", "teaching article", "ended by"], rows)


# ---------------------------------------------------------------------------
# The report's article sections


def render_article(article: Article, main_actors: Sequence[ActorSummary]) -> str:
    lines = [f"## {article.title or '(untitled)'}"]
    basis = f" ({article.published_basis})" if article.published else ""
    lines.append(f"Published: {article.published or 'unknown'}{basis}")
    where = article.source.url or article.source.path
    if where:
        lines.append(f"Source: {where}")
    lines.append(f"Doc id: {article.doc_id}")
    if main_actors:
        lines.append("Main actors: " + ", ".join(f"{a.name} [{a.actor}]" for a in main_actors))
    lines.append("")
    lines.append(f"Quotes ({len(article.quotes)}):")
    for q in article.quotes:
        entity = article.entity(q.speaker) if q.speaker else None
        name = q.speaker_name or (entity.name if entity else None)
        speaker = actor_label(name, entity.actor if entity else None) if name else "(unattributed)"
        lines.append(f"  - {speaker}: {quoted(q.text, 160)}")
    lines.append("")
    lines.append(f"Events ({len(article.events)}):")
    for e in article.events:
        source = actor_label(e.source.name, e.source.actor) if e.source else "?"
        target = actor_label(e.target.name, e.target.actor) if e.target else "?"
        modality = "" if e.modality == "asserted" else f" [{e.modality}]"
        lines.append(f"  - {e.date or '?'}  {source} → {target}  {e.code} {e.label}{modality}")
        lines.append(f"      {quoted(e.evidence.text, 140)}")
    return "\n".join(lines)
