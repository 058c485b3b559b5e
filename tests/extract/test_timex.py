"""Time expressions: recognition, normalization against the publication date,
the inferred publication date, and the TempEval-3 score (slow)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from eventwire.extract import timex
from eventwire.extract.context import Context
from eventwire.extract.runner import context as pipeline_context
from eventwire.model import Paragraph, TimeExpr

FRIDAY = date(2023, 9, 15)


def make_context(text: str, published: date | None, title: str | None = None) -> Context:
    return pipeline_context(text, title=title, published=published)


def find(times: list[TimeExpr], text: str) -> TimeExpr:
    hits = [t for t in times if t.text == text]
    assert hits, f"{text!r} not among {[t.text for t in times]}"
    return hits[0]


def sample_context(records: list[dict], sample_id: str, published: date | None) -> Context:
    record = next(r for r in records if r["id"] == sample_id)
    return make_context(record["text"], published, title=record["title"])


# --- the sample articles --------------------------------------------------------


@pytest.fixture(scope="module")
def fuel_2023(sample_records: list[dict]) -> Context:
    ctx = sample_context(sample_records, "belarus_fuel_shipments_2023", None)
    ctx.published = timex.infer_published(ctx)
    return ctx


@pytest.fixture(scope="module")
def oil_2020(sample_records: list[dict]) -> Context:
    return sample_context(sample_records, "belarus_oil_talks_2020", date(2020, 2, 2))


def test_sample_2023_publication_date_from_caption(fuel_2023: Context) -> None:
    assert fuel_2023.published == date(2023, 9, 15)


def test_sample_2023_values(fuel_2023: Context) -> None:
    times = timex.extract(fuel_2023)
    assert find(times, "this Wednesday").value == "2023-09-13"  # "took place": past
    assert find(times, "this Friday").value == "2023-09-15"
    assert find(times, "April 2022").value == "2022-04"
    assert find(times, "this year").value == "2023"
    assert find(times, "September 15, 2023").value == "2023-09-15"
    hours = find(times, "more than four hours")
    assert (hours.value, hours.type) == ("PT4H", "DURATION")
    assert find(times, "recently").value == "PAST_REF"
    for t in times:
        assert fuel_2023.text[t.start : t.end] == t.text


def test_sample_2020_values(oil_2020: Context) -> None:
    times = timex.extract(oil_2020)
    assert find(times, "February 7th").value == "2020-02-07"
    assert find(times, "February 7").value == "2020-02-07"
    end_of_last_year = find(times, "the end of last year")
    assert (end_of_last_year.value, end_of_last_year.mod) == ("2019", "END")
    years = find(times, "25 years")
    assert (years.value, years.type) == ("P25Y", "DURATION")
    assert find(times, "the near future").value == "FUTURE_REF"
    for t in times:
        assert oil_2020.text[t.start : t.end] == t.text


def test_sample_2020_has_no_full_date(oil_2020: Context) -> None:
    assert timex.infer_published(oil_2020) is None


# --- tense decides the occurrence ----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expression", "published", "value"),
    [
        ("The talks took place on Thursday in Geneva.", "Thursday", FRIDAY, "2023-09-14"),
        ("The ministers will meet on Thursday in Geneva.", "Thursday", FRIDAY, "2023-09-21"),
        ("The ministers held a meeting this Friday.", "this Friday", FRIDAY, "2023-09-15"),
        ("The envoy arrived last Friday.", "last Friday", FRIDAY, "2023-09-08"),
        ("We will meet on February 7.", "February 7", date(2020, 2, 2), "2020-02-07"),
        ("The treaty was signed on December 20.", "December 20", date(2023, 1, 5), "2022-12-20"),
        ("The summit will open on January 10.", "January 10", date(2023, 12, 20), "2024-01-10"),
        ("The army withdrew in August.", "August", date(2013, 3, 22), "2012-08"),
        ("The new rules will apply from June.", "June", date(2013, 3, 22), "2013-06"),
        ("The match has been postponed until Saturday.", "Saturday", FRIDAY, "2023-09-16"),
    ],
)
def test_tense_resolves_the_occurrence(sentence: str, expression: str, published: date, value: str) -> None:
    times = timex.extract(make_context(sentence, published))
    assert find(times, expression).value == value


def test_without_publication_date_values_stay_unresolved() -> None:
    times = timex.extract(make_context("We will meet on February 7, and we met last year on Thursday.", None))
    assert find(times, "February 7").value == "XXXX-02-07"
    assert find(times, "last year").value == "PAST_REF"
    assert find(times, "Thursday").value == "XXXX-WXX-4"


# --- normalize, rule by rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "anchor", "tense", "expected"),
    [
        ("in April 2022", FRIDAY, None, ("2022-04", "DATE")),
        ("2023", FRIDAY, None, ("2023", "DATE")),
        ("last year", FRIDAY, None, ("2022", "DATE")),
        ("the end of last year", date(2020, 2, 2), None, ("2019", "DATE")),
        ("next month", date(2023, 12, 1), None, ("2024-01", "DATE")),
        ("so far this year", FRIDAY, None, ("2023", "DATE")),
        ("today", FRIDAY, None, ("2023-09-15", "DATE")),
        ("yesterday", FRIDAY, None, ("2023-09-14", "DATE")),
        ("yesterday", None, None, ("PAST_REF", "DATE")),
        ("recently", FRIDAY, None, ("PAST_REF", "DATE")),
        ("the near future", FRIDAY, None, ("FUTURE_REF", "DATE")),
        ("now", FRIDAY, None, ("PRESENT_REF", "DATE")),
        ("this week", FRIDAY, None, ("2023-W37", "DATE")),
        ("last week", FRIDAY, None, ("2023-W36", "DATE")),
        ("three days ago", FRIDAY, None, ("2023-09-12", "DATE")),
        ("two years ago", FRIDAY, None, ("2021", "DATE")),
        ("this Wednesday", FRIDAY, "past", ("2023-09-13", "DATE")),
        ("this Wednesday", FRIDAY, "future", ("2023-09-20", "DATE")),
        ("Friday", FRIDAY, None, ("2023-09-15", "DATE")),
        ("next Monday", FRIDAY, None, ("2023-09-18", "DATE")),
        ("February 7th", date(2020, 2, 2), "future", ("2020-02-07", "DATE")),
        ("February 7", None, None, ("XXXX-02-07", "DATE")),
        ("Feb. 28", date(2013, 3, 21), None, ("2013-02-28", "DATE")),
        ("early December", date(2013, 3, 22), "past", ("2012-12", "DATE")),
        ("September 15, 2023", None, None, ("2023-09-15", "DATE")),
        ("15 September 2023", None, None, ("2023-09-15", "DATE")),
        ("2023-09-15", None, None, ("2023-09-15", "DATE")),
        ("the 1990s", FRIDAY, None, ("199", "DATE")),
        ("the 20th century", FRIDAY, None, ("19", "DATE")),
        ("last summer", date(2013, 3, 22), None, ("2012-SU", "DATE")),
        ("the first quarter of 2023", FRIDAY, None, ("2023-Q1", "DATE")),
        ("more than four hours", FRIDAY, None, ("PT4H", "DURATION")),
        ("25 years", FRIDAY, None, ("P25Y", "DURATION")),
        ("the past two years", FRIDAY, None, ("P2Y", "DURATION")),
        ("the next few months", FRIDAY, None, ("PXM", "DURATION")),
        ("the next decade", FRIDAY, None, ("P10Y", "DURATION")),
        ("four-week", FRIDAY, None, ("P4W", "DURATION")),
        ("every week", FRIDAY, None, ("P1W", "SET")),
        ("every two years", FRIDAY, None, ("P2Y", "SET")),
        ("every Friday", FRIDAY, None, ("XXXX-WXX-5", "SET")),
        ("annually", FRIDAY, None, ("P1Y", "SET")),
        ("Friday afternoon", FRIDAY, None, ("2023-09-15TAF", "TIME")),
        ("8 p.m.", FRIDAY, None, ("2023-09-15T20:00", "TIME")),
        ("15:00 GMT Saturday", FRIDAY, None, ("2023-09-16T15:00", "TIME")),
        ("last night", FRIDAY, None, ("2023-09-14TNI", "TIME")),
    ],
)
def test_normalize(text: str, anchor: date | None, tense: str | None, expected: tuple[str, str]) -> None:
    assert timex.normalize(text, anchor, tense) == expected


# --- recognition -----------------------------------------------------------------------


def test_ages_and_counts_are_not_times() -> None:
    times = timex.extract(make_context("The 65-year-old minister, aged 65, resigned.", FRIDAY))
    assert times == []


def test_year_range_is_split() -> None:
    times = timex.extract(make_context("He served as mayor in 2009-2010.", FRIDAY))
    assert [(t.text, t.value) for t in times] == [("2009", "2009"), ("2010", "2010")]


def test_stopwatch_time_is_a_duration() -> None:
    times = timex.extract(make_context("She won the marathon, finishing in 3:07:35.", FRIDAY))
    assert [(t.text, t.value, t.type) for t in times] == [("3:07:35", "PT3H7M35S", "DURATION")]


def test_missed_references_and_sets_are_found() -> None:
    ctx = make_context("The council now meets every week, and it currently has nine members.", FRIDAY)
    found = {t.text: (t.value, t.type) for t in timex.extract(ctx)}
    assert found["now"] == ("PRESENT_REF", "DATE")
    assert found["every week"] == ("P1W", "SET")
    assert found["currently"] == ("PRESENT_REF", "DATE")


def test_credit_and_boilerplate_paragraphs_are_skipped() -> None:
    ctx = make_context("Leaders met on Monday.\n\nPhoto taken on Tuesday.\n\nSubscribe by Wednesday.", FRIDAY)
    zones = ["body", "credit", "boilerplate"]
    ctx.clean = dataclasses.replace(
        ctx.clean, paragraphs=tuple(Paragraph(p.start, p.end, z) for p, z in zip(ctx.clean.paragraphs, zones, strict=False))
    )
    assert [t.text for t in timex.extract(ctx)] == ["Monday"]


# --- publication date ----------------------------------------------------------------------


def test_dateline_wins_over_later_dates_in_the_body() -> None:
    text = (
        "MOSCOW, March 3, 2021 - The ministers met again.\n\n"
        "The first round was held on January 5, 2021, and a deal signed on December 30, 2020."
    )
    assert timex.infer_published(make_context(text, None)) == date(2021, 3, 3)


def test_future_dates_do_not_date_the_article() -> None:
    text = "The summit was held on March 3, 2021. The next summit will take place on June 1, 2022."
    assert timex.infer_published(make_context(text, None)) == date(2021, 3, 3)


def test_a_far_later_date_is_not_the_publication_date() -> None:
    text = "The treaty was signed on May 2, 2019. It runs until December 31, 2030."
    assert timex.infer_published(make_context(text, None)) == date(2019, 5, 2)


def test_no_full_date_no_publication_date() -> None:
    assert timex.infer_published(make_context("The talks ended on Friday, March 3.", None)) is None


# --- time_for_span ------------------------------------------------------------------------


def test_time_for_span_prefers_a_resolved_date_nearest_the_trigger() -> None:
    times = [
        TimeExpr("25 years", 0, 8, "P25Y", "DURATION"),
        TimeExpr("recently", 10, 18, "PAST_REF", "DATE"),
        TimeExpr("Friday", 20, 26, "2023-09-15", "DATE"),
        TimeExpr("Monday", 40, 46, "2023-09-11", "DATE"),
        TimeExpr("May", 100, 103, "2023-05", "DATE"),
    ]
    assert timex.time_for_span(times, 0, 50).text == "Friday"
    assert timex.time_for_span(times, 0, 50, near=44).text == "Monday"
    assert timex.time_for_span(times, 0, 19).text == "recently"
    assert timex.time_for_span(times, 50, 99) is None


# --- the patterns of issue 6, on sentences of our own -------------------------------------

SUNDAY_2020 = date(2020, 2, 2)  # a Sunday


def values(sentence: str, published: date | None) -> dict[str, tuple[str | None, str, str | None]]:
    return {t.text: (t.value, t.type, t.mod) for t in timex.extract(make_context(sentence, published))}


@pytest.mark.parametrize(
    ("sentence", "published", "expression", "expected"),
    [
        # weekdays: "this"/"on"/bare, the tense decides
        ("The minister flew home this Friday.", FRIDAY, "this Friday", ("2023-09-15", "DATE", None)),
        ("The minister will fly home on Friday.", date(2023, 9, 13), "Friday", ("2023-09-15", "DATE", None)),
        ("The minister flew home on Friday.", date(2023, 9, 13), "Friday", ("2023-09-08", "DATE", None)),
        ("Voters go to the polls Thursday.", date(2023, 9, 12), "Thursday", ("2023-09-14", "DATE", None)),
        # years and months, relative
        ("Exports fell sharply last year.", SUNDAY_2020, "last year", ("2019", "DATE", None)),
        ("The deal was struck at the end of last year.", SUNDAY_2020, "the end of last year", ("2019", "DATE", "END")),
        ("The talks resume next month.", SUNDAY_2020, "next month", ("2020-03", "DATE", None)),
        ("Output grew in early 2019.", SUNDAY_2020, "early 2019", ("2019", "DATE", "START")),
        ("The strike began in mid-March.", date(2020, 5, 4), "mid-March", ("2020-03", "DATE", "MID")),
        # calendar dates at their own granularity
        ("He was elected in April 2022.", SUNDAY_2020, "April 2022", ("2022-04", "DATE", None)),
        ("The delegations will meet on February 7th.", SUNDAY_2020, "February 7th", ("2020-02-07", "DATE", None)),
        ("The delegations met on February 7th.", date(2020, 3, 2), "February 7th", ("2020-02-07", "DATE", None)),
        ("The delegations met on December 7th.", SUNDAY_2020, "December 7th", ("2019-12-07", "DATE", None)),
        # "since May" is the May before the anchor, whatever the verb
        ("Prices have risen since May.", SUNDAY_2020, "May", ("2019-05", "DATE", None)),
        ("It is the fifth visit so far this year.", SUNDAY_2020, "this year", ("2020", "DATE", None)),
        # durations with modifiers
        ("The siege lasted more than four hours.", FRIDAY, "more than four hours", ("PT4H", "DURATION", "MORE_THAN")),
        ("He held the post for almost seven years.", FRIDAY, "almost seven years", ("P7Y", "DURATION", "LESS_THAN")),
        ("The vote comes just over a week before the deadline.", FRIDAY, "a week", ("P1W", "DURATION", "MORE_THAN")),
        ("The truce held for at least three days.", FRIDAY, "at least three days", ("P3D", "DURATION", "EQUAL_OR_MORE")),
        ("The crossing took about six hours.", FRIDAY, "six hours", ("PT6H", "DURATION", "APPROX")),
        # sets
        ("The council meets every Monday.", FRIDAY, "every Monday", ("XXXX-WXX-1", "SET", None)),
        ("Inspectors visit the site twice a year.", FRIDAY, "twice a year", ("P1Y", "SET", None)),
        ("The figures are published monthly.", FRIDAY, "monthly", ("P1M", "SET", None)),
    ],
)
def test_issue_patterns(sentence: str, published: date, expression: str, expected: tuple) -> None:
    assert values(sentence, published)[expression] == expected


def test_duration_after_an_event_is_dated_from_the_event() -> None:
    found = values("The parliament voted on January 20. Three days after the vote, crowds gathered.", SUNDAY_2020)
    assert found["January 20"] == ("2020-01-20", "DATE", None)
    assert found["Three days"] == ("2020-01-23", "DATE", None)


def test_duration_after_a_date_is_counted_from_it() -> None:
    found = values("The ceasefire will start two weeks after March 1, 2020.", SUNDAY_2020)
    assert found["two weeks"] == ("2020-03-15", "DATE", None)


def test_duration_after_an_undated_event_stays_a_duration() -> None:
    found = values("Two years after his diagnosis, he ran again.", SUNDAY_2020)
    assert found["Two years"] == ("P2Y", "DURATION", None)


def test_without_publication_date_relative_patterns_stay_unresolved() -> None:
    found = values("Prices have risen since May, and talks resume next month on February 7th.", None)
    assert found["May"][0] == "XXXX-05"
    assert found["next month"][0] == "FUTURE_REF"
    assert found["February 7th"][0] == "XXXX-02-07"


def test_a_sentence_full_stop_is_not_part_of_the_expression() -> None:
    times = timex.extract(make_context("The parliament voted on January 20. It met at 8 a.m.", SUNDAY_2020))
    assert [t.text for t in times] == ["January 20", "8 a.m."]


@pytest.mark.parametrize(
    ("text", "before", "after", "mod"),
    [
        ("the end of last year", "at ", "", "END"),
        ("the beginning of 2021", "", "", "START"),
        ("2011", "surgery in early ", "", "START"),
        ("four hours", "for more than ", "", "MORE_THAN"),
        ("the past year", "over ", "", None),  # "over" a period is "throughout", not MORE_THAN
        ("three weeks", "", " or so.", "APPROX"),
        ("six years ago", "just some ", "", "APPROX"),
        ("ten days", "", "", None),
        ("2019", "later ", "", None),  # "later" is not "late"
    ],
)
def test_modifier(text: str, before: str, after: str, mod: str | None) -> None:
    assert timex.modifier(text, before, after) == mod


@pytest.mark.parametrize(
    ("value", "duration", "sign", "shifted"),
    [
        ("2020-01-20", "P3D", 1, "2020-01-23"),
        ("2020-01-20", "P2W", -1, "2020-01-06"),
        ("2020-01-31", "P1M", 1, "2020-02-28"),
        ("2020-03", "P1Y", -1, "2019-03"),
        ("2020", "P5Y", 1, "2025"),
        ("2020", "P3D", 1, None),
        ("2020-01-20", "PT4H", 1, None),
        ("2020-01-20", "PXD", 1, None),
    ],
)
def test_shift_value(value: str, duration: str, sign: int, shifted: str | None) -> None:
    assert timex.shift_value(value, duration, sign) == shifted
