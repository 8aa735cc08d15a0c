"""Hostile requests to the web app (issue 15, items 12-16): huge integers, schema mismatches, foreign Host
headers, oversized bodies, and document ids with URL metacharacters. Each is a clear 4xx, never a 500."""
from __future__ import annotations

import asyncio
import socket

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from corpus.documents import RawDocument  # noqa: E402
from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import build_index  # noqa: E402

HUGE = str(2**63)  # one past SQLite's largest integer
ODD_IDS = ["a/b", "a?b", "a#b", "../x", "外交部/发言", "100% sure", "/lead", "trail/", "..", "."]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from index.ingest import ingest

    embedder = FakeEmbedder()
    store = build_index(tmp_path_factory.mktemp("web-hard") / "idx", embedder)
    docs = [RawDocument(doc_id=d, text=f"Statement number {i} on the canal toll of Valdoria.", origin=f"odd:{i}",
                        given={"title": f"Odd id {i}", "lang": "en", "date": "2022-01-0{}".format(1 + i % 9)})
            for i, d in enumerate(ODD_IDS)]
    ingest(store, docs, embedder)
    from search.evaluation.pool import pool

    pool(store, embedder, "trial", [("q1", "canal toll")], depth=2)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    with TestClient(create_app(store, lambda: embedder, allowed_hosts=["testserver"])) as c:
        yield c


def error(r) -> tuple[int, str]:
    return r.status_code, r.json()["error"]


# ------------------------------------------------------------------ 12: integers past 64 bits
@pytest.mark.parametrize("path", [
    f"/api/passages/{HUGE}/similar",
    f"/similar/{HUGE}",
    f"/api/passages/-{HUGE}/similar",
    f"/judge/trial?candidate={HUGE}",
    f"/doc/a%2Fb?p={HUGE}",
    "/api/passages/1/similar?k=99999999999999999999",
])
def test_huge_integers_in_paths_and_queries_are_422(client, path):
    r = client.get(path, headers={"accept": "application/json"})
    assert r.status_code == 422, r.text
    assert "less than or equal to 9223372036854775807" in r.text or "greater than or equal to" in r.text or "less than or equal to 50" in r.text


def test_largest_int64_passes_the_schema_and_is_not_found(client):
    r = client.get(f"/api/passages/{2**63 - 1}/similar")
    assert error(r) == (404, f"no passage with id {2**63 - 1} in this index; search results carry them (passage_id)")


def test_huge_candidate_in_json_judgment_is_422(client):
    r = client.post("/api/evaluation/trial/judgments", json={"candidate_id": 2**63, "grade": 1})
    assert error(r) == (422, "candidate_id: Input should be less than or equal to 9223372036854775807")
    r = client.post("/api/evaluation/trial/judgments", json={"candidate_id": 2**70, "grade": None})
    assert r.status_code == 422


@pytest.mark.parametrize("candidate", [HUGE, "²", "١٢", "1e3", "-1", ""])
def test_odd_candidate_in_the_grading_form_is_400(client, candidate):
    r = client.post("/judge/trial/grade", data={"candidate_id": candidate, "grade": "2"})
    assert error(r) == (400, f"grade '2' for candidate {candidate!r}: give a candidate id and one of 0, 1, 2 or skip")


def test_library_refuses_ids_past_64_bits_with_named_errors(store):
    from search.evaluation.errors import EvalSetError, EvalSetNotFound
    from search.evaluation.judging import get_candidate
    from search.talking_points import similar_passages
    from search.talking_points.errors import PassageNotFound

    with pytest.raises(PassageNotFound, match=f"no passage with id {2**63}"):
        similar_passages(store, None, passage_id=2**63, k=3)
    with pytest.raises(EvalSetNotFound):
        get_candidate(store, "no-such-set", 2**64)
    with pytest.raises(EvalSetError, match=f"no candidate {2**64} in evaluation set 'trial'; candidate ids are 64-bit integers"):
        get_candidate(store, "trial", 2**64)


# ------------------------------------------------------------------ 13: what the schema says
def test_openapi_declares_the_date_format(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/talking-points"):
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        for name in ("since", "until"):
            assert params[name]["schema"]["pattern"] == r"^\s*([0-9]{4}(-(0?[1-9]|1[0-2])(-(0?[1-9]|[12][0-9]|3[01]))?)?)?\s*$"


def test_bounds_are_in_the_schema(client):
    schema = client.get("/openapi.json").json()
    similar = schema["paths"]["/api/passages/{passage_id}/similar"]["get"]["parameters"]
    pid = next(p for p in similar if p["name"] == "passage_id")["schema"]
    assert (pid["minimum"], pid["maximum"]) == (1, 2**63 - 1)
    judgment = schema["components"]["schemas"]["JudgmentIn"]["properties"]["candidate_id"]
    assert (judgment["minimum"], judgment["maximum"]) == (1, 2**63 - 1)
    assert all(type(v) is int for v in (judgment["minimum"], judgment["maximum"], pid["minimum"], pid["maximum"]))


def test_judgment_on_an_unknown_set_is_404(client):
    r = client.post("/api/evaluation/nope/judgments", json={"candidate_id": 1, "grade": 1})
    assert r.status_code == 404 and r.json()["error"].startswith("no evaluation set named 'nope'")
    r = client.post("/judge/nope/grade", data={"candidate_id": "1", "grade": "skip"})
    assert r.status_code == 404
    assert client.get("/judge/nope?candidate=3", headers={"accept": "application/json"}).status_code == 404


@pytest.mark.parametrize("method, path, allow", [
    ("TRACE", "/api/stats", "GET"),
    ("TRACE", "/", "GET"),
    ("DELETE", "/api/documents/a%2Fb", "GET"),
    ("PUT", "/api/evaluation/trial/judgments", "POST"),
    ("TRACE", "/static/style.css", "GET, HEAD"),
])
def test_unsupported_methods_are_405_with_allow(client, method, path, allow):
    r = client.request(method, path)
    assert r.status_code == 405, r.text
    assert set(r.headers["allow"].split(", ")) == set(allow.split(", "))
    assert r.json() == {"error": "Method Not Allowed"}


# ------------------------------------------------------------------ 14: Host header (DNS rebinding)
@pytest.fixture(scope="module")
def production_app(store):
    from search.web.app import create_app

    return create_app(store, None, allowed_hosts=["127.0.0.1", "dipsearch.lan"])


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost", "LOCALHOST:1", "[::1]:8000", "dipsearch.lan", "dipsearch.lan:80"])
def test_bound_host_names_are_answered(production_app, host):
    with TestClient(production_app) as c:
        assert c.get("/api/stats", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example:8765", "testserver", "127.0.0.1.evil.example", "localhost.", ""])
def test_other_hosts_are_refused_before_anything_runs(production_app, store, host):
    with TestClient(production_app) as c:
        before = store.db.conn.execute("SELECT count(*) FROM eval_judgments").fetchone()[0]
        r = c.post("/api/evaluation/trial/judgments", json={"candidate_id": 1, "grade": 2},
                   headers={"host": host, "origin": f"http://{host}"})
        assert r.status_code == 400
        assert r.json()["error"].startswith("host not allowed: ")
        assert "--allowed-host NAME" in r.json()["error"]
        after = store.db.conn.execute("SELECT count(*) FROM eval_judgments").fetchone()[0]
        assert after == before
        assert c.get("/", headers={"host": host}).status_code == 400


def test_serve_passes_host_and_allowed_hosts_to_the_app(tmp_path, monkeypatch, fake_embedder):
    import uvicorn
    from typer.testing import CliRunner

    from search.cli import app
    from search.cli.app import Runtime

    build_index(tmp_path / "idx", fake_embedder).close()
    seen = {}

    def fake_run(web, host, port, log_level):
        with TestClient(web) as c:
            seen.update({h: c.get("/api/stats", headers={"host": h}).status_code
                         for h in ("10.0.0.5:8000", "search.lan", "other.lan", "localhost:8000")})
    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(app, ["serve", "--index", str(tmp_path / "idx"), "--lexical-only", "--host", "10.0.0.5",
                                      "--allowed-host", "search.lan"], obj=Runtime(load_embedder=lambda model=None: fake_embedder))
    assert result.exit_code == 0, result.output
    assert seen == {"10.0.0.5:8000": 200, "search.lan": 200, "other.lan": 400, "localhost:8000": 200}
    assert "anyone who can reach it can read the index" in result.output


# ------------------------------------------------------------------ 15: request body size
def test_declared_oversized_body_is_413_unread(client):
    r = client.post("/api/evaluation/trial/judgments", content=b"x" * (1024 * 1024 + 1),
                    headers={"content-type": "application/json"})
    assert error(r) == (413, "request body too large: at most 1,048,576 bytes")


def test_bad_content_length_is_400(store):
    from search.web.app import create_app

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}
    status = _drive(create_app(store, None, allowed_hosts=["testserver"]), receive,
                    headers=[(b"host", b"testserver"), (b"content-length", "²".encode())])[0]
    assert status == 400


def _drive(app, receive, headers, path="/api/evaluation/trial/judgments"):
    """Run one POST through the ASGI app; returns (status, body)."""
    sent = []

    async def send(message):
        sent.append(message)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.mark.parametrize("path, content_type", [
    ("/api/evaluation/trial/judgments", b"application/json"),
    ("/judge/trial/grade", b"application/x-www-form-urlencoded"),
])
def test_streamed_body_without_length_stops_at_the_limit(store, path, content_type):
    """A chunked 200 MiB body: the app answers 413 having pulled only the limit and one chunk from the socket."""
    from search.web.app import create_app

    chunk, total = 64 * 1024, 200 * 1024 * 1024
    pulled = {"bytes": 0}

    async def receive():
        pulled["bytes"] += chunk
        return {"type": "http.request", "body": b"7" * chunk, "more_body": pulled["bytes"] < total}
    app = create_app(store, None, allowed_hosts=["testserver"], max_body_bytes=256 * 1024)
    status, body = _drive(app, receive, [(b"host", b"testserver"), (b"content-type", content_type),
                                         (b"transfer-encoding", b"chunked")], path)
    assert (status, body) == (413, b'{"error":"request body too large: at most 262,144 bytes"}')
    assert pulled["bytes"] <= 256 * 1024 + chunk


def test_over_loopback_a_huge_declared_body_is_refused_before_it_is_sent(store):
    """A real server: a client announcing 200 MB gets 413 after sending only its headers."""
    from search.web.app import create_app
    from tests.web_server import serving

    with serving(create_app(store, None)) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"POST /api/evaluation/trial/judgments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 200000000\r\n\r\n")
            reply = b""
            while chunk := sock.recv(4096):  # the server closes the connection after answering
                reply += chunk
            reply = reply.decode()
    assert reply.startswith("HTTP/1.1 413 ") and "request body too large" in reply


def test_over_loopback_a_chunked_body_gets_413_long_before_it_ends(store):
    """A real server and a client streaming a chunked body with no length: the 413 comes back after about the
    limit has been sent, while the client still has most of its 64 MiB to go."""
    import select

    from search.web.app import create_app
    from tests.web_server import serving

    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"7" * 64 * 1024)
    sent, reply = 0, b""
    with serving(create_app(store, None, max_body_bytes=256 * 1024)) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"POST /api/evaluation/trial/judgments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            try:
                while sent < 64 * 1024 * 1024 and not select.select([sock], [], [], 0)[0]:
                    sock.sendall(chunk)
                    sent += 64 * 1024
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                while data := sock.recv(4096):
                    reply += data
            except ConnectionResetError:
                pass
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]
    assert b"request body too large: at most 262,144 bytes" in reply
    assert sent < 16 * 1024 * 1024, sent


# ------------------------------------------------------------------ 16: document ids with URL metacharacters
@pytest.mark.parametrize("doc_id", ODD_IDS)
def test_odd_document_ids_through_the_api(client, doc_id):
    from urllib.parse import quote

    r = client.get("/api/documents/" + quote(doc_id, safe=""))
    if doc_id in (".", ".."):  # a path cannot carry these (clients resolve them); the page has ?id=
        return
    assert r.status_code == 200, r.text
    assert r.json()["doc_id"] == doc_id


@pytest.mark.parametrize("doc_id", ODD_IDS)
def test_full_document_links_of_odd_ids_open_that_document(client, doc_id):
    import html
    import re

    page = client.get("/", params={"q": "canal toll", "mode": "lexical", "k": 20, "per_doc": 1}).text
    title = f"Odd id {ODD_IDS.index(doc_id)}"
    links = re.findall(r'<a class="doc-link" href="([^"]+)">' + re.escape(title) + "</a>", page)
    assert len(links) == 1, links
    href = html.unescape(links[0])
    r = client.get(href)
    assert r.status_code == 200, (href, r.text[:300])
    assert f"<h1>{title}</h1>" in r.text or title in r.text


def test_doc_path_quotes_everything_but_unreserved():
    from search.web.views import doc_path, query_url

    assert doc_path("a/b") == "/doc/a%2Fb"
    assert doc_path("a?b#c") == "/doc/a%3Fb%23c"
    assert doc_path("../x") == "/doc/..%2Fx"
    assert doc_path("..") == "/doc/?id=.."
    assert query_url(doc_path(".."), {"p": 3, "q": "50% & more"}) == "/doc/?id=..&p=3&q=50%25+%26+more"
    assert query_url(doc_path("外交部"), {"p": 1}) == "/doc/%E5%A4%96%E4%BA%A4%E9%83%A8?p=1"
