"""Quotes: mark pairing (pure), then whole-article attribution with the real
spaCy model and the real actor index (``actors.resolve``)."""

from __future__ import annotations

import dataclasses

import pytest

from eventwire.extract import actors, nlp, quotes, repair
from eventwire.extract.context import Context
from eventwire.extract.quotes import MarkedSpan, find_marked_spans, looks_like_title
from eventwire.extract.runner import context as pipeline_context
from eventwire.extract.runner import make_document
from eventwire.extract.tables import default_tables
from eventwire.model import Entity, Paragraph, Quote


def spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_marked_spans(text)]


# --- mark pairing: pure string functions -----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win" today.', ['"we will win"']),
        ("He said “we will win” today.", ["“we will win”"]),
        ("He said «we will win» today.", ["«we will win»"]),
        ("Er sagte „wir gewinnen“ heute.", ["„wir gewinnen“"]),
        ("He said ‘we can’t lose’ today.", ["‘we can’t lose’"]),
        ("He said 'we can't lose' today.", ["'we can't lose'"]),
        # Opened with a closing mark, closed with one glued to the next word.
        ("”I was very pleased with you”Smith said.", ["”I was very pleased with you”"]),
        # Mixed straight/curly marks still pair.
        ('“We are ready," she said.', ['“We are ready,"']),
        # Two quotes in one paragraph, interrupted by the attribution.
        ('"First part," he said, "second part."', ['"First part,"', '"second part."']),
    ],
)
def test_marks_pair_in_every_style(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


def test_apostrophes_are_not_quotation_marks() -> None:
    assert spans("Smith’s plan from the ’90s and the workers' union don't matter.") == []
    assert spans("It's the minister's view.") == []


def test_unclosed_double_quote_runs_to_paragraph_end() -> None:
    text = 'She said: "We will go on.\n\n"We are partners."'
    first = find_marked_spans(text, 0, text.index("\n"))
    assert first == [MarkedSpan(10, text.index("\n"), False)]
    second = find_marked_spans(text, text.rindex("\n") + 1, len(text))
    assert [text[s.start : s.end] for s in second] == ['"We are partners."']
    assert second[0].closed


def test_lost_opening_mark_starts_the_quote_at_the_paragraph() -> None:
    text = 'We will win,” he said. “And then we go home.”'
    assert find_marked_spans(text) == [
        MarkedSpan(0, text.index("”") + 1, True, opened=False),
        MarkedSpan(text.index("“"), len(text), True),
    ]
    # Balanced marks: nothing was lost.
    assert spans('He said “yes” and “no”.') == ["“yes”", "“no”"]


def test_single_mark_left_open_is_skipped_and_later_quotes_found() -> None:
    assert spans("Since the ’90s he has said “never again” to us.") == ["“never again”"]


def test_marks_without_words_are_ignored() -> None:
    assert spans('A stray " mark and "" nothing.') == []


def test_titles_are_recognised() -> None:
    assert looks_like_title("The Internet Explorer 6 Countdown")
    assert not looks_like_title("We will not retreat.")
    assert not looks_like_title("great interest")


# --- whole articles: real parser, real actor index --------------------------


def analyse(text: str, title: str | None = None) -> tuple[Context, actors.ActorIndex, list[Quote]]:
    ctx = pipeline_context(text, title=title)
    index = actors.resolve(ctx)
    return ctx, index, quotes.extract(ctx, index)


def zoned_context(text: str, zones: tuple[str, ...]) -> Context:
    """The Context of ``text`` with its paragraphs given these zones."""
    cleaned = repair.clean(make_document(text))
    paragraphs = tuple(Paragraph(p.start, p.end, z) for p, z in zip(cleaned.paragraphs, zones, strict=True))  # type: ignore[arg-type]
    zoned = dataclasses.replace(cleaned, paragraphs=paragraphs)
    return Context(doc=nlp.parse(zoned.text), text=zoned.text, published=None, clean=zoned, tables=default_tables())


def entity_named(index: actors.ActorIndex, word: str) -> Entity:
    found = [e for e in index.entities if word in e.name]
    assert len(found) == 1, f"not one entity named like {word!r}: {[e.name for e in index.entities]}"
    return found[0]


def entity_at(ctx: Context, index: actors.ActorIndex, context: str, word: str) -> Entity:
    """The entity of ``word`` where it occurs inside the first ``context``."""
    start = ctx.text.index(context) + context.index(word)
    entity = index.at(start, start + len(word))
    assert entity is not None and word in entity.name, (word, entity)
    return entity


def quote_starting(found: list[Quote], beginning: str) -> Quote:
    """The one quotation (not reported clause) starting with ``beginning``."""
    hits = [q for q in found if q.kind != "reported" and q.text.lstrip("\"“”'‘’«„").startswith(beginning)]
    assert len(hits) == 1, [q.text[:40] for q in found]
    return hits[0]


def assert_exact_offsets(ctx: Context, found: list[Quote]) -> None:
    for q in found:
        assert ctx.text[q.start : q.end] == q.text
        assert q.kind == "reported" or q.text[0] in quotes.QUOTE_MARKS
        assert ctx.zone_at(q.start) not in ("credit", "boilerplate")


@pytest.fixture(scope="module")
def sample_2023(sample_records):
    record = next(r for r in sample_records if r["id"] == "belarus_fuel_shipments_2023")
    return analyse(record["text"], record["title"])


@pytest.fixture(scope="module")
def sample_2020(sample_records):
    record = next(r for r in sample_records if r["id"] == "belarus_oil_talks_2020")
    return analyse(record["text"], record["title"])


def test_2023_told_gives_speaker_and_addressee(sample_2023) -> None:
    ctx, index, found = sample_2023
    assert_exact_offsets(ctx, found)
    lukashenko = entity_at(ctx, index, "Lukashenko told Putin", "Lukashenko")
    putin = entity_at(ctx, index, "Lukashenko told Putin", "Putin")
    q = quote_starting(found, "I think we can consider three-way cooperation")
    assert q.text == "“I think we can consider three-way cooperation,”"
    assert (q.kind, q.cue, q.speaker, q.addressee) == ("direct", "told", lukashenko.id, putin.id)
    assert q.speaker_name == lukashenko.name


def test_2023_quote_opened_with_closing_mark(sample_2023) -> None:
    ctx, index, found = sample_2023
    q = quote_starting(found, "I was very pleased to see you")
    assert q.text.startswith("”I was") and q.text.endswith("with you”")
    assert q.kind == "direct" and q.cue == "said"
    assert q.speaker == entity_at(ctx, index, "Lukashenko told Putin", "Lukashenko").id


def test_2023_partial_quotes_in_reported_speech(sample_2023) -> None:
    ctx, index, found = sample_2023
    interest = quote_starting(found, "great interest")
    assert (interest.kind, interest.cue, interest.speaker) == (
        "partial",
        "assured",
        entity_at(ctx, index, "Lukashenko told Putin", "Lukashenko").id,
    )
    infringing = quote_starting(found, "infringing anything")
    putin = entity_at(ctx, index, "Lukashenko told Putin", "Putin")
    assert infringing.kind == "partial" and infringing.speaker == putin.id
    # The scare-quoted “three-way” has no speech verb above it.
    assert not [q for q in found if q.text.startswith("“three-way”")]


def test_2020_he_told_reporters_resolves_to_named_speaker(sample_2020) -> None:
    ctx, index, found = sample_2020
    assert_exact_offsets(ctx, found)
    lukashenko = entity_at(ctx, index, "Alexander Lukashenko said that he", "Lukashenko")
    q = quote_starting(found, "Most likely, on February 7")
    assert (q.kind, q.cue, q.speaker) == ("direct", "told", lukashenko.id)
    assert q.speaker_name == lukashenko.name
    # The quote spans three sentences and keeps its marks.
    assert q.text.endswith('break them,"') and q.text.count(".") >= 2


def test_2020_paragraphs_opening_with_a_mark_continue_the_speaker(sample_2020) -> None:
    ctx, index, found = sample_2020
    lukashenko = entity_at(ctx, index, "Alexander Lukashenko said that he", "Lukashenko")
    for beginning in ("Russia has taken care of it", "But the period of this cold", "If we declassify"):
        q = quote_starting(found, beginning)
        assert q.kind == "direct" and q.cue is None
        assert q.speaker == lukashenko.id, (beginning, q.speaker_name)


def test_2020_object_of_call_is_not_an_addressee(sample_2020) -> None:
    ctx, index, found = sample_2020
    q = quote_starting(found, "great friends")
    assert q.kind == "partial" and q.addressee is None
    assert q.speaker == entity_at(ctx, index, "Alexander Lukashenko said that he", "Lukashenko").id


def test_2020_partial_quote_after_said_that(sample_2020) -> None:
    ctx, index, found = sample_2020
    q = quote_starting(found, "there were a couple of problems")
    lukashenko = entity_at(ctx, index, "Alexander Lukashenko said that he", "Lukashenko")
    assert (q.kind, q.cue, q.speaker) == ("partial", "said", lukashenko.id)


def test_no_speaker_is_a_bare_pronoun(sample_2020, sample_2023) -> None:
    for _, _, found in (sample_2020, sample_2023):
        for q in found:
            assert q.speaker_name is None or q.speaker_name.lower() not in {"he", "she", "they", "it"}


@pytest.mark.parametrize(
    ("text", "quoted", "speaker_word", "cue"),
    [
        ('Angela Merkel told reporters: "We will not retreat."', '"We will not retreat."', "Merkel", "told"),
        ("“We are ready to talk,” said Emmanuel Macron.", "“We are ready to talk,”", "Macron", "said"),
        ("«We are ready to talk», Emmanuel Macron said on Monday.", "«We are ready to talk»", "Macron", "said"),
        ("‘We can’t accept this,’ Boris Johnson said.", "‘We can’t accept this,’", "Johnson", "said"),
        ("”The talks went well,” Angela Merkel said.", "”The talks went well,”", "Merkel", "said"),
    ],
)
def test_invented_sentences_each_mark_style(text: str, quoted: str, speaker_word: str, cue: str) -> None:
    ctx, index, found = analyse(text)
    assert [q.text for q in found] == [quoted]
    q = found[0]
    assert ctx.text[q.start : q.end] == quoted
    assert (q.kind, q.cue, q.speaker) == ("direct", cue, entity_named(index, speaker_word).id)


def test_multi_paragraph_quote_left_open() -> None:
    ctx, index, found = analyse('Angela Merkel said: "We will work together.\n\n"We are partners."')
    merkel = entity_named(index, "Merkel").id
    assert [(q.text, q.speaker) for q in found] == [
        ('"We will work together.', merkel),
        ('"We are partners."', merkel),
    ]
    assert found[0].end == ctx.text.index("\n")


def test_partial_and_scare_quotes() -> None:
    _, index, found = analyse(
        'Angela Merkel said the deal was "a good start" for Europe. The so-called "peace plan" was published.'
    )
    merkel = entity_named(index, "Merkel").id
    # The partial quote sits inside the reported clause; both are Merkel's.
    assert [(q.text, q.kind, q.speaker) for q in found] == [
        ('the deal was "a good start" for Europe', "reported", merkel),
        ('"a good start"', "partial", merkel),
    ]


def test_said_to_gives_addressee() -> None:
    _, index, found = analyse('"We need more time," Angela Merkel said to Emmanuel Macron.')
    assert found[0].addressee == entity_named(index, "Macron").id


def test_credit_and_boilerplate_paragraphs_give_no_quotes() -> None:
    text = 'Angela Merkel said: "We will win."\n\nPhoto: "Untitled, a view of Berlin," by Ann Smith said Reuters.'
    ctx = zoned_context(text, ("body", "credit"))
    found = quotes.extract(ctx, actors.resolve(ctx))
    assert [q.text for q in found] == ['"We will win."']


def test_caption_between_paragraphs_does_not_break_a_quote() -> None:
    text = 'Angela Merkel said: "We will work together.\n\nA view of Berlin on Monday.\n\n"We are partners."'
    ctx = zoned_context(text, ("body", "caption", "body"))
    index = actors.resolve(ctx)
    found = quotes.extract(ctx, index)
    merkel = entity_named(index, "Merkel").id
    assert [(q.text, q.speaker) for q in found] == [('"We will work together.', merkel), ('"We are partners."', merkel)]


def test_reporting_clause_inside_the_marks() -> None:
    _, index, found = analyse("«We will win, — said Angela Merkel, — and we will be back.»")
    merkel = entity_named(index, "Merkel").id
    assert [(q.text[:12], q.cue, q.speaker) for q in found] == [("«We will win", "said", merkel)]
    # A first-person clause inside a quote is the speaker talking, not a cue.
    _, _, found = analyse('"We will, as I said, win this."')
    assert [(q.cue, q.speaker) for q in found] == [(None, None)]


def test_label_before_a_colon_names_the_speaker() -> None:
    _, index, found = analyse('Angela Merkel, The Daily Planet: "The debate was won by the challenger."')
    assert [(q.cue, q.speaker) for q in found] == [(None, entity_named(index, "Merkel").id)]


def test_statement_saying_is_its_issuer_speaking() -> None:
    _, index, found = analyse('Angela Merkel issued a statement saying the plan was "a good start" for Europe.')
    merkel = entity_named(index, "Merkel").id
    assert [(q.kind, q.cue, q.speaker) for q in found] == [("reported", "saying", merkel), ("partial", "saying", merkel)]


# --- reported speech (no marks) ----------------------------------------------


def reported(found: list[Quote]) -> list[Quote]:
    return [q for q in found if q.kind == "reported"]


def test_said_that_links_the_speaker_to_the_reported_clause() -> None:
    ctx, index, found = analyse("Angela Merkel said that Berlin could begin to receive American oil.")
    assert [(q.text, q.kind, q.cue, q.speaker) for q in found] == [
        ("Berlin could begin to receive American oil", "reported", "said", entity_named(index, "Merkel").id)
    ]
    assert ctx.text[found[0].start : found[0].end] == found[0].text


def test_according_to_a_statement_names_its_issuer() -> None:
    _, index, found = analyse("The plant will close next year, according to a statement released by Beijing.")
    assert [(q.text, q.cue, q.speaker) for q in found] == [
        ("The plant will close next year", "according to", entity_named(index, "Beijing").id)
    ]
    # The phrase opening the sentence: the clause is what follows it.
    _, index, found = analyse("According to Angela Merkel, the border will stay open until May.")
    assert [(q.text, q.speaker) for q in found] == [
        ("the border will stay open until May", entity_named(index, "Merkel").id)
    ]


def test_reported_clause_before_the_cue_with_pronoun_and_addressee() -> None:
    _, index, found = analyse("Angela Merkel arrived in Paris on Monday. The economy is weak, she told Emmanuel Macron.")
    (q,) = found
    assert (q.text, q.cue) == ("The economy is weak", "told")
    assert q.speaker == entity_named(index, "Merkel").id and q.speaker_name == "Angela Merkel"
    assert q.addressee == entity_named(index, "Macron").id


def test_said_to_addressee_in_reported_speech() -> None:
    _, index, found = analyse("Angela Merkel said to Emmanuel Macron that the border would stay open.")
    assert [(q.text, q.addressee) for q in found] == [("the border would stay open", entity_named(index, "Macron").id)]


def test_adding_is_a_second_report_of_the_same_speaker() -> None:
    _, index, found = analyse("Angela Merkel noted that the talks had failed, adding that Russia would respond.")
    merkel = entity_named(index, "Merkel").id
    assert [(q.text, q.cue, q.speaker) for q in found] == [
        ("the talks had failed", "noted", merkel),
        ("Russia would respond", "adding", merkel),
    ]


def test_institutions_speak() -> None:
    _, index, found = analyse("The Kremlin said the meeting would take place in Moscow.")
    assert [(q.text, q.speaker) for q in found] == [
        ("the meeting would take place in Moscow", entity_named(index, "Kremlin").id)
    ]
    # No entity covers "ministry": the phrase names the speaker, not the
    # "French" modifying it.
    _, _, found = analyse("The French foreign ministry said in a statement that the talks would resume in May.")
    assert [(q.text, q.speaker, q.speaker_name) for q in found] == [
        ("the talks would resume in May", None, "The French foreign ministry")
    ]


def test_no_reported_speech_without_a_speaker_or_inside_a_quote() -> None:
    _, _, found = analyse("It was said that the talks would resume in May.")
    assert found == []
    # "I said that …" inside the marks is the quoted speaker's own words.
    _, index, found = analyse('"I said that we would win this fight," Angela Merkel told reporters.')
    assert [(q.kind, q.speaker) for q in found] == [("direct", entity_named(index, "Merkel").id)]


def test_reported_clause_takes_a_cut_quotation_whole() -> None:
    text = "Jane Smith “is dogged and smart and will win the election,” the newspaper wrote."
    _ctx, _, found = analyse(text)
    clause = reported(found)
    assert len(clause) == 1 and clause[0].text == "Jane Smith “is dogged and smart and will win the election,”"
    assert clause[0].speaker_name == "the newspaper"


def test_reported_speech_in_the_2020_sample(sample_2020) -> None:
    ctx, index, found = sample_2020
    lukashenko = entity_at(ctx, index, "Alexander Lukashenko said that he", "Lukashenko")
    clauses = [q for q in reported(found) if q.speaker == lukashenko.id]
    assert clauses, [(q.text[:30], q.speaker_name) for q in reported(found)]
    for q in reported(found):
        assert ctx.text[q.start : q.end] == q.text
        assert not q.text.startswith("that ") and q.text[-1] not in ".,;"


def test_a_document_speaks_for_its_issuer() -> None:
    _, index, found = analyse('"There is no question the plan failed," John Cornyn\'s statement added.')
    assert [(q.kind, q.speaker) for q in found] == [("direct", entity_named(index, "Cornyn").id)]
    _, index, found = analyse("A statement from the Kremlin said the meeting would take place in Moscow.")
    assert [q.speaker for q in found] == [entity_named(index, "Kremlin").id]
    # Only documents have issuers: a man from Ohio speaks for himself.
    _, _, found = analyse("A man from Ohio said the meeting would take place in Moscow.")
    assert [q.speaker_name for q in found] == ["A man"]


def test_findings_and_rulings_are_reported_but_do_not_attribute_quotes() -> None:
    _, _, found = analyse("The researchers found that ozone pollution caused heavy crop losses.")
    assert [(q.text, q.kind, q.cue, q.speaker_name) for q in found] == [
        ("ozone pollution caused heavy crop losses", "reported", "found", "The researchers")
    ]
    # "think" is no cue for a quotation: the scare quote stays unattributed.
    _, _, found = analyse('Many people think the "reform" is a tax.')
    assert [q.kind for q in found] == ["reported"]


def test_credit_zone_gives_no_reported_speech() -> None:
    text = "Angela Merkel said that the talks would resume in May.\n\nReuters said the photo was taken by Ann Smith."
    ctx = zoned_context(text, ("body", "credit"))
    found = quotes.extract(ctx, actors.resolve(ctx))
    assert [q.text for q in found] == ["the talks would resume in May"]


def test_directives_and_charges_are_reported() -> None:
    _, index, found = analyse("Angela Merkel urged Emmanuel Macron to close the border before May.")
    assert [(q.text, q.cue, q.speaker, q.addressee) for q in found] == [
        ("to close the border before May", "urged", entity_named(index, "Merkel").id, entity_named(index, "Macron").id)
    ]
    _, index, found = analyse("Angela Merkel accused Emmanuel Macron of lying about the border deal.")
    assert [(q.text, q.addressee) for q in found] == [("lying about the border deal", None)]
    # A wish is no statement, and "called X Y" reports no clause.
    assert analyse("Angela Merkel wanted to close the border before May.")[2] == []
    assert analyse("Angela Merkel called Emmanuel Macron a good friend of Germany.")[2] == []


def test_a_paragraph_of_unclosed_single_marks_is_paired_in_linear_time():
    # Each opener used to scan to the paragraph's end for its closer: 22,000
    # characters of these took 16 s, 550,000 would take hours.
    text = "He said 'a " * 50_000 + "and 'we agree' today."
    (span,) = find_marked_spans(text)  # the first opener takes the only closer, as before
    assert (span.start, span.end) == (text.index("'"), text.rindex("'") + 1)
