"""Questions asked of a store: dyad timelines and series, event lists and
details, actor profiles, quotes, article search and lists.

Plain functions over a ``Store`` returning plain dataclasses; events are the
store's canonical (deduplicated) events. An *actor argument* names one side
of a question in one of three ways:

* a CAMEO actor code prefix, written in capitals ("BLR" matches BLR, BLRGOV,
  BLRMIL, ...; also actors with an alias of that name, such as "NATO"),
* a name, matched as whole words against every alias of the store's actors,
  ignoring case, diacritics and romanization ("smith" matches the actor once
  called "John Smith"; "Zelenskiy" the one called "Volodymyr Zelensky")
  and, for sides that resolved to no actor, the name the event gives, or
* an actor id as the store gives it ("PERSON:volodimir zelensk").

For the API: ``find_events`` (filters and paging), ``event_detail`` (an event
with every report and its offsets), ``Store.article`` (an article with text
and every span), ``actor_profile``, ``actor_entries``, ``timeline`` and
``dyad_series`` (dyad timelines), ``dyad_by_outlet``, ``quotes``,
``search_articles``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .identity import name_key
from .resolve import ResolvedActor, is_actor_id, is_code_argument, resolve_actor
from .store import Store, dyad_key, side_prefix


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


# Canonical events. The first report's article title and publication date are
# the event's own columns: joining ``articles`` would make every query build a
# hash table over all articles.
_EVENT_COLUMNS = (
    "doc_id", "event_id", "date", "date_basis", "title", "published",
    "source_name", "source_actor", "target_name", "target_actor",
    "code", "label", "plover", "goldstein", "quad_class", "modality",
    "attributed_to", "location", "evidence_text", "evidence_start", "evidence_end",
    "event_key", "num_mentions", "num_articles", "num_sources",
    "source_actor_id", "target_actor_id", "gid",
)  # fmt: skip
# TimelineEvent's fields, in its order.
_EVENT_FIELDS = ", ".join(f"e.{c}" if c != "evidence_text" else "e.evidence_text AS evidence" for c in _EVENT_COLUMNS)
_EVENTS_SQL = f"SELECT {_EVENT_FIELDS} FROM events e"

_EVENT_ORDER = " ORDER BY e.date NULLS LAST, e.added, e.doc_id, e.evidence_start, e.event_id"


@dataclass(frozen=True, slots=True)
class ActorArgument:
    """An actor argument as conditions on event sides: a code prefix (with
    ``exact_code``, the whole code), the ids of the actors it names, and the
    names of event sides resolved to no actor it matches."""

    code_prefix: str | None
    actor_ids: tuple[str, ...]
    name_pattern: str | None
    # The names of event sides resolved to no actor (the store's ``unresolved_names``).
    unresolved_names: tuple[str, ...] = ()
    exact_code: bool = False


# An actor argument as typed, or already resolved (``resolve.resolve_actor``).
ActorQuery = str | ResolvedActor


def resolve_argument(store: Store, arg: ActorQuery) -> ActorArgument:
    """An actor argument (resolved by ``resolve.resolve_actor`` when given as
    text, which raises ``ActorQueryError`` for unknown or ambiguous ones) as
    conditions on event sides."""
    resolved = resolve_actor(store, arg, describe=False) if isinstance(arg, str) else arg
    pattern = name_pattern(resolved.query) if resolved.kind == "name" else None
    return ActorArgument(resolved.code, resolved.actor_ids, pattern, resolved.names, resolved.exact)


# Actors with an alias containing the argument's words, compared by name key
# (so "Zelenskiy" finds the actor called "Volodymyr Zelensky").
_ALIAS_MATCH_SQL = """
SELECT actor_id, sum(n)::INTEGER AS n FROM actor_aliases
WHERE (' ' || alias_key || ' ') LIKE ?
GROUP BY actor_id
"""


def alias_like(arg: str) -> str:
    """The LIKE pattern finding ``arg``'s name key as whole words of an alias
    key (keys hold only letters, digits and spaces: nothing to escape)."""
    return f"% {name_key(arg)} %"


# A condition on ``events e`` and its parameters.
Condition = tuple[str, list[Any]]


def _side_condition(store: Store, arg: ActorQuery | ActorArgument, side: str) -> Condition:
    """An SQL condition (and parameters) for the ``side`` ("source" or
    "target") of a canonical event matching an actor argument. Column names
    are literals of this module, never user input."""
    spec = arg if isinstance(arg, ActorArgument) else resolve_argument(store, arg)
    return _any_of(_side_parts(spec, side))


def _side_parts(spec: ActorArgument, side: str) -> list[Condition]:
    """The ways one side can match ``spec``, each alone a selective lookup:
    the code prefix (an equality on the prefix column, first), each actor id
    (an equality the id index answers), the name of an unresolved side."""
    code_col, id_col, name_col = f"e.{side}_actor", f"e.{side}_actor_id", f"e.{side}_name"
    parts: list[Condition] = []
    if spec.code_prefix:
        prefix = side_prefix(spec.code_prefix)
        if _is_prefix(spec):
            # The prefix column is the code's first three letters: nothing to add
            # (a scan over shards checks it on every row it reads).
            parts.append((f"e.{side}_prefix = ?", [prefix]))
        else:
            match = f"{code_col} = ?" if spec.exact_code else f"starts_with({code_col}, ?)"
            parts.append((f"(e.{side}_prefix = ? AND {match})", [prefix, spec.code_prefix]))
    if len(spec.actor_ids) <= _MAX_LOOKUPS:
        parts += [(f"{id_col} = ?", [actor_id]) for actor_id in spec.actor_ids]
    else:
        parts.append(_in_list(id_col, spec.actor_ids))
    if spec.unresolved_names:
        names_in, names_params = _in_list(name_col, spec.unresolved_names)
        parts.append((f"({id_col} IS NULL AND {names_in})", names_params))
    return parts


def _any_of(parts: Sequence[Condition]) -> Condition:
    if not parts:
        return "false", []
    return "(" + " OR ".join(c for c, _ in parts) + ")", [v for _, p in parts for v in p]


def _all_of(parts: Sequence[Condition]) -> Condition:
    if not parts:
        return "true", []
    return "(" + " AND ".join(c for c, _ in parts) + ")", [v for _, p in parts for v in p]


# A conjunction of conditions picking some events; its first condition leads.
Branch = list[Condition]

# Conditions an index answers (see store.py's ``_SCHEMA``). DuckDB uses the
# index only for a lone equality, so a branch led by one is looked up first
# and its other conditions applied to what the lookup found.
_LOOKUPS = frozenset({"e.source_actor_id = ?", "e.target_actor_id = ?"})

# A column of ``events e`` named in a condition.
_CONDITION_COLUMN = re.compile(r"\be\.([a-z_]+)")


def _condition_columns(conditions: Iterable[Condition]) -> set[str]:
    """The columns of ``events e`` the conditions read: a lookup carries only
    these (and the ones asked for), since fetching each column of each row an
    index finds costs about as much as the lookup itself."""
    return {c for sql, _ in conditions for c in _CONDITION_COLUMN.findall(sql)}


def _matching_events(columns: Iterable[str], branches: Sequence[Branch], where: Sequence[Condition] = ()) -> Condition:
    """SQL (and parameters) for the events matching any of ``branches`` and
    all of ``where``, as rows of ``columns`` (and the columns conditions
    read): one SELECT per branch, each leaving out the rows of the branches
    before it, joined by UNION ALL. DuckDB answers each branch with an index
    lookup or an equality pushed into the scan, where one OR over several
    columns would make it read every row."""
    read = _condition_columns([*where, *(c for b in branches for c in b)])
    carried = ", ".join(f"e.{c}" for c in sorted(set(columns) | read))
    lookups: list[str] = []
    lookup_params: list[Any] = []
    selects: list[str] = []
    params: list[Any] = []
    for i, branch in enumerate(branches or [[("false", [])]]):
        source = "events"
        if branch[0][0] in _LOOKUPS:
            # A materialized CTE keeps DuckDB from pushing the other conditions
            # into the lookup's scan.
            source = f"lookup{i}"
            lookups.append(f"{source} AS MATERIALIZED (SELECT {carried} FROM events e WHERE {branch[0][0]})")
            lookup_params += branch[0][1]
            branch = branch[1:]
        condition = _all_of([*branch, _none_of(branches[:i]), *where])
        selects.append(f"SELECT {carried} FROM {source} e WHERE {condition[0]}")
        params += condition[1]
    with_sql = f"WITH {', '.join(lookups)} " if lookups else ""
    return with_sql + " UNION ALL ".join(selects), lookup_params + params


def _none_of(branches: Sequence[Branch]) -> Condition:
    """True for the rows none of ``branches`` picks (NULL counts as no)."""
    if not branches:
        return "true", []
    anyone, params = _any_of([_all_of(b) for b in branches])
    return f"NOT coalesce({anyone}, false)", params


# Longer id lists are passed as one list parameter rather than one placeholder each.
_MAX_IN_LIST = 50
# Timelines found by lookups fetch their rows by key when they are at most this many.
_MAX_FETCHED_KEYS = 5000
# Up to this many actor ids are looked up one by one (one UNION ALL branch each).
_MAX_LOOKUPS = 10


def _in_list(column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
    """A condition (and parameters) for ``column`` being one of ``values``:
    ``IN (?, ?, ...)`` for a few, which DuckDB compares faster than
    ``list_contains`` over one list parameter."""
    if len(values) <= _MAX_IN_LIST:
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)
    return f"list_contains(?, {column})", [list(values)]


def _timeline_events(store: Store, sql: str, params: Sequence[Any]) -> list[TimelineEvent]:
    """The events of ``sql`` (selecting ``_EVENT_FIELDS``, TimelineEvent's
    fields in its order). Built from tuples: a dict per row and keyword
    arguments cost more than the query for a timeline of thousands."""
    return [TimelineEvent(*row) for row in store.tuples(sql, params)]


def _dyad_branches(store: Store, a: ActorQuery, b: ActorQuery) -> list[Branch]:
    """Branches (see ``_matching_events``) picking the events between ``a``
    and ``b`` in either direction."""
    spec_a, spec_b = resolve_argument(store, a), resolve_argument(store, b)
    b_tgt = _any_of(_side_parts(spec_b, "target"))
    b_src = _any_of(_side_parts(spec_b, "source"))
    if _only_codes(spec_a) and _only_codes(spec_b):
        # Both sides are code prefixes: the events lie under one dyad key, an
        # equality DuckDB pushes into the scan, where zone maps over the
        # events (sorted by that key) skip every other dyad's blocks.
        key = dyad_key(side_prefix(spec_a.code_prefix), side_prefix(spec_b.code_prefix))
        if _is_prefix(spec_a) and _is_prefix(spec_b):
            # Each side is a whole prefix: the key alone says which events
            # are the dyad's (either direction), with nothing left to check row by row.
            return [[("e.dyad_key = ?", [key])]]
        a_src, a_tgt = _any_of(_side_parts(spec_a, "source")), _any_of(_side_parts(spec_a, "target"))
        either = _any_of([_all_of([a_src, b_tgt]), _all_of([a_tgt, b_src])])
        return [[("e.dyad_key = ?", [key]), either]]
    if spec_a.code_prefix is None and _event_count(store, spec_b) < _event_count(store, spec_a):
        # The same events, found from the side with fewer of them: each
        # lookup fetches all of one actor's events before the other side
        # is checked.
        spec_a, spec_b = spec_b, spec_a
        b_tgt = _any_of(_side_parts(spec_b, "target"))
        b_src = _any_of(_side_parts(spec_b, "source"))
    return [[part, b_tgt] for part in _side_parts(spec_a, "source")] + [
        [part, b_src] for part in _side_parts(spec_a, "target")
    ]


def _event_count(store: Store, spec: ActorArgument) -> float:
    """How many events finding ``spec``'s events by lookup fetches (from the
    store's summaries); infinite for a code prefix, which is found by a scan."""
    if spec.code_prefix:
        return float("inf")
    n = 0
    if spec.actor_ids:
        # One equality per id: on ``event_stats`` (kept in key order) each
        # reads one block, where an IN list reads them all.
        per_id = " UNION ALL ".join(["SELECT n FROM event_stats WHERE kind = 'actor' AND key = ? AND dim = ''"]
                                    * len(spec.actor_ids))
        n += store.rows(f"SELECT coalesce(sum(n), 0) AS n FROM ({per_id})", spec.actor_ids)[0]["n"]
    if spec.unresolved_names:
        in_names, params = _in_list("name", spec.unresolved_names)
        n += store.rows(f"SELECT coalesce(sum(n), 0) AS n FROM unresolved_names WHERE {in_names}", params)[0]["n"]
    return float(n)


def _only_codes(spec: ActorArgument) -> bool:
    return spec.code_prefix is not None and not spec.actor_ids and spec.name_pattern is None


def _is_prefix(spec: ActorArgument) -> bool:
    """True when ``spec``'s code matches exactly the codes of one side prefix
    (a country, IGO, ...: the events' ``source_prefix``/``target_prefix``)."""
    return spec.code_prefix is not None and not spec.exact_code and side_prefix(spec.code_prefix) == spec.code_prefix


def _date_conditions(start: str | None, end: str | None) -> list[Condition]:
    """Bounds on the event date ("YYYY-MM-DD", inclusive). Dates may be
    partial ("2023-09"); comparing the leading characters keeps a month inside
    a range that starts or ends within it."""
    where: list[Condition] = []
    if start:
        where.append(("e.date >= left(?, length(e.date))", [start]))
    if end:
        where.append(("e.date <= ?", [end]))
    return where


def _event_filters(asserted_only: bool, start: str | None, end: str | None) -> list[Condition]:
    asserted: list[Condition] = [("e.modality = 'asserted'", [])] if asserted_only else []
    return asserted + _date_conditions(start, end)


def timeline(
    store: Store,
    a: ActorQuery,
    b: ActorQuery,
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
    intended, hypothetical, requested, alleged and proposed events. ``limit`` keeps the first events.
    """
    branches, filters = _dyad_branches(store, a, b), _event_filters(asserted_only, start, end)
    if any(branch[0][0] in _LOOKUPS for branch in branches):
        # Index lookups: find the events' keys first, reading only the
        # columns the conditions need, then fetch the few whole rows by key.
        keyed, key_params = _matching_events(("event_key",), branches, filters)
        keys = [r["event_key"] for r in store.rows(f"SELECT DISTINCT event_key FROM ({keyed})", key_params)]
        if len(keys) <= _MAX_FETCHED_KEYS:
            # One list parameter: DuckDB checks it during the scan of the key
            # column, faster here than an IN list of placeholders.
            branches, filters = [[("list_contains(?, e.event_key)", [keys])]], []
    picked, params = _matching_events((*_EVENT_COLUMNS, "added"), branches, filters)
    sql = f"SELECT {_EVENT_FIELDS} FROM ({picked}) e" + _EVENT_ORDER
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _timeline_events(store, sql, params)


def find_events(
    store: Store,
    *,
    actor: ActorQuery | None = None,
    source: ActorQuery | None = None,
    target: ActorQuery | None = None,
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
    asserted/negated/intended/hypothetical/requested/alleged/proposed; ``location`` a whole-word,
    case-insensitive match on the event's place; ``outlet`` keeps events at
    least one report of which came from that outlet (exact, case-insensitive).
    Page with ``limit``/``offset``.
    """
    where: list[Condition] = []
    branches: list[Branch] = [[("true", [])]]
    if actor is not None:
        spec = resolve_argument(store, actor)
        branches = [[part] for part in _side_parts(spec, "source") + _side_parts(spec, "target")]
    if source is not None:
        where.append(_side_condition(store, source, "source"))
    if target is not None:
        where.append(_side_condition(store, target, "target"))
    if code:
        where.append(("starts_with(e.code, ?)", [code]))
    if root:
        where.append(("e.root_code = ?", [root]))
    if modality:
        where.append(("e.modality = ?", [modality]))
    if location:
        where.append(("coalesce(regexp_matches(lower(e.location), ?), false)", [name_pattern(location)]))
    if outlet:
        where.append((
            ("e.event_key IN (SELECT m.event_key FROM event_mentions m JOIN articles o ON o.doc_id = m.doc_id"
            " WHERE lower(o.outlet) = lower(?))"),
            [outlet],
        ))
    where += _date_conditions(start, end)
    picked, params = _matching_events((*_EVENT_COLUMNS, "added"), branches, where)
    sql = f"SELECT {_EVENT_FIELDS} FROM ({picked}) e" + _EVENT_ORDER + " LIMIT ? OFFSET ?"
    return _timeline_events(store, sql, [*params, limit, offset])


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
    return EventDetail(TimelineEvent(**found[0]), tuple(EventReport(**r) for r in reports))


_INTERVALS = ("day", "week", "month", "year")


def dyad_series(
    store: Store,
    a: ActorQuery,
    b: ActorQuery,
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
    picked, params = _matching_events(
        ("day", "goldstein", "quad_class"),
        _dyad_branches(store, a, b),
        [("e.day IS NOT NULL", []), *_event_filters(asserted_only, start, end)],
    )
    sql = f"""
        SELECT strftime(date_trunc('{interval}', e.day), '%Y-%m-%d') AS period,
               count(*)::INTEGER AS events,
               round(sum(e.goldstein), 2) AS goldstein_sum,
               round(avg(e.goldstein), 3) AS goldstein_mean,
               count(*) FILTER (WHERE e.quad_class = 1)::INTEGER AS q1,
               count(*) FILTER (WHERE e.quad_class = 2)::INTEGER AS q2,
               count(*) FILTER (WHERE e.quad_class = 3)::INTEGER AS q3,
               count(*) FILTER (WHERE e.quad_class = 4)::INTEGER AS q4
        FROM ({picked}) e
        GROUP BY 1 ORDER BY 1
    """
    return [
        DyadBucket(r["period"], r["events"], r["goldstein_sum"], r["goldstein_mean"],
                   (r["q1"], r["q2"], r["q3"], r["q4"]))
        for r in store.rows(sql, params)
    ]


def dyad_by_outlet(store: Store, a: ActorQuery, b: ActorQuery, *, asserted_only: bool = True) -> list[OutletBalance]:
    """How each outlet reports the ``a``–``b`` dyad: the events its articles
    report, their Goldstein mean and quad-class counts, most reporting first."""
    picked, params = _matching_events(
        ("event_key", "goldstein", "quad_class"), _dyad_branches(store, a, b), _event_filters(asserted_only, None, None)
    )
    sql = f"""
        SELECT coalesce(o.outlet, '(unknown outlet)') AS outlet,
               count(DISTINCT e.event_key)::INTEGER AS events,
               round(avg(e.goldstein), 3) AS goldstein_mean,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 1)::INTEGER AS q1,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 2)::INTEGER AS q2,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 3)::INTEGER AS q3,
               count(DISTINCT e.event_key) FILTER (WHERE e.quad_class = 4)::INTEGER AS q4
        FROM ({picked}) e
        JOIN event_mentions m ON m.event_key = e.event_key
        JOIN articles o ON o.doc_id = m.doc_id
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
    sql = _QUOTES_SQL + where + " ORDER BY a.published NULLS LAST, q.doc_id, q.start_char, q.seq"
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


def actor_entries(
    store: Store, *, actor_ids: Sequence[str] | None = None, limit: int | None = None
) -> list[ActorEntry]:
    """Actors (all, or those in ``actor_ids``), most seen first, each with its
    aliases, the codes it was given over time (by publication date) and the
    labels ("dictator", "President") each outlet gave it. Entities carry
    their article's date and outlet, so ``articles`` is not read."""
    where, params = "", list[Any]()
    if actor_ids is not None:
        condition, params = _in_list("t.actor_id", actor_ids) if actor_ids else ("false", [])
        where = "WHERE " + condition
    limit_sql = f" LIMIT {int(limit)}" if limit is not None else ""
    # The store's per-actor summaries (``actor_totals``, ``actor_codes``,
    # ``actor_labels``) hold what its entities add up to.
    heads = store.rows(
        f"""
        SELECT t.actor_id, ac.name, ac.type, t.mentions, t.articles
        FROM actor_totals t JOIN actors ac ON ac.actor_id = t.actor_id
        {where}
        ORDER BY t.articles DESC, t.mentions DESC, ac.name, t.actor_id{limit_sql}
        """,
        params,
    )
    ids = [h["actor_id"] for h in heads]
    if not ids:
        return []
    in_ids, id_params = _in_list("actor_id", ids)
    aliases: dict[str, list[Count]] = {i: [] for i in ids}
    for r in store.rows(
        f"SELECT actor_id, alias, n FROM actor_aliases WHERE {in_ids} ORDER BY n DESC, alias", id_params
    ):
        aliases[r["actor_id"]].append(Count(r["alias"], r["n"]))
    codes: dict[str, list[CodeSpan]] = {i: [] for i in ids}
    for r in store.rows(
        f"""
        SELECT actor_id, code, first, last, n FROM actor_codes WHERE {in_ids}
        ORDER BY first NULLS LAST, n DESC, code
        """,
        id_params,
    ):
        codes[r["actor_id"]].append(CodeSpan(r["code"], r["first"], r["last"], r["n"]))
    labels: dict[str, list[OutletLabel]] = {i: [] for i in ids}
    for r in store.rows(
        f"""
        SELECT actor_id, outlet, label, n FROM actor_labels WHERE {in_ids} ORDER BY outlet, n DESC, label
        """,
        id_params,
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
            "SELECT actor_id, n FROM actor_codes WHERE code = ? ORDER BY n DESC, actor_id LIMIT ?", [arg, limit]
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
    summary_key = _summary_key(spec)
    if summary_key is not None:
        return _profile_from_summaries(store, actor, summary_key, top=top, asserted_only=asserted_only)
    src_parts, tgt_parts = _side_parts(spec, "source"), _side_parts(spec, "target")
    (src, src_p), (tgt, tgt_p) = _any_of(src_parts), _any_of(tgt_parts)
    # The actor's events, one selective branch per way of matching; one
    # grouping gives the totals, the partners and the roots.
    picked, picked_p = _matching_events(
        ("goldstein", "quad_class", "date", "root_code", "source_actor", "target_actor"),
        [[part] for part in src_parts + tgt_parts],
        _event_filters(asserted_only, None, None),
    )
    rows = store.rows(
        f"""
        WITH x AS (
            SELECT e.goldstein, e.quad_class, e.date, e.root_code,
                   coalesce({src}, false) AS as_source, coalesce({tgt}, false) AS as_target,
                   CASE WHEN coalesce({src}, false) THEN e.target_actor ELSE e.source_actor END AS partner
            FROM ({picked}) e
        )
        SELECT grouping(partner, root_code) AS level, partner, root_code, count(*)::INTEGER AS n,
               count(*) FILTER (WHERE as_source)::INTEGER AS s, count(*) FILTER (WHERE as_target)::INTEGER AS t,
               round(avg(goldstein), 3) AS g, min(date) AS first, max(date) AS last,
               count(*) FILTER (WHERE quad_class = 1)::INTEGER AS q1,
               count(*) FILTER (WHERE quad_class = 2)::INTEGER AS q2,
               count(*) FILTER (WHERE quad_class = 3)::INTEGER AS q3,
               count(*) FILTER (WHERE quad_class = 4)::INTEGER AS q4
        FROM x GROUP BY GROUPING SETS ((), (partner), (root_code))
        """,
        [*src_p, *tgt_p, *src_p, *picked_p],
    )
    # grouping(): 3 for the totals, 1 per partner, 2 per root.
    totals = next(r for r in rows if r["level"] == 3)
    return ActorProfile(
        query=actor,
        actors=tuple(actor_entries(store, actor_ids=matching_actor_ids(store, actor, top))),
        events_as_source=totals["s"],
        events_as_target=totals["t"],
        goldstein_mean=totals["g"],
        quad_counts=(totals["q1"], totals["q2"], totals["q3"], totals["q4"]),
        first_date=totals["first"],
        last_date=totals["last"],
        top_partners=_top_counts([(r["partner"], r["n"]) for r in rows if r["level"] == 1], top),
        top_roots=_top_counts([(r["root_code"], r["n"]) for r in rows if r["level"] == 2], top),
    )


def _summary_key(spec: ActorArgument) -> tuple[str, str] | None:
    """The row key of the store's ``event_stats`` summarizing exactly the
    events ``spec`` matches: one actor, or one three-letter code prefix;
    None when it matches in several ways (their events may overlap)."""
    if spec.code_prefix is not None:
        alone = (not spec.actor_ids and not spec.exact_code
                 and len(spec.code_prefix) == len(side_prefix(spec.code_prefix) or ""))
        return ("prefix", spec.code_prefix) if alone else None
    if len(spec.actor_ids) == 1 and not spec.unresolved_names:
        return ("actor", spec.actor_ids[0])
    return None


def _profile_from_summaries(
    store: Store, actor: str, key: tuple[str, str], *, top: int, asserted_only: bool
) -> ActorProfile:
    """``actor_profile`` read from the summary rows of one actor or prefix
    (its asserted and, unless ``asserted_only``, other events)."""
    rows = store.rows(
        """
        SELECT dim, value, sum(n)::INTEGER AS n, sum(n_source)::INTEGER AS s, sum(n_target)::INTEGER AS t,
               sum(goldstein_sum) AS g, sum(q1)::INTEGER AS q1, sum(q2)::INTEGER AS q2,
               sum(q3)::INTEGER AS q3, sum(q4)::INTEGER AS q4, min(first) AS first, max(last) AS last
        FROM event_stats WHERE kind = ? AND key = ? AND (asserted OR NOT ?)
        GROUP BY dim, value
        """,
        [*key, asserted_only],
    )
    totals = next((r for r in rows if r["dim"] == ""), None)
    n = totals["n"] if totals else 0
    return ActorProfile(
        query=actor,
        actors=tuple(actor_entries(store, actor_ids=matching_actor_ids(store, actor, top))),
        events_as_source=totals["s"] if totals else 0,
        events_as_target=totals["t"] if totals else 0,
        goldstein_mean=round(float(totals["g"]) / n, 3) if totals and n else None,
        quad_counts=(totals["q1"], totals["q2"], totals["q3"], totals["q4"]) if totals else (0, 0, 0, 0),
        first_date=totals["first"] if totals else None,
        last_date=totals["last"] if totals else None,
        # '' is a partner without a code, which ``_top_counts`` leaves out like NULL.
        top_partners=_top_counts([(r["value"] or None, r["n"]) for r in rows if r["dim"] == "partner"], top),
        top_roots=_top_counts([(r["value"], r["n"]) for r in rows if r["dim"] == "root"], top),
    )


def _top_counts(counted: Sequence[tuple[str | None, int]], top: int) -> tuple[Count, ...]:
    """The ``top`` most frequent values, most first (ties by value); None is no value."""
    ranked = sorted(((v, n) for v, n in counted if v is not None), key=lambda vn: (-vn[1], vn[0]))[:top]
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
