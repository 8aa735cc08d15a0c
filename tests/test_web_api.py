"""The HTTP API in-process: results, filters, documents, stats, and clear 4xx errors."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import HOSTILE_ID, build_index  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    store = build_index(tmp_path_factory.mktemp("web-api") / "idx", embedder)
    loads = []
    app = create_app(store, lambda: loads.append(1) or embedder, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        c.loads = loads
        yield c
    store.close()


def docs(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [h["doc_id"] for h in response.json()["results"]]


def test_lexical_search_ranks_exactly_and_carries_metadata(client):
    r = client.get("/api/search", params={"q": "grain sanctions", "mode": "lexical"})
    assert docs(r) == ["ostravia-2023-09", "valdoria-2021-03"]
    first = r.json()["results"][1]
    assert (first["source"], first["date"], first["date_status"], first["speaker"]) == (
        "Valdorian Ministry of Foreign Affairs", "2021-03-14", "given", "Ilse Marren")
    text = first["snippet"]
    assert [text[a:b] for a, b in first["snippet_highlights"]] == ["grain", "sanctions", "Sanctions", "grain"]


def test_hybrid_search_uses_the_model_and_ranks_best_match_first(client):
    r = client.get("/api/search", params={"q": "grain sanctions", "k": 3})
    assert docs(r)[:2] == ["valdoria-2021-03", "ostravia-2023-09"]
    assert len(r.json()["results"]) == 3
    assert client.loads == [1]  # loaded once, however many queries
    client.get("/api/search", params={"q": "river dam"})
    assert client.loads == [1]


def test_date_source_speaker_filters(client):
    base = {"q": "river", "mode": "lexical", "k": 20}
    assert docs(client.get("/api/search", params=base)) == ["undated-note", "valdoria-2021-03", "valdoria-2021-03", "ostravia-2022-06", "korvath-wire"]
    assert docs(client.get("/api/search", params={**base, "since": "2022"})) == ["ostravia-2022-06", "korvath-wire"]
    assert docs(client.get("/api/search", params={**base, "since": "2022", "include_undated": "true"})) == ["undated-note", "ostravia-2022-06", "korvath-wire"]
    assert docs(client.get("/api/search", params={**base, "until": "2021-12"})) == ["valdoria-2021-03", "valdoria-2021-03"]
    assert docs(client.get("/api/search", params={**base, "source": "valdorian"})) == ["undated-note", "valdoria-2021-03", "valdoria-2021-03"]
    assert docs(client.get("/api/search", params=[*base.items(), ("source", "KNA"), ("source", "Ostravian")])) == ["ostravia-2022-06", "korvath-wire"]
    assert docs(client.get("/api/search", params={**base, "speaker": "jana"})) == ["ostravia-2022-06"]
    r = client.get("/api/search", params={**base, "since": "2022"})
    assert r.json()["filters"]["since"] == "2022-01-01"


def test_per_doc_caps_passages_of_one_document(client):
    r = client.get("/api/search", params={"q": "tariff quotas harbour", "mode": "lexical", "per_doc": 1})
    assert docs(r).count(HOSTILE_ID) == 1
    r = client.get("/api/search", params={"q": "tariff quotas harbour", "mode": "lexical", "per_doc": 2})
    assert docs(r).count(HOSTILE_ID) == 2


@pytest.mark.parametrize("params, status, message", [
    ({}, 422, "q: Field required"),
    ({"q": ""}, 422, "q: String should have at least 1 character"),
    ({"q": "   "}, 400, 'the query is empty; give some words, e.g. dipsearch search "Taiwan question"'),
    ({"q": "x" * 2001}, 422, "q: String should have at most 2000 characters"),
    ({"q": "a", "k": 0}, 422, "k: Input should be greater than or equal to 1"),
    ({"q": "a", "k": 101}, 422, "k: Input should be less than or equal to 100"),
    ({"q": "a", "k": "ten"}, 422, "k: Input should be a valid integer, unable to parse string as an integer"),
    ({"q": "a", "mode": "fuzzy"}, 422, "mode: Input should be 'hybrid', 'dense' or 'lexical'"),
    ({"q": "a", "since": "2019-13"}, 400, "since '2019-13': month must be 1-12"),
    ({"q": "a", "since": "last week"}, 400, "since 'last week' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. since 2019-05)"),
    ({"q": "a", "since": "2024", "until": "2020"}, 400, "since 2024 is after until 2020; swap them"),
])
def test_bad_parameters_are_clear_4xx_errors(client, params, status, message):
    r = client.get("/api/search", params=params)
    assert (r.status_code, r.json()) == (status, {"error": message})


def test_document_with_passages_and_provenance(client):
    r = client.get("/api/documents/korvath-wire")
    assert r.status_code == 200
    doc = r.json()
    assert (doc["date"], doc["date_status"], doc["source"], doc["status"]["source"]) == ("2022-03-03", "inferred", "KNA", "extracted")
    assert [p["ordinal"] for p in doc["passages"]] == list(range(len(doc["passages"])))
    assert "river water treaty" in doc["passages"][0]["text"]


def test_unknown_document_is_404_with_the_library_message(client):
    r = client.get("/api/documents/no-such-doc")
    assert r.status_code == 404
    assert r.json() == {"error": "no document with id 'no-such-doc' in this index; list ids with `dipsearch documents` or on the Documents page (/documents)"}


def test_stats(client):
    s = client.get("/api/stats").json()
    assert (s["documents"], s["undated"], s["model"]) == (10, 1, "fake-hash-embedder")
    assert s["date_range"] == ["2019-05-05", "2024-02-02"]
    assert s["sources"]["Ostravian Ministry of Foreign Affairs"] == 3


def test_openapi_schema_describes_the_search_parameters(client):
    schema = client.get("/openapi.json").json()
    names = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "mode", "k", "per_doc", "since", "until", "source", "speaker", "lang", "include_undated"} <= names
    assert "/api/documents/{doc_id}" in schema["paths"] and "/api/stats" in schema["paths"]


def test_security_headers_on_every_response(client):
    for path in ("/", "/api/stats", "/api/documents/nope"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_lexical_only_server_refuses_meaning_search_clearly(tmp_path):
    from search.web.app import create_app

    store = build_index(tmp_path / "idx", FakeEmbedder())
    with TestClient(create_app(store, None, allowed_hosts=["testserver"])) as c:
        assert docs(c.get("/api/search", params={"q": "dam", "mode": "lexical"})) == ["valdoria-2021-03", "ostravia-2022-06"]
        r = c.get("/api/search", params={"q": "dam"})
        assert (r.status_code, r.json()) == (400, {"error": "this server has no model; use mode=lexical"})
    store.close()


def test_serve_command_listens_on_loopback_with_the_model_loaded_once(tmp_path, monkeypatch, fake_embedder):
    import uvicorn
    from typer.testing import CliRunner

    from search.cli import app
    from search.cli.app import Runtime

    build_index(tmp_path / "idx", fake_embedder).close()
    seen, loads = {}, []
    runtime = Runtime(load_embedder=lambda model=None: loads.append(model) or fake_embedder)

    def fake_run(web, host, port, log_level):
        seen.update(host=host, port=port)
        with TestClient(web, base_url=f"http://{host}:{port}") as c:  # startup runs: the model is loaded before the first request
            seen["loaded_at_startup"] = len(loads)
            seen["hits"] = docs(c.get("/api/search", params={"q": "river dam", "k": 1}))
            docs(c.get("/api/search", params={"q": "grain", "mode": "dense"}))
    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(app, ["serve", "--index", str(tmp_path / "idx"), "--port", "8123"], obj=runtime)
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"], seen["hits"]) == ("127.0.0.1", 8123, ["ostravia-2022-06"])
    assert seen["loaded_at_startup"] == 1 and len(loads) == 1
    result = CliRunner().invoke(app, ["serve", "--index", str(tmp_path / "missing")], obj=runtime)
    assert result.exit_code == 1 and "no dipsearch index at" in result.output


def test_an_unexpected_failure_is_a_500_message_not_a_traceback(tmp_path):
    from search.web.app import create_app

    store = build_index(tmp_path / "idx", FakeEmbedder())
    store.close()  # every query now fails inside sqlite3
    with TestClient(create_app(store, None, allowed_hosts=["testserver"]), raise_server_exceptions=False) as c:
        r = c.get("/api/stats")
        assert (r.status_code, r.json()) == (500, {"error": "internal error (ProgrammingError); the server log has the details"})
        page = c.get("/stats", headers={"accept": "text/html"})
        assert page.status_code == 500 and "Traceback" not in page.text and "internal error (ProgrammingError)" in page.text
