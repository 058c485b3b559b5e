from eventwire.extract import repair
from eventwire.extract.repair import Edit, apply_edits, clean
from eventwire.model import RawDocument, clean_to_raw
from eventwire.settings import DATA_DIR


def test_apply_edits_maps_every_unchanged_offset_back():
    raw = "Alpha\r\nBeta\u00a0Gamma\u200bDelta"
    text, segments, repairs = apply_edits(raw, [Edit(5, 7, "\n", "newline"), Edit(11, 12, " ", "space"), Edit(17, 18, "", "invisible")])
    assert text == "Alpha\nBeta GammaDelta"
    assert [r.kind for r in repairs] == ["newline", "space", "invisible"]
    for i, ch in enumerate(text):
        j = clean_to_raw(segments, repairs, i)
        if not any(r.start <= i < r.end for r in repairs):
            assert raw[j] == ch
    assert clean_to_raw(segments, repairs, len(text), "end") == len(raw)
    # the deleted invisible character sits between "Gamma" and "Delta"
    assert clean_to_raw(segments, repairs, 16, "start") == 18
    assert clean_to_raw(segments, repairs, 16, "end") == 17


def test_apply_edits_rejects_overlaps():
    import pytest

    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, "x", "a"), Edit(2, 4, "y", "b")])


def test_clean_marks_title_and_paragraphs():
    raw = "Headline here\n\nFirst paragraph.\r\n\r\n  Second one.  \n"
    cleaned = clean(RawDocument(raw_text=raw, title="Headline here"))
    zones = [(cleaned.text[p.start : p.end], p.zone) for p in cleaned.paragraphs]
    assert zones == [("Headline here", "title"), ("First paragraph.", "body"), ("Second one.", "body")]
    # every paragraph maps back to the same characters in the raw text
    for p in cleaned.paragraphs:
        rs = clean_to_raw(cleaned.raw_map, cleaned.repairs, p.start, "start")
        re_ = clean_to_raw(cleaned.raw_map, cleaned.repairs, p.end, "end")
        assert raw[rs:re_] == cleaned.text[p.start : p.end]


def test_clean_without_title_has_no_title_zone():
    cleaned = clean(RawDocument(raw_text="Just a body.\nAnother line."))
    assert {p.zone for p in cleaned.paragraphs} == {"body"}


def test_glued_words_are_split_without_losing_raw_characters():
    raw = (
        "Officials of Ruritania met Anna Kowalczyk on Monday.\n\n"
        "Then Kowalczykheld talks with Ruritaniaand its allies, “we agree with you”Kowalczyk said.\n"
        "KowalczykRuritania relations improved."
    )
    cleaned = clean(RawDocument(raw_text=raw))
    assert "Kowalczyk held talks with Ruritania and its" in cleaned.text
    assert "with you” Kowalczyk said" in cleaned.text
    assert "Kowalczyk Ruritania relations" in cleaned.text
    assert {r.kind for r in cleaned.repairs} == {"glued-words", "glued-quote"}
    # only spaces were inserted: removing them gives the raw text back
    assert all(r.raw == "" and r.replacement == " " for r in cleaned.repairs)
    i = cleaned.text.index("held")
    assert raw[clean_to_raw(cleaned.raw_map, cleaned.repairs, i) :].startswith("held talks")


def test_real_words_and_rare_names_stay_whole():
    from eventwire.extract.repair import glued_split

    for word in ["Kazakhstan", "Beltransgaz", "Tokayev", "Shmyhal", "Nagorno-Karabakh", "McDonald", "YouTube", "Johannesburg"]:
        assert glued_split(word, set()) is None, word
    assert glued_split("Koreawhose", set()) == 5
    assert glued_split("Jong-unis", {"Jong-un"}) == 7
    assert glued_split("Jong-unis", set()) is None


def test_control_characters_are_removed_and_text_is_nfc_with_a_map_back():
    import unicodedata

    raw = "Cafe\u0301 talks\x00 resumed\x0bin the \u212bngstr\u00f6m hall.\x7f"
    cleaned = clean(RawDocument(raw_text=raw))
    assert cleaned.text == "Caf\u00e9 talks resumed in the \u00c5ngstr\u00f6m hall."
    assert unicodedata.is_normalized("NFC", cleaned.text)
    assert {r.kind for r in cleaned.repairs} == {"nfc", "control", "space"}
    start = cleaned.text.index("talks")
    assert raw[clean_to_raw(cleaned.raw_map, cleaned.repairs, start) :].startswith("talks")
    # every cleaned character maps into the raw text, in order
    mapped = [clean_to_raw(cleaned.raw_map, cleaned.repairs, i) for i in range(len(cleaned.text))]
    assert mapped == sorted(mapped) and mapped[-1] < len(raw)


def test_glue_in_hyphenated_possessive_and_abbreviated_tokens():
    raw = (
        "Ruritania sent troops.\n"
        "It was a Ruritania-ledcoalition, said the envoy ofRuritania-based groups.\n"
        "The minister heard Ruritania'sproposals in theU.S. on Monday."
    )
    text = clean(RawDocument(raw_text=raw)).text
    assert "Ruritania-led coalition" in text
    assert "of Ruritania-based" in text
    assert "Ruritania's proposals" in text
    assert "the U.S." in text


def test_untouched_prose_is_not_split():
    from eventwire.extract.repair import glued_word_edits

    prose = (
        "The NATO summit in Johannesburg drew McDonald, DeSantis and MacArthur fans. "
        "Launchpads, YouTube videos and the PowerPoint were shown in Kazakhstan. "
        "Anon and Hitwise reported from Nagorno-Karabakh; iPhone users in Ashworth agreed."
    )
    assert [e for e in glued_word_edits(prose) if e.kind == "glued-words"] == []


def test_rare_unknown_names_are_never_split_but_an_unknown_head_before_a_long_word_is():
    from eventwire.extract.repair import glued_split

    for name in ["Zuokumor", "Gerulaitis", "Kowalczykowa", "Bauchtmann"]:
        assert glued_split(name, set()) is None, name
    assert glued_split("Zuokumorrefugee", set()) == len("Zuokumor")
    assert glued_split("newspaperZuokumor", set()) == len("newspaper")


def test_zones_of_captions_credits_and_boilerplate():
    raw = (
        "Talks resume\n"
        "© Agence Photo\u200bMinister Anna Kowalczyk \u2022 Minister Jan Novak\n"
        "The ministers met on Friday.\n"
        "Minister Anna Kowalczyk speaks in Ruritania, March 8, 2024. REUTERS/Jan Novak/Pool\n"
        "A man walks past the ministry in the capital of Ruritania, March 7, 2024.\n"
        "Photo: Jan Novak\n"
        "(Reporting by Jan Novak; Editing by Anna Kowalczyk)\n"
        "The statement was sent via Reuters to the ministry.\n"
    )
    cleaned = clean(RawDocument(raw_text=raw.replace("\u200b", ""), title="Talks resume"))
    zones = [(cleaned.text[p.start : p.end], p.zone) for p in cleaned.paragraphs]
    assert zones[0] == ("Talks resume", "title")
    assert ("The ministers met on Friday.", "body") in zones
    assert ("Minister Anna Kowalczyk speaks in Ruritania, March 8, 2024.", "caption") in zones
    assert ("REUTERS/Jan Novak/Pool", "credit") in zones
    assert ("A man walks past the ministry in the capital of Ruritania, March 7, 2024.", "caption") in zones
    assert ("Photo: Jan Novak", "credit") in zones
    assert ("(Reporting by Jan Novak; Editing by Anna Kowalczyk)", "boilerplate") in zones
    assert ("The statement was sent via Reuters to the ministry.", "body") in zones
    copyright_line = [z for t, z in zones if t.startswith("©")]
    assert copyright_line == ["credit"]


def test_copyright_credit_ends_where_markup_was_stripped():
    raw = "Talks\n\u00a9 UnknownRuritania President Anna Kowalczyk \u2022 Ruritania Minister Jan Novak\nRuritania and its minister agreed."
    cleaned = clean(RawDocument(raw_text=raw, title="Talks"))
    zones = [(cleaned.text[p.start : p.end], p.zone) for p in cleaned.paragraphs]
    assert zones[1] == ("\u00a9 Unknown", "credit")
    assert zones[2] == ("Ruritania President Anna Kowalczyk \u2022 Ruritania Minister Jan Novak", "caption")


def test_glue_after_function_words_long_lowercase_words_acronyms_and_known_names():
    from eventwire.extract.repair import glued_split

    assert glued_split("fromYouTube", set()) == 4  # a known camel-case tail
    assert glued_split("TheKowalczyk", set()) == 3  # a very common head before any name
    assert glued_split("democratizeRuritania", set()) == len("democratize")
    assert glued_split("AnnaKowalczyk", set()) == 4  # two name-shaped parts, no word
    assert glued_split("Tiranahas", set()) == len("Tirana")  # a rare known name, a function word
    assert glued_split("USPresident", set()) == 2  # not "USP|resident"
    assert glued_split("CEOof", set()) == 3
    assert glued_split("UNITAmilitarist", set()) == 5


def test_name_endings_that_form_words_keep_rare_surnames_whole():
    from eventwire.extract.repair import compound_tails, glued_split

    # "smith" ends goldsmith and locksmith; "and" or "whose" end no such words
    assert {"smith", "son", "ford"} <= compound_tails()
    assert not {"and", "whose", "held"} & compound_tails()
    for name in ["Dunsmith", "Ashworth", "Kowalczykowa"]:
        assert glued_split(name, set()) is None, name
    # ... while a common word before such a tail is still glue
    assert glued_split("Brazilianmen", set()) == len("Brazilian")


def test_a_glued_token_repeated_in_the_article_is_still_split_when_not_a_word_itself():
    from eventwire.extract.repair import glued_word_edits

    raw = "The Kowalczyk government met. Later the Kowalczykgovernment and again the Kowalczykgovernment spoke."
    cuts = [e.raw_start for e in glued_word_edits(raw) if e.kind == "glued-words"]
    assert cuts == [raw.index("Kowalczykgovernment") + 9, raw.rindex("Kowalczykgovernment") + 9]


def test_compound_tails_file_is_what_its_generator_makes():
    # data/README.md names build_compound_tails() as the source of the shipped
    # table; regenerating it must give the same bytes.
    shipped = (DATA_DIR / "repair" / repair.COMPOUND_TAILS_FILE).read_text(encoding="utf-8")
    assert repair.compound_tails_text() == shipped


def test_a_run_without_spaces_over_the_limit_is_not_split_and_the_skip_is_recorded():
    run = "ParisLondon" * 30  # 330 characters: glued names, but no prose
    raw = f"Talks inGeneva resumed.\n{run} end."
    cleaned = clean(RawDocument(raw_text=raw))
    assert "Talks in Geneva resumed." in cleaned.text and run in cleaned.text
    (skip,) = [r for r in cleaned.repairs if r.kind == "glued-words-skipped"]
    end = raw.index(run) + len(run)
    assert (skip.raw_start, skip.raw_end, skip.raw, skip.replacement) == (end, end, "", "")
    assert skip.note.startswith(f"{len(run)} characters without a space (over {repair.MAX_REPAIR_RUN})")
    assert [r.raw_start for r in cleaned.repairs if r.kind == "glued-words"] == [raw.index("Geneva")]
    shorter = clean(RawDocument(raw_text=run[: repair.MAX_REPAIR_RUN]))
    assert not any(r.kind == "glued-words-skipped" for r in shorter.repairs)
