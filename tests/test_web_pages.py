"""Server-rendered pages: shareable result URLs, escaping of untrusted text, error boxes."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import build_index  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    store = build_index(tmp_path_factory.mktemp("web-pages") / "idx", embedder)
    with TestClient(create_app(store, lambda: embedder, allowed_hosts=["testserver"])) as c:
        yield c
    store.close()


def titles(html: str) -> list[str]:
    return re.findall(r'class="doc-link" href="[^"]*">([^<]*)</a>', html)


def test_empty_page_shows_the_form_and_no_results(client):
    r = client.get("/")
    assert r.status_code == 200
    assert 'name="q"' in r.text and 'class="results"' not in r.text


def test_query_in_the_url_renders_results_on_the_server(client):
    r = client.get("/?q=grain+sanctions&mode=lexical")
    assert r.status_code == 200
    assert titles(r.text) == ["Ostravia urges talks on fisheries", "Valdoria rejects grain sanctions"]
    assert "<mark>grain</mark> <mark>sanctions</mark>" in r.text
    assert 'value="grain sanctions"' in r.text  # the form keeps the query


def test_filters_in_the_url_apply_and_stay_in_the_form(client):
    r = client.get("/?q=river&mode=lexical&since=2022&source=KNA")
    assert titles(r.text) == ["The Korvath delegation said the 2022 river water treaty must be honoured."]
    assert 'name="since" id="since" value="2022"' in r.text and 'value="KNA"' in r.text


def test_dates_marked_inferred_and_unknown(client):
    r = client.get("/?q=river&mode=lexical&k=20")
    assert '<span class="date inferred" title="inferred from indirect evidence in the text">2022-03-03 <small>inferred</small></span>' in r.text
    assert '<span class="date unknown" title="no date could be found for this document">date unknown</span>' in r.text


def test_hostile_document_text_is_escaped_everywhere(client):
    for path in ("/?q=tariff+harbour+statement&mode=lexical", "/doc/hostile-1?q=tariff&p=1"):
        html = client.get(path).text
        assert "<script>window.__pwned" not in html and "<script>alert" not in html
        assert "<img src=x" not in html and "<i>Press</i>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html
        assert "Harbour Authority &lt;i&gt;Press&lt;/i&gt;" in html
    assert "<script" not in client.get("/?q=tariff&mode=lexical").text  # no script tag at all on the search page


def test_query_text_is_escaped_too(client):
    html = client.get("/", params={"q": '"><script>alert(1)</script>', "mode": "lexical"}).text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_bad_date_shows_an_error_box_with_the_form(client):
    r = client.get("/?q=river&since=2019-13")
    assert r.status_code == 400
    assert """<div class="error" role="alert"><strong>Can't do that:</strong> From &#39;2019-13&#39;: month must be 1-12</div>""" in r.text
    assert 'name="q"' in r.text


def test_out_of_range_k_shows_an_error_box(client):
    r = client.get("/?q=river&k=500")
    assert r.status_code == 422
    assert "k: Input should be less than or equal to 100" in r.text


def test_no_results_explains_filters(client):
    r = client.get("/?q=river&mode=lexical&since=2030")
    assert "No passages match" in r.text and "Filters are on" in r.text


def test_document_page_marks_the_passage_and_the_query_terms(client):
    hit = client.get("/api/search", params={"q": "water quotas", "mode": "lexical"}).json()["results"][0]
    r = client.get(f"/doc/{hit['doc_id']}", params={"p": hit["passage_id"], "q": "water quotas"})
    assert r.status_code == 200
    assert f'<section class="passage focus" id="p-{hit["passage_id"]}">' in r.text
    assert "<mark>Water</mark> <mark>quotas</mark>" in r.text


def test_missing_document_page_is_a_404_page_not_a_traceback(client):
    r = client.get("/doc/nope", headers={"accept": "text/html"})
    assert r.status_code == 404
    assert "no document with id &#39;nope&#39;" in r.text and "Traceback" not in r.text


def test_stats_page_lists_sources(client):
    r = client.get("/stats")
    assert r.status_code == 200 and "Ostravian Ministry of Foreign Affairs" in r.text and "Harbour Authority &lt;i&gt;" in r.text
