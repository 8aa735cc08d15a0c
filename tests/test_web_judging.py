"""Judging evaluation sets over HTTP: next, grade, skip, undo, errors, and the no-JavaScript page flow."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import build_index  # noqa: E402


@pytest.fixture
def client(tmp_path):
    from search.evaluation.pool import pool
    from search.web.app import create_app

    embedder = FakeEmbedder()
    store = build_index(tmp_path / "idx", embedder)
    pool(store, embedder, "trial", [("q1", "grain sanctions"), ("q2", "river dam")], depth=2)
    with TestClient(create_app(store, lambda: embedder, allowed_hosts=["testserver"])) as c:
        yield c
    store.close()


def progress(client) -> dict:
    return client.get("/api/evaluation/trial/progress").json()


def test_next_grade_skip_undo_over_the_api(client):
    assert client.get("/api/evaluation/sets").json() == {"sets": ["trial"]}
    first = client.get("/api/evaluation/trial/next").json()["candidate"]
    assert (first["qid"], first["query"], first["ref"]["doc_id"], first["done"], first["total"]) == ("q1", "grain sanctions", "valdoria-2021-03", 0, 4)
    r = client.post("/api/evaluation/trial/judgments", json={"candidate_id": first["candidate_id"], "grade": 2})
    assert r.json() == {"set": "trial", "candidate_id": first["candidate_id"], "grade": 2}
    second = client.get("/api/evaluation/trial/next").json()["candidate"]
    assert second["candidate_id"] != first["candidate_id"] and second["done"] == 1
    client.post("/api/evaluation/trial/judgments", json={"candidate_id": second["candidate_id"], "grade": None})
    assert progress(client) == {"candidates": 4, "judged": 1, "skipped": 1, "remaining": 2}
    undone = client.post("/api/evaluation/trial/undo").json()["reopened"]
    assert undone["candidate_id"] == second["candidate_id"]
    assert progress(client) == {"candidates": 4, "judged": 1, "skipped": 0, "remaining": 3}


def test_all_judged_then_next_is_null(client):
    while (cand := client.get("/api/evaluation/trial/next").json()["candidate"]) is not None:
        client.post("/api/evaluation/trial/judgments", json={"candidate_id": cand["candidate_id"], "grade": 0})
    assert progress(client)["remaining"] == 0


@pytest.mark.parametrize("body, status, message", [
    ({"candidate_id": 1, "grade": 3}, 422, "grade: Input should be 0, 1 or 2"),
    ({"candidate_id": 0, "grade": 1}, 422, "candidate_id: Input should be greater than or equal to 1"),
    ({"candidate_id": 999, "grade": 1}, 400, "no candidate 999 in evaluation set 'trial'; ask for the next one instead"),
])
def test_bad_judgments_are_clear_4xx(client, body, status, message):
    r = client.post("/api/evaluation/trial/judgments", json=body)
    assert (r.status_code, r.json()) == (status, {"error": message})


def test_unknown_set_is_404(client):
    r = client.get("/api/evaluation/nope/next")
    assert r.status_code == 404 and r.json()["error"].startswith("no evaluation set named 'nope'; sets in this index: trial.")


def test_cross_site_posts_are_refused(client):
    r = client.post("/judge/trial/grade", data={"candidate_id": "1", "grade": "2"}, headers={"origin": "http://evil.example"})
    assert (r.status_code, r.json()) == (403, {"error": "cross-site request refused: send it from this server's own pages"})
    r = client.post("/api/evaluation/trial/undo", headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    assert progress(client)["judged"] == 0


def test_judging_page_without_javascript(client):
    page = client.get("/judge/trial")
    assert "<p class=\"query\">grain sanctions</p>" in page.text and "<mark>grain</mark> <mark>sanctions</mark>" in page.text
    assert 'data-key="2"' in page.text and '<script src="/static/judge.js" defer></script>' in page.text
    r = client.post("/judge/trial/grade", data={"candidate_id": "1", "grade": "2"}, headers={"origin": "http://testserver"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/judge/trial?note=graded+2")
    assert "1 of 4 done" in client.get(r.headers["location"]).text
    r = client.post("/judge/trial/undo", follow_redirects=False)
    assert r.headers["location"] == "/judge/trial?candidate=1&note=undone"
    assert progress(client)["judged"] == 0
    r = client.post("/judge/trial/grade", data={"candidate_id": "1", "grade": "7"})
    assert r.status_code == 400 and "one of 0, 1, 2 or skip" in r.text


def test_sets_page_lists_sets(client):
    assert '<a href="/judge/trial">trial</a>' in client.get("/judge").text


def test_hostile_text_is_escaped_on_the_judging_and_similar_pages(client):
    from search.evaluation.pool import pool

    rt = client.app.state.runtime
    pool(rt.store, rt.embedder(), "hostile", [("h1", "tariff harbour statement")], depth=1, modes=("lexical",))
    html = client.get("/judge/hostile").text
    assert "Harbour Authority &lt;i&gt;Press&lt;/i&gt;" in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<script>window" not in html and "<i>Press</i>" not in html
    pid = client.get("/api/search", params={"q": "safe harbours", "mode": "lexical"}).json()["results"][0]["passage_id"]
    similar = client.get(f"/similar/{pid}", params={"k": 50}).text  # every passage of the other documents
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in similar and "&lt;img src=x onerror=" in similar
    assert "<script>window" not in similar and "<img src=x" not in similar
