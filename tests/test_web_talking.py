"""Talking points and similar passages on the web: API, pages, the timeline chart, annotated results."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import FORMULA, build_index  # noqa: E402

FORMULA_DOCS = ["formula-2019", "formula-2020", "formula-2023"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    store = build_index(tmp_path_factory.mktemp("web-tp") / "idx", embedder, talking_points=True)
    with TestClient(create_app(store, lambda: embedder, allowed_hosts=["testserver"])) as c:
        yield c
    store.close()


def test_talking_points_api_finds_the_reused_formula(client):
    r = client.get("/api/talking-points")
    assert r.status_code == 200
    [tp] = r.json()["talking_points"]
    assert (tp["representative"], tp["n_documents"], tp["first_seen"], tp["last_seen"]) == (FORMULA, 3, "2019-05-05", "2023-03-01")
    assert tp["documents"] == FORMULA_DOCS


def test_talking_points_filters_and_topic(client):
    assert client.get("/api/talking-points", params={"q": "tariff"}).json()["talking_points"] == []
    assert len(client.get("/api/talking-points", params={"q": "lasting harmony"}).json()["talking_points"]) == 1
    assert client.get("/api/talking-points", params={"since": "2020"}).json()["talking_points"][0]["n_documents"] == 2
    assert client.get("/api/talking-points", params={"since": "2021"}).json()["talking_points"] == []  # one document left


@pytest.mark.parametrize("params, message", [
    ({"min_docs": 1}, "min_docs: Input should be greater than or equal to 2"),
    ({"limit": 0}, "limit: Input should be greater than or equal to 1"),
])
def test_talking_points_bad_parameters(client, params, message):
    r = client.get("/api/talking-points", params=params)
    assert (r.status_code, r.json()) == (422, {"error": message})
    assert client.get("/api/talking-points", params={"until": "2020-02-30"}).json() == {"error": "until '2020-02-30': day must be 1-29"}


def test_search_hits_say_where_else_it_was_said_and_fold(client):
    hits = client.get("/api/search", params={"q": "lasting harmony", "mode": "lexical"}).json()["results"]
    assert sorted(h["doc_id"] for h in hits) == FORMULA_DOCS
    assert all(h["talking_point"]["other_documents"] == 2 for h in hits)
    folded = client.get("/api/search", params={"q": "lasting harmony", "mode": "lexical", "fold": "true"}).json()["results"]
    assert len(folded) == 1 and len(folded[0]["folded"]) == 2
    html = client.get("/?q=lasting+harmony&mode=lexical").text
    assert html.count(">also said in 2 other documents</a>") == 3


def test_similar_passages_api_and_errors(client):
    pid = client.get("/api/search", params={"q": "lasting harmony", "mode": "lexical", "source": "Ostravian"}).json()["results"][0]["passage_id"]
    r = client.get(f"/api/passages/{pid}/similar", params={"k": 2})
    assert [h["doc_id"] for h in r.json()["results"]] == ["formula-2020", "formula-2019"]
    r = client.get("/api/passages/99999/similar")
    assert r.status_code == 404 and r.json()["error"].startswith("no passage with id 99999 in this index")
    assert client.get(f"/api/passages/{pid}/similar", params={"k": 51}).status_code == 422


def test_talking_points_page_has_a_timeline_per_cluster(client):
    html = client.get("/talking-points", params={"kind": "sentence"}).text  # the sentence clusters alone (formulas: test_formulas_web)
    assert f"“{FORMULA}”" in html
    bars = re.findall(r"<rect [^>]*><title>([^<]*)</title></rect>", html)
    assert bars == ["2019: 1 use", "2020: 1 use", "2021: 0 uses", "2022: 0 uses", "2023: 1 use"]
    assert 'href="/doc/formula-2019?p=' in html


def test_talking_points_page_error_box(client):
    r = client.get("/talking-points?since=soon")
    assert r.status_code == 400 and "From &#39;soon&#39; is not a date" in r.text


def test_similar_page_marks_shared_words(client):
    pid = client.get("/api/search", params={"q": "lasting harmony", "mode": "lexical", "source": "Ostravian"}).json()["results"][0]["passage_id"]
    html = client.get(f"/similar/{pid}").text
    assert "<mark>Dialogue</mark> and <mark>consultation</mark>" in html or "<mark>dialogue</mark> and <mark>consultation</mark>" in html


def test_timeline_points_bins_by_month_or_year():
    from search.web.views import timeline, timeline_points

    assert timeline_points(["2020-01-05", None, "2020-03-01", "2020-03-09"]) == [("2020-01", 1), ("2020-02", 0), ("2020-03", 2)]
    assert timeline_points(["2001-06-01", "2005-01-01"]) == [("2001", 1), ("2002", 0), ("2003", 0), ("2004", 0), ("2005", 1)]
    assert timeline_points([None]) == []
    chart = timeline([("2020", 2), ("2021", 0), ("2022", 1)], width=300, height=50)
    assert [(b["cx"], b["h"], b["y"], b["show_count"]) for b in chart["bars"]] == [(50.0, 18.0, 14.0, True), (150.0, 0.0, 32.0, False), (250.0, 9.0, 23.0, True)]
    assert [b["w"] for b in chart["bars"]] == [36, 36, 36] and chart["base"] == 32
