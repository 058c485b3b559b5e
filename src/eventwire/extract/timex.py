"""Time expressions: recognized and normalized against the publication date.

Recognition starts from spaCy's DATE/TIME entities, trims what they over-take
(ages, a leading "about"/"just", a trailing "earlier"/"later" after a duration,
a "the" before a calendar date), splits ranges ("2009-2010", "between 12 and 18
months") and adds what they miss ("now", "recently", "the near future", clock
times, "every week", weekdays with a part of the day, ...).

Normalization (``normalize``) gives a TIMEX3 ``value`` and ``type``:
calendar dates at their own granularity ("April 2022" -> "2022-04", "2023" ->
"2023"), relative expressions resolved against the anchor (the publication
date) and, where the calendar leaves a choice (a weekday, a month, a month and
day without a year), against the tense of the governing verb: past -> the most
recent occurrence on or before the anchor, future -> the next one on or after
it, otherwise the nearest. Without an anchor, relative expressions keep an
unresolved value ("XXXX-02-07", "XXXX-WXX-5", "PAST_REF") instead of a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from spacy.tokens import Doc, Token

from ..model import TimeExpr
from .context import SKIPPED_ZONES
from .words import word_list, word_map, word_set

if TYPE_CHECKING:
    from .context import Context

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Tense = Literal["past", "present", "future"]

# --- English calendar vocabulary (language, not world knowledge) -------------
# The lists live in data/words/time.toml and data/words/numbers.toml.

_MONTH_NAMES: dict[str, int] = word_map("time", "months")
_MONTH_ABBREVIATIONS: dict[str, int] = word_map("time", "month_abbreviations")
MONTHS: dict[str, int] = {**_MONTH_NAMES, **_MONTH_ABBREVIATIONS}
_WEEKDAY_NAMES: dict[str, int] = word_map("time", "weekdays")
_WEEKDAY_ABBREVIATIONS: dict[str, int] = word_map("time", "weekday_abbreviations")
WEEKDAYS: dict[str, int] = {**_WEEKDAY_NAMES, **_WEEKDAY_ABBREVIATIONS}  # ISO weekday numbers
NUMBER_WORDS: dict[str, float] = {**word_map("numbers", "cardinals"), **word_map("numbers", "duration_counts")}
VAGUE_NUMBERS = word_list("numbers", "vague")
ORDINALS: dict[str, int] = word_map("numbers", "ordinals")
# unit -> (ISO 8601 duration designator, is a time-of-day unit, multiplier)
UNITS: dict[str, tuple[str, bool, int]] = {
    unit: (u["designator"], u["time_of_day"], u["multiplier"]) for unit, u in word_map("time", "units").items()
}
SEASONS: dict[str, str] = word_map("time", "seasons")
# The month a season starts (northern hemisphere) and its last month.
SEASON_MONTHS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
PARTS_OF_DAY: dict[str, str] = word_map("time", "parts_of_day")
SET_ADVERBS: dict[str, str] = word_map("time", "set_adverbs")
PRESENT_WORDS = word_set("time", "present_refs")
PAST_WORDS = word_set("time", "past_refs")
FUTURE_WORDS = word_set("time", "future_refs")

# A month or weekday: its name, or its abbreviation with or without a full stop
# (abbreviations longest first: "sept" before "sep", "thurs" before "thu").
_MONTH_RE = r"(?:" + "|".join(_MONTH_NAMES) + r"|(?:" + "|".join(sorted(_MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")\.?)"
_WEEKDAY_RE = r"(?:" + "|".join(_WEEKDAY_NAMES) + r"|(?:" + "|".join(sorted(_WEEKDAY_ABBREVIATIONS, key=len, reverse=True)) + r")\.?)"
_DAY_RE = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:1[5-9]\d\d|20\d\d|2100)"
_NUM_RE = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT_RE = r"(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")(?:s|es)?"

# A complete day-month-year date, as written in captions, datelines and text.
FULL_DATE = re.compile(
    rf"\b(?:{_WEEKDAY_RE},?\s+)?(?:"
    rf"(?P<m1>{_MONTH_RE})\s+(?P<d1>{_DAY_RE}),?\s+(?P<y1>{_YEAR_RE})"
    rf"|(?P<d2>{_DAY_RE})\s+(?:of\s+)?(?P<m2>{_MONTH_RE}),?\s+(?P<y2>{_YEAR_RE})"
    rf"|(?P<y3>{_YEAR_RE})-(?P<mn3>[01]\d)-(?P<d3>[0-3]\d)"
    rf")\b",
    re.IGNORECASE,
)


def _full_date_of(m: re.Match[str]) -> date | None:
    try:
        if m.group("y1"):
            return date(int(m.group("y1")), MONTHS[m.group("m1").lower().rstrip(".")], _day(m.group("d1")))
        if m.group("y2"):
            return date(int(m.group("y2")), MONTHS[m.group("m2").lower().rstrip(".")], _day(m.group("d2")))
        return date(int(m.group("y3")), int(m.group("mn3")), int(m.group("d3")))
    except (ValueError, KeyError):
        return None


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


# --- tense of the governing verb ----------------------------------------------

_FUTURE_AUX = word_set("modality", "future_aux")
# Verbs whose infinitive complement describes something still to come.
_PLAN_VERBS = word_set("modality", "future_complement_verbs")


def governing_tense(doc: Doc, start: int, end: int) -> Tense | None:
    """The tense of the verb that governs the character span ``[start, end)``:
    the first verb or auxiliary up the dependency tree from the span's root."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok not in span:
            break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    return _verb_tense(tok)


def _verb_tense(verb: Token, depth: int = 0) -> Tense | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX or verb.lower_ in _FUTURE_AUX:
        return "future"
    if "to" in lowers or (verb.tag_ == "VB" and not auxes):
        # An infinitive is prospective only under a verb of planning that is
        # not itself past: "plans to meet" (future) but "agreed to sell in
        # October" (either side of the anchor).
        head = verb.head
        # "is to be held": be + infinitive is a schedule.
        if head.i != verb.i and (head.lemma_.lower() in _PLAN_VERBS or head.lemma_ == "be"):
            head_tense = _verb_tense(head, depth + 1) if depth < 4 else None
            return None if head_tense == "past" else "future"
        return None
    if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
        # Past perfect is past; the present perfect does not combine with a
        # definite past time ("has been postponed until Saturday").
        return "past" if any(a.lemma_ == "have" and a.tag_ == "VBD" for a in auxes) else "present"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl"):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


# --- normalization --------------------------------------------------------------

# Modifiers that do not change the value at our granularity ("early December"
# is December; "the end of last year" is last year; "more than four hours" is
# four hours).
_PREFIXES = re.compile(
    r"^(?:(?:so far|thus far|as of|until|till|up until|since|by|from|in|on|at(?! least| most)|during|for|within|over|"
    r"throughout|about|around|approximately|roughly|nearly|almost|some|just|only|well|"
    r"more than|less than|fewer than|at least|at most|no more than|up to|a mere|mere|under|barely|"
    r"early|late|mid|earlier|later|the (?:very )?(?:end|beginning|start|middle|rest|remainder|close|"
    r"turn|first half|second half|first part|latter part|early part) of|"
    r"(?:end|beginning|start|middle) of|the|all|an entire|the entire|the whole|the full)[\s-]+)+",
    re.IGNORECASE,
)


def _strip_modifiers(s: str) -> str:
    while True:
        m = _PREFIXES.match(s)
        # Keep "the past"/"the future": they carry the meaning.
        if not m or s[m.end() :].strip() in ("", "past", "future", "present", "time", "moment"):
            return s
        s = s[m.end() :]


def _clean(text: str) -> str:
    s = text.lower().strip()
    s = re.sub(r"\s+", " ", s)
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"'s?$", "", s)  # "five years'" / "today's"
    s = re.sub(r"[.,;:]+$", "", s)
    return s.strip()


def _fmt_day(d: date) -> str:
    return d.isoformat()


def _fmt_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _fmt_week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + delta
    return total // 12, total % 12 + 1


def _number(s: str) -> float | None:
    s = s.strip().replace(",", "")
    if s in NUMBER_WORDS:
        return float(NUMBER_WORDS[s])
    try:
        return float(s)
    except ValueError:
        pass
    parts = re.split(r"[-\s]", s)  # "twenty-five"
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None


def _duration_value(qty: float | None, unit: str) -> str:
    designator, is_time, mult = UNITS[unit]
    if qty is None:
        amount = "X"
    else:
        q = qty * mult
        amount = str(int(q)) if q == int(q) else str(q)
    return f"PT{amount}{designator}" if is_time else f"P{amount}{designator}"


def _unit_of(word: str) -> str | None:
    w = word.lower()
    if w in UNITS:
        return w
    for suffix in ("es", "s"):
        if w.endswith(suffix) and w[: -len(suffix)] in UNITS:
            return w[: -len(suffix)]
    if w == "centuries":
        return "century"
    return None


def _resolve_weekday(anchor: date, weekday: int, tense: Tense | None, relation: str) -> date:
    """The date of ``weekday`` (ISO number) relative to ``anchor``.

    ``relation`` is "last", "next" or "" (bare, "this", "on"): "last"/"next" are
    strictly before/after the anchor; a bare weekday follows the tense (past:
    on or before the anchor; future: on or after) and otherwise the nearest."""
    back = (anchor.isoweekday() - weekday) % 7
    fwd = (weekday - anchor.isoweekday()) % 7
    if relation == "last":
        return anchor - timedelta(days=back or 7)
    if relation == "next":
        return anchor + timedelta(days=fwd or 7)
    if tense == "past":
        return anchor - timedelta(days=back)
    if tense == "future":
        return anchor + timedelta(days=fwd)
    return anchor - timedelta(days=back) if back <= fwd else anchor + timedelta(days=fwd)


def _resolve_year(anchor: date, month: int, day: int | None, tense: Tense | None) -> int:
    """The year of a month (and day) written without one: past tense -> not after
    the anchor, future -> not before it, otherwise the nearest."""
    y = anchor.year
    cand = (month, day or 0)
    now = (anchor.month, anchor.day if day else 0)
    if tense == "past":
        return y - 1 if cand > now else y
    if tense == "future":
        return y + 1 if cand < now else y

    def distance(year: int) -> int:
        try:
            return abs((date(year, month, min(day or 1, 28 if month == 2 else day or 1)) - anchor).days)
        except ValueError:
            return 10**6

    if day is None:
        return min((y - 1, y, y + 1), key=lambda yr: abs((yr * 12 + month) - (anchor.year * 12 + anchor.month)))
    return min((y - 1, y, y + 1), key=distance)


def _this_unit(anchor: date, unit: str, delta: int) -> str | None:
    """This/last/next week, month, year, quarter, decade, century, weekend."""
    if unit in ("day", "today"):
        return _fmt_day(anchor + timedelta(days=delta))
    if unit == "week":
        return _fmt_week(anchor + timedelta(weeks=delta))
    if unit == "weekend":
        return _fmt_week(anchor + timedelta(weeks=delta)) + "-WE"
    if unit == "month":
        return _fmt_month(*_add_months(anchor.year, anchor.month, delta))
    if unit == "quarter":
        y, m = _add_months(anchor.year, anchor.month, 3 * delta)
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if unit in ("year", "fiscal year", "calendar year", "school year", "season"):
        return f"{anchor.year + delta:04d}"
    if unit == "decade":
        return f"{anchor.year // 10 + delta:03d}"
    if unit == "century":
        return f"{anchor.year // 100 + delta:02d}"
    return None


def _season_value(anchor: date, season: str, relation: str, tense: Tense | None) -> str:
    """This/last/next summer etc.: "last" is the most recent one already over."""
    first, last = SEASON_MONTHS[season]
    y = anchor.year
    # Winter belongs to the year in which it starts (December).
    ongoing = (first <= anchor.month <= last) if first <= last else anchor.month in (12, 1, 2)
    start_year_now = y - 1 if season == "WI" and anchor.month <= 2 else y
    over = (anchor.month > last) if first <= last else (anchor.month > 2 and anchor.month < 12)
    if relation == "last":
        year = start_year_now if over and season != "WI" else start_year_now - 1
        if season == "WI":
            year = y - 1 if anchor.month >= 3 and anchor.month != 12 else start_year_now - 1
    elif relation == "next":
        year = start_year_now + 1 if ongoing or over else start_year_now
    elif tense == "past" and not ongoing and not over:
        year = start_year_now - 1
    elif tense == "future" and over:
        year = start_year_now + 1
    else:
        year = start_year_now
    return f"{year:04d}-{season}"


def _clock(s: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(a\.?m\.?|p\.?m\.?)?(?:\s*(?:gmt|utc|[a-z]{1,2}t|local time))?", s)
    if not m:
        if s in ("noon", "midday"):
            return 12, 0
        if s == "midnight":
            return 0, 0
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(2) is None and m.group(3) is None:
        return None  # a bare number is not a time
    if m.group(3):
        if hour > 12:
            return None
        if m.group(3).startswith("p") and hour != 12:
            hour += 12
        if m.group(3).startswith("a") and hour == 12:
            hour = 0
    if hour > 24 or minute > 59:
        return None
    return hour, minute


def _fmt_clock(hour: int, minute: int) -> str:
    return f"T{hour:02d}:{minute:02d}"


def normalize(text: str, anchor: date | None, tense: str | None = None) -> tuple[str | None, str]:
    """(TIMEX3 value, type) of a time expression, resolved against ``anchor``.

    ``tense`` is "past", "present" or "future" (the governing verb's tense; it
    picks the occurrence of a weekday or a month written without a year).
    The value is None when the expression is temporal but cannot be valued."""
    t: Tense | None = tense if tense in ("past", "present", "future") else None  # type: ignore[assignment]
    s = _clean(text)
    result = _normalize_clean(s, anchor, t)
    if result is not None:
        return result
    stripped = _strip_modifiers(s)
    if stripped != s:
        result = _normalize_clean(stripped, anchor, t)
        if result is not None:
            return result
        # "by the end of the year": the current one.
        part_of = re.match(r"(?:the )?(?:end|beginning|start|middle|rest|remainder|close) of (?:the )?(year|month|week)$", s)
        part_value = _normalize_clean(f"this {part_of.group(1)}", anchor, t) if part_of else None
        if part_value is not None:
            return part_value
    if anchor is not None:
        parsed = _dateparser_value(stripped, anchor, t)
        if parsed is not None:
            return parsed, "DATE"
    return None, _guess_type(s)


def _guess_type(s: str) -> str:
    if re.search(r"\b(?:every|each|per)\b", s):
        return "SET"
    if re.search(r"\b(?:morning|afternoon|evening|night|noon|midnight|\d{1,2}:\d{2}|[ap]\.?m\b)", s):
        return "TIME"
    if re.search(rf"\b{_UNIT_RE}\b", s) and not re.search(r"\b(?:this|last|next|ago|the)\b", s):
        return "DURATION"
    return "DATE"


def _normalize_clean(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    for rule in _RULES:
        out = rule(s, anchor, tense)
        if out is not None:
            return out
    return None


# Each rule: (cleaned text, anchor, tense) -> (value, type) or None (not mine).


def _rule_refs(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    if s in PRESENT_WORDS:
        return "PRESENT_REF", "DATE"
    if s in PAST_WORDS:
        return "PAST_REF", "DATE"
    if s in FUTURE_WORDS:
        return "FUTURE_REF", "DATE"
    return None


_DAY_WORDS: dict[str, int] = word_map("time", "day_words")


def _rule_day_words(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    m = re.fullmatch(
        r"(today|yesterday|tomorrow|the day before yesterday|the day after tomorrow|tonight|last night|"
        r"this (?:morning|afternoon|evening)|earlier today|later today)(?: (morning|afternoon|evening|night))?",
        s,
    )
    if not m:
        return None
    word, part = m.group(1), m.group(2)
    if word in ("earlier today", "later today"):
        word = "today"
    offset = {"tonight": 0, "last night": -1}.get(word, _DAY_WORDS.get(word, 0))
    if word.startswith("this "):
        part = word.split()[1]
    elif word in ("tonight", "last night"):
        part = "night"
    if anchor is None:
        ref = "PRESENT_REF" if offset == 0 else "PAST_REF" if offset < 0 else "FUTURE_REF"
        return ref, "TIME" if part else "DATE"
    day = _fmt_day(anchor + timedelta(days=offset))
    if part:
        return f"{day}T{PARTS_OF_DAY[part]}", "TIME"
    return day, "DATE"


_RELATION: dict[str, int] = word_map("time", "relations")
_SPAN_RELATIONS = word_set("time", "span_relations")
_REL_RE = "|".join(sorted((re.escape(k) for k in _RELATION), key=len, reverse=True))


def _rule_relative_unit(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    m = re.fullmatch(
        rf"({_REL_RE}) (fiscal year|calendar year|school year|year|month|week|weekend|quarter|decade|century|day)",
        s,
    )
    if not m:
        return None
    delta = _RELATION[m.group(1)]
    if m.group(2) in ("decade", "century") and m.group(1) in _SPAN_RELATIONS:
        # "over the next decade" is the coming ten years, not the 2030s.
        return _duration_value(1, m.group(2)), "DURATION"
    if anchor is None:
        return ("PRESENT_REF" if delta == 0 else "PAST_REF" if delta < 0 else "FUTURE_REF"), "DATE"
    return _this_unit(anchor, m.group(2), delta), "DATE"


def _rule_weekday(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    m = re.fullmatch(
        rf"(?:(this|last|next|on|this past|this coming|coming|past) )?({_WEEKDAY_RE})"
        rf"(?:,? ({_MONTH_RE}) ({_DAY_RE})(?:,? ({_YEAR_RE}))?)?"
        r"(?: (morning|afternoon|evening|night))?",
        s,
    )
    if not m:
        return None
    if m.group(3):  # "Friday, September 15[, 2023]": the calendar date decides
        inner = f"{m.group(3)} {m.group(4)}" + (f" {m.group(5)}" if m.group(5) else "")
        value, _ = normalize(inner, anchor, tense)
        if value and m.group(6):
            return f"{value}T{PARTS_OF_DAY[m.group(6)]}", "TIME"
        return value, "DATE"
    weekday = WEEKDAYS[m.group(2).rstrip(".")]
    relation = {"last": "last", "this past": "last", "past": "last", "next": "next",
                "this coming": "next", "coming": "next"}.get(m.group(1) or "", "")  # fmt: skip
    part = m.group(6)
    if anchor is None:
        value = f"XXXX-WXX-{weekday}"
    else:
        value = _fmt_day(_resolve_weekday(anchor, weekday, tense, relation))
    if part:
        return f"{value}T{PARTS_OF_DAY[part]}", "TIME"
    return value, "DATE"


def _rule_calendar(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    # ISO and numeric dates
    m = re.fullmatch(rf"({_YEAR_RE})-([01]?\d)-([0-3]?\d)", s)
    if m:
        return _safe_day(int(m.group(1)), int(m.group(2)), int(m.group(3))), "DATE"
    m = re.fullmatch(rf"([0-3]?\d)[./]([0-3]?\d)[./]({_YEAR_RE})", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        # Day first unless that is impossible (US month-first then).
        day, month = (a, b) if b <= 12 else (b, a)
        return _safe_day(y, month, day), "DATE"
    # "September 15, 2023" / "15 September 2023" / "Sept. 15" / "15th of September"
    m = re.fullmatch(rf"({_MONTH_RE}) ({_DAY_RE})(?:,? ({_YEAR_RE}))?", s) or None
    if m:
        month, day, year = MONTHS[m.group(1).rstrip(".")], _day(m.group(2)), m.group(3)
    else:
        m = re.fullmatch(rf"(?:the )?({_DAY_RE}) (?:of )?({_MONTH_RE}),?(?: ({_YEAR_RE}))?", s)
        if m:
            month, day, year = MONTHS[m.group(2).rstrip(".")], _day(m.group(1)), m.group(3)
    if m:
        if not 1 <= day <= 31:
            return None
        if year:
            return _safe_day(int(year), month, day), "DATE"
        if anchor is None:
            return f"XXXX-{month:02d}-{day:02d}", "DATE"
        return _safe_day(_resolve_year(anchor, month, day, tense), month, day), "DATE"
    # "April 2022", "April of 2022", "last May", "August"
    m = re.fullmatch(rf"(?:(this|last|next|this past|this coming|past|coming) )?({_MONTH_RE})(?:,? (?:of )?({_YEAR_RE}))?", s)
    if m:
        month = MONTHS[m.group(2).rstrip(".")]
        if m.group(3):
            return _fmt_month(int(m.group(3)), month), "DATE"
        if anchor is None:
            return f"XXXX-{month:02d}", "DATE"
        relation = m.group(1) or ""
        if relation in ("last", "this past", "past"):
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif relation in ("next", "this coming", "coming"):
            year = anchor.year if month > anchor.month else anchor.year + 1
        elif relation == "this":
            year = anchor.year
        else:
            year = _resolve_year(anchor, month, None, tense)
        return _fmt_month(year, month), "DATE"
    # Years, decades, centuries
    m = re.fullmatch(rf"(?:the )?(?:year )?({_YEAR_RE})", s)
    if m:
        return m.group(1), "DATE"
    m = re.fullmatch(r"(?:the )?(\d{3})0'?s", s)
    if m:
        return m.group(1), "DATE"
    m = re.fullmatch(r"(?:the )?'?([2-9])0'?s", s)
    if m:
        century = anchor.year // 100 - (1 if anchor and int(m.group(1)) * 10 > anchor.year % 100 else 0) if anchor else 19
        return f"{century:02d}{m.group(1)}", "DATE"
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th) century|(?:the )?(\w+(?:-\w+)?) century", s)
    if m:
        n = int(m.group(1)) if m.group(1) else ORDINALS.get(m.group(2) or "")
        if n:
            return f"{n - 1:02d}", "DATE"
    # Seasons: "summer 2022", "last summer", "the spring"
    m = re.fullmatch(rf"(?:(this|last|next|this past|this coming|past|coming) )?(spring|summer|autumn|fall|winter)(?:,? (?:of )?({_YEAR_RE}))?", s)
    if m:
        season = SEASONS[m.group(2)]
        if m.group(3):
            return f"{m.group(3)}-{season}", "DATE"
        if anchor is None:
            return f"XXXX-{season}", "DATE"
        relation = {"this past": "last", "past": "last", "this coming": "next", "coming": "next"}.get(
            m.group(1) or "", m.group(1) or ""
        )
        return _season_value(anchor, season, relation, tense), "DATE"
    # Quarters and halves: "the first quarter of 2023", "the second half"
    m = re.fullmatch(rf"(?:the )?(first|second|third|fourth|1st|2nd|3rd|4th) (quarter|half)(?: of ({_YEAR_RE}|this year|last year|next year))?", s)
    if m:
        n = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}[m.group(1)]
        if m.group(2) == "half" and (n > 2 or not m.group(3)):
            return None  # "the first half" alone is a match's, not a year's
        letter = "Q" if m.group(2) == "quarter" else "H"
        year_text = m.group(3)
        if year_text and year_text[0].isdigit():
            year = year_text
        elif anchor is not None:
            delta = {"this year": 0, "last year": -1, "next year": 1}.get(year_text or "this year", 0)
            year = f"{anchor.year + delta:04d}"
        else:
            year = "XXXX"
        return f"{year}-{letter}{n}", "DATE"
    return None


def _safe_day(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


_QTY = rf"({_NUM_RE}(?:[- ]\w+)?|{'|'.join(VAGUE_NUMBERS)})"


def _rule_ago(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    m = re.fullmatch(rf"{_QTY}[- ]({_UNIT_RE}) (ago|from now|hence|earlier|later|before|after)", s) or re.fullmatch(
        rf"()({_UNIT_RE}) (ago)", s
    )
    if not m:
        return None
    unit = _unit_of(m.group(2))
    if unit is None:
        return None
    direction = m.group(3)
    if direction in ("earlier", "later", "before", "after"):
        return None  # relative to another event, not to the anchor
    sign = -1 if direction == "ago" else 1
    qty = _number(m.group(1)) if m.group(1) else None
    if anchor is None or qty is None or qty != int(qty):
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "DATE"
    n = int(qty) * sign
    designator, is_time, mult = UNITS[unit]
    n *= mult
    if is_time:
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "TIME"
    if designator == "D":
        return _fmt_day(anchor + timedelta(days=n)), "DATE"
    if designator == "W":
        return _fmt_week(anchor + timedelta(weeks=n)), "DATE"
    if designator == "M":
        return _fmt_month(*_add_months(anchor.year, anchor.month, n)), "DATE"
    return f"{anchor.year + n:04d}", "DATE"


def _rule_duration(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    m = re.fullmatch(rf"half (?:a|an) ({_UNIT_RE})|(?:a|an|one) ({_UNIT_RE}) and a half", s)
    if m:
        unit = _unit_of(m.group(1) or m.group(2))
        if unit:
            return _duration_value(0.5 if m.group(1) else 1.5, unit), "DURATION"
    # "the past two years", "the next few months", "recent weeks", "four-week", "25 years", "days"
    m = re.fullmatch(
        rf"(?:(?:the )?(?:past|last|next|coming|previous|following|first|final|recent|remaining|subsequent|ensuing|intervening) )?"
        rf"(?:{_QTY}[- ])?({_UNIT_RE})(?:[- ](?:long|old))?",
        s,
    )
    if not m:
        return None
    unit = _unit_of(m.group(2))
    if unit is None:
        return None
    qty_text = m.group(1)
    plural = m.group(2) != unit
    if qty_text is None:
        has_relation = bool(re.match(r"(?:the )?(?:past|last|next|coming|previous|following|recent)\b", s))
        if not plural and not has_relation:
            return None  # a bare "year"/"day" is not a duration
        if not plural and has_relation:
            return None  # "the last week" is a date: handled by the relative rule
        return _duration_value(None, unit), "DURATION"
    qty = _number(qty_text)
    if qty is None and qty_text.split()[0] not in VAGUE_NUMBERS and qty_text not in VAGUE_NUMBERS:
        return None
    return _duration_value(qty, unit), "DURATION"


def _rule_clock(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    m = re.fullmatch(
        rf"(.+?)(?:,? (?:on )?((?:(?:this|last|next) )?{_WEEKDAY_RE}|today|yesterday|tomorrow|"
        rf"{_MONTH_RE} {_DAY_RE}(?:,? {_YEAR_RE})?))?",
        s,
    )
    if not m:
        return None
    clock = _clock(m.group(1).strip())
    if clock is None:
        # "Friday 15:00" order
        m2 = re.fullmatch(rf"((?:(?:this|last|next) )?{_WEEKDAY_RE}|today|yesterday|tomorrow),? (?:at )?(.+)", s)
        if not m2 or (clock := _clock(m2.group(2))) is None:
            return None
        day_text = m2.group(1)
    else:
        day_text = m.group(2)
    if day_text:
        day_value, _ = normalize(day_text, anchor, tense)
    else:
        day_value = _fmt_day(anchor) if anchor else "XXXX-XX-XX"
    return f"{day_value or 'XXXX-XX-XX'}{_fmt_clock(*clock)}", "TIME"


def _rule_part_of_day(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    m = re.fullmatch(r"(?:the |this |that |in the )?(morning|afternoon|evening|night|overnight)", s)
    if not m:
        return None
    day = _fmt_day(anchor) if anchor else "XXXX-XX-XX"
    return f"{day}T{PARTS_OF_DAY[m.group(1)]}", "TIME"


def _rule_set(s: str, anchor: date | None, tense: Tense | None) -> tuple[str | None, str] | None:
    if s in SET_ADVERBS:
        return SET_ADVERBS[s], "SET"
    m = re.fullmatch(rf"(?:once |twice |\w+ times )?(?:every|each|a|an|per)(?: other)?(?: {_QTY})? ({_UNIT_RE}|{_WEEKDAY_RE}|morning|afternoon|evening|night)", s)
    if not m:
        return None
    if s.startswith(("a ", "an ", "per ")) and not re.match(r"(?:once|twice|\w+ times) ", s):
        return None  # "a year" alone is a duration
    word = m.group(2).rstrip(".")
    other = " other " in f" {s} "
    if word in WEEKDAYS:
        return f"XXXX-WXX-{WEEKDAYS[word]}", "SET"
    if word in PARTS_OF_DAY:
        return f"XXXX-XX-XXT{PARTS_OF_DAY[word]}", "SET"
    unit = _unit_of(word)
    if unit is None:
        return None
    qty = _number(m.group(1)) if m.group(1) else 1.0
    if other:
        qty = (qty or 1.0) * 2
    return _duration_value(qty, unit), "SET"


_RULES = (
    _rule_refs,
    _rule_day_words,
    _rule_relative_unit,
    _rule_set,
    _rule_weekday,
    _rule_calendar,
    _rule_ago,
    _rule_clock,
    _rule_part_of_day,
    _rule_duration,
)


@lru_cache(maxsize=8)
def _date_data_parser(prefer: str, base: datetime):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer})


def _dateparser_value(s: str, anchor: date, tense: Tense | None) -> str | None:
    """Last resort for relative phrasings our rules do not know ("in three weeks",
    "a fortnight ago"); never for weekdays or month names, which it resolves
    without regard to tense. Only expressions with a relative cue are accepted:
    dateparser reads almost any word as "today"."""
    if re.search(rf"\b(?:{_WEEKDAY_RE}|{_MONTH_RE})\b", s) or not re.search(
        r"\b(?:ago|from now|in \w+ (?:days|weeks|months|years)|hence)\b", s
    ):
        return None
    base = datetime(anchor.year, anchor.month, anchor.day, 12)
    settings = {"PREFER_DATES_FROM": "future" if tense == "future" else "past"}
    try:
        data = _date_data_parser(settings["PREFER_DATES_FROM"], base).get_date_data(s)
    except Exception:  # noqa: BLE001 - dateparser raises many kinds on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    return period_value(data.date_obj.date(), data.period or "day")


def period_value(d: date, period: str) -> str:
    """The TIMEX3 value of ``d`` at a dateparser period ("year", "month", "week", "day")."""
    if period == "year":
        return f"{d.year:04d}"
    if period == "month":
        return _fmt_month(d.year, d.month)
    if period == "week":
        return _fmt_week(d)
    return _fmt_day(d)


# --- TIMEX3 modifiers ---------------------------------------------------------------

# (modifier words, TIMEX3 mod, applies only before a quantity: "over four hours"
# is MORE_THAN but "over the past year" is "throughout").
_MOD_WORDS: tuple[tuple[str, str, bool], ...] = (
    (r"the (?:very )?(?:beginning|start|dawn|outset) of|(?:beginning|start) of|early", "START", False),
    (r"the (?:very )?middle of|middle of|mid-?", "MID", False),
    (r"the (?:very )?(?:end|close) of|(?:end|close) of|late", "END", False),
    (r"more than|longer than|upwards of|in excess of|(?:just |well )?over", "MORE_THAN", True),
    (r"less than|fewer than|shorter than|almost|nearly|not quite|(?:just )?under", "LESS_THAN", True),
    (r"at least|no less than|a minimum of", "EQUAL_OR_MORE", True),
    (r"at most|no more than|up to|a maximum of", "EQUAL_OR_LESS", True),
    (r"about|around|approximately|roughly|circa|some", "APPROX", True),
)
_QUANTITY_START = re.compile(rf"^(?:{_NUM_RE}|{'|'.join(VAGUE_NUMBERS)})\b", re.IGNORECASE)
_APPROX_AFTER = re.compile(r"^\s+or so\b", re.IGNORECASE)
# Phrases that open an expression without changing it ("by the end of ...").
_OPENERS = r"(?:(?:by|in|at|on|from|until|till|for|during|of|since|the) )*"


def modifier(text: str, before: str = "", after: str = "") -> str | None:
    """The TIMEX3 ``mod`` of the expression ``text``, from its own opening words
    ("the end of last year" -> END, "more than four hours" -> MORE_THAN) or
    the words just ``before`` it ("in early December", "just over a week");
    "... or so" ``after`` it is APPROX."""
    s = re.sub(r"\s+", " ", text.lower()).strip()
    lead = re.sub(r"\s+", " ", before.lower())
    for words, mod, quantity_only in _MOD_WORDS:
        own = re.match(rf"{_OPENERS}(?:{words})(?:\s+|(?<=-))", s)
        rest = s[own.end() :] if own else s
        if not own:
            prior = re.search(rf"(?:^|[^\w-])(?:{words})\s*$", lead) if lead.endswith((" ", "-")) else None
            if prior is None:
                continue
        if quantity_only and not _QUANTITY_START.match(rest) and not re.search(r"\bago$", rest):
            continue
        return mod
    if _APPROX_AFTER.match(after) and _QUANTITY_START.match(s):
        return "APPROX"
    return None


# --- anchored expressions ("three days after the vote") --------------------------------

_ANCHOR_SIGNAL = re.compile(r"^\s+(after|before)\s+", re.IGNORECASE)
_SHIFTABLE = re.compile(r"^P(\d+)([DWMY])$")
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def shift_value(value: str, duration: str, sign: int) -> str | None:
    """A day, month or year value moved by a duration ("P3D", "P2W", "P1M",
    "P5Y") forwards (sign 1) or backwards (-1), at the value's granularity;
    None when either cannot be shifted (times, weeks, vague amounts)."""
    m = _SHIFTABLE.match(duration)
    if m is None:
        return None
    n, unit = int(m.group(1)) * sign, m.group(2)
    if _DAY_VALUE.match(value):
        d = date.fromisoformat(value)
        if unit in ("D", "W"):
            return _fmt_day(d + timedelta(days=n * (7 if unit == "W" else 1)))
        y, mo = _add_months(d.year, d.month, n * (12 if unit == "Y" else 1))
        return _safe_day(y, mo, min(d.day, 28)) if d.day > 28 else _safe_day(y, mo, d.day)
    if re.fullmatch(r"\d{4}-\d{2}", value) and unit in ("M", "Y"):
        return _fmt_month(*_add_months(int(value[:4]), int(value[5:]), n * (12 if unit == "Y" else 1)))
    if re.fullmatch(r"\d{4}", value) and unit == "Y":
        return f"{int(value) + n:04d}"
    return None


def _anchor_of(ctx: Context, times: list[TimeExpr], t: TimeExpr, signal: tuple[int, int], after: int) -> TimeExpr | None:
    """What "<duration> after/before X" is counted from: X itself when it is a
    time expression, else the dated expression of the nearest sentence that
    mentions X's head word ("the vote" <- "... voted on January 20")."""
    following = next((o for o in times if o.start == after), None)
    if following is not None:
        return following if following.value and following.type == "DATE" else None
    words = ctx.doc.char_span(*signal, alignment_mode="expand")
    if words is None or len(words) == 0:
        return None
    objects = [c for c in words[0].children if c.dep_ == "pobj"]
    if not objects or objects[0].pos_ not in ("NOUN", "PROPN"):
        return None
    lemma = objects[0].lemma_.lower()
    candidates: list[TimeExpr] = []
    for o in times:
        if o is t or o.type != "DATE" or not o.value or not re.match(r"^\d{4}", o.value):
            continue
        sentence = ctx.doc.char_span(o.start, o.end, alignment_mode="expand")
        if sentence is None:
            continue
        sent = sentence.sent
        if any(tok.lemma_.lower() == lemma and tok.i != objects[0].i for tok in sent if tok.pos_ in ("NOUN", "VERB")):
            candidates.append(o)
    # The nearest mention before the expression, else the nearest after it.
    before = [o for o in candidates if o.start < t.start]
    if before:
        return max(before, key=lambda o: o.start)
    return min(candidates, key=lambda o: o.start) if candidates else None


def anchor_durations(ctx: Context, times: list[TimeExpr]) -> list[TimeExpr]:
    """"three days after the vote": a duration counted from another expression
    or a dated event becomes the DATE it points to; without a dated anchor it
    stays a DURATION (as TimeML annotates it)."""
    out: list[TimeExpr] = []
    for t in times:
        m = _ANCHOR_SIGNAL.match(ctx.text[t.end : t.end + 12])
        if m is None or t.type != "DURATION" or not t.value or not _SHIFTABLE.match(t.value):
            out.append(t)
            continue
        signal = (t.end + m.start(1), t.end + m.end(1))
        anchor = _anchor_of(ctx, times, t, signal, t.end + m.end())
        sign = 1 if m.group(1).lower() == "after" else -1
        shifted = shift_value(anchor.value, t.value, sign) if anchor is not None and anchor.value else None
        out.append(TimeExpr(t.text, t.start, t.end, shifted, "DATE", t.mod) if shifted else t)
    return out


# --- recognition ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    source: str  # "spacy" or "rule"
    value_text: str | None = None  # what to normalize when it differs from the span's text


# What spaCy misses: references, clock times, sets, weekdays with a part of the day,
# durations like "an hour".
_MISSED = re.compile(
    r"\b(?:"
    r"(?:right )?now(?! that\b)|currently|presently|nowadays|recently|lately|"
    r"the (?:(?:very |not too |not so |foreseeable )?(?:near |distant |immediate )?future|past)(?! \w+ (?:days|weeks|months|years|decades))|"
    r"at the time|at that time|these days|at present|at the moment|"
    r"(?:(?:this|last|next|on) )?" + _WEEKDAY_RE + r"(?: (?:morning|afternoon|evening|night))?|"
    r"(?:today|yesterday|tomorrow|tonight|last night)(?: (?:morning|afternoon|evening|night))?|"
    r"(?:once|twice|\w+ times) (?:a|an|per) (?:" + _UNIT_RE + r")|"
    r"(?:once |twice )?(?:every|each) (?:other )?(?:" + _NUM_RE + r" )?(?:" + _UNIT_RE + "|" + _WEEKDAY_RE
    + r"|morning|afternoon|evening|night)|"
    r"(?-i:hourly|daily|nightly|weekly|monthly|quarterly|annually|yearly)|"
    r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (?:" + _UNIT_RE + r")(?! old\b)|"
    r"\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)(?-i:\s(?:GMT|UTC|[A-Z]{1,2}T))?|"
    r"\d{1,2}:\d{2}(?::\d{2})?(?-i:\s(?:GMT|UTC|[A-Z]{1,2}T))?|"
    r"noon|midnight"
    r")(?!\w)",
    re.IGNORECASE,
)

_AGE = re.compile(
    r"^(?:ages?d?\b|(?:the )?age of\b)|\b[\w-]+[- ](?:years?|months?|weeks?|days?)[- ]old\b", re.IGNORECASE
)
_NUMBER_WORD = re.compile(r"^(?:" + "|".join(NUMBER_WORDS) + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,3}(?:\.\d+)?$")
_LEAD_TRIM = re.compile(
    r"^(?:(?:about|around|approximately|roughly|some|just|only|just over|just under|over|"
    r"within|since|for|in|on|at(?! least| most)|by|between|from)\s+)+",
    re.IGNORECASE,
)
_LEAD_NUMBER_COMMA = re.compile(r"^\d+,\s+")
_TRAIL_RELATION = re.compile(r"\s+(?:earlier|later|before|after|prior)$", re.IGNORECASE)
_THE_BEFORE_CALENDAR = re.compile(
    rf"^the\s+(?=(?:\d{{1,2}}(?:st|nd|rd|th)\s+century|\d{{3}}0'?s|{_YEAR_RE}\b|{_MONTH_RE}\s))", re.IGNORECASE
)
_YEAR_RANGE = re.compile(rf"^({_YEAR_RE})\s*[-–/]\s*(\d{{2}}|{_YEAR_RE})$")
_WORD_RANGE = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|-|–)\s+(.+)$", re.IGNORECASE)
# Modifiers kept in the extent but not where spaCy stretches a duration into
# a measure of something else ("ages 6 months").


def _trim(text: str, start: int, end: int) -> list[_Candidate]:
    """Trim and split one spaCy DATE/TIME span; [] when it is not temporal."""
    span = text[start:end]
    start += len(span) - len(span.lstrip())
    end -= len(span) - len(span.rstrip())
    span = text[start:end]
    # spaCy sometimes takes the sentence's full stop ("January 20."); an
    # abbreviation's own period ("a.m.", "Sept.") stays.
    if re.search(r"(?:\d|[a-z]{4,})[.,;:]$", span) and not re.search(r"\b(?:[ap]\.m|sept)\.$", span, re.IGNORECASE):
        end -= 1
        span = text[start:end]
    if not span or _AGE.search(span) or _in_age_phrase(text, start, end):
        return []
    m = _WORD_RANGE.match(span)
    if m:
        a_start, a_end = start + m.start(1), start + m.end(1)
        b_start = start + m.start(2)
        a_text, b_text = m.group(1), m.group(2)
        unit = re.search(rf"\b({_UNIT_RE})$", b_text, re.IGNORECASE)
        a_value = f"{a_text} {unit.group(1)}" if unit and _number(a_text.lower()) is not None else None
        return [_Candidate(a_start, a_end, "spacy", a_value), _Candidate(b_start, end, "spacy")]
    for pattern in (_LEAD_NUMBER_COMMA, _THE_BEFORE_CALENDAR):
        m = pattern.match(span)
        if m:
            start += m.end()
            span = text[start:end]
    m = _LEAD_TRIM.match(span)
    if m and not re.fullmatch(r"(?:in|at|on) the (?:past|future|time|moment)|at present", span, re.IGNORECASE):
        rest = span[m.end() :]
        # keep "more than"/"almost" out of the extent only when what follows is a full expression
        if rest and (re.match(r"(?:an?|the|\d|[a-z]+ )", rest, re.IGNORECASE)):
            start += m.end()
            span = text[start:end]
    m = _TRAIL_RELATION.search(span)
    if m and re.search(rf"\b{_UNIT_RE}$", span[: m.start()], re.IGNORECASE):
        end = start + m.start()
        span = text[start:end]
    m = _YEAR_RANGE.match(span)
    if m:
        first_end = start + m.end(1)
        second_start = start + m.start(2)
        second = m.group(2)
        full_second = second if len(second) == 4 else m.group(1)[:2] + second
        return [_Candidate(start, first_end, "spacy"), _Candidate(second_start, end, "spacy", full_second)]
    if _BARE_NUMBER.match(span.strip()) or _NUMBER_WORD.match(span.strip()):
        return []  # "65", "48": ages and counts tagged DATE
    if not span.strip():
        return []
    return [_Candidate(start, end, "spacy")]


_EXTENDABLE_UNITS = word_set("time", "extendable_units")
_RELATIVE_WORDS = word_set("time", "relative_words")


def _candidates(ctx: Context) -> list[_Candidate]:
    found: list[_Candidate] = []
    for ent in ctx.doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            start = ent.start_char
            # spaCy sometimes leaves out the determiner that makes "year" a date.
            if ent.start > 0 and ent[0].lower_ in _EXTENDABLE_UNITS and ctx.doc[ent.start - 1].lower_ in _RELATIVE_WORDS:
                start = ctx.doc[ent.start - 1].idx
            found.extend(_trim(ctx.text, start, ent.end_char))
    for m in _MISSED.finditer(ctx.text):
        found.append(_Candidate(m.start(), m.end(), "rule"))
    for m in FULL_DATE.finditer(ctx.text):
        found.append(_Candidate(m.start(), m.end(), "rule"))
    # Longest first; spaCy before rules on equal length; no overlaps.
    found.sort(key=lambda c: (-(c.end - c.start), c.source != "spacy", c.start))
    chosen: list[_Candidate] = []
    for c in found:
        if any(c.start < o.end and o.start < c.end for o in chosen):
            continue
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _in_age_phrase(text: str, start: int, end: int) -> bool:
    """"ages 6 months", "aged 65", "a 22-year-old": a measure of age, not time."""
    before = text[max(0, start - 16) : start].lower()
    after = text[end : end + 5].lower()
    return bool(re.search(r"\bage[sd]?\s+(?:of\s+)?(?:\w+\s*(?:-|–|to)\s*)?$", before) or re.match(r"[- ]old\b", after))


def _is_count(doc: Doc, start: int, end: int) -> bool:
    """"1709 schoolchildren": a four-digit number before a plural noun counts things."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not re.fullmatch(r"\d{4}", span.text) or span.end >= len(doc):
        return False
    return doc[span.end].tag_ == "NNS"


def _elapsed_time(text: str, start: int, end: int) -> str | None:
    """A stopwatch time ("finishing in 3:07:35") is a duration, not a clock time."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2}):(\d{2})", text[start:end])
    if not m or not re.search(r"\b(?:in|of|for|time|times)\s+$", text[max(0, start - 8) : start], re.IGNORECASE):
        return None
    h, mi, sec = (int(g) for g in m.groups())
    return "PT" + (f"{h}H" if h else "") + (f"{mi}M" if mi else "") + (f"{sec}S" if sec else "")


def extract(ctx: Context) -> list[TimeExpr]:
    """All time expressions of the article, in text order, normalized against
    ``ctx.published``. Paragraphs in the credit and boilerplate zones are skipped."""
    times: list[TimeExpr] = []
    for c in _candidates(ctx):
        if ctx.zone_at(c.start) in SKIPPED_ZONES:
            continue
        start, end = c.start, c.end
        span_text = ctx.text[start:end]
        # "on Friday": the preposition is not part of the expression.
        if c.source == "rule" and span_text.lower().startswith("on "):
            start += 3
            span_text = ctx.text[start:end]
        if span_text.lower() in ("may", "sun", "sat", "wed", "mar", "jan", "sept", "dec") and c.source == "rule":
            continue  # ambiguous abbreviations found by rules alone
        if (c.source == "rule" and _in_age_phrase(ctx.text, start, end)) or _is_count(ctx.doc, start, end):
            continue
        elapsed = _elapsed_time(ctx.text, start, end)
        if elapsed is not None:
            times.append(TimeExpr(text=span_text, start=start, end=end, value=elapsed, type="DURATION"))
            continue
        tense = governing_tense(ctx.doc, start, end)
        if re.search(r"\bsince\s+$", ctx.text[max(0, start - 7) : start], re.IGNORECASE):
            tense = "past"  # "since May": the May before the anchor, whatever the verb
        value, kind = normalize(c.value_text or span_text, ctx.published, tense)
        if value is None:
            if c.source == "rule" or _BARE_UNIT.match(span_text):
                continue  # "year" in "new year celebrations": not a time expression
            pieces = _valued_pieces(ctx, start, end)
            if pieces:
                times.extend(pieces)
                continue
        mod = modifier(span_text, ctx.text[max(0, start - 24) : start], ctx.text[end : end + 8])
        times.append(TimeExpr(text=span_text, start=start, end=end, value=value, type=kind, mod=mod))  # type: ignore[arg-type]
    return anchor_durations(ctx, times)


_BARE_UNIT = re.compile(rf"^(?:the )?{_UNIT_RE}$", re.IGNORECASE)
# Where spaCy joins two expressions into one span: "November 20 to December 11",
# "Waitangi Day - February 6 - this year", "2:30 the next day".
_SEPARATOR = re.compile(r"\s+(?:-|–|—|to|and|or|until|through|for)\s+|,\s+|\s*\(|\)\s*|\s+(?=the\b)", re.IGNORECASE)


def _valued_pieces(ctx: Context, start: int, end: int) -> list[TimeExpr]:
    """The parts of an unvalued span that are time expressions on their own."""
    pieces: list[TimeExpr] = []
    cursor = start
    bounds = [(m.start() + start, m.end() + start) for m in _SEPARATOR.finditer(ctx.text[start:end])]
    for sep_start, sep_end in [*bounds, (end, end)]:
        piece_text = ctx.text[cursor:sep_start]
        if piece_text.strip() and not _BARE_NUMBER.match(piece_text.strip()):
            tense = governing_tense(ctx.doc, cursor, sep_start)
            value, kind = normalize(piece_text, ctx.published, tense)
            if value is not None:
                pieces.append(TimeExpr(piece_text, cursor, sep_start, value, kind))  # type: ignore[arg-type]
        cursor = sep_end
    return pieces


def time_for_span(times: list[TimeExpr], start: int, end: int, near: int | None = None) -> TimeExpr | None:
    """The time expression inside ``[start, end)`` (e.g. a sentence) that best
    dates what happens there: a resolved DATE/TIME before a vague reference
    (PAST_REF ...), those before durations and sets; among equals the one
    nearest ``near`` (e.g. an event trigger) or else the first."""
    inside = [t for t in times if start <= t.start and t.end <= end]
    if not inside:
        return None

    def rank(t: TimeExpr) -> tuple[int, int, int]:
        if t.type in ("DATE", "TIME") and t.value and not t.value.endswith("_REF") and "X" not in t.value:
            kind = 0
        elif t.type in ("DATE", "TIME") and t.value:
            kind = 1
        elif t.type in ("DATE", "TIME"):
            kind = 2
        else:
            kind = 3
        distance = abs(t.start - near) if near is not None else 0
        return kind, distance, t.start

    return min(inside, key=rank)


# --- publication date ---------------------------------------------------------------


def infer_published(ctx: Context) -> date | None:
    """The publication date read from the text.

    Rule: among the complete day-month-year dates of the text (outside credit
    and boilerplate paragraphs, and not governed by a future-tense verb, which
    would describe something still to come), take the latest date found in a
    caption or dateline position - a paragraph in the caption zone, a date at
    the start of a paragraph, or a date closing a sentence after a comma
    ("... in <place>, <country>, September 15, 2023.", the wire-photo caption
    idiom). Without such a date, the latest of all, skipping one that lies
    more than a year after every other full date (clearly something planned).
    None when the text has no complete date."""
    preferred: list[date] = []
    others: list[date] = []
    for m in FULL_DATE.finditer(ctx.text):
        if ctx.zone_at(m.start()) in SKIPPED_ZONES:
            continue
        d = _full_date_of(m)
        if d is None:
            continue
        if governing_tense(ctx.doc, m.start(), m.end()) == "future":
            continue
        (preferred if _in_caption_or_dateline(ctx, m.start(), m.end()) else others).append(d)
    if preferred:
        return max(preferred)
    if not others:
        return None
    others.sort()
    if len(others) > 1 and (others[-1] - others[-2]).days > 366:
        return others[-2]
    return others[-1]


def _in_caption_or_dateline(ctx: Context, start: int, end: int) -> bool:
    if ctx.zone_at(start) == "caption":
        return True
    para_start = next((p.start for p in ctx.clean.paragraphs if p.start <= start < p.end), 0)
    before = ctx.text[para_start:start]
    if len(before.strip()) <= 2 or re.fullmatch(r"[A-Z][A-Za-z .'-]{0,40},?\s*(?:\(\w+\))?\s*[-–—,]?\s*", before):
        return True  # "September 15, 2023 -" or "MOSCOW, September 15, 2023"
    after = ctx.text[end : end + 2]
    return before.rstrip().endswith(",") and (after[:1] in (".", "") or after.startswith("\n"))
