"""Publication date: given > metadata > dateline > agreeing caption > none."""

from datetime import date

import eventwire
from eventwire.extract import published
from eventwire.extract.repair import clean
from eventwire.model import RawDocument

CAPTION_STORY = (
    "Ministers meet on the border\n\n"
    "The two foreign ministers met this Friday in the border town and agreed to reopen the crossing.\n\n"
    "Minister Anna Kowalczyk speaks to reporters in Ruritania, March 8, 2024. REUTERS/Jan Novak\n\n"
    "The talks began on Wednesday."
)


def infer(text: str, given: date | None = None, basis: str = "none", now: date = date(2025, 1, 1)) -> published.Published:
    cleaned = clean(RawDocument(raw_text=text, title=text.split("\n", 1)[0]))
    return published.infer(cleaned.text, cleaned.paragraphs, given, basis, now=now)


def test_caption_date_agreeing_with_the_weekdays_of_the_story():
    # March 8, 2024 was a Friday: the story's "this Friday".
    assert infer(CAPTION_STORY) == published.Published(date(2024, 3, 8), "caption")


def test_caption_date_that_disagrees_with_the_story_is_not_taken():
    story = CAPTION_STORY.replace("March 8, 2024", "March 12, 2024")  # a Tuesday
    assert infer(story) == published.Published(None, "none")


def test_given_beats_metadata_beats_dateline_beats_caption():
    dateline = "Talks\n\nKYIV, June 3, 2022 - The ministers met on Friday.\n\nA man walks in Kyiv, Ukraine, June 1, 2022. Photo: AFP"
    assert infer(dateline) == published.Published(date(2022, 6, 3), "dateline")
    assert infer(dateline, date(2022, 6, 4), "metadata") == published.Published(date(2022, 6, 4), "metadata")
    assert infer(dateline, date(2022, 6, 5), "given") == published.Published(date(2022, 6, 5), "given")


def test_a_date_line_of_its_own_is_a_dateline():
    story = "Robots win medal\n\nFriday, July 21, 2017\n\nA group of teenagers was awarded a silver medal."
    assert infer(story) == published.Published(date(2017, 7, 21), "dateline")


def test_never_a_date_after_the_time_of_ingest():
    story = "Talks\n\nKYIV, June 3, 2031 - The ministers met."
    assert infer(story, now=date(2025, 1, 1)) == published.Published(None, "none")
    assert infer("Talks\n\nBody.", date(2031, 1, 1), "given", now=date(2025, 1, 1)).basis == "none"


def test_a_date_in_the_story_text_is_not_a_publication_date():
    story = "Talks\n\nThe treaty signed on March 3, 2019 expires next year, the minister said."
    assert infer(story).basis == "none"


def test_pipeline_reports_the_caption_basis():
    article = eventwire.extract(CAPTION_STORY.split("\n\n", 1)[1], title="Ministers meet on the border")
    assert (article.published, article.published_basis) == ("2024-03-08", "caption")
    credit = next(p for p in article.paragraphs if p.zone == "credit")
    assert article.text[credit.start : credit.end] == "REUTERS/Jan Novak"
