"""Questions asked of a store: dyad timelines and series, event lists and
details, actor profiles, quotes, article search and lists.

Plain functions over a ``Store`` returning plain dataclasses; events are the
store's canonical (deduplicated) events. An *actor argument* names one side
of a question in one of three ways:

* a CAMEO actor code prefix, written in capitals ("BLR" matches BLR, BLRGOV,
  BLRMIL, ...; also actors with an alias of that name, such as "NATO"),
* a name, matched as whole words against every alias of the store's actors,
  ignoring case, diacritics and romanization ("smith" matches the actor once
  called "John Smith"; "Lukashenka" the one called "Alexander Lukashenko")
  and, for sides that resolved to no actor, the name the event gives, or
* an actor id as the store gives it ("PERSON:aleksander lukasenk").

For the API: ``find_events`` (filters and paging), ``event_detail`` (an event
with every report and its offsets), ``Store.article`` (an article with text
and every span), ``actor_profile``, ``actor_entries``, ``timeline`` and
``dyad_series`` (dyad timelines), ``dyad_by_outlet``, ``quotes``,
``search_articles``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .identity import name_key
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
    # The canonical event: its key, how often and where it was reported, the
    # store's actor ids of its sides, and its numeric (GDELT-style) id.
    event_key: str = ""
    num_mentions: int = 1
    num_articles: int = 1
    num_sources: int = 1
    source_actor_id: str | None = None
    target_actor_id: str | None = None
    gid: int = 0


@dataclass(frozen=True, slots=True)
class EventReport:
    """One article's report of a canonical event; offsets index that article's text."""

    doc_id: str
    event_id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    code: str
    label: str
    modality: str
    date: str | None
    source_name: str | None
    source_actor: str | None
    target_name: str | None
    target_actor: str | None
    attributed_to: str | None
    evidence: str
    evidence_start: int
    evidence_end: int
    trigger: str
    trigger_start: int
    trigger_end: int


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: TimelineEvent
    reports: tuple[EventReport, ...]


@dataclass(frozen=True, slots=True)
class DyadBucket:
    period: str  # first day of the period, "YYYY-MM-DD"
    events: int
    goldstein_sum: float
    goldstein_mean: float
    quad_counts: tuple[int, int, int, int]  # quad classes 1..4


@dataclass(frozen=True, slots=True)
class OutletBalance:
    outlet: str
    events: int
    goldstein_mean: float
    quad_counts: tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Count:
    """A value and how often it was seen."""

    value: str
    n: int


@dataclass(frozen=True, slots=True)
class CodeSpan:
    """An actor code and the publication dates of the first and last article that gave it."""

    code: str
    first: str | None
    last: str | None
    n: int


@dataclass(frozen=True, slots=True)
class OutletLabel:
    outlet: str
    label: str
    n: int


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One actor across the store: the names, codes and labels it was given."""

    actor_id: str
    name: str
    type: str
    mentions: int
    articles: int
    aliases: tuple[Count, ...]
    codes: tuple[CodeSpan, ...]
    labels: tuple[OutletLabel, ...]


@dataclass(frozen=True, slots=True)
class ActorProfile:
    """What the store says about one actor argument: who it is (the actors it
    matched, at most ``actor_profile``'s ``top``) and the events it took part in."""

    query: str
    actors: tuple[ActorEntry, ...]
    events_as_source: int
    events_as_target: int
    goldstein_mean: float | None
    quad_counts: tuple[int, int, int, int]
    first_date: str | None
    last_date: str | None
    top_partners: tuple[Count, ...]  # the other side's actor code
    top_roots: tuple[Count, ...]  # CAMEO roots


@dataclass(frozen=True, slots=True)
class ArticleHit:
    doc_id: str
    title: str | None
    published: str | None
    outlet: str | None
    start: int  # where the first match starts in the article's text
    snippet: str


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


# Canonical events. The first report's article (title, publication date) is
# fetched afterwards for the rows returned: joining it here would make every
# query build a hash table over all articles.
_EVENTS_SQL = """
SELECT e.doc_id, e.event_id, e.date, e.date_basis,
       e.source_name, e.source_actor, e.target_name, e.target_actor,
       e.code, e.label, e.plover, e.goldstein, e.quad_class, e.modality,
       e.attributed_to, e.location,
       e.evidence_text AS evidence, e.evidence_start, e.evidence_end,
       e.event_key, e.num_mentions, e.num_articles, e.num_sources,
       e.source_actor_id, e.target_actor_id, e.gid
FROM events e
"""

_EVENT_ORDER = " ORDER BY e.date NULLS LAST, e.added, e.doc_id, e.evidence_start, e.event_id"


@dataclass(frozen=True, slots=True)
class ActorArgument:
    """An actor argument resolved against the store: a code prefix, the ids of
    the actors it names, and a name pattern for sides resolved to no actor."""

    code_prefix: str | None
    actor_ids: tuple[str, ...]
    name_pattern: str | None


def resolve_argument(store: Store, arg: str) -> ActorArgument:
    """A code argument is a code prefix plus the actors with an alias of that
    name ("NATO"); a name, the actors with a matching alias plus the pattern;
    an actor id, that actor."""
    if is_actor_id(arg):
        return ActorArgument(None, (arg,), None)
    if not arg.strip():
        return ActorArgument(None, (), None)
    pattern = name_pattern(arg)
    ids = tuple(r["actor_id"] for r in store.rows(_ALIAS_MATCH_SQL + " ORDER BY n DESC, actor_id", [alias_like(arg)]))
    if is_code_argument(arg):
        return ActorArgument(arg, ids, None)
    return ActorArgument(None, ids, pattern)


# Actors with an alias containing the argument's words, compared by name key
# (so "Lukashenka" finds the actor called "Alexander Lukashenko").
_ALIAS_MATCH_SQL = """
SELECT actor_id, sum(n)::INTEGER AS n FROM actor_aliases
WHERE (' ' || alias_key || ' ') LIKE ?
GROUP BY actor_id
"""


def alias_like(arg: str) -> str:
    """The LIKE pattern finding ``arg``'s name key as whole words of an alias
    key (keys hold only letters, digits and spaces: nothing to escape)."""
    return f"% {name_key(arg)} %"


def _side_condition(store: Store, arg: str | ActorArgument, side: str) -> tuple[str, list[Any]]:
    """An SQL condition (and parameters) for the ``side`` ("source" or
    "target") of a canonical event matching an actor argument. Column names
    are literals of this module, never user input."""
    spec = resolve_argument(store, arg) if isinstance(arg, str) else arg
    code_col, id_col, name_col = f"e.{side}_actor", f"e.{side}_actor_id", f"e.{side}_name"
    parts: list[str] = []
    params: list[Any] = []
    if spec.code_prefix:
        parts.append(f"starts_with({code_col}, ?)")
        params.append(spec.code_prefix)
    if spec.actor_ids:
        parts.append(f"list_contains(?, {id_col})")
        params.append(list(spec.actor_ids))
    if spec.name_pattern:
        parts.append(f"({id_col} IS NULL AND coalesce(regexp_matches(lower({name_col}), ?), false))")
        params.append(spec.name_pattern)
    return ("(" + " OR ".join(parts) + ")" if parts else "false"), params


def is_actor_id(arg: str) -> bool:
    """Actor ids are "TYPE:name key" (see ``identity.actor_id_for``)."""
    head, sep, _ = arg.partition(":")
    return bool(sep) and head.isupper() and head.isalpha()


def _with_articles(store: Store, rows: list[dict[str, Any]]) -> list[TimelineEvent]:
    """TimelineEvents for event rows, with their first report's article title
    and publication date."""
    doc_ids = sorted({r["doc_id"] for r in rows})
    articles = {
        r["doc_id"]: r
        for r in store.rows(
            "SELECT doc_id, title, published FROM articles WHERE doc_id IN (SELECT unnest(?))", [doc_ids]
        )
    } if doc_ids else {}
    return [
        TimelineEvent(**r, title=articles[r["doc_id"]]["title"], published=articles[r["doc_id"]]["published"])
        for r in rows
    ]


def _dyad_condition(store: Store, a: str, b: str) -> tuple[str, list[Any]]:
    spec_a, spec_b = resolve_argument(store, a), resolve_argument(store, b)
    a_src, a_src_p = _side_condition(store, spec_a, "source")
    b_tgt, b_tgt_p = _side_condition(store, spec_b, "target")
    b_src, b_src_p = _side_condition(store, spec_b, "source")
    a_tgt, a_tgt_p = _side_condition(store, spec_a, "target")
    return f"(({a_src} AND {b_tgt}) OR ({b_src} AND {a_tgt}))", [*a_src_p, *b_tgt_p, *b_src_p, *a_tgt_p]


def _date_conditions(start: str | None, end: str | None) -> tuple[list[str], list[Any]]:
    """Bounds on the event date ("YYYY-MM-DD", inclusive). Dates may be
    partial ("2023-09"); comparing the leading characters keeps a month inside
    a range that starts or ends within it."""
    where: list[str] = []
    params: list[Any] = []
    if start:
        where.append("e.date >= left(?, length(e.date))")
        params.append(start)
    if end:
        where.append("e.date <= ?")
        params.append(end)
    return where, params


def timeline(
    store: Store,
    a: str,
    b: str,
    *,
    asserted_only: bool = True,
    start: str | None = None,
    end: str | None = None,
    limit: int | None = None,
) -> list[TimelineEvent]:
    """Canonical events between actors ``a`` and ``b`` in either direction, in
    date order, each with its first report's evidence sentence and its
    mention, article and source counts.

    An event's date is its own, else its first article's publication date.
    ``start`` and ``end`` ("YYYY-MM-DD", inclusive) bound it; undated events
    are left out when a bound is given. ``asserted_only`` drops negated,
    intended and hypothetical events. ``limit`` keeps the first events.
    """
    where, params = _dyad_condition(store, a, b)
    conditions = [where]
    if asserted_only:
        conditions.append("e.modality = 'asserted'")
    date_where, date_params = _date_conditions(start, end)
    conditions += date_where
    params += date_params
    sql = _EVENTS_SQL + " WHERE " + " AND ".join(conditions) + _EVENT_ORDER
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _with_articles(store, store.rows(sql, params))


def find_events(
    store: Store,
    *,
    actor: str | None = None,
    source: str | None = None,
    target: str | None = None,
    code: str | None = None,
    root: str | None = None,
    modality: str | None = None,
    start: str | None = None,
    end: str | None = None,
    location: str | None = None,
    outlet: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[TimelineEvent]:
    """Canonical events matching every filter given, in date order, one page.

    ``actor`` matches either side, ``source``/``target`` one side (actor
    arguments as in the module docstring); ``code`` is a CAMEO code prefix
    ("04" or "0431"), ``root`` a CAMEO root ("04"); ``modality`` one of
    asserted/negated/intended/hypothetical; ``location`` a whole-word,
    case-insensitive match on the event's place; ``outlet`` keeps events at
    least one report of which came from that outlet (exact, case-insensitive).
    Page with ``limit``/``offset``.
    """
    conditions: list[str] = []
    params: list[Any] = []

    def add(condition: str, values: list[Any]) -> None:
        conditions.append(condition)
        params.extend(values)

    if actor is not None:
        spec = resolve_argument(store, actor)
        src, src_p = _side_condition(store, spec, "source")
        tgt, tgt_p = _side_condition(store, spec, "target")
        add(f"({src} OR {tgt})", [*src_p, *tgt_p])
    if source is not None:
        add(*_side_condition(store, source, "source"))
    if target is not None:
        add(*_side_condition(store, target, "target"))
    if code:
        add("starts_with(e.code, ?)", [code])
    if root:
        add("e.root_code = ?", [root])
    if modality:
        add("e.modality = ?", [modality])
    if location:
        add("coalesce(regexp_matches(lower(e.location), ?), false)", [name_pattern(location)])
    if outlet:
        add(
            "e.event_key IN (SELECT m.event_key FROM event_mentions m JOIN articles o ON o.doc_id = m.doc_id"
            " WHERE lower(o.outlet) = lower(?))",
            [outlet],
        )
    date_where, date_params = _date_conditions(start, end)
    conditions += date_where
    params += date_params
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    sql = _EVENTS_SQL + where + _EVENT_ORDER + " LIMIT ? OFFSET ?"
    return _with_articles(store, store.rows(sql, [*params, limit, offset]))


def event_detail(store: Store, event_key: str) -> EventDetail | None:
    """One canonical event with every report of it (article, evidence and
    trigger offsets into that article's text); None when unknown."""
    found = store.rows(_EVENTS_SQL + " WHERE e.event_key = ?", [event_key])
    if not found:
        return None
    reports = store.rows(
        """
        SELECT m.doc_id, m.event_id, a.title, a.outlet, a.url, a.published,
               m.code, m.label, m.modality, m.date, m.source_name, m.source_actor,
               m.target_name, m.target_actor, m.attributed_to,
               m.evidence_text AS evidence, m.evidence_start, m.evidence_end,
               m.trigger_text AS trigger, m.trigger_start, m.trigger_end
        FROM event_mentions m JOIN articles a ON a.doc_id = m.doc_id
        WHERE m.event_key = ?
        ORDER BY a.published NULLS LAST, m.doc_id, m.evidence_start, m.event_id
        """,
        [event_key],
    )
    return EventDetail(_with_articles(store, found)[0], tuple(EventReport(**r) for r in reports))


_INTERVALS = ("day", "week", "month", "year")


def dyad_series(
    store: Store,
    a: str,
    b: str,
    *,
    interval: str = "month",
    asserted_only: bool = True,
    start: str | None = None,
    end: str | None = None,
) -> list[DyadBucket]:
    """The ``a``–``b`` dyad per day, week, month or year: events, Goldstein sum
    and mean, and counts per quad class (1 verbal cooperation, 2 material
    cooperation, 3 verbal conflict, 4 material conflict). Only events dated to
    a whole day are placed; periods without events are left out."""
    if interval not in _INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(_INTERVALS)}, not {interval!r}")
    where, params = _dyad_condition(store, a, b)
    conditions = [where, "e.day IS NOT NULL"]
    if asserted_only:
        conditions.append("e.modality = 'asserted'")
    date_where, date_params = _date_conditions(start, end)
    conditions += date_where
    params += date_params
    sql = f"""
        SELECT strftime(date_trunc('{interval}', e.day), '%Y-%m-%d') AS period,
               count(*)::INTEGER AS events,
               round(sum(e.goldstein), 2) AS goldstein_sum,
               round(avg(e.goldstein), 3) AS goldstein_mean,
               count(*) FILTER (WHERE e.quad_class = 1)::INTEGER AS q1,
               count(*) FILTER (WHERE e.quad_class = 2)::INTEGER AS q2,
               count(*) FILTER (WHERE e.quad_class = 3)::INTEGER AS q3,
               count(*) FILTER (WHERE e.quad_class = 4)::INTEGER AS q4
        FROM events e
        WHERE {" AND ".join(conditions)}
        GROUP BY 1 ORDER BY 1
    """
    return [
        DyadBucket(r["period"], r["events"], r["goldstein_sum"], r["goldstein_mean"],
                   (r["q1"], r["q2"], r["q3"], r["q4"]))
        for r in store.rows(sql, params)
    ]


def dyad_by_outlet(store: Store, a: str, b: str, *, asserted_only: bool = True) -> list[OutletBalance]:
    """How each outlet reports the ``a``–``b`` dyad: the events its articles
    report, their Goldstein mean and quad-class counts, most reporting first."""
    where, params = _dyad_condition(store, a, b)
    conditions = [where]
    if asserted_only:
        conditions.append("e.modality = 'asserted'")
    sql = f"""
        SELECT coalesce(o.outlet, '(unknown outlet)') AS outlet,
               count(DISTINCT e.event_key)::INTEGER AS events,
               round(avg(e.goldstein), 3) AS goldstein_mean,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 1)::INTEGER AS q1,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 2)::INTEGER AS q2,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 3)::INTEGER AS q3,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 4)::INTEGER AS q4
        FROM events e
        JOIN event_mentions m ON m.event_key = e.event_key
        JOIN articles o ON o.doc_id = m.doc_id
        WHERE {" AND ".join(conditions)}
        GROUP BY 1 ORDER BY events DESC, outlet
    """
    return [
        OutletBalance(r["outlet"], r["events"], r["goldstein_mean"], (r["q1"], r["q2"], r["q3"], r["q4"]))
        for r in store.rows(sql, params)
    ]


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
    """Actors across the store (or within ``doc_id``), one row per actor and
    code, with mention and article counts, most seen first. ``name`` is the
    actor's display name whatever name each article used."""
    where, params = ("WHERE en.doc_id = ?", [doc_id]) if doc_id is not None else ("", [])
    sql = f"""
        SELECT ac.name, en.actor, ac.type,
               sum(en.n_mentions)::INTEGER AS mentions,
               count(DISTINCT en.doc_id)::INTEGER AS articles
        FROM entities en JOIN actors ac ON ac.actor_id = en.actor_id
        {where}
        GROUP BY en.actor_id, ac.name, en.actor, ac.type
        ORDER BY articles DESC, mentions DESC, ac.name, en.actor NULLS LAST
    """
    return [ActorSummary(**row) for row in store.rows(sql, params)]


# The outlet an article is credited to: its outlet, else its URL's host.
_OUTLET_SQL = "coalesce(a.outlet, nullif(regexp_extract(a.url, '^[a-z]+://([^/]+)', 1), ''), '(unknown outlet)')"


def actor_entries(
    store: Store, *, actor_ids: Sequence[str] | None = None, limit: int | None = None
) -> list[ActorEntry]:
    """Actors (all, or those in ``actor_ids``), most seen first, each with its
    aliases, the codes it was given over time (by publication date) and the
    labels ("dictator", "President") each outlet gave it."""
    where, params = ("WHERE en.actor_id IN (SELECT unnest(?))", [list(actor_ids)]) if actor_ids is not None else ("", [])
    limit_sql = f" LIMIT {int(limit)}" if limit is not None else ""
    heads = store.rows(
        f"""
        SELECT en.actor_id, ac.name, ac.type,
               sum(en.n_mentions)::INTEGER AS mentions, count(DISTINCT en.doc_id)::INTEGER AS articles
        FROM entities en JOIN actors ac ON ac.actor_id = en.actor_id
        {where}
        GROUP BY en.actor_id, ac.name, ac.type
        ORDER BY articles DESC, mentions DESC, ac.name, en.actor_id{limit_sql}
        """,
        params,
    )
    ids = [h["actor_id"] for h in heads]
    aliases: dict[str, list[Count]] = {i: [] for i in ids}
    for r in store.rows(
        "SELECT actor_id, alias, n FROM actor_aliases WHERE actor_id IN (SELECT unnest(?))"
        " ORDER BY n DESC, alias",
        [ids],
    ):
        aliases[r["actor_id"]].append(Count(r["alias"], r["n"]))
    codes: dict[str, list[CodeSpan]] = {i: [] for i in ids}
    for r in store.rows(
        """
        SELECT en.actor_id, en.actor AS code, min(a.published) AS first, max(a.published) AS last,
               count(*)::INTEGER AS n
        FROM entities en JOIN articles a ON a.doc_id = en.doc_id
        WHERE en.actor IS NOT NULL AND en.actor_id IN (SELECT unnest(?))
        GROUP BY 1, 2 ORDER BY first NULLS LAST, n DESC, code
        """,
        [ids],
    ):
        codes[r["actor_id"]].append(CodeSpan(r["code"], r["first"], r["last"], r["n"]))
    labels: dict[str, list[OutletLabel]] = {i: [] for i in ids}
    for r in store.rows(
        f"""
        SELECT actor_id, outlet, label, count(*)::INTEGER AS n FROM (
            SELECT en.actor_id, {_OUTLET_SQL} AS outlet, unnest(en.labels) AS label
            FROM entities en JOIN articles a ON a.doc_id = en.doc_id
            WHERE len(en.labels) > 0 AND en.actor_id IN (SELECT unnest(?))
        ) GROUP BY 1, 2, 3 ORDER BY outlet, n DESC, label
        """,
        [ids],
    ):
        labels[r["actor_id"]].append(OutletLabel(r["outlet"], r["label"], r["n"]))
    return [
        ActorEntry(
            h["actor_id"], h["name"], h["type"], h["mentions"], h["articles"],
            tuple(aliases[h["actor_id"]]), tuple(codes[h["actor_id"]]), tuple(labels[h["actor_id"]]),
        )
        for h in heads
    ]


def matching_actor_ids(store: Store, arg: str, limit: int = 10) -> list[str]:
    """The actors an actor argument names: the id itself, actors given that
    exact code, or actors with an alias matching the name; most seen first."""
    if is_actor_id(arg):
        return [r["actor_id"] for r in store.rows("SELECT actor_id FROM actors WHERE actor_id = ?", [arg])]
    if is_code_argument(arg):
        rows = store.rows(
            "SELECT actor_id, count(*) AS n FROM entities WHERE actor = ? GROUP BY 1 ORDER BY n DESC, actor_id LIMIT ?",
            [arg, limit],
        )
    else:
        rows = store.rows(_ALIAS_MATCH_SQL + " ORDER BY n DESC, actor_id LIMIT ?", [alias_like(arg), limit])
    return [r["actor_id"] for r in rows]


def actor_profile(store: Store, actor: str, *, top: int = 10, asserted_only: bool = False) -> ActorProfile:
    """Everything about one actor argument (a code prefix, a name or an actor
    id): the actors it names, and the canonical events it took part in —
    counts as source and target, Goldstein mean, quad classes, date range,
    its most frequent partners (by code) and CAMEO roots."""
    spec = resolve_argument(store, actor)
    src, src_p = _side_condition(store, spec, "source")
    tgt, tgt_p = _side_condition(store, spec, "target")
    modality = " AND e.modality = 'asserted'" if asserted_only else ""
    # One pass over the events picks the actor's; the aggregates read that small set.
    picked = f"""
        WITH x AS MATERIALIZED (
            SELECT e.goldstein, e.quad_class, e.date, e.root_code, e.source_actor, e.target_actor,
                   {src} AS as_source, {tgt} AS as_target
            FROM events e WHERE ({src} OR {tgt}){modality}
        )
    """
    params = [*src_p, *tgt_p, *src_p, *tgt_p]
    totals = store.rows(
        picked
        + """
        SELECT count(*) FILTER (WHERE as_source)::INTEGER AS s, count(*) FILTER (WHERE as_target)::INTEGER AS t,
               round(avg(goldstein), 3) AS g, min(date) AS first, max(date) AS last,
               count(*) FILTER (WHERE quad_class = 1)::INTEGER AS q1,
               count(*) FILTER (WHERE quad_class = 2)::INTEGER AS q2,
               count(*) FILTER (WHERE quad_class = 3)::INTEGER AS q3,
               count(*) FILTER (WHERE quad_class = 4)::INTEGER AS q4,
               list(CASE WHEN as_source THEN target_actor ELSE source_actor END) AS partners,
               list(root_code) AS roots
        FROM x
        """,
        params,
    )[0]
    return ActorProfile(
        query=actor,
        actors=tuple(actor_entries(store, actor_ids=matching_actor_ids(store, actor, top))),
        events_as_source=totals["s"],
        events_as_target=totals["t"],
        goldstein_mean=totals["g"],
        quad_counts=(totals["q1"], totals["q2"], totals["q3"], totals["q4"]),
        first_date=totals["first"],
        last_date=totals["last"],
        top_partners=_top_counts(totals["partners"] or [], top),
        top_roots=_top_counts(totals["roots"] or [], top),
    )


def _top_counts(values: Sequence[str | None], top: int) -> tuple[Count, ...]:
    counts: dict[str, int] = {}
    for v in values:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return tuple(Count(v, n) for v, n in ranked)


def search_articles(store: Store, text: str, *, limit: int = 20, offset: int = 0) -> list[ArticleHit]:
    """Articles whose text contains ``text`` (case-insensitive), newest first,
    each with a snippet around the first match."""
    if not text.strip():
        return []
    rows = store.rows(
        """
        SELECT doc_id, title, published, outlet, pos - 1 AS start,
               substr(text, greatest(pos - 60, 1), length(?) + 120) AS snippet
        FROM (SELECT *, strpos(lower(text), lower(?)) AS pos FROM articles)
        WHERE pos > 0
        ORDER BY published DESC NULLS LAST, doc_id
        LIMIT ? OFFSET ?
        """,
        [text, text, limit, offset],
    )
    return [ArticleHit(**r) for r in rows]


def article_summaries(store: Store, main_actors: int = 5) -> list[ArticleSummary]:
    """Every stored article with its counts and its ``main_actors`` most
    mentioned coded actors, oldest publication first."""
    rows = store.rows(
        """
        SELECT a.doc_id, a.title, a.published, a.published_basis, a.path, a.url,
               a.outlet, a.coder_version,
               (SELECT count(*) FROM entities x WHERE x.doc_id = a.doc_id)::INTEGER AS entities,
               (SELECT count(*) FROM quotes x WHERE x.doc_id = a.doc_id)::INTEGER AS quotes,
               (SELECT count(*) FROM event_mentions x WHERE x.doc_id = a.doc_id)::INTEGER AS events
        FROM articles a
        ORDER BY a.published NULLS LAST, a.ingested_at, a.doc_id
        """
    )
    summaries = []
    for row in rows:
        coded = [x for x in actors(store, row["doc_id"]) if x.actor]
        summaries.append(ArticleSummary(**row, main_actors=tuple(coded[:main_actors])))
    return summaries
