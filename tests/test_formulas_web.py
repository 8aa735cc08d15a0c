"""Formulas beside sentence clusters on the web page and in the JSON API."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from search.api import Index
from search.web.app import create_app
from tests.builders import build, raw

SHARED = "Both sides pledged lasting harmony along the riparian frontier and restraint in every dispute."


@pytest.fixture
def client(tmp_path, fake_embedder):
    docs = [raw(f"w{y}", f"Weather report for the valley in {y}.\n\nThe minister said {SHARED[:-1].lower()}, she added.\n\nTrains ran on time and the harvest was good.",
                date=f"{y}-05-01", source="Ostravian MFA") for y in (2019, 2020, 2023)]
    store, _ = build(tmp_path / "idx", docs, fake_embedder)
    store.close()
    idx = Index.open(tmp_path / "idx", embedder=fake_embedder)
    with TestClient(create_app(idx, allowed_hosts=["testserver"])) as c:
        yield c
    idx.close()


def test_api_lists_phrases_with_history(client):
    data = client.get("/api/talking-points", params={"kind": "phrase", "period": "year"}).json()
    phrase = next(i for i in data["items"] if "lasting harmony" in i["text"].lower())
    assert phrase["kind"] == "phrase" and phrase["documents"] == ["w2019", "w2020", "w2023"]
    assert [(h["period"], h["count"]) for h in phrase["history"]] == [("2019", 1), ("2020", 1), ("2021", 0), ("2022", 0), ("2023", 1)]
    assert client.get("/api/talking-points", params={"period": "week"}).status_code == 422


def test_page_shows_phrase_items_with_an_svg_timeline(client):
    html = client.get("/talking-points", params={"kind": "phrase"}).text
    section = html[html.index('id="fm-1"'):]
    assert '<span class="kind">phrase</span>' in section and "lasting harmony" in section.lower()
    bars = re.findall(r"<rect [^>]*><title>([^<]*)</title></rect>", section.split("</section>")[0])
    assert bars == ["2019: 1 use", "2020: 1 use", "2021: 0 uses", "2022: 0 uses", "2023: 1 use"]
    assert "cdn" not in html.lower()


def test_search_page_charts_the_query_over_time(client):
    html = client.get("/", params={"q": "riparian frontier", "mode": "lexical"}).text
    figure = html[html.index('<figure class="trend">'):html.index("</figure>")]
    bars = re.findall(r"<rect [^>]*><title>([^<]*)</title></rect>", figure)
    assert bars == ["2019: 1 use", "2020: 1 use", "2021: 0 uses", "2022: 0 uses", "2023: 1 use"]
    assert '<figure class="trend">' not in client.get("/", params={"q": "zeppelin", "mode": "lexical"}).text


def test_ingest_leaves_the_default_list_ready_so_the_page_counts_nothing(tmp_path, fake_embedder, monkeypatch):
    import search.formulas.find as find

    docs = [raw(f"r{y}", f"Weather report for the valley in {y}.\n\nThe minister said {SHARED[:-1].lower()}, she added.\n\nTrains ran on time.",
                date=f"{y}-05-01", source="Ostravian MFA") for y in (2019, 2020)]
    idx = Index.open(tmp_path / "idx", create=True, embedder=fake_embedder)
    events = []
    idx.ingest(docs, on_progress=lambda event, n: events.append((event, n)))
    assert ("formulas", 2) in events  # both documents tokenized during the ingest, with the progress bar
    assert idx.store.db.conn.execute("SELECT count(*) FROM fm_results").fetchone()[0] == 1

    def counting(*args, **kwargs):
        raise AssertionError("the page counted phrases inside the request")

    monkeypatch.setattr(find, "_compute", counting)
    with TestClient(create_app(idx, allowed_hosts=["testserver"])) as c:
        html = c.get("/talking-points", params={"kind": "phrase"}).text
        assert "lasting harmony" in html.lower()
        assert any("lasting harmony" in i["text"].lower() for i in c.get("/api/talking-points", params={"kind": "phrase"}).json()["items"])
    monkeypatch.undo()
    idx.ingest([raw("r2021", f"In 2021 the minister said {SHARED[:-1].lower()} again.", date="2021-05-01")])  # counted again, stored
    with TestClient(create_app(idx, allowed_hosts=["testserver"])) as c:
        monkeypatch.setattr(find, "_compute", counting)
        phrase = next(i for i in c.get("/api/talking-points", params={"kind": "phrase"}).json()["items"] if "lasting harmony" in i["text"].lower())
        assert phrase["documents"] == ["r2019", "r2020", "r2021"]
    idx.close()
