"""Word lists: every list in data/words/ loads, is documented, and is defined once."""

import ast
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from eventwire.extract import actors, context, events, published, quotes, timex, words
from eventwire.extract import runner as pipeline
from eventwire.extract.words import list_names, word_files, word_list, word_map, word_set

WORDS_DIR = resources.files("eventwire").joinpath("data", "words")
FILES = ("modality", "names", "numbers", "prepositions", "pronouns", "quotation", "time", "zones")


def raw(file: str) -> dict:
    return tomllib.loads(WORDS_DIR.joinpath(f"{file}.toml").read_text("utf-8"))


def all_lists() -> list[tuple[str, str, object]]:
    return [(file, name, value) for file in word_files() for name, value in raw(file).items()]


def test_the_word_files():
    assert word_files() == FILES


@pytest.mark.parametrize("file", FILES)
def test_every_list_loads_and_is_not_empty(file):
    assert list_names(file)
    for name, value in raw(file).items():
        loaded = word_list(file, name) if isinstance(value, list) else word_map(file, name)
        assert loaded, f"{file}.{name} is empty"
        assert all(isinstance(key, str) and key == key.strip() and key for key in loaded), f"{file}.{name}"


def test_no_list_is_defined_twice():
    names = [name for _, name, _ in all_lists()]
    assert len(names) == len(set(names)), "a list name is used in two files"
    arrays = [(f"{file}.{name}", frozenset(value)) for file, name, value in all_lists() if isinstance(value, list)]
    tables = [(f"{file}.{name}", frozenset(value)) for file, name, value in all_lists() if isinstance(value, dict)]
    for group in (arrays, tables):
        seen: dict[frozenset, str] = {}
        for where, content in group:
            assert content not in seen, f"{where} repeats {seen[content]}"
            seen[content] = where
    for file, name, value in all_lists():
        if isinstance(value, list):
            assert len(value) == len(set(value)), f"{file}.{name} lists a word twice"


def test_lists_that_are_joined_in_code_do_not_overlap():
    # A stage reads the union of a shared list and its own additions: a word in
    # both would be defined twice (and the later value would silently win).
    cardinals = word_map("numbers", "cardinals")
    assert not cardinals.keys() & word_map("numbers", "count_words").keys()
    assert not cardinals.keys() & word_map("numbers", "duration_counts").keys()
    assert not word_map("time", "months").keys() & word_map("time", "month_abbreviations").keys()
    assert not word_map("time", "weekdays").keys() & word_map("time", "weekday_abbreviations").keys()
    assert not set(word_list("prepositions", "target")) & set(word_list("prepositions", "nesting"))
    assert not word_set("zones", "skipped") & word_set("zones", "transparent")


@pytest.mark.parametrize("file", FILES)
def test_every_file_and_list_says_what_it_is(file):
    lines = WORDS_DIR.joinpath(f"{file}.toml").read_text("utf-8").splitlines()
    assert lines[0].startswith("#") and "Licence" in "\n".join(lines[:12]), f"{file}.toml: header with source and licence"
    starts = re.compile(r"^(?:\[(?P<table>[\w]+)\]|(?P<key>\w+) = )")
    documented = set()
    for i, line in enumerate(lines):
        m = starts.match(line)
        if m and i > 0 and lines[i - 1].startswith("#"):
            documented.add(m.group("table") or m.group("key"))
    assert documented >= set(list_names(file)), f"{file}.toml: a list without a comment above it"


def test_every_word_file_is_in_the_data_readme():
    readme = resources.files("eventwire").joinpath("data", "README.md").read_text("utf-8")
    for file in FILES:
        assert f"| `words/{file}.toml` |" in readme


def test_the_loader_imports_no_other_eventwire_module():
    tree = ast.parse(Path(words.__file__).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("eventwire")
        if isinstance(node, ast.Import):
            assert not any(alias.name.startswith("eventwire") for alias in node.names)


def test_the_loader_reports_a_wrong_name_or_kind():
    with pytest.raises(KeyError, match="no list 'nothing'"):
        word_set("modality", "nothing")
    with pytest.raises(TypeError):
        word_list("time", "months")
    with pytest.raises(TypeError):
        word_map("modality", "negators")


def test_a_map_is_the_callers_own():
    months = word_map("time", "months")
    months["smarch"] = 13
    assert "smarch" not in word_map("time", "months")


# --- stage constants are the data-file lists --------------------------------------


def test_skipped_zones_are_one_list_for_every_stage():
    expected = frozenset({"credit", "boilerplate"})
    assert context.SKIPPED_ZONES == expected
    # Defined once, in the context module; every stage reads that one object.
    for module in (actors, events, quotes, timex):
        assert module.SKIPPED_ZONES is context.SKIPPED_ZONES, module.__name__
    for module in (pipeline, published):
        assert not hasattr(module, "SKIPPED_ZONES"), module.__name__
    assert quotes.TRANSPARENT_ZONES == expected | {"caption"}


def test_stage_constants_equal_their_lists():
    assert events.NEGATORS == word_set("modality", "negators") and "n't" in events.NEGATORS
    assert events.FUTURE_AUX == timex._FUTURE_AUX == word_set("modality", "future_aux")
    assert actors.PRONOUN_GENDER == word_map("pronouns", "person_gender")
    assert actors.PERSON_PRONOUNS == frozenset(actors.PRONOUN_GENDER)
    assert quotes.FIRST_SECOND_PERSON == word_set("pronouns", "first_second_person")
    assert actors.DEMONYM_ENDINGS == word_list("names", "demonym_endings")
    assert quotes.CLOSERS["„"] == frozenset('“”"')
    assert '"' in quotes.DOUBLE_MARKS and "'" in quotes.SINGLE_MARKS
    assert timex.SEASONS == word_map("time", "seasons")


def test_order_and_types_are_kept():
    # Tuples are tried in order; integers and floats stay what they were.
    assert events.TARGET_PREPS[:3] == ("with", "to", "against")
    assert events.NESTING_PREPS == (*events.TARGET_PREPS, "in", "about", "over", "of")
    assert events.TOPIC_PREPS == ("about", "over")
    assert timex.VAGUE_NUMBERS[:3] == ("several", "a few", "few")
    assert published._WEEKDAYS == ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    assert type(events.NUMBER_WORDS["two"]) is int and events.NUMBER_WORDS["thousands"] == 2000
    assert type(events.SCALES["million"]) is float
    assert timex.NUMBER_WORDS["half a"] == 0.5 and "thousand" not in timex.NUMBER_WORDS
    assert "a" not in events.NUMBER_WORDS
    assert timex.UNITS["fortnight"] == ("W", False, 2) and timex.UNITS["hour"] == ("H", True, 1)
    assert timex.MONTHS["sept"] == timex.MONTHS["september"] == 9
    assert timex.WEEKDAYS["thurs"] == 4


@pytest.mark.parametrize(
    ("text", "matches"),
    [("sept.", True), ("sep", True), ("September", True), ("may", True), ("may.", False), ("septem", False)],
)
def test_the_month_pattern_is_built_from_the_list(text, matches):
    assert bool(re.fullmatch(timex._MONTH_RE, text, re.IGNORECASE)) is matches


@pytest.mark.parametrize(("text", "matches"), [("thurs.", True), ("thur", True), ("tues", True), ("Friday", True), ("fr", False)])
def test_the_weekday_pattern_is_built_from_the_list(text, matches):
    assert bool(re.fullmatch(timex._WEEKDAY_RE, text, re.IGNORECASE)) is matches
