"""The analyst page in a real browser: Playwright driving Debian's Chromium
against a real server on 127.0.0.1, one test per feature: the world map,
search, the date filter, downloads, links to the original article, shareable
URLs with back and forward, the dyad picker, the actor page, the quote
browser and the chart's labels. Every test checks that no request leaves
127.0.0.1.

The store: the two sample articles, plus eight short articles a month apart
between Belarus and Russia with URLs (some set in a named city), run through
the real pipeline, so the chart has months to crowd, events have places, and
articles have an original to link to. The map test's screenshot goes to a
temporary folder, or to $EVENTWIRE_SCREENSHOT when set (``make screenshot``
refreshes the README's)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Eight months of Belarus–Russia relations, one short article each: what the
# chart, the date filter and the map need (cities the gazetteer knows). Like
# verbs follow each other, so neighbouring months share a Goldstein sum and
# their labels would collide.
MONTHS = [
    ("praised", "energy", ""),
    ("thanked", "loans", ""),
    ("criticized", "oil prices", ""),
    ("condemned", "sanctions", ""),
    ("signed an agreement with", "gas", " in Minsk"),
    ("accused", "the border", ""),
    ("threatened", "transit", ""),
    ("met with", "trade", " in Sochi"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser. Outside CI a missing
    Chromium skips the test; under CI=true it must run (``make test``
    installs it)."""
    if not CHROMIUM.exists() and os.environ.get("CI") != "true":
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the browser test needs it")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def web_url(serve, sample_articles, tmp_path_factory) -> str:
    """A read-only server over the samples and the monthly articles."""
    import eventwire
    from eventwire.corpus.store import Store
    from eventwire.serve.app import create_app

    records = [
        {
            "text": f"Belarus {verb} Russia{place} on {topic}. Minsk said the talks would go on.",
            "title": f"Belarus and Russia, month {month}",
            "published": f"2021-{month:02d}-10",
            "url": f"https://news.example.org/2021/{month:02d}/belarus-russia",
        }
        for month, (verb, topic, place) in enumerate(MONTHS, start=1)
    ]
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    with Store(path) as store:
        for article in [*sample_articles.values(), *eventwire.extract_many(records)]:
            store.add(article)
    return serve(create_app(path))


@pytest.fixture(autouse=True)
def nothing_leaves_localhost(page, web_url):
    """Everything the page asks for comes from our server: no CDN, no fonts,
    no tiles. A request elsewhere is aborted and fails the test."""
    elsewhere: list[str] = []
    # The page works under its Content-Security-Policy: nothing it does is refused.
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    def check(route):
        url = route.request.url
        if url.startswith((web_url, "data:")):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    page.route("**/*", check)
    yield
    assert elsewhere == []
    assert refused == []


def api(web_url: str, path: str, **params):
    response = httpx.get(f"{web_url}{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def rendered(page) -> None:
    """Wait until the page has drawn the state its URL holds."""
    page.wait_for_function("() => document.body.dataset.rendered === (location.hash || '#')")


def ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    rendered(page)


def hash_has(page, text: str) -> None:
    """Wait until the URL's #fragment holds ``text``."""
    page.wait_for_function("t => location.hash.includes(t)", arg=text)


def url_state(page) -> tuple[str, dict[str, str]]:
    view, _, query = urlsplit(page.url).fragment.partition("?")
    return view, {k: v[0] for k, v in parse_qs(query).items()}


def boxes(page, selector: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(
        selector, "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })")


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_world_map_shows_countries_dyads_and_places(page, web_url, tmp_path):
    from eventwire.corpus.places import resolve_place

    found = api(web_url, "/api/map")
    ready(page, web_url + "/")  # the map is the first view
    assert page.locator("#map svg[aria-label='World map of the events']").count() == 1
    countries = page.locator("#map .map-country path").all()
    assert sorted(c.get_attribute("aria-label").split(":")[0] for c in countries) == sorted(c["name"] for c in found["countries"])
    assert page.locator("#map .map-dyad path").count() == len(found["dyads"]) > 0
    # Minsk and Sochi are on the map, at the gazetteer's coordinates, Minsk inside Belarus.
    places = {p["name"]: p for p in found["places"]}
    minsk = resolve_place("Minsk", ["BLR"])
    assert minsk is not None and (places["Minsk"]["lat"], places["Minsk"]["lon"]) == (minsk.lat, minsk.lon)
    assert "Sochi" in places
    assert page.locator("#map .map-place circle").count() == len(found["places"])
    (dot,) = boxes(page, "#map .map-place circle[aria-label^='Minsk']")
    (belarus,) = boxes(page, "#map .map-country path[aria-label^='Belarus']")
    x, y = (dot["left"] + dot["right"]) / 2, (dot["top"] + dot["bottom"]) / 2
    assert belarus["left"] < x < belarus["right"] and belarus["top"] < y < belarus["bottom"]

    # The filters change the map: only 2021 leaves Belarus and Russia.
    page.fill("#filter-start", "2021-01-01")
    page.fill("#filter-end", "2021-12-31")
    hash_has(page, "start=2021-01-01&end=2021-12-31")
    rendered(page)
    names = {c.get_attribute("aria-label").split(":")[0] for c in page.locator("#map .map-country path").all()}
    assert names == {c["name"] for c in api(web_url, "/api/map", start="2021-01-01", end="2021-12-31")["countries"]}
    # The README's picture: every year of the store, filters filled in.
    page.fill("#filter-start", "2020-01-01")
    page.fill("#filter-end", "2023-12-31")
    hash_has(page, "start=2020-01-01&end=2023-12-31")
    rendered(page)
    page.locator("#filter-end").blur()
    assert page.locator("#map .map-dyad path").count() == len(found["dyads"])
    screenshot = Path(os.environ.get("EVENTWIRE_SCREENSHOT") or tmp_path / "screenshot.png")
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000

    # A country pair opens that dyad.
    page.locator("#map-dyads button[data-a='BLR'][data-b='RUS']").click()
    rendered(page)
    view, params = url_state(page)
    assert (view, params["a"], params["b"]) == ("dyad", "BLR", "RUS")
    assert page.locator("#event-list button.event").count() > 0


def test_search_finds_articles_and_quotes(page, web_url):
    # A word of a quote of the samples, searched as a reader would.
    quote = api(web_url, "/api/quotes", limit=1)[0]
    word = max(quote["text"].replace('"', " ").split(), key=len)
    articles = api(web_url, "/api/search", q=word, limit=50)
    quotes = api(web_url, "/api/quotes/browse", q=word, limit=50)
    ready(page, web_url + "/")
    page.fill("#search-box", word)
    page.press("#search-box", "Enter")
    rendered(page)
    assert url_state(page) == ("search", {"q": word})
    assert page.locator("#search-articles button").count() == len(articles) > 0
    assert page.locator("#search-quotes button").count() == len(quotes["quotes"]) > 0
    assert all(word.lower() in t.lower() for t in page.locator("#search-quotes q.said").all_inner_texts())

    page.locator("#search-articles button").first.click()
    rendered(page)
    assert page.locator("#article-text mark.hit").inner_text().lower() == word.lower()
    page.locator("#search-quotes button").first.click()
    rendered(page)
    text = api(web_url, f"/api/articles/{quotes['quotes'][0]['doc_id']}")["text"]
    hit = "".join(page.locator("#article-text mark.hit").all_text_contents())
    assert hit == text[quotes["quotes"][0]["start"] : quotes["quotes"][0]["end"]]


def test_date_range_filter_narrows_the_events(page, web_url):
    everything = api(web_url, "/api/timeline", a="BLR", b="RUS")["events"]
    within = api(web_url, "/api/timeline", a="BLR", b="RUS", start="2021-03-01", end="2021-06-30")["events"]
    assert 0 < len(within) < len(everything)
    ready(page, web_url + "/#dyad?a=BLR&b=RUS")
    assert page.locator("#event-list button.event").count() == len(everything)
    page.fill("#filter-start", "2021-03-01")
    page.fill("#filter-end", "2021-06-30")
    hash_has(page, "end=2021-06-30")
    rendered(page)
    dates = [b.get_attribute("data-date") for b in page.locator("#event-list button.event").all()]
    assert len(dates) == len(within)
    assert all("2021-03-01" <= d <= "2021-06-30" for d in dates)
    page.click("#clear-dates")
    rendered(page)
    assert page.locator("#event-list button.event").count() == len(everything)


def test_downloads_hold_the_views_events(page, web_url):
    import pyarrow.parquet as pq

    from eventwire.corpus.export import GDELT_EVENT_COLUMNS

    events = api(web_url, "/api/timeline", a="BLR", b="RUS", start="2020-01-01")["events"]
    keys = {e["event_key"] for e in events}
    ready(page, web_url + "/#dyad?a=BLR&b=RUS&start=2020-01-01")

    def download(fmt: str) -> Path:
        with page.expect_download() as info:
            page.click(f"#download-{fmt}")
        return Path(info.value.path())

    rows = list(csv.DictReader(download("csv").open(encoding="utf-8")))
    assert {r["event_key"] for r in rows} == keys and len(rows) == len(keys)
    assert {r["modality"] for r in rows} == {"asserted"}
    assert set(pq.read_table(download("parquet")).column("event_key").to_pylist()) == keys
    gdelt = [line.split("\t") for line in download("gdelt").read_text(encoding="utf-8").splitlines()]
    assert all(len(r) >= len(GDELT_EVENT_COLUMNS) for r in gdelt)
    day_dated = {str(e["gid"]) for e in events if e["date"] and len(e["date"]) == 10}
    assert {r[0] for r in gdelt} == day_dated
    plover = [json.loads(line) for line in download("plover").read_text(encoding="utf-8").splitlines()]
    assert {r["event_key"] for r in plover} == {e["event_key"] for e in events if e["plover"]}

    # The whole store, every modality: the map view with the box ticked.
    ready(page, web_url + "/#map")
    page.check("#all-modalities")
    rendered(page)
    every = list(csv.DictReader(download("csv").open(encoding="utf-8")))
    assert len(every) == api(web_url, "/api/map", all_modalities="true")["events"]
    assert "asserted" in {r["modality"] for r in every} != {"asserted"}


def test_article_links_to_its_original(page, web_url):
    events = api(web_url, "/api/timeline", a="BLR", b="RUS", start="2021-01-01")["events"]
    ready(page, web_url + "/#dyad?a=BLR&b=RUS&start=2021-01-01")
    page.locator("#event-list button.event").first.click()
    rendered(page)
    article = api(web_url, f"/api/articles/{events[0]['doc_id']}")
    link = page.locator("#article-source a#source-link")
    assert link.get_attribute("href") == article["source"]["url"]
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    assert link.inner_text() == urlsplit(article["source"]["url"]).hostname
    # An article given without a URL has no original to link to.
    filed = next(a for a in api(web_url, "/api/articles") if not a["url"])
    ready(page, web_url + f"/#search?doc={filed['doc_id']}")
    assert page.locator("#article-title").inner_text() == filed["title"]
    assert page.locator("#source-link").count() == 0


def test_every_view_has_a_url_and_back_and_forward_work(page, web_url):
    events = api(web_url, "/api/timeline", a="BLR", b="RUS")["events"]
    event = events[len(events) // 2]
    shared = f"/#dyad?a=BLR&b=RUS&event={event['event_key']}&doc={event['doc_id']}"
    ready(page, web_url + shared)  # as if opened from a link someone sent
    assert (page.input_value("#actor-a"), page.input_value("#actor-b")) == ("BLR", "RUS")
    assert page.locator(f"#event-list button[data-key='{event['event_key']}']").get_attribute("aria-pressed") == "true"
    text = api(web_url, f"/api/articles/{event['doc_id']}")["text"]
    marked = "".join(page.locator("#article-text mark.evidence").all_text_contents())
    assert marked == text[event["evidence_start"] : event["evidence_end"]]

    # On to an actor; its URL names it.
    page.click("#tab-actors")
    rendered(page)
    button = page.locator("#actor-list button.actor").first
    actor_id = button.get_attribute("data-actor")
    button.click()
    rendered(page)
    assert url_state(page) == ("actors", {"a": "BLR", "b": "RUS", "actor": actor_id})
    # Back to the dyad with its event, forward to the actor again.
    page.go_back()
    rendered(page)
    page.go_back()
    rendered(page)
    assert url_state(page)[0] == "dyad"
    assert "".join(page.locator("#article-text mark.evidence").all_text_contents()) == marked
    page.go_forward()
    rendered(page)
    page.go_forward()
    rendered(page)
    assert page.locator("#actor-name").inner_text() == button.locator(".what").inner_text()


def test_dyad_picker_takes_any_actor_with_type_ahead(page, web_url):
    actors = api(web_url, "/api/actors", limit=500)
    person = next(a for a in actors if a["type"] == "PERSON" and a["actor"] and a["actor"].endswith("GOV"))
    other = next(a for a in actors if a["type"] == "PERSON" and a["actor"] and a["actor"][:3] != person["actor"][:3])
    ready(page, web_url + "/#dyad")
    # Not only countries: people and organizations are offered too.
    offered = page.locator("#actor-options option")
    page.wait_for_function("() => document.querySelectorAll('#actor-options option').length > 0")
    assert {"person", "organization"} <= {o.get_attribute("label").split(" · ")[0] for o in offered.all()}
    # Typing part of a name offers the person, described by role.
    page.fill("#actor-a", person["name"][-5:])
    option = page.locator(f"#actor-options option[value='{person['name']}']")
    option.wait_for(state="attached")
    codes = {c["code"]: c["description"] for c in api(web_url, "/api/codes")}
    assert codes[person["actor"]] in option.get_attribute("label")

    page.fill("#actor-a", person["name"])
    page.fill("#actor-b", other["name"])
    page.click("#dyad button[type=submit]")
    rendered(page)
    assert url_state(page) == ("dyad", {"a": person["name"], "b": other["name"]})
    expected = api(web_url, "/api/timeline", a=person["name"], b=other["name"])["events"]
    assert len(expected) > 0
    assert sorted(b.get_attribute("data-key") for b in page.locator("#event-list button.event").all()) == sorted(
        e["event_key"] for e in expected)


def test_actor_page_reads_as_names_and_roles(page, web_url):
    codes = {c["code"]: c["description"] for c in api(web_url, "/api/codes")}
    entry = next(e for e in api(web_url, "/api/actor-entries") if e["type"] == "PERSON" and e["codes"] and e["labels"])
    ready(page, web_url + "/#actors")
    page.fill("#actor-filter", entry["name"].split()[-1])
    hash_has(page, "find=")
    rendered(page)
    page.locator(f"#actor-list button[data-actor='{entry['actor_id']}']").click()
    rendered(page)
    detail = page.locator("#actor-detail")
    shown = detail.inner_text() + page.locator("#actor-list").inner_text()
    assert page.locator("#actor-name").inner_text() == entry["name"]
    # Roles in words beside their codes; no internal ids, no raw partner codes.
    for code in entry["codes"]:
        assert codes[code["code"]] in page.locator("#actor-summary").inner_text()
    assert entry["actor_id"] not in shown
    assert "(unknown outlet)" not in shown
    partners = page.locator("#actor-detail .partners").inner_text()
    profile = api(web_url, f"/api/actors/{entry['actor_id']}")
    for partner in profile["top_partners"]:
        assert f"{codes[partner['value']]} ({partner['n']})" in partners
    assert "---" not in partners
    labels = [chip.rsplit("×", 1)[0].strip() for chip in detail.locator(".chip.label").all_inner_texts()]
    assert sorted(labels) == sorted(label["label"] for label in entry["labels"])


def test_actor_page_shows_learned_roles_with_the_mention_that_taught_them(page, web_url):
    roles = api(web_url, "/api/learned-roles", limit=500)
    role = roles[0]
    entry = next(e for e in api(web_url, "/api/actor-entries", q=role["name"].split()[-1]) if e["type"] == "PERSON")
    ready(page, web_url + f"/#actors?actor={entry['actor_id']}")
    rendered(page)
    learned = page.locator("#learned-roles table.learned")
    learned.wait_for()
    assert role["valid_from"] in learned.inner_text() and role["code"] in learned.inner_text()
    learned.locator("button.linkish").first.click()
    rendered(page)
    assert url_state(page)[1].get("doc") == role["taught_by"]


def test_quote_browser_pages_searches_and_folds_partial_quotes(page, web_url):
    everything = api(web_url, "/api/quotes/browse", limit=500)
    assert everything["total"] > 20  # more than a page
    ready(page, web_url + "/#quotes")
    assert page.locator("#quote-count").inner_text() == f"({everything['total']})"
    first = [(b.get_attribute("data-doc"), b.get_attribute("data-start")) for b in page.locator("#quote-list button").all()]
    assert len(first) == 20
    page.click("#quote-next")
    rendered(page)
    assert url_state(page) == ("quotes", {"page": "2"})
    second = [(b.get_attribute("data-doc"), b.get_attribute("data-start")) for b in page.locator("#quote-list button").all()]
    assert first + second == [(q["doc_id"], str(q["start"])) for q in everything["quotes"]]

    # Folding: no quote listed is part of another by the same speaker in the
    # same article; the folded ones show under the quote they belong to.
    quotes = everything["quotes"]
    raw = api(web_url, "/api/quotes", limit=500)
    assert len(quotes) + sum(len(q["parts"]) for q in quotes) == len(raw)
    for q in quotes:
        for other in quotes:
            same = other is not q and other["doc_id"] == q["doc_id"] and other["speaker"] == q["speaker"] and q["speaker"]
            assert not (same and other["start"] <= q["start"] and q["end"] <= other["end"])
    folded = next(q for q in quotes if q["parts"])
    page.goto(web_url + f"/#quotes?words={folded['parts'][0]['text'].strip(chr(34))}")
    rendered(page)
    shown = page.locator("#quote-list button").all()
    assert any(b.get_attribute("data-start") == str(folded["start"]) and b.locator(".parts").count() == 1 for b in shown)
    word = folded["parts"][0]["text"].strip(chr(34)).lower()
    assert all(word in b.locator("q.said").inner_text().lower() for b in shown)

    # The words box and the speaker list filter the quotes.
    page.fill("#quote-search", "")
    page.click("#quote-form button[type=submit]")
    rendered(page)
    speaker = api(web_url, "/api/quotes/speakers")[1]
    page.select_option("#speaker", speaker["name"])
    rendered(page)
    assert all(w.startswith(speaker["name"]) for w in page.locator("#quote-list .who").all_inner_texts())


def test_chart_labels_never_overlap(page, web_url):
    series = api(web_url, "/api/timeline", a="BLR", b="RUS", start="2021-01-01", end="2021-12-31")["series"]
    page.set_viewport_size({"width": 420, "height": 900})  # a phone: the months crowd
    ready(page, web_url + "/#dyad?a=BLR&b=RUS&start=2021-01-01&end=2021-12-31")
    assert page.locator("#chart .plot-goldstein circle").count() == len(series) > 4
    labels = boxes(page, "#chart .goldstein-label text")
    dots = boxes(page, "#chart .plot-goldstein circle")
    assert 0 < len(labels) < len(series)  # crowded: some labels had to go
    for i, label in enumerate(labels):
        assert not any(overlap(label, other) for other in labels[i + 1 :])
        assert not any(overlap(label, dot) for dot in dots)
    # The count axis says each number once (whole numbers, no "1, 1, 2, 2").
    ticks = page.locator("#chart .plot-counts g[aria-label='y-axis tick label'] text").all_text_contents()
    assert len(ticks) >= 2 and len(ticks) == len(set(ticks))
    # The largest swing keeps its label.
    biggest = max(series, key=lambda s: abs(s["goldstein_sum"]))["goldstein_sum"]
    shown = page.locator("#chart .goldstein-label text").all_text_contents()
    assert (f"+{biggest:g}" if biggest > 0 else f"{biggest:g}") in shown
