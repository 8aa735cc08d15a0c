"""Ingest with embedding overlapped with reading: same index as without, batches commit in order."""
from __future__ import annotations

import threading
import time

import pytest

from corpus.documents import RawDocument
from index.ingest import Ingestor
from index.store import IndexStore
from tests.fakes import FakeEmbedder

WORDS = "treaty river water fisheries sanctions summit border trade climate visit".split()


def documents(n: int) -> list[RawDocument]:
    docs = []
    for i in range(n):
        text = " ".join(f"{WORDS[(i + j) % len(WORDS)]} {i}-{j}." for j in range(12))
        docs.append(RawDocument(doc_id=f"d{i}", text=f"Statement {i}\n\n{text}", origin=f"mem:{i}"))
    docs.append(RawDocument(doc_id="twin", text=docs[3].text, origin="mem:twin"))  # same text as d3, one batch later
    docs.append(RawDocument(doc_id="d5", text=docs[5].text, origin="mem:again"))  # same id again, unchanged
    return docs


class SlowThreadEmbedder(FakeEmbedder):
    """Records which thread embeds and when, and sleeps so overlap is visible."""

    def __init__(self):
        super().__init__(delay=0.02)
        self.threads, self.spans = set(), []

    def embed(self, texts, progress=None):
        start = time.perf_counter()
        self.threads.add(threading.current_thread().name)
        out = super().embed(texts, progress)
        self.spans.append((start, time.perf_counter()))
        return out


def build(path, overlap: bool):
    store = IndexStore.open(path, create=True)
    embedder = SlowThreadEmbedder()
    ingestor = Ingestor(store, embedder, batch_passages=3, overlap=overlap)
    adds = []
    for doc in documents(30):
        adds.append(time.perf_counter())
        ingestor.add(doc)
    report = ingestor.finish()
    rows = store.db.conn.execute("SELECT doc_id, text FROM passages ORDER BY passage_id").fetchall()
    return store, embedder, report, [tuple(r) for r in rows], adds


def test_overlapped_ingest_builds_the_same_index(tmp_path):
    _, plain_emb, plain, rows_plain, _ = build(tmp_path / "plain", overlap=False)
    store, emb, report, rows, adds = build(tmp_path / "overlap", overlap=True)
    assert rows == rows_plain and report.as_dict() == plain.as_dict()
    assert report.added == 30 and report.duplicates == [("twin", "d3")]
    assert report.unchanged == 1 or report.skipped == 1  # d5 again: recognised either way, never stored twice
    assert plain_emb.threads == {threading.current_thread().name}
    assert emb.threads and threading.current_thread().name not in emb.threads
    # documents were read while a batch was being embedded
    assert any(start < t < end for start, end in emb.spans for t in adds)
    reopened = IndexStore.open(tmp_path / "overlap")
    assert reopened.vectors().size == len(rows) and not reopened.rebuilt_vectors


def test_embedding_error_in_the_worker_reaches_the_caller_and_keeps_committed_batches(tmp_path):
    class Failing(FakeEmbedder):
        def embed(self, texts, progress=None):
            self.calls += 1
            if self.calls == 3:
                raise RuntimeError("encoder died")
            return super().embed(texts, progress)

    store = IndexStore.open(tmp_path / "idx", create=True)
    ingestor = Ingestor(store, Failing(), batch_passages=3, overlap=True)
    with pytest.raises(RuntimeError, match="encoder died"):
        for doc in documents(30):
            ingestor.add(doc)
        ingestor.finish()
    committed = store.db.counts()["passages"]
    assert committed > 0  # the batches embedded before the failure stay


def test_cli_ingest_refuses_an_unknown_engine(tmp_path, runtime):
    from typer.testing import CliRunner

    from search.cli import app

    (tmp_path / "a.txt").write_text("The river treaty was signed.\n")
    run = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--index", str(tmp_path / "i"), "--engine", "spark"], obj=runtime)
    assert run.exit_code == 2 and "choose local or ray" in run.output
