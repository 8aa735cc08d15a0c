"""A running server sees what another writer commits: on the very next request after an ingest (or a
removal) commits, dense and hybrid search find (or no longer find) the document, and /api/stats says
the vectors are current. Before, the server kept the vectors it loaded at start (issue 15, item 2)."""
from __future__ import annotations

import threading

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from index.ingest import remove_document  # noqa: E402
from index.store import IndexStore  # noqa: E402
from tests.builders import build, raw  # noqa: E402
from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import build_index  # noqa: E402

NEW = raw("quillon-2025-02", "Quillon opens the zebrafish observatory on the Tarn estuary.\n\n"
          "The Quillon envoy said the zebrafish observatory welcomes scientists from every neighbour.",
          title="Quillon observatory", date="2025-02-01", source="Quillon Foreign Office")
QUERY = "zebrafish observatory Quillon"


def _top(client, mode):
    r = client.get("/api/search", params={"q": QUERY, "mode": mode, "k": 3})
    assert r.status_code == 200, r.text
    return [h["doc_id"] for h in r.json()["results"]]


def test_server_finds_a_document_ingested_while_it_runs(tmp_path):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    folder = tmp_path / "idx"
    build_index(folder, embedder).close()
    served = IndexStore.open(folder)
    with TestClient(create_app(served, lambda: embedder, allowed_hosts=["testserver"])) as client:
        assert "quillon-2025-02" not in _top(client, "dense")  # vectors loaded before the ingest
        before = client.get("/api/stats").json()
        writer, _ = build(folder, [NEW], embedder)  # another store (another process, for the server)
        writer.close()
        assert _top(client, "dense")[0] == "quillon-2025-02"
        assert _top(client, "hybrid")[0] == "quillon-2025-02"
        stats = client.get("/api/stats").json()
        assert (stats["documents"], stats["generation"], stats["vectors_current"]) == (before["documents"] + 1, before["generation"] + 1, True)

        other = IndexStore.open(folder)
        remove_document(other, "quillon-2025-02")
        other.close()
        assert "quillon-2025-02" not in _top(client, "dense")
        assert "quillon-2025-02" not in _top(client, "hybrid")
    served.close()


def test_requests_during_an_ingest_are_all_answered(tmp_path):
    from search.web.app import create_app

    embedder = FakeEmbedder()
    folder = tmp_path / "idx"
    build_index(folder, embedder).close()
    served = IndexStore.open(folder)
    statuses, stop = [], threading.Event()
    docs = [raw(f"quillon-{i}", f"Quillon statement {i} on the zebrafish observatory and tariff {i}.") for i in range(12)]
    with TestClient(create_app(served, lambda: embedder, allowed_hosts=["testserver"])) as client:
        def ask():
            while not stop.is_set():
                statuses.append(client.get("/api/search", params={"q": QUERY, "mode": "hybrid", "k": 20}).status_code)

        asker = threading.Thread(target=ask)
        asker.start()
        try:
            writer, _ = build(folder, docs, FakeEmbedder(delay=0.05), batch_passages=1)  # 12 commits, 12 generations
            writer.close()
        finally:
            stop.set()
            asker.join()
        found = client.get("/api/search", params={"q": QUERY, "mode": "dense", "k": 20, "per_doc": 1}).json()["results"]
    served.close()
    assert statuses and set(statuses) == {200}
    assert {f"quillon-{i}" for i in range(12)} <= {h["doc_id"] for h in found}
