"""Hand-built ``Article`` records for the store, query and CLI tests: one
article about Belarus and Russia with entities, a quote, times and events."""

from __future__ import annotations

from eventwire.model import (
    ActorRef,
    Article,
    Entity,
    Event,
    Evidence,
    Mention,
    Paragraph,
    Quantity,
    Quote,
    Repair,
    Segment,
    Source,
    TimeExpr,
)

TEXT = (
    "Minsk ships fuel to Moscow\n\n"
    "Belarus supplied 60,000 tons of diesel to Russia on Friday, President Alexander Lukashenko said. "
    "“We will help,” Lukashenko told Vladimir Putin. Russia did not reject the offer."
)


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def mention(text: str, needle: str, nth: int = 0) -> Mention:
    s, e = span(text, needle, nth)
    return Mention(s, e, needle)


def evidence(text: str, needle: str) -> Evidence:
    s, e = span(text, needle)
    return Evidence(s, e, needle)


def make_event(
    text: str,
    event_id: str,
    source: tuple[str | None, str, str | None] | None,
    target: tuple[str | None, str, str | None] | None,
    *,
    code: str = "0711",
    label: str = "Provide economic aid",
    goldstein: float = 7.4,
    date: str | None = "2023-09-15",
    modality: str = "asserted",
    trigger: str = "supplied",
    sentence: str = "Belarus supplied 60,000 tons of diesel to Russia on Friday",
    quantity: Quantity | None = None,
) -> Event:
    return Event(
        id=event_id,
        code=code,
        label=label,
        plover="AID",
        goldstein=goldstein,
        quad_class=2,
        source=ActorRef(*source) if source else None,
        target=ActorRef(*target) if target else None,
        date=date,
        date_basis="trigger" if date else "none",
        location=None,
        quantity=quantity,
        modality=modality,  # type: ignore[arg-type]
        attributed_to=None,
        trigger=evidence(text, trigger),
        evidence=evidence(text, sentence),
    )


def make_article(
    doc_id: str = "doc-a",
    *,
    text: str = TEXT,
    published: str | None = "2023-09-15",
    events: tuple[Event, ...] | None = None,
    entities: tuple[Entity, ...] | None = None,
    quotes: tuple[Quote, ...] | None = None,
    path: str | None = "samples/a.txt",
) -> Article:
    if entities is None:
        entities = (
            Entity("e1", "Belarus", "GPE", "BLR", (mention(text, "Belarus"),)),
            Entity("e2", "Russia", "GPE", "RUS", (mention(text, "Russia"), mention(text, "Russia", 1))),
            Entity(
                "e3",
                "Alexander Lukashenko",
                "PERSON",
                "BLRGOV",
                (mention(text, "Alexander Lukashenko"), mention(text, "Lukashenko", 1)),
            ),
            Entity("e4", "Vladimir Putin", "PERSON", "RUSGOV", (mention(text, "Vladimir Putin"),)),
            Entity("e5", "Minsk", "GPE", None, (mention(text, "Minsk"),)),
        )
    if quotes is None:
        qs, qe = span(text, "We will help,")
        quotes = (Quote("We will help,", qs, qe, "e3", "Alexander Lukashenko", "e4", "told", "direct"),)
    if events is None:
        events = (
            make_event(
                text,
                f"{doc_id}:ev1",
                ("e1", "Belarus", "BLR"),
                ("e2", "Russia", "RUS"),
                quantity=Quantity(60000.0, "tons", "diesel"),
            ),
        )
    title_end = text.index("\n")
    return Article(
        doc_id=doc_id,
        source=Source(path=path, url=None, outlet="Test Wire"),
        title=text[:title_end],
        published=published,
        published_basis="given" if published else "none",
        text=text,
        raw_text=text,
        raw_map=(Segment(0, len(text), 0),),
        repairs=(Repair("quote", 10, 11, 10, 11, "'", "'"),),
        paragraphs=(Paragraph(0, title_end, "title"), Paragraph(title_end + 2, len(text), "body")),
        entities=entities,
        times=(TimeExpr("Friday", *span(text, "Friday"), "2023-09-15", "DATE"),),
        quotes=quotes,
        events=events,
    )
