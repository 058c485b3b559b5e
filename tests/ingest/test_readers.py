"""Ingest: good inputs become RawDocuments, every bad input a FileError with a
reason that says what is wrong, and one bad file never stops the batch."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from eventwire.extract import runner as pipeline
from eventwire.ingest import readers as ingest
from eventwire.ingest.readers import read_paths
from eventwire.model import FileError, RawDocument, SkippedFile

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "articles.jsonl"
RAW_DIR = ROOT / "tests" / "data"

ARTICLE = (
    "Ministers agree to reopen border crossing\n"
    "\n"
    "The foreign ministers of two neighbouring countries agreed on Thursday to reopen a border crossing, officials said.\n"
    "\n"
    "\"We made progress,\" one minister told reporters after the talks.\n"
)

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Ministers meet in Geneva | Example News</title>
<link rel="canonical" href="https://news.example.org/world/geneva-talks">
<meta property="og:site_name" content="Example News">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ministers meet in Geneva</h1>
<p>Published <time datetime="2021-03-04">March 4, 2021</time></p>
<p>The foreign ministers of two neighbouring countries met in Geneva on Thursday to discuss a long-running border dispute, officials said.</p>
<p>"We made progress," one of the ministers told reporters after the talks, adding that a second round would follow in May 2019.</p>
<p>The talks were the first high-level contact between the two governments in more than a year.</p>
</article><footer>Copyright 2021 Example News. All rights reserved.</footer></body></html>
"""


def run(*paths: str | Path, published: str | None = None) -> list[RawDocument | FileError]:
    return list(read_paths([str(p) for p in paths], published=published))


def only_error(items: list[RawDocument | FileError]) -> FileError:
    assert len(items) == 1, items
    assert isinstance(items[0], FileError), items
    return items[0]


def docs(items: list[RawDocument | FileError]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors(items: list[RawDocument | FileError]) -> list[FileError]:
    return [i for i in items if isinstance(i, FileError) and not isinstance(i, SkippedFile)]


def skipped(items: list[RawDocument | FileError]) -> list[SkippedFile]:
    return [i for i in items if isinstance(i, SkippedFile)]


# --- good inputs -------------------------------------------------------------


def test_sample_text_files_are_read_exactly_with_their_first_line_as_title():
    items = run(RAW_DIR / "belarus_fuel_shipments_2023.txt", RAW_DIR / "belarus_oil_talks_2020.txt")
    fuel, talks = docs(items)
    assert not errors(items)
    assert fuel.raw_text == (RAW_DIR / "belarus_fuel_shipments_2023.txt").read_text(encoding="utf-8")
    assert fuel.title == "Belarus announced that it will increase fuel shipments to Russia to solve its serious shortage crisis"
    assert talks.title == "LukashenkoPutin"
    assert talks.raw_text.startswith("LukashenkoPutin\n")
    assert talks.source.path.endswith("belarus_oil_talks_2020.txt")
    assert (fuel.published, fuel.published_basis) == (None, "none")


def test_text_file_keeps_crlf_and_leading_blank_lines_and_drops_only_the_bom(tmp_path):
    body = "\r\n\r\n  A title with spaces  \r\nBody line one.\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    (doc,) = run(path)
    assert doc.raw_text == body
    assert doc.title == "A title with spaces"


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-be"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, codec):
    path = tmp_path / "wide.txt"
    data = ARTICLE.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    (doc,) = run(path)
    assert doc.raw_text == ARTICLE


def test_legacy_encoding_is_decoded_when_charset_normalizer_is_confident(tmp_path):
    text = (
        "Президент заявил, что встретится с министром иностранных дел в пятницу.\n\n"
        "Переговоры пройдут в столице, сообщили в правительстве. Стороны обсудят поставки топлива.\n"
    )
    path = tmp_path / "cyrillic.txt"
    path.write_bytes(text.encode("cp1251"))
    (doc,) = run(path)
    assert doc.raw_text == text


def test_samples_jsonl_builds_documents_like_eventwire_extract():
    items = run(SAMPLES)
    assert not errors(items)
    records = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(docs(items)) == len(records) == 2
    for doc, record in zip(docs(items), records, strict=True):
        expected = pipeline.make_document(record["text"], title=record["title"])
        assert doc.raw_text == expected.raw_text
        assert doc.title == record["title"]
        assert doc.source.path == record["source_file"]
        if record["published"]:
            assert (doc.published, doc.published_basis) == (record["published"], "given")
        else:
            assert (doc.published, doc.published_basis) == (None, "none")


def test_jsonl_fields_and_defaults(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [
        {"text": "Body one.", "url": "https://example.org/1", "outlet": "Example", "published": "2020-02-02T08:00:00Z"},
        {"text": "Body two.", "title": "Title two", "id": 7, "published": "February 3, 2020"},
        {"text": "Body three.", "title": "   "},
    ]
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n\n", encoding="utf-8")
    one, two, three = run(path)
    assert (one.raw_text, one.title, one.source.url, one.source.outlet) == ("Body one.", None, "https://example.org/1", "Example")
    assert (one.published, one.published_basis) == ("2020-02-02", "given")
    assert one.source.path == f"{path}:1"
    assert (two.raw_text, two.published) == ("Title two\n\nBody two.", "2020-02-03")
    assert (three.raw_text, three.title, three.published_basis) == ("Body three.", None, "none")


def test_jsonl_text_may_hold_unicode_line_separators(tmp_path):
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps({"text": "First\u2028second\u0085third."}, ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = run(path)
    assert doc.raw_text == "First\u2028second\u0085third."


@pytest.fixture
def no_network(monkeypatch):
    """Make any URL fetch by htmldate or trafilatura fail the test."""
    import htmldate.utils
    import trafilatura.downloads

    def refuse(*args, **kwargs):
        raise AssertionError("ingest tried to fetch a URL")

    monkeypatch.setattr(htmldate.utils, "fetch_url", refuse)
    monkeypatch.setattr(trafilatura.downloads, "fetch_url", refuse)


def test_html_gives_extracted_text_title_date_and_page_metadata(tmp_path, no_network):
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (doc,) = run(path)
    assert doc.title == "Ministers meet in Geneva"
    assert (doc.published, doc.published_basis) == ("2021-03-04", "metadata")
    assert doc.raw_text.startswith("Ministers meet in Geneva\n\n")
    # The headline is not repeated, and offsets map to text, never markup.
    assert doc.raw_text.count("Ministers meet in Geneva") == 1
    assert "<" not in doc.raw_text and "Home" not in doc.raw_text and "Copyright" not in doc.raw_text
    assert "long-running border dispute" in doc.raw_text
    assert (doc.source.url, doc.source.outlet) == ("https://news.example.org/world/geneva-talks", "Example News")


def test_html_date_from_meta_tag_in_a_legacy_encoding(tmp_path):
    page = HTML_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1252"><meta property="article:published_time" content="2019-07-01T10:00:00Z">')
    page = page.replace("<time datetime=\"2021-03-04\">March 4, 2021</time>", "Zürich café")
    path = tmp_path / "legacy.htm"
    path.write_bytes(page.encode("cp1252"))
    (doc,) = run(path)
    assert doc.published == "2019-07-01"
    assert "Zürich café" in doc.raw_text


def test_html_without_a_date_has_basis_none(tmp_path):
    page = HTML_PAGE.replace('<p>Published <time datetime="2021-03-04">March 4, 2021</time></p>', "")
    page = page.replace("Copyright 2021 ", "")
    path = tmp_path / "nodate.html"
    path.write_text(page, encoding="utf-8")
    (doc,) = run(path)
    assert (doc.published, doc.published_basis) == (None, "none")


def test_directory_is_walked_recursively_sorted_with_known_extensions_only(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Z title\nz body\n", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "from jsonl"}) + "\n", encoding="utf-8")
    (tmp_path / "c.html").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not an article\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden.txt").write_text("hidden\n", encoding="utf-8")
    (tmp_path / "d.txt.gz").write_bytes(gzip.compress(b"Gz title\ngz body\n"))
    items = run(tmp_path)
    assert not errors(items)
    # Files of no article format are listed with the reason, hidden ones not.
    assert [(s.path, s.reason.split(" is not", 1)[0]) for s in skipped(items)] == [
        (str(tmp_path / "image.png"), "skipped: .png"),
        (str(tmp_path / "notes.md"), "skipped: .md"),
    ]
    assert [d.source.path for d in docs(items)] == [
        f"{tmp_path}/a.jsonl:1",
        str(tmp_path / "b" / "z.txt"),
        str(tmp_path / "c.html"),
        str(tmp_path / "d.txt.gz"),
    ]
    assert docs(items)[3].title == "Gz title"


def test_explicit_file_with_unknown_extension_is_read_as_text(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("Heading\nbody\n", encoding="utf-8")
    (doc,) = run(path)
    assert (doc.title, doc.raw_text) == ("Heading", "Heading\nbody\n")


def test_globs_are_expanded_and_a_file_named_twice_is_read_once(tmp_path):
    for name in ("one.txt", "two.txt", "skip.md"):
        (tmp_path / name).write_text(f"{name}\nbody\n", encoding="utf-8")
    items = run(tmp_path / "*.txt", tmp_path / "one.txt", tmp_path / "*")
    assert [d.title for d in docs(items)] == ["one.txt", "two.txt"]
    assert only_error(run(tmp_path / "*.nothing")).reason == "no files match this pattern"
    assert [d.title for d in docs(run(tmp_path / "*.md"))] == ["skip.md"]


def test_gzip_jsonl_is_streamed(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n{"text": "two"}\n'))
    assert [d.raw_text for d in docs(run(path))] == ["one", "two"]


def test_published_argument_overrides_every_date(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "x", "published": "2001-01-01"}) + "\n", encoding="utf-8")
    (tmp_path / "b.html").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "c.txt").write_text("c\nbody\n", encoding="utf-8")
    items = run(tmp_path, published="2024-05-06")
    assert len(docs(items)) == 3
    assert {(d.published, d.published_basis) for d in docs(items)} == {("2024-05-06", "given")}


@pytest.mark.parametrize("bad", ["2024-13-01", "06/05/2024", "yesterday", ""])
def test_invalid_published_argument_is_refused_at_once(bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        read_paths(["whatever"], published=bad)


def test_stdin_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8")), encoding="utf-8"))
    (doc,) = run("-")
    assert doc.raw_text == ARTICLE
    assert doc.title == "Ministers agree to reopen border crossing"
    assert doc.source.path == "<stdin>"


def test_stdin_jsonl_when_every_line_is_an_object(monkeypatch):
    data = '{"text": "one", "title": "T"}\n\n{"text": "two"}\n'
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    one, two = run("-")
    assert (one.raw_text, two.raw_text) == ("T\n\none", "two")
    assert two.source.path == "<stdin>:3"


def test_stdin_with_one_non_object_line_is_text(monkeypatch):
    data = '{"text": "one"}\nplain words\n'
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    (doc,) = run("-")
    assert doc.raw_text == data


def test_empty_stdin_is_an_error(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n"), encoding="utf-8"))
    err = only_error(run("-"))
    assert (err.path, err.reason) == ("<stdin>", "empty file (only whitespace)")


# --- bad inputs ---------------------------------------------------------------


def test_missing_path(tmp_path):
    err = only_error(run(tmp_path / "absent.txt"))
    assert err.reason == "no such file or directory"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b" \n\t\r\n ", "empty file (only whitespace)")],
)
def test_empty_files(tmp_path, content, reason):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert only_error(run(path)).reason == reason


def test_empty_directory(tmp_path):
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    items = run(tmp_path)
    assert [type(i) for i in items] == [SkippedFile, FileError]
    assert "holds no article files (.csv, .htm, .html, .json" in items[1].reason


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"Some\x00text\x00with\x00NUL\x00bytes", "binary file (17% NUL bytes)"),
        (bytes(range(1, 32)) * 20 + b"a few letters", "control characters"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("A plain article in UTF-16 without a byte-order mark.".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    ],
)
def test_binary_files(tmp_path, content, fragment):
    path = tmp_path / "binary.txt"
    path.write_bytes(content)
    reason = only_error(run(path)).reason
    assert reason.startswith("binary file")
    assert fragment in reason


def test_undecodable_bytes_are_not_valid_utf8(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_bytes("Zürich".encode() + " café ".encode("latin-1") + b"\xff\xfe\x81\x8d\x8f\x90\x9d")
    reason = only_error(run(path)).reason
    assert reason.startswith("not valid UTF-8 (byte 0x")
    assert "could not be determined" in reason


def test_broken_utf16_after_its_bom(tmp_path):
    path = tmp_path / "bad16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8")  # a lone high surrogate
    assert only_error(run(path)).reason.startswith("not valid UTF-16 despite its byte-order mark")


def test_too_big_file_and_too_long_article(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("word " * 400, encoding="utf-8")
    assert only_error(run(big)).reason == "file too big (2,000 bytes > limit 1,000 bytes)"

    long_one = tmp_path / "long.txt"
    long_one.write_text("word " * 50, encoding="utf-8")
    (err,) = read_paths([str(long_one)], max_article_bytes=100)
    assert err.reason == "article text too big (250 bytes > limit 100 bytes)"
    # the limit counts UTF-8 bytes, not characters
    (err,) = read_paths([str(long_one)], max_article_bytes=249)
    assert isinstance(err, FileError)
    (doc,) = read_paths([str(long_one)], max_article_bytes=250)
    assert isinstance(doc, RawDocument)

    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps({"text": "слово " * 50}) + "\n" + json.dumps({"text": "short"}) + "\n", encoding="utf-8")
    err, doc = read_paths([str(lines)], max_article_bytes=200)
    assert (err.path, err.reason) == (f"{lines}:1", "article text too big (550 bytes > limit 200 bytes)")
    assert doc.raw_text == "short"


def test_default_article_limit_is_five_megabytes(tmp_path):
    assert ingest.MAX_ARTICLE_BYTES == 5 * 1024 * 1024
    path = tmp_path / "huge.txt"
    path.write_text("x" * (5 * 1024 * 1024 + 1), encoding="utf-8")
    assert "article text too big" in only_error(run(path)).reason


def test_gzip_bomb_stops_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 10_000)
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 5_000_000))
    assert only_error(run(path)).reason == "decompressed content too big (> limit 10,000 bytes)"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"plain text, not gzip", "not a gzip file"),
        (gzip.compress(b"Title\nbody text\n" * 100)[:-30], "truncated gzip file"),
    ],
)
def test_bad_gzip(tmp_path, content, fragment):
    path = tmp_path / "bad.txt.gz"
    path.write_bytes(content)
    assert fragment in only_error(run(path)).reason


def test_bad_jsonl_lines_are_reported_and_the_rest_go_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": "good one"}),
        "{not json",
        "[1, 2]",
        json.dumps({"title": "no text"}),
        json.dumps({"text": 5}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "x", "title": ["a"]}),
        json.dumps({"text": "x", "published": "not a date at all"}),
        "",
        json.dumps({"text": "good two"}),
        '{"text": "cut off in the midd',
    ]
    path.write_text("\n".join(lines), encoding="utf-8")  # no final newline: the last line is truncated
    items = run(path)
    assert [d.raw_text for d in docs(items)] == ["good one", "good two"]
    reasons = {e.path.rsplit(":", 1)[1]: e.reason for e in errors(items)}
    assert reasons["2"].startswith("invalid JSON (")
    assert reasons["3"] == "JSON line is not an object (got an array)"
    assert reasons["4"] == "JSON object has no 'text' field"
    assert reasons["5"] == "'text' must be a string, got a number"
    assert reasons["6"] == "'text' is empty"
    assert reasons["7"] == "'title' must be a string or null, got an array"
    assert reasons["8"] == "'published' is not a recognisable date: 'not a date at all'"
    assert reasons["11"].startswith("truncated JSON line (the file ends mid-record")
    assert set(reasons) == {"2", "3", "4", "5", "6", "7", "8", "11"}


def test_jsonl_line_with_bad_utf8_costs_only_that_line(tmp_path):
    path = tmp_path / "enc.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n{"text": "also ok"}\n')
    items = run(path)
    assert [d.raw_text for d in docs(items)] == ["ok", "also ok"]
    (err,) = errors(items)
    assert err.path == f"{path}:2"
    assert err.reason == "not valid UTF-8 (byte 0xE9 at column 14); JSONL must be UTF-8"


def test_jsonl_that_is_not_jsonl_gives_up_early(tmp_path):
    path = tmp_path / "prose.jsonl"
    path.write_text("a line of prose\n" * 500, encoding="utf-8")
    items = run(path)
    assert len(items) == ingest.MAX_LEADING_BAD_LINES + 1
    assert items[-1].path == str(path)
    assert "does not look like JSONL" in items[-1].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\n", "binary file: a PDF document, not JSONL"),
        (b'{"text": "a"}\n\x00\x01\x02\x03', "binary file (contains NUL bytes), not JSONL"),
    ],
)
def test_binary_jsonl_is_one_file_error(tmp_path, content, reason):
    path = tmp_path / "data.jsonl"
    path.write_bytes(content)
    err = only_error(run(path))
    assert (err.path, err.reason) == (str(path), reason)


def test_utf16_jsonl_with_a_bom(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_bytes('{"text": "one"}\n{"text": "twö"}\n'.encode("utf-16"))
    assert [d.raw_text for d in docs(run(path))] == ["one", "twö"]


def test_truncated_gzip_jsonl_keeps_the_lines_before_the_cut(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n' * 2000)[:-40])
    items = run(path)
    assert len(docs(items)) > 100
    assert items[-1] == FileError(str(path), "truncated gzip file (compressed stream ends early)")


def test_empty_jsonl(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("\n  \n", encoding="utf-8")
    assert only_error(run(path)).reason == "empty file (no JSON lines)"


def test_html_with_no_extractable_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Nothing here</title></head><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    assert only_error(run(path)).reason == "no article text could be extracted from the HTML (only 1 word of page text)"


def test_html_whose_content_is_a_url_is_not_fetched(tmp_path, no_network):
    path = tmp_path / "url.html"
    path.write_text("https://example.com/news/2020/01/02/story", encoding="utf-8")
    assert only_error(run(path)).reason == "no article text could be extracted from the HTML"


def test_directory_keeps_going_past_bad_files(tmp_path):
    (tmp_path / "a.txt").write_text("A\nbody\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "d.txt").write_text("D\nbody\n", encoding="utf-8")
    items = run(tmp_path, tmp_path / "missing.txt")
    assert [type(i).__name__ for i in items] == ["RawDocument", "FileError", "FileError", "RawDocument", "FileError"]
    assert [d.title for d in docs(items)] == ["A", "D"]


def test_reading_is_lazy(tmp_path):
    (tmp_path / "a.txt").write_text("A\nbody\n", encoding="utf-8")
    stream = read_paths([str(tmp_path / "a.txt"), str(tmp_path / "later.txt")])
    first = next(stream)
    assert isinstance(first, RawDocument)
    # Created after reading began: a lazy reader still finds it.
    (tmp_path / "later.txt").write_text("Later\nbody\n", encoding="utf-8")
    assert next(stream).title == "Later"


def test_overlong_jsonl_line_is_skipped_without_losing_count(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 64)
    path = tmp_path / "long.jsonl"
    path.write_text(
        json.dumps({"text": "x" * 300}) + "\n" + json.dumps({"text": "fits"}) + "\n", encoding="utf-8"
    )
    err, doc = run(path)
    assert (err.path, err.reason) == (f"{path}:1", "line too long (> 64 bytes)")
    assert (doc.raw_text, doc.source.path) == ("fits", f"{path}:2")


# --- WARC (CC-NEWS) ----------------------------------------------------------

UNDATED_PAGE = """<html><head><title>Talks resume on the border crossing</title></head><body><article>
<h1>Talks resume on the border crossing</h1>
<p>Negotiators from the two neighbouring countries resumed talks about the border crossing in the capital, officials said.</p>
<p>The delegations are expected to meet again next month to sign a written agreement on the crossing.</p>
</article></body></html>"""


def write_warc(path: Path, *, gz: bool) -> int:
    """A WARC file as a crawler writes it: a request, two HTML responses (one
    dated by its page, one not), an image response and a metadata record.
    Returns the byte offset where the last HTML response starts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)

        def response(url: str, body: bytes, content_type: str, when: str) -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": when}
            )
            writer.write_record(record)

        request = StatusAndHeaders("GET /world HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://news.example.org/world", "request", http_headers=request))
        response("https://news.example.org/a", HTML_PAGE.encode("utf-8"), "text/html; charset=utf-8", "2021-03-05T08:00:00Z")
        response("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png", "2021-03-05T08:00:01Z")
        writer.write_record(writer.create_warc_record("https://news.example.org/a", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12")))
        last = fh.tell()
        response("https://news.example.org/b", UNDATED_PAGE.encode("cp1252"), "text/html; charset=windows-1252", "2022-06-03T10:00:00Z")
    return last


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_become_articles_with_url_and_date(tmp_path, gz, no_network):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, gz=gz)
    items = run(path)
    assert not errors(items)
    dated, undated = docs(items)
    assert dated.source.url == "https://news.example.org/a"
    assert (dated.published, dated.published_basis) == ("2021-03-04", "metadata")  # the page's own date
    assert dated.title == "Ministers meet in Geneva"
    assert undated.source.url == "https://news.example.org/b"
    assert (undated.published, undated.published_basis) == ("2022-06-03", "metadata")  # the WARC-Date
    assert "Negotiators from the two neighbouring countries" in undated.raw_text
    assert dated.source.path != undated.source.path and dated.source.path.startswith(str(path))


def test_warc_files_are_found_in_directories(tmp_path):
    write_warc(tmp_path / "a.warc.gz", gz=True)
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    assert len(docs(run(tmp_path))) == 3


def test_truncated_plain_warc_keeps_the_records_before_the_cut(tmp_path):
    path = tmp_path / "cut.warc"
    write_warc(path, gz=False)
    data = path.read_bytes()
    path.write_bytes(data[:-150])
    items = run(path)
    (good,) = docs(items)
    assert good.source.url == "https://news.example.org/a"
    (err,) = errors(items)
    assert "truncated WARC record" in err.reason


def test_truncated_gzip_warc_keeps_the_records_before_the_cut(tmp_path):
    path = tmp_path / "cut.warc.gz"
    last = write_warc(path, gz=True)
    data = path.read_bytes()
    path.write_bytes(data[: last + (len(data) - last) // 2])
    items = run(path)
    assert [d.source.url for d in docs(items)] == ["https://news.example.org/a"]
    (err,) = errors(items)
    assert "truncated" in err.reason and err.path.startswith(str(path))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"", "no complete WARC record"), (b"this is not a WARC file at all\n" * 3, "not a readable WARC record"), (bytes(range(256)) * 4, "WARC")],
)
def test_bad_warc_files(tmp_path, content, fragment):
    path = tmp_path / "bad.warc"
    path.write_bytes(content)
    assert fragment in only_error(run(path)).reason


def test_gzipped_html_is_read(tmp_path, no_network):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML_PAGE.encode("utf-8")))
    (doc,) = run(path)
    assert doc.title == "Ministers meet in Geneva"


def test_jsonl_id_is_kept_in_the_source_path(tmp_path):
    path = tmp_path / "ids.jsonl"
    path.write_text(json.dumps({"id": "story-7", "text": "Body.", "url": "https://x.example/7"}) + "\n", encoding="utf-8")
    (doc,) = run(path)
    assert doc.source.path == f"{path}:1#story-7"
    assert doc.source.url == "https://x.example/7"


def test_malformed_warc_record_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "odd.warc.gz"
    path.write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 9000\r\n\r\nHTTP/1.1 200"))
    assert "WARC record" in only_error(run(path)).reason


def test_count_documents_gives_the_progress_total(tmp_path):
    (tmp_path / "a.txt").write_text("One article.")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{"text": "z"}\n')
    (tmp_path / "notes.md").write_text("not an article kind")
    assert ingest.count_documents([str(tmp_path)]) == 4
    assert ingest.count_documents([str(tmp_path / "b.jsonl"), str(tmp_path / "missing.txt")]) == 3
    # Sizes unknown without reading the input: no total.
    assert ingest.count_documents(["-"]) is None
    with gzip.open(tmp_path / "c.jsonl.gz", "wt") as f:
        f.write('{"text": "x"}\n')
    assert ingest.count_documents([str(tmp_path / "c.jsonl.gz")]) is None
    assert sum(1 for _ in ingest.read_paths([str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl")])) == 4


# --- JSON and CSV/TSV articles --------------------------------------------------


def test_json_array_and_single_object_are_articles(tmp_path):
    many = tmp_path / "many.json"
    many.write_text(json.dumps([
        {"text": "First body.", "title": "First", "url": "https://x.example/1", "published": "2021-03-04", "outlet": "X", "id": 7},
        {"text": "Second body."},
    ]), encoding="utf-8")
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": "Only body.", "title": "Only"}), encoding="utf-8")
    first, second, only = docs(run(many, one))
    assert (first.raw_text, first.title, first.published, first.published_basis) == ("First\n\nFirst body.", "First", "2021-03-04", "given")
    assert (first.source.path, first.source.url, first.source.outlet) == (f"{many}[0]#7", "https://x.example/1", "X")
    assert (second.source.path, second.title) == (f"{many}[1]", None)
    assert (only.source.path, only.raw_text) == (str(one), "Only\n\nOnly body.")


def test_json_problems_are_clear_errors_never_plain_text(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([{"text": "Good."}, "a string", {"title": "no text"}]), encoding="utf-8")
    items = run(path)
    assert [d.raw_text for d in docs(items)] == ["Good."]
    assert [(e.path, e.reason) for e in errors(items)] == [
        (f"{path}[1]", "array item is not an object (got a string)"),
        (f"{path}[2]", "JSON object has no 'text' field"),
    ]
    cases = {
        '"just a string"': "JSON file holds a string, not an article object or an array of them",
        "[]": "empty JSON array (no articles)",
        '[{"text": "cut': "invalid JSON (Unterminated string starting at line 1, column 11)",
    }
    for content, reason in cases.items():
        path.write_text(content, encoding="utf-8")
        assert only_error(run(path)).reason == reason


def test_json_lines_in_a_json_file_are_read_as_jsonl(tmp_path):
    path = tmp_path / "lines.json"
    path.write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    assert [(d.raw_text, d.source.path) for d in docs(run(path))] == [("one", f"{path}:1"), ("two", f"{path}:2")]


@pytest.mark.parametrize(("name", "sep"), [("a.csv", ","), ("a.tsv", "\t")])
def test_csv_and_tsv_rows_are_articles(tmp_path, name, sep):
    path = tmp_path / name
    rows = [
        ["id", "Title", "text", "published", "url", "outlet", "votes"],
        ["s1", "Talks resume", "Ministers met.\nThey agreed.", "2021-03-04", "https://x.example/1", "X", "5"],
        ["", "", "A second body.", "", "", "", ""],
        ["s3", "No text", "", "", "", "", ""],
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=sep).writerows(rows)
    items = run(path)
    first, second = docs(items)
    assert (first.raw_text, first.title, first.published) == ("Talks resume\n\nMinisters met.\nThey agreed.", "Talks resume", "2021-03-04")
    assert (first.source.path, first.source.url, first.source.outlet) == (f"{path}:2#s1", "https://x.example/1", "X")
    assert (second.raw_text, second.source.path, second.title) == ("A second body.", f"{path}:4", None)
    assert [(e.path, e.reason) for e in errors(items)] == [(f"{path}:5", "row has no text")]


def test_csv_without_a_text_column_is_refused_not_read_as_text(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("title,body\nA,B\n", encoding="utf-8")
    reason = only_error(run(path)).reason
    assert reason.startswith("CSV file has no 'text' column (its header names 'title', 'body')")
    path.write_text("text\n", encoding="utf-8")
    assert only_error(run(path)).reason == "CSV file has a header but no rows"


def test_json_and_csv_in_a_directory_are_read(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([{"text": "From JSON."}]), encoding="utf-8")
    (tmp_path / "b.csv").write_text("text\nFrom CSV.\n", encoding="utf-8")
    items = run(tmp_path)
    assert not errors(items) and not skipped(items)
    assert [d.raw_text for d in docs(items)] == ["From JSON.", "From CSV."]


# --- stray control bytes, one error per cut record, messages --------------------


def test_stray_nul_bytes_are_kept_for_repair_which_removes_and_records_them(tmp_path):
    from eventwire.extract.repair import clean

    path = tmp_path / "nul.txt"
    path.write_bytes(b"Talks resumed\x00 in Geneva on Monday, officials said.\n" * 3)
    (doc,) = run(path)
    cleaned = clean(doc)
    assert "\x00" not in cleaned.text and "Talks resumed in Geneva" in cleaned.text
    assert [(r.kind, r.raw) for r in cleaned.repairs] == [("control", "\x00")] * 3


def test_a_gzip_warc_cut_anywhere_reports_each_record_once(tmp_path):
    path = tmp_path / "a.warc.gz"
    write_warc(path, gz=True)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    for end in range(40, len(data), 37):
        cut.write_bytes(data[:end])
        paths = [e.path for e in errors(run(cut))]
        assert len(paths) == len(set(paths)) <= 1, (end, paths)


def test_an_unterminated_jsonl_string_reads_without_a_doubled_word(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"text": "ok"}\n{"text": "never closed\n{"text": "cut', encoding="utf-8")
    reasons = [e.reason for e in errors(run(path))]
    assert reasons == [
        "invalid JSON (Invalid control character at column 23)",  # json's message ends in "at"
        "truncated JSON line (the file ends mid-record: Unterminated string starting at column 10)",
    ]
