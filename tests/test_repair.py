from eventwire.model import RawDocument, clean_to_raw
from eventwire.repair import Edit, apply_edits, clean


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
    from eventwire.repair import glued_split

    for word in ["Kazakhstan", "Beltransgaz", "Tokayev", "Shmyhal", "Nagorno-Karabakh", "McDonald", "YouTube", "Johannesburg"]:
        assert glued_split(word, set()) is None, word
    assert glued_split("Koreawhose", set()) == 5
    assert glued_split("Jong-unis", {"Jong-un"}) == 7
    assert glued_split("Jong-unis", set()) is None
