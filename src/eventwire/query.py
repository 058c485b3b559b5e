"""Questions asked of a store: dyad timelines, quotes, actors, article lists.

Plain functions over a ``Store`` returning plain dataclasses. An *actor
argument* names one side of a question in either of two ways:

* a CAMEO actor code prefix, written in capitals ("BLR" matches BLR, BLRGOV,
  BLRMIL, ...), or
* a name, matched case-insensitively as whole words against the name an
  event or quote gives the actor and the name of the entity it resolved to
  ("smith" matches "John Smith").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .store import Store

# A capitalised run of letters/digits reads as an actor code (prefix).
_CODE_ARGUMENT = re.compile(r"[A-Z0-9]{3,}")


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    doc_id: str
    event_id: str
    date: str | None
    date_basis: str
    title: str | None
    published: str | None
    source_name: str | None
    source_actor: str | None
    target_name: str | None
    target_actor: str | None
    code: str
    label: str
    plover: str | None
    goldstein: float
    quad_class: int
    modality: str
    attributed_to: str | None
    location: str | None
    evidence: str
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True, slots=True)
class QuoteRow:
    doc_id: str
    title: str | None
    published: str | None
    speaker: str | None
    speaker_name: str | None
    speaker_actor: str | None
    addressee: str | None
    cue: str | None
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ActorSummary:
    name: str
    actor: str | None
    type: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    doc_id: str
    title: str | None
    published: str | None
    published_basis: str
    path: str | None
    url: str | None
    outlet: str | None
    coder_version: str
    entities: int
    quotes: int
    events: int
    # The coded actors most mentioned in the article, most first.
    main_actors: tuple[ActorSummary, ...]


def is_code_argument(arg: str) -> bool:
    return _CODE_ARGUMENT.fullmatch(arg) is not None


def name_pattern(name: str) -> str:
    """An RE2 pattern matching ``name`` (lower-cased) as whole words."""
    words = r"\s+".join(re.escape(w) for w in name.lower().split())
    return rf"(?:^|[^\pL\pN]){words}(?:$|[^\pL\pN])"


def _actor_condition(arg: str, code_col: str, name_cols: Sequence[str]) -> tuple[str, list[Any]]:
    """An SQL condition (and its parameters) for one side matching ``arg``.
    Column names are literals of this module, never user input."""
    parts: list[str] = []
    params: list[Any] = []
    if is_code_argument(arg):
        parts.append(f"starts_with({code_col}, ?)")
        params.append(arg)
    if arg.strip():
        for col in name_cols:
            parts.append(f"coalesce(regexp_matches(lower({col}), ?), false)")
            params.append(name_pattern(arg))
    return ("(" + " OR ".join(parts) + ")" if parts else "false"), params


_TIMELINE_SQL = """
SELECT e.doc_id, e.event_id,
       coalesce(e.date, a.published) AS date,
       CASE WHEN e.date IS NULL AND a.published IS NOT NULL THEN 'published' ELSE e.date_basis END AS date_basis,
       a.title, a.published,
       coalesce(e.source_name, se.name) AS source_name, e.source_actor,
       coalesce(e.target_name, te.name) AS target_name, e.target_actor,
       e.code, e.label, e.plover, e.goldstein, e.quad_class, e.modality,
       e.attributed_to, e.location,
       e.evidence_text AS evidence, e.evidence_start, e.evidence_end
FROM events e
JOIN articles a USING (doc_id)
LEFT JOIN entities se ON se.doc_id = e.doc_id AND se.entity_id = e.source_entity
LEFT JOIN entities te ON te.doc_id = e.doc_id AND te.entity_id = e.target_entity
"""


def timeline(
    store: Store,
    a: str,
    b: str,
    *,
    asserted_only: bool = True,
    start: str | None = None,
    end: str | None = None,
) -> list[TimelineEvent]:
    """Events between actors ``a`` and ``b`` in either direction, in date order.

    An event's date is its own, else its article's publication date. ``start``
    and ``end`` ("YYYY-MM-DD", inclusive) bound it; undated events are left out
    when a bound is given. ``asserted_only`` drops negated, intended and
    hypothetical events.
    """
    a_src, a_src_p = _actor_condition(a, "e.source_actor", ("e.source_name", "se.name"))
    b_tgt, b_tgt_p = _actor_condition(b, "e.target_actor", ("e.target_name", "te.name"))
    b_src, b_src_p = _actor_condition(b, "e.source_actor", ("e.source_name", "se.name"))
    a_tgt, a_tgt_p = _actor_condition(a, "e.target_actor", ("e.target_name", "te.name"))
    where = [f"(({a_src} AND {b_tgt}) OR ({b_src} AND {a_tgt}))"]
    params: list[Any] = [*a_src_p, *b_tgt_p, *b_src_p, *a_tgt_p]
    if asserted_only:
        where.append("e.modality = 'asserted'")
    # Dates may be partial ("2023-09"); comparing the leading characters keeps
    # a month inside a range that starts or ends within it.
    if start:
        where.append("coalesce(e.date, a.published) >= left(?, length(coalesce(e.date, a.published)))")
        params.append(start)
    if end:
        where.append("coalesce(e.date, a.published) <= ?")
        params.append(end)
    sql = (
        _TIMELINE_SQL
        + " WHERE "
        + " AND ".join(where)
        + " ORDER BY date NULLS LAST, a.published NULLS LAST, e.doc_id, e.evidence_start, e.event_id"
    )
    return [TimelineEvent(**row) for row in store.rows(sql, params)]


def goldstein_sum(events: Sequence[TimelineEvent]) -> float:
    return round(sum(e.goldstein for e in events), 2)


_QUOTES_SQL = """
SELECT q.doc_id, a.title, a.published, q.speaker,
       coalesce(q.speaker_name, s.name) AS speaker_name, s.actor AS speaker_actor,
       q.addressee, q.cue, q.kind, q.text, q.start_char AS start, q.end_char AS "end"
FROM quotes q
JOIN articles a USING (doc_id)
LEFT JOIN entities s ON s.doc_id = q.doc_id AND s.entity_id = q.speaker
"""


def quotes(store: Store, speaker: str | None = None) -> list[QuoteRow]:
    """Stored quotes, by article date then position; ``speaker`` (an actor
    argument) keeps only that speaker's."""
    params: list[Any] = []
    where = ""
    if speaker is not None:
        condition, params = _actor_condition(speaker, "s.actor", ("q.speaker_name", "s.name"))
        where = " WHERE " + condition
    sql = _QUOTES_SQL + where + " ORDER BY a.published NULLS LAST, q.doc_id, q.start_char"
    return [QuoteRow(**row) for row in store.rows(sql, params)]


def actors(store: Store, doc_id: str | None = None) -> list[ActorSummary]:
    """Canonical actors — entities grouped by name and code across articles
    (or within ``doc_id``) — with mention and article counts, most seen first."""
    where, params = ("WHERE doc_id = ?", [doc_id]) if doc_id is not None else ("", [])
    sql = f"""
        SELECT name, actor, mode(type) AS type,
               sum(n_mentions)::INTEGER AS mentions,
               count(DISTINCT doc_id)::INTEGER AS articles
        FROM entities {where}
        GROUP BY name, actor
        ORDER BY articles DESC, mentions DESC, name, actor NULLS LAST
    """
    return [ActorSummary(**row) for row in store.rows(sql, params)]


def article_summaries(store: Store, main_actors: int = 5) -> list[ArticleSummary]:
    """Every stored article with its counts and its ``main_actors`` most
    mentioned coded actors, oldest publication first."""
    rows = store.rows(
        """
        SELECT a.doc_id, a.title, a.published, a.published_basis, a.path, a.url,
               a.outlet, a.coder_version,
               (SELECT count(*) FROM entities x WHERE x.doc_id = a.doc_id)::INTEGER AS entities,
               (SELECT count(*) FROM quotes x WHERE x.doc_id = a.doc_id)::INTEGER AS quotes,
               (SELECT count(*) FROM events x WHERE x.doc_id = a.doc_id)::INTEGER AS events
        FROM articles a
        ORDER BY a.published NULLS LAST, a.ingested_at, a.doc_id
        """
    )
    summaries = []
    for row in rows:
        coded = [x for x in actors(store, row["doc_id"]) if x.actor]
        summaries.append(ArticleSummary(**row, main_actors=tuple(coded[:main_actors])))
    return summaries
