"""Issue 14's web fixes, in process: /docs from local files, HTML 404 pages with a link back (the JSON API keeps
JSON), form errors in the form's labels, a lexical-only server's defaults, the documents page, the CSV download,
scores as rank and a relative bar, expanding talking points, singular and plural."""
from __future__ import annotations

import csv
import html as markup
import io
import re

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from tests.builders import build, raw  # noqa: E402
from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import build_index  # noqa: E402

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = build_index(tmp_path_factory.mktemp("web-wb") / "idx", FakeEmbedder())
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    with TestClient(create_app(store, lambda: embedder, allowed_hosts=["testserver"])) as c:
        yield c


@pytest.fixture(scope="module")
def lexical_client(store):
    from search.web.app import create_app

    with TestClient(create_app(store, None, allowed_hosts=["testserver"])) as c:
        yield c


def test_docs_page_uses_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert '<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>' in page.text and "/static/swagger-init.js" in page.text
    assert "cdn" not in page.text.lower() and "http" not in page.text.replace('href="/', "")
    assert "'unsafe-inline'" not in page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    js = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and len(js.content) > 100_000
    assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200
    assert "SwaggerUIBundle" in client.get("/static/swagger-init.js").text
    assert client.get("/openapi.json").json()["info"]["title"] == "dipsearch"
    redoc = client.get("/redoc")
    assert redoc.status_code == 200 and '<script src="/static/redoc/redoc.standalone.js"></script>' in redoc.text
    assert "cdn" not in redoc.text.lower() and client.get("/static/redoc/redoc.standalone.js").status_code == 200


@pytest.mark.parametrize("path, says", [
    ("/doc/nope", "no document with id 'nope' in this index; the Documents page (/documents) lists them"),
    ("/similar/999999", "999999"),
    ("/judge/nosuch", "nosuch"),
])
def test_missing_pages_are_html_404_with_a_link_back(client, path, says):
    r = client.get(path, headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert says in markup.unescape(r.text) and '<a href="/">Back to search</a>' in r.text
    assert "dipsearch" not in markup.unescape(r.text).split("<main")[1].replace("· dipsearch", "")  # no CLI advice on a page


def test_json_api_keeps_json_for_missing_things(client):
    r = client.get("/api/documents/nope", headers=HTML)
    assert r.status_code == 404 and r.json()["error"].startswith("no document with id 'nope'")
    assert "dipsearch documents" in r.json()["error"]


def test_form_errors_use_the_form_labels(client):
    r = client.get("/", params={"q": "river", "mode": "lexical", "since": "2019-13"})
    assert r.status_code == 400
    assert "From '2019-13': month must be 1-12" in markup.unescape(r.text) and "--since" not in r.text
    swapped = client.get("/", params={"q": "river", "mode": "lexical", "since": "2023", "until": "2020"})
    assert "From 2023 is after To 2020; swap them" in swapped.text


def test_lexical_only_server_defaults_to_lexical(lexical_client, client):
    form = lexical_client.get("/").text
    assert re.search(r'<option value="lexical" selected>', form)
    first = lexical_client.get("/", params={"q": "river"})
    assert first.status_code == 200 and 'class="results"' in first.text
    assert re.search(r'<option value="hybrid" selected>', client.get("/").text)  # with a model, the default stays
    assert lexical_client.get("/", params={"q": "river", "mode": "dense"}).status_code == 400  # asked for: refused, clearly


def test_scores_show_rank_and_a_relative_bar_raw_score_in_json(client):
    html = client.get("/", params={"q": "river water", "mode": "lexical", "k": 10}).text
    meters = re.findall(r'#(\d+)\s*<meter min="0" max="1" value="([0-9.]+)">', html)
    assert [int(rank) for rank, _ in meters] == list(range(1, len(meters) + 1)) and len(meters) >= 2
    values = [float(v) for _, v in meters]
    assert values[0] == 1.0 and all(0 <= v <= 1 for v in values)
    raw_scores = [h["score"] for h in client.get("/api/search", params={"q": "river water", "mode": "lexical"}).json()["results"]]
    assert raw_scores[0] > 1  # -bm25: the raw value stays in the JSON
    assert f"{raw_scores[0]:.3f}" not in html


def test_download_csv_has_every_hit(client):
    html = client.get("/", params={"q": "river", "mode": "lexical", "k": 10, "per_doc": 1}).text
    link = re.search(r'<a class="download" href="([^"]+)" download>download CSV</a>', html)
    assert link
    r = client.get(link.group(1).replace("&amp;", "&"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    every = client.get("/api/search", params={"q": "river", "mode": "lexical", "k": 100, "per_doc": 20}).json()["results"]
    assert [int(row["passage_id"]) for row in rows] == [h["passage_id"] for h in every]
    hybrid = client.get("/", params={"q": "river", "k": 10}).text
    assert "min_score=" in re.search(r'<a class="download" href="([^"]+)"', hybrid).group(1)


def test_documents_page(client):
    r = client.get("/documents", params={"since": "2022"})
    assert r.status_code == 200
    dates = re.findall(r'<span class="date[^"]*"[^>]*>(\d{4}[-\d]*)', r.text)
    assert dates and all(d >= "2022" for d in dates)
    assert re.search(r"\d+ documents?, \d+ passages?", r.text)
    bad = client.get("/documents", params={"since": "soon"})
    assert bad.status_code == 400 and "From 'soon' is not a date" in markup.unescape(bad.text)
    assert '<a href="/documents"' in client.get("/").text


def test_singular_where_one(tmp_path):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    store, _ = build(tmp_path / "one", [raw("solo", "Arden and Vell signed the river treaty at Tarn.", title="Solo")], embedder)
    with TestClient(create_app(store, lambda: embedder, allowed_hosts=["testserver"])) as c:
        page = c.get("/", params={"q": "river", "mode": "lexical"}).text
        assert "1 passage for" in page and "1 passages" not in page
        doc = c.get("/doc/solo").text
        assert "1 passage</dd>" in doc
        assert "1 document, 1 passage" in c.get("/documents").text
    store.close()


def test_talking_point_with_many_documents_expands(tmp_path):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    formula = "Dialogue and consultation remain the only viable path toward lasting harmony across the Selva basin."
    docs = [raw(f"f{i}", f"Statement {i} by the ministry of Arden on the basin. {formula} Talks resume in month {i}.",
                date=f"2020-{i:02d}-01", source=f"Source {i}") for i in range(1, 10)]
    store, _ = build(tmp_path / "tp", docs, embedder)
    from search.talking_points import refresh_talking_points

    refresh_talking_points(store, embedder)
    with TestClient(create_app(store, lambda: embedder, allowed_hosts=["testserver"])) as c:
        page = c.get("/talking-points").text
    store.close()
    assert "9 documents" in page
    details = re.search(r'<details class="more-uses"><summary>and 3 more documents</summary>(.*?)</details>', page, re.S)
    assert details, page[:3000]
    assert len(re.findall(r"<li>", details.group(1))) == 3
