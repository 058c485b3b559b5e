"""The HTTP API against real uvicorn servers on 127.0.0.1 (httpx): reads over
the sample store, every error path, ingestion with a token, and a
schemathesis fuzz run of the OpenAPI description."""

from __future__ import annotations

import shutil

import httpx
import pytest
from hypothesis import HealthCheck, settings

from eventwire.serve.app import create_app

TOKEN = "test-token-123"
BODY_LIMIT = 4000
# A sentence of our own, not from the samples.
NEW_TEXT = (
    "Norway signed a fisheries agreement with Iceland in Oslo on 3 March 2021.\n\n"
    "The Norwegian foreign minister said the deal would help both countries."
)


@pytest.fixture(scope="module")
def client(api_url):
    with httpx.Client(base_url=api_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def writable_url(serve, sample_store, tmp_path_factory) -> str:
    """A server with a token over a copy of the sample store (writes go there)."""
    copy = tmp_path_factory.mktemp("writable") / "store.duckdb"
    shutil.copy(sample_store, copy)
    return serve(create_app(copy, token=TOKEN, max_body_bytes=BODY_LIMIT))


@pytest.fixture(scope="module")
def writer(writable_url):
    with httpx.Client(base_url=writable_url, timeout=60) as c:
        yield c


def assert_error(response: httpx.Response, status: int) -> dict:
    """Every error is JSON with the same shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


# -- reads ------------------------------------------------------------------


def test_healthz_counts_articles_and_says_read_only(client):
    body = client.get("/healthz").json()
    assert body == {"status": "ok", "version": body["version"], "articles": 2, "writable": False}


def test_events_of_one_side_and_paging(client):
    page = client.get("/api/events", params={"source": "BLR", "target": "RUS", "limit": 500}).json()
    assert page["events"] and page["has_more"] is False
    for ev in page["events"]:
        assert ev["source_actor"].startswith("BLR") and ev["target_actor"].startswith("RUS"), ev
    # Pages of two cover the same events in the same order.
    paged, offset = [], 0
    while True:
        part = client.get("/api/events", params={"source": "BLR", "target": "RUS", "limit": 2, "offset": offset}).json()
        paged += part["events"]
        offset += 2
        if not part["has_more"]:
            break
    assert [e["event_key"] for e in paged] == [e["event_key"] for e in page["events"]]


def test_event_filters_narrow(client):
    everything = client.get("/api/events", params={"limit": 500}).json()["events"]
    assert len(everything) > 5
    root = min({e["code"][:2] for e in everything})
    only_root = client.get("/api/events", params={"root": root, "limit": 500}).json()["events"]
    assert 0 < len(only_root) < len(everything)
    assert {e["code"][:2] for e in only_root} == {root}
    asserted = client.get("/api/events", params={"modality": "asserted", "limit": 500}).json()["events"]
    assert 0 < len(asserted) and {e["modality"] for e in asserted} == {"asserted"}
    # Either side; names work as actor arguments too, in any case.
    either = client.get("/api/events", params={"actor": "RUS", "limit": 500}).json()["events"]
    assert either and all("RUS" in ((e["source_actor"] or "") + (e["target_actor"] or "")) for e in either)
    assert client.get("/api/events", params={"actor": "vladimir putin"}).json()["events"]
    days = sorted(e["date"] for e in everything if e["date"] and len(e["date"]) == 10)
    from_day = client.get("/api/events", params={"start": days[-1], "limit": 500}).json()["events"]
    assert from_day and all(e["date"] >= days[-1][: len(e["date"])] for e in from_day)
    assert client.get("/api/events", params={"end": "1999-12-31"}).json()["events"] == []


def test_event_detail_offsets_point_into_the_article(client):
    first = client.get("/api/events", params={"source": "BLR", "target": "RUS", "limit": 1}).json()["events"][0]
    detail = client.get(f"/api/events/{first['event_key']}").json()
    assert detail["event"]["event_key"] == first["event_key"] and detail["reports"]
    for report in detail["reports"]:
        text = client.get(f"/api/articles/{report['doc_id']}").json()["text"]
        assert text[report["evidence_start"] : report["evidence_end"]] == report["evidence"]
        assert text[report["trigger_start"] : report["trigger_end"]] == report["trigger"]
        assert report["evidence_start"] <= report["trigger_start"] < report["trigger_end"] <= report["evidence_end"]


def test_article_record_with_offsets(client):
    summaries = client.get("/api/articles").json()
    assert len(summaries) == 2
    article = client.get(f"/api/articles/{summaries[0]['doc_id']}").json()
    assert article["schema"] == "eventwire/1"
    text = article["text"]
    assert article["events"] and article["entities"] and article["quotes"]
    for ev in article["events"]:
        assert text[ev["evidence"]["start"] : ev["evidence"]["end"]] == ev["evidence"]["text"]
    for entity in article["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    for q in article["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]


def test_timeline_series_add_up(client):
    body = client.get("/api/timeline", params={"a": "BLR", "b": "RUS"}).json()
    events = body["events"]
    assert events and all(e["modality"] == "asserted" for e in events)
    assert body["interval"] == "month"
    assert body["goldstein_sum"] == pytest.approx(sum(e["goldstein"] for e in events), abs=0.01)
    whole_days = [e for e in events if e["date"] and len(e["date"]) == 10]
    assert sum(b["events"] for b in body["series"]) == len(whole_days)
    for bucket in body["series"]:
        assert sum(bucket["quad_counts"]) == bucket["events"]
        assert bucket["period"].endswith("-01")
    assert sum(o["events"] for o in body["by_outlet"]) >= 1
    wider = client.get("/api/timeline", params={"a": "BLR", "b": "RUS", "all_modalities": True}).json()
    assert len(wider["events"]) >= len(events)
    yearly = client.get("/api/timeline", params={"a": "BLR", "b": "RUS", "interval": "year"}).json()
    assert all(b["period"].endswith("-01-01") for b in yearly["series"])


def test_events_are_asserted_by_default_as_in_the_cli(client):
    default = client.get("/api/events", params={"limit": 500}).json()["events"]
    every = client.get("/api/events", params={"limit": 500, "all_modalities": True}).json()["events"]
    assert default and {e["modality"] for e in default} == {"asserted"}
    assert {e["modality"] for e in every} > {"asserted"}
    assert [e for e in every if e["modality"] == "asserted"] == default
    negated = client.get("/api/events", params={"modality": "negated", "limit": 500}).json()["events"]
    assert negated and {e["modality"] for e in negated} == {"negated"}


def test_timeline_resolves_countries_and_says_so(client):
    by_code = client.get("/api/timeline", params={"a": "BLR", "b": "RUS"}).json()
    by_name = client.get("/api/timeline", params={"a": "Belarus", "b": "Russia"}).json()
    assert by_name["events"] == by_code["events"] and by_name["series"] == by_code["series"]
    assert by_name["a_resolved"]["kind"] == "country" and by_name["a_resolved"]["code"] == "BLR"
    assert by_name["a_resolved"]["description"].startswith("BLR*")
    exact = client.get("/api/timeline", params={"a": "=BLR", "b": "RUS"}).json()
    assert exact["a_resolved"]["exact"] and len(exact["events"]) < len(by_code["events"])
    assert client.get("/api/timeline", params={"a": "BLR", "b": "RUS", "exact": True}).json()["b_resolved"]["exact"]


def test_unknown_actors_are_404_with_candidates(client):
    body = assert_error(client.get("/api/timeline", params={"a": "BLR", "b": "XYZ"}), 404)
    assert "XYZ" in body["detail"]
    assert {"BLR", "RUS"} <= {e["value"] for e in body["errors"] if e["type"] == "candidate"}
    body = assert_error(client.get("/api/events", params={"actor": "Nobody Atall"}), 404)
    assert body["errors"] and all(e["msg"] for e in body["errors"])


def test_api_docs_work_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"):
        assert f"/static/vendor/swagger-ui-5.35.0/{asset}" in page.text
        response = client.get(f"/static/vendor/swagger-ui-5.35.0/{asset}")
        assert response.status_code == 200 and len(response.content) > 500
    assert "Apache License" in client.get("/static/vendor/swagger-ui-5.35.0/LICENSE").text
    assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN


def test_search(client):
    hits = client.get("/api/search", params={"q": "diesel"}).json()
    assert hits
    text = client.get(f"/api/articles/{hits[0]['doc_id']}").json()["text"]
    assert text[hits[0]["start"] : hits[0]["start"] + 6].lower() == "diesel"
    assert client.get("/api/search", params={"q": "zzqx-not-there"}).json() == []


def test_actors_and_quotes(client):
    actors = client.get("/api/actors", params={"limit": 500}).json()
    codes = {a["actor"] for a in actors}
    assert {"BLR", "RUS"} <= codes
    only = client.get("/api/actors", params={"q": "BLR"}).json()
    assert only and all(a["actor"].startswith("BLR") or "blr" in a["name"].lower() for a in only)
    profile = client.get("/api/actors/BLR").json()
    assert profile["actors"] and any(c["code"] == "BLR" for a in profile["actors"] for c in a["codes"])
    assert profile["events_as_source"] + profile["events_as_target"] > 0
    # An event with the actor on both sides counts once in the quad classes.
    s, t = profile["events_as_source"], profile["events_as_target"]
    assert max(s, t) <= sum(profile["quad_counts"]) <= s + t
    quotes = client.get("/api/quotes").json()
    assert quotes
    text = client.get(f"/api/articles/{quotes[0]['doc_id']}").json()["text"]
    assert text[quotes[0]["start"] : quotes[0]["end"]] == quotes[0]["text"]
    speaker = next(q["speaker_actor"] for q in quotes if q["speaker_actor"])
    theirs = client.get("/api/quotes", params={"speaker": speaker}).json()
    assert theirs and all((q["speaker_actor"] or "").startswith(speaker) for q in theirs)


def test_learned_roles_point_at_the_mention_that_taught_them(client):
    roles = client.get("/api/learned-roles", params={"limit": 500}).json()
    assert roles
    for role in roles:
        text = client.get(f"/api/articles/{role['taught_by']}").json()["text"]
        assert text[role["start"] : role["end"]].split()[-1] in role["name"]
        assert role["valid_to"] is None or role["valid_to"] > role["valid_from"]
    some = roles[0]
    found = client.get("/api/learned-roles", params={"q": some["code"]}).json()
    assert found and all(r["code"].startswith(some["code"]) for r in found)


def test_actor_entries_one_per_identity(client):
    everyone = client.get("/api/actor-entries", params={"limit": 500}).json()
    ids = [e["actor_id"] for e in everyone]
    assert len(ids) == len(set(ids)) and everyone
    assert client.get("/api/actor-entries", params={"limit": 2, "offset": 1}).json() == everyone[1:3]
    coded = client.get("/api/actor-entries", params={"q": "BLRGOV"}).json()
    assert coded and all(any(c["code"] == "BLRGOV" for c in e["codes"]) for e in coded)
    labelled = next(e for e in coded if e["labels"])
    assert all(label["n"] >= 1 and label["outlet"] for label in labelled["labels"])
    # Its page (by id) is that actor alone.
    profile = client.get(f"/api/actors/{labelled['actor_id']}").json()
    assert [a["actor_id"] for a in profile["actors"]] == [labelled["actor_id"]]
    assert client.get("/api/actor-entries", params={"q": "Nobody Atall"}).json() == []


def test_quote_speakers_count_the_named_quotes(client):
    speakers = client.get("/api/quotes/speakers").json()
    quotes = client.get("/api/quotes", params={"limit": 500}).json()
    assert sum(s["quotes"] for s in speakers) == sum(1 for q in quotes if q["speaker_name"])
    assert [s["quotes"] for s in speakers] == sorted((s["quotes"] for s in speakers), reverse=True)
    top = speakers[0]
    theirs = client.get("/api/quotes", params={"speaker": top["name"]}).json()
    assert len(theirs) >= top["quotes"]


def test_vendored_chart_library_is_served_with_its_license(client):
    page = client.get("/").text
    for name in ("d3-7.9.2.min.js", "plot-0.6.17.umd.min.js"):
        assert f'src="/static/vendor/{name}"' in page
        response = client.get(f"/static/vendor/{name}", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and len(response.content) > 100_000
        assert response.headers["content-encoding"] == "gzip"
        assert "immutable" in response.headers["cache-control"]
    for license_file in ("LICENSE.plot", "LICENSE.d3"):
        assert "Permission to use, copy, modify" in client.get(f"/static/vendor/{license_file}").text
    # Nothing on the page is fetched from another host.
    assert "http://" not in page and "https://" not in page


def test_vendored_world_atlas_is_served_with_its_license(client):
    page = client.get("/").text
    assert 'src="/static/vendor/topojson-client-3.1.0.min.js"' in page
    assert client.get("/static/vendor/topojson-client-3.1.0.min.js").status_code == 200
    atlas = client.get("/static/vendor/countries-110m-2.0.2.json").json()
    assert atlas["type"] == "Topology" and len(atlas["objects"]["countries"]["geometries"]) > 150
    for license_file in ("LICENSE.world-atlas", "LICENSE.topojson-client"):
        assert "Permission to use, copy, modify" in client.get(f"/static/vendor/{license_file}").text


def test_export_gives_a_views_events_as_files(client):
    import csv
    import io

    import pyarrow.parquet as pq

    def rows(**params) -> list[dict[str, str]]:
        response = client.get("/api/export", params={"format": "csv", **params})
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert 'filename="eventwire-events.csv"' in response.headers["content-disposition"]
        return list(csv.DictReader(io.StringIO(response.text)))

    # Asserted events by default, as the CLI's timeline; all of them on request.
    asserted, every = rows(), rows(all_modalities="true")
    assert {r["modality"] for r in asserted} == {"asserted"}
    assert len(every) == client.get("/api/map", params={"all_modalities": "true"}).json()["events"] > len(asserted)
    # A dyad's download is the dyad's events, within the dates.
    dyad = client.get("/api/timeline", params={"a": "BLR", "b": "RUS", "start": "2023"}).json()["events"]
    assert {r["event_key"] for r in rows(a="BLR", b="RUS", start="2023")} == {e["event_key"] for e in dyad}
    parquet = client.get("/api/export", params={"format": "parquet", "a": "BLR", "b": "RUS", "start": "2023"})
    table = pq.read_table(io.BytesIO(parquet.content))
    assert sorted(table.column("event_key").to_pylist()) == sorted(e["event_key"] for e in dyad)
    assert client.get("/api/export", params={"format": "xlsx"}).status_code == 422
    assert_error(client.get("/api/export", params={"format": "csv", "start": "2023", "end": "2020"}), 400)


def test_map_counts_countries_and_dyads(client):
    found = client.get("/api/map").json()
    events = client.get("/api/events", params={"modality": "asserted", "limit": 500}).json()["events"]
    assert found["events"] == len(events)
    for country in found["countries"]:
        sides = [e for e in events if country["iso3"] in {(e["source_actor"] or "")[:3], (e["target_actor"] or "")[:3]}]
        assert country["events"] == len(sides) and len(country["numeric"]) == 3
    for dyad in found["dyads"]:
        pair = {dyad["a"]["iso3"], dyad["b"]["iso3"]}
        between = [e for e in events if {(e["source_actor"] or "")[:3], (e["target_actor"] or "")[:3]} == pair]
        assert dyad["events"] == len(between) and len(pair) == 2


def test_codes_in_words(client):
    codes = {c["code"]: c["description"] for c in client.get("/api/codes").json()}
    actors = {a["actor"] for a in client.get("/api/actors", params={"limit": 500}).json() if a["actor"]}
    assert actors <= codes.keys()
    assert all(description != code for code, description in codes.items())


def test_quote_browser_folds_pages_and_searches(client):
    raw = client.get("/api/quotes", params={"limit": 500}).json()
    folded = client.get("/api/quotes/browse", params={"limit": 500}).json()
    assert folded["total"] == len(folded["quotes"]) < len(raw)
    assert folded["total"] + sum(len(q["parts"]) for q in folded["quotes"]) == len(raw)
    page = client.get("/api/quotes/browse", params={"limit": 5, "offset": 5}).json()
    assert page["quotes"] == folded["quotes"][5:10] and page["total"] == folded["total"]
    word = max(folded["quotes"][0]["text"].split(), key=len).strip('"').lower()
    found = client.get("/api/quotes/browse", params={"q": word}).json()["quotes"]
    assert found and all(word in (q["text"] + (q["speaker_name"] or "")).lower() for q in found)


def test_page_and_static_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'src="/static/app.js"' in page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200
    assert "openapi" in client.get("/openapi.json").json()


# -- error paths ---------------------------------------------------------------


def test_unknown_ids_are_404(client):
    assert_error(client.get("/api/events/no-such-event"), 404)
    assert_error(client.get("/api/articles/0000000000"), 404)
    assert_error(client.get("/api/actors/ZZZ"), 404)
    assert_error(client.get("/api/no/such/route"), 404)


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/events", {"limit": 0}, 422),
        ("/api/events", {"limit": 10_000}, 422),
        ("/api/events", {"offset": -1}, 422),
        ("/api/events", {"limit": "many"}, 422),
        ("/api/events", {"modality": "rumoured"}, 422),
        ("/api/events", {"root": "ABC"}, 422),
        ("/api/events", {"start": "last week"}, 422),
        ("/api/events", {"actor": ""}, 422),
        ("/api/events", {"code": "4a"}, 422),
        ("/api/timeline", {"a": "BLR", "b": "RUS", "interval": "decade"}, 422),
        ("/api/search", {"q": ""}, 422),
        ("/api/events", {"start": "2023-13-01"}, 422),
        ("/api/events", {"start": "2023-02-30"}, 400),
        ("/api/events", {"start": "2023-05-01", "end": "2023-04"}, 400),
        ("/api/timeline", {"a": "BLR"}, 422),
        ("/api/timeline", {"a": "BLR", "b": "RUS", "end": "2020-1"}, 422),
        ("/api/actors", {"q": ""}, 422),
        ("/api/quotes", {"limit": -5}, 422),
        ("/api/quotes/speakers", {"limit": 0}, 422),
        ("/api/actor-entries", {"q": ""}, 422),
        ("/api/actor-entries", {"offset": -1}, 422),
    ],
)
def test_bad_filters_are_refused(client, path, params, status):
    body = assert_error(client.get(path, params=params), status)
    if status == 422:
        assert body["errors"] and body["errors"][0]["loc"][0] == "query"


def test_bad_actor_argument_is_422(client):
    assert_error(client.get("/api/actors/a%0Ab"), 422)


def test_read_only_server_refuses_writes(client):
    assert_error(client.post("/api/articles", json={"text": NEW_TEXT}), 403)
    assert_error(client.post("/api/articles", json={"text": NEW_TEXT}, headers={"Authorization": "Bearer x"}), 403)


def test_missing_or_wrong_token(writer):
    missing = writer.post("/api/articles", json={"text": NEW_TEXT})
    assert_error(missing, 401)
    assert missing.headers["www-authenticate"] == "Bearer"
    assert_error(writer.post("/api/articles", json={"text": NEW_TEXT}, headers={"Authorization": "Basic abc"}), 401)
    assert_error(writer.post("/api/articles", json={"text": NEW_TEXT}, headers={"Authorization": "Bearer nope"}), 403)


def test_oversize_bodies_are_413(writer):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = "x" * (BODY_LIMIT + 1)
    assert_error(writer.post("/api/articles", content=big, headers={**auth, "Content-Type": "text/plain"}), 413)

    # Sent in chunks with no Content-Length: counted while reading.
    def chunks():
        for _ in range(BODY_LIMIT // 100 + 2):
            yield b"y" * 100

    streamed = writer.post("/api/articles", content=chunks(), headers={**auth, "Content-Type": "text/plain"})
    assert "content-length" not in streamed.request.headers
    assert_error(streamed, 413)


def test_bad_bodies(writer):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert_error(writer.post("/api/articles", content=b"{not json", headers={**auth, "Content-Type": "application/json"}), 422)
    assert_error(writer.post("/api/articles", json={"title": "no text"}, headers=auth), 422)
    assert_error(writer.post("/api/articles", json={"text": "x", "published": "March 2021"}, headers=auth), 422)
    assert_error(writer.post("/api/articles", json={"text": "   "}, headers=auth), 400)
    assert_error(writer.post("/api/articles", content=b"\xff\xfe", headers={**auth, "Content-Type": "text/plain"}), 400)
    assert_error(writer.post("/api/articles", content=b"<p>x</p>", headers={**auth, "Content-Type": "text/html"}), 415)


def test_ingest_stores_once_and_serves_the_article(writer):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = writer.get("/healthz").json()
    assert before["writable"] is True
    record = {"text": NEW_TEXT, "title": "Fisheries deal", "published": "2021-03-04", "outlet": "Test Wire"}
    created = writer.post("/api/articles", json=record, headers=auth)
    assert created.status_code == 201, created.text
    result = created.json()
    assert result["stored"] is True and result["entities"] > 0
    again = writer.post("/api/articles", json=record, headers=auth)
    assert again.status_code == 200 and again.json() == {**result, "stored": False}
    assert writer.get("/healthz").json()["articles"] == before["articles"] + 1
    article = writer.get(f"/api/articles/{result['doc_id']}").json()
    assert article["title"] == "Fisheries deal" and article["published"] == "2021-03-04"
    assert article["source"]["outlet"] == "Test Wire"
    assert "Norway" in article["text"]
    plain = writer.post("/api/articles", content=b"Iceland thanked Norway.",
                        headers={**auth, "Content-Type": "text/plain; charset=utf-8"})
    assert plain.status_code == 201 and plain.json()["stored"] is True


# -- assembly -----------------------------------------------------------------


def _routes(router) -> set[tuple[str, str]]:
    return {(method, route.path) for route in router.routes for method in route.methods}


def test_each_route_group_is_a_router_of_its_own(sample_store):
    from eventwire.serve.access import StoreAccess
    from eventwire.serve.routes import actors, articles, events, export, meta, quotes, web

    access = StoreAccess(sample_store, writable=False)
    groups = {
        "meta": _routes(meta.meta_router(access, writable=False)),
        "events": _routes(events.events_router(access)),
        "articles": _routes(articles.articles_router(access, token=None, max_body_bytes=BODY_LIMIT)),
        "actors": _routes(actors.actors_router(access)),
        "quotes": _routes(quotes.quotes_router(access)),
        "export": _routes(export.export_router(access)),
    }
    assert groups["meta"] == {("GET", "/healthz")}
    assert groups["events"] == {
        ("GET", "/api/events"), ("GET", "/api/events/{event_key}"), ("GET", "/api/timeline"), ("GET", "/api/map"),
    }
    assert groups["articles"] == {
        ("GET", "/api/search"), ("GET", "/api/articles"), ("GET", "/api/articles/{doc_id}"), ("POST", "/api/articles"),
    }
    assert groups["actors"] == {
        ("GET", "/api/actors"), ("GET", "/api/actors/{actor}"), ("GET", "/api/actor-entries"), ("GET", "/api/codes"),
        ("GET", "/api/learned-roles"),
    }
    assert groups["quotes"] == {("GET", "/api/quotes"), ("GET", "/api/quotes/speakers"), ("GET", "/api/quotes/browse")}
    assert groups["export"] == {("GET", "/api/export")}
    assert _routes(web.web_router()) == {("GET", "/")}
    # The app's API is exactly the groups' routes, each in the group's tag.
    paths = create_app(sample_store).openapi()["paths"]
    described = {(method.upper(), path): op["tags"] for path, ops in paths.items() for method, op in ops.items()}
    assert set(described) == set().union(*groups.values())
    for tag, routes in groups.items():
        assert all(described[route] == [tag] for route in routes), tag


def test_a_write_goes_through_while_a_read_holds_its_snapshot(tmp_path, sample_articles):
    """The store is open once; a read keeps its snapshot while the writer
    adds an article (no waiting on either side), the next read sees it."""
    import threading

    from eventwire.serve.access import StoreAccess

    first, second = sample_articles.values()
    access = StoreAccess(str(tmp_path / "store.duckdb"), writable=True)
    try:
        with access.write() as store:
            store.add(first)
        with access.read() as reader:
            assert len(reader) == 1  # the snapshot starts with the first query
            wrote = threading.Event()

            def write() -> None:
                with access.write() as store:
                    store.add(second)
                wrote.set()

            threading.Thread(target=write).start()
            assert wrote.wait(30)  # the open read did not hold the write up
            assert len(reader) == 1 and second.doc_id not in reader
        assert access.count() == 2
    finally:
        access.close()


def test_requests_read_the_store_opened_once_not_the_file(serve, sample_store, tmp_path):
    """Nothing opens the file per request, /healthz included: with the file
    gone from its folder the server still answers from the open store."""
    copy = tmp_path / "store.duckdb"
    shutil.copy(sample_store, copy)
    url = serve(create_app(copy))
    copy.unlink()
    for _ in range(3):
        assert httpx.get(f"{url}/healthz", timeout=30).json()["articles"] == 2
        assert len(httpx.get(f"{url}/api/articles", timeout=30).json()) == 2


def test_a_waiting_writer_goes_ahead_of_readers_who_come_after_it():
    import asyncio

    from eventwire.serve.access import FairGate

    async def scenario() -> list[str]:
        gate, order = FairGate(), []
        first_in, first_may_leave = asyncio.Event(), asyncio.Event()

        async def reader(name: str, hold: asyncio.Event | None = None) -> None:
            async with gate.reading():
                order.append(name)
                if hold is not None:
                    first_in.set()
                    await hold.wait()

        async def writer() -> None:
            async with gate.writing():
                order.append("writer")

        first = asyncio.create_task(reader("first reader", first_may_leave))
        await first_in.wait()
        write = asyncio.create_task(writer())
        await asyncio.sleep(0.05)  # the writer now waits for the first reader
        late = asyncio.create_task(reader("late reader"))
        await asyncio.sleep(0.05)
        assert order == ["first reader"]  # neither the writer nor the late reader got in
        first_may_leave.set()
        await asyncio.gather(first, write, late)
        return order

    assert asyncio.run(scenario()) == ["first reader", "writer", "late reader"]


# -- fuzzing ------------------------------------------------------------------
# schemathesis's own pytest plugin does not run under pytest 9, so each
# operation's case strategy is driven by hypothesis here.

FUZZ_EXAMPLES = {"positive": 15, "negative": 10}


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_fuzz_openapi_no_server_error(writable_url, mode):
    """Generated requests (valid ones, then invalid ones) to every operation of
    the served OpenAPI description, all checks on: no server error, answers
    match the documented status codes, content types and schemas. The token is
    sent, so fuzzed POSTs run the pipeline on generated text.

    One check is off: positive_data_acceptance wants 2xx for every
    schema-valid request, but a start after its end, or 30 February, is valid
    by the schema and refused with a documented 400 (OpenAPI cannot say
    "start <= end")."""
    import schemathesis
    from hypothesis import given
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import negative_data_rejection, positive_data_acceptance

    schema = schemathesis.openapi.from_url(f"{writable_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    auth = {"Authorization": f"Bearer {TOKEN}"}
    skipped: list[str] = []
    for operation in operations:

        @settings(max_examples=FUZZ_EXAMPLES[mode], deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(GenerationMode(mode)))
        def call(case) -> None:
            excluded = [positive_data_acceptance]
            if case.media_type == "text/plain":
                # Any text is a valid plain-text article: a "non-string" made
                # invalid by the generator arrives as text ("null", "12").
                excluded.append(negative_data_rejection)
            case.call_and_validate(headers=auth, excluded_checks=excluded)

        try:
            call()
        except Unsatisfiable:
            # Nothing to make invalid: no parameters (/healthz, /api/codes) or
            # only free strings in the path (/api/articles/{doc_id}).
            assert mode == "negative", operation.label
            skipped.append(operation.label)
    assert set(skipped) <= {"GET /healthz", "GET /api/codes", "GET /api/events/{event_key}", "GET /api/articles/{doc_id}"}, skipped


# -- Parquet shards read in place (eventwire serve --data DIR) ----------------


@pytest.fixture(scope="module")
def shard_folder(tmp_path_factory, sample_articles) -> str:
    """The sample articles as `eventwire run` shards, one input each."""
    from eventwire.corpus.shards import Manifest, added_span, write_manifest, write_store_shards
    from eventwire.corpus.store import Store

    out = tmp_path_factory.mktemp("shards")
    for position, article in enumerate(sample_articles.values()):
        with Store(out / f"input{position}.duckdb") as store:
            store.add(article)
            tables = write_store_shards(store, out, f"input{position}")
            first, last = added_span(store)
        write_manifest(out, Manifest(
            input=f"input{position}", shard=f"input{position}", position=position, articles=1, failed=0,
            seconds=0.0, tables=tables, errors=None, coder_version="test", first_added=first, last_added=last,
        ))
    return str(out)


def test_the_api_reads_shards_in_place_as_it_reads_the_store(serve, shard_folder, client):
    from eventwire.corpus.store import StoreError

    with httpx.Client(base_url=serve(create_app("unused.duckdb", data=shard_folder)), timeout=30) as shards:
        for path, params in (("/healthz", {}), ("/api/timeline", {"a": "BLR", "b": "RUS"}), ("/api/actors", {}),
                             ("/api/events", {"actor": "BLR"}), ("/api/quotes", {})):
            answer = shards.get(path, params=params)
            assert answer.status_code == 200, answer.text
            assert answer.json() == client.get(path, params=params).json(), path
        assert_error(shards.post("/api/articles", json={"text": NEW_TEXT}), 403)
    with pytest.raises(StoreError, match="read-only"):
        create_app("unused.duckdb", token=TOKEN, data=shard_folder)
