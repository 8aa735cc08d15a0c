"""One writer at a time: two real `dipsearch ingest` processes into one index end with vectors that
are exactly the database's, whatever their timing; a second writer waits (saying for whom) or, with
--no-wait, refuses; readers are never blocked.

Before the writer lock, the second ingest to save wrote its own in-memory vectors over the other's:
the file held ids SQLite no longer had (passages one process replaced while the other kept the old
ones) at the same count, so the count check passed, `stats` said vectors_current, and dense search
returned wrong passages (issue 15, item 1).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import faiss
import numpy as np
import pytest

from index.consistency import database_ids
from index.store import IndexStore
from tests.builders import committed_docs
from tests.test_crash import N_DOCS, QUERIES, _results, _write_corpus

ROOT = Path(__file__).resolve().parents[1]
RUNS = 6


def _cli(*args, delay: float = 0.0) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "DIPSEARCH_TEST_DELAY": str(delay)}
    return subprocess.Popen([sys.executable, "-m", "tests.cli_runner", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _dense(index: Path):
    store = IndexStore.open(index)
    try:
        return {q: _results(store, q, "dense") for q in QUERIES}, store
    finally:
        store.close()


def _file_ids(index: Path) -> np.ndarray:
    manifest = json.loads((index / "manifest.json").read_text())
    raw = faiss.read_index(str(index / manifest["vectors_file"]))
    return np.sort(faiss.vector_to_array(raw.id_map))


@pytest.mark.slow
def test_two_concurrent_ingests_leave_vectors_equal_to_the_database(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus")
    half = tmp_path / "half"  # the second ingest: half the same documents, read while the first is writing them
    half.mkdir()
    for path in sorted(corpus.iterdir())[: N_DOCS // 2]:
        (half / path.name).write_text(path.read_text())
    clean = tmp_path / "clean"
    assert _cli("ingest", corpus, "--index", clean).wait(timeout=120) == 0
    clean_dense, _ = _dense(clean)
    # The second ingest starts 0, 0.4, ... 2.0 s after the first: while the first starts, embeds, writes or saves
    # (its run takes about 2 s), so the two meet at every stage. Ten seeded random gaps, before, left 0.32-1.36 s
    # (where both write) empty and put seven between 1.36 and 2.0 s.
    gaps = [i * 2.0 / (RUNS - 1) for i in range(RUNS)]

    def one_run(run: int) -> None:
        index = tmp_path / f"idx{run}"
        first = _cli("ingest", corpus, "--index", index, "--batch", "4", delay=0.08)
        time.sleep(gaps[run])
        second = _cli("ingest", half, "--index", index, "--batch", "2", delay=0.04)
        for proc in (first, second):
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        conn = IndexStore.open(index).db.conn
        assert _file_ids(index).tolist() == database_ids(conn).tolist(), f"run {run}"
        dense, store = _dense(index)
        assert not store.rebuilt_vectors, f"run {run}: the saved vector file did not match"
        assert dense == clean_dense, f"run {run}"
        assert IndexStore.open(index).stats()["vectors_current"] is True

    # The runs are independent (an index each) and mostly wait on the fake embedder's sleeps: three at a time.
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(one_run, range(RUNS)))


@pytest.mark.slow
def test_a_second_writer_waits_or_refuses_and_readers_do_not_wait(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus")
    index = tmp_path / "idx"
    assert _cli("ingest", corpus, "--index", index).wait(timeout=120) == 0
    for path in corpus.iterdir():  # every document changed: the next ingest re-embeds them all, slowly
        path.write_text(path.read_text() + "\n\nA later addendum on the same subject.")
    first = _cli("ingest", corpus, "--index", index, "--batch", "2", delay=0.3)
    deadline = time.monotonic() + 60
    while not (index / "writer.lock").read_text():  # the first writer holds the lock
        assert first.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    holder = json.loads((index / "writer.lock").read_text())
    assert holder["pid"] == first.pid and holder["command"] == "ingest"

    # All three start at once while the first writer holds the lock (each interpreter start takes a while on a
    # loaded machine; one after another they could outlast the writer): a refusal, a reader, a waiting writer.
    started = time.monotonic()
    refused = _cli("remove", "doc001", "--index", index, "--no-wait")
    reader = _cli("search", "river treaty", "--index", index, "--mode", "lexical", "--json")
    waiting = _cli("remove", "doc001", "--index", index)
    out, err = refused.communicate(timeout=60)
    assert refused.returncode == 1
    assert err.strip().startswith(f"error: another writer (pid {first.pid}, ingest since ")
    assert err.strip().endswith("is writing to this index; try again when it has finished")

    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert json.loads(out)["results"] and first.poll() is None  # answered while the writer still writes

    out, err = waiting.communicate(timeout=120)
    assert first.wait(timeout=120) == 0
    assert waiting.returncode == 0, err
    assert err.startswith(f"waiting for another writer (pid {first.pid}, ingest since ")
    assert out.strip() == "removed doc001 (3 passages)"  # the changed version, committed by the first writer
    store = IndexStore.open(index)
    assert store.db.counts() == {"documents": N_DOCS - 1, "passages": 3 * (N_DOCS - 1)}
    assert _file_ids(index).tolist() == database_ids(store.db.conn).tolist()
    assert committed_docs(index) == N_DOCS - 1
    assert time.monotonic() - started < 120


def test_talking_points_refresh_waits_for_the_writer_lock_or_serves_stale_clusters(tmp_path):
    """Within one process two stores hold separate lock files' descriptors, so they exclude each other
    like two processes: a refresh while another store writes refuses (no wait) or uses stale clusters."""
    from index.errors import IndexBusy
    from search.talking_points import TalkingPointOptions, ensure_talking_points, refresh_talking_points
    from tests.builders import build, raw
    from tests.fakes import FakeEmbedder
    from tests.web_corpus import build_index

    embedder = FakeEmbedder()
    folder = tmp_path / "idx"
    build_index(folder, embedder, talking_points=True).close()
    writer, _ = build(folder, [raw("extra", "Dialogue and consultation remain the only viable path toward lasting harmony across the Selva basin, said Quillon.")], embedder)
    writer.begin_write("ingest")  # holds the lock, as an ingest in progress would
    reader = IndexStore.open(folder)
    reader.wait_for_writer = False
    try:
        assert ensure_talking_points(reader, embedder) is None  # stale (the new document is not in them) but served
        with pytest.raises(IndexBusy, match=r"another writer \(pid \d+, ingest since .*\) is writing to this index"):
            refresh_talking_points(reader, embedder, TalkingPointOptions())
    finally:
        writer.end_write()
    report = refresh_talking_points(reader, embedder, TalkingPointOptions())
    assert not report.skipped and report.clusters >= 1
    reader.close()
    writer.close()
