"""A real kill -9 of an ingest at several moments: the committed state stays readable, and running the
same ingest again ends exactly where one clean run does."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.store import IndexStore
from search.engine import SearchRequest, search
from tests import crash_ingest
from tests.builders import committed_docs
from tests.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]
PLACES = ["Arden", "Vell", "Osland", "Marenne", "Ostravia", "Valdoria"]
TOPICS = ["the river treaty", "fishing quotas", "steel tariffs", "the border ceasefire", "grain exports", "the dam project"]
N_DOCS = 24
QUERIES = ["river treaty water", "steel tariffs imports", "ceasefire border patrols", "grain exports harvest", "code007x"]


def _write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for i in range(N_DOCS):
        place, topic = PLACES[i % len(PLACES)], TOPICS[(i * 5) % len(TOPICS)]
        text = (f"Statement {i} of {place} on {topic}\n\n"
                f"The foreign ministry of {place} said on Monday that talks on {topic} would go on (reference code{i:03d}x).\n\n"
                f"A spokesperson added that {place} expects its neighbours to respect {topic} and to keep the dialogue open.")
        (folder / f"doc{i:03d}.txt").write_text(text)
    return folder


def _run_ingest(index: Path, corpus: Path, *extra) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "tests.crash_ingest", str(index), str(corpus), *map(str, extra)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out)


def _wait_for(condition, proc, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, "the ingest ended before the kill point: " + proc.communicate()[1]
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.02)


def _kill(proc):
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _results(store, query, mode):
    hits = search(store, FakeEmbedder(), SearchRequest(query, mode=mode, k=20, per_doc=3)).results
    return [(h.doc_id, h.ordinal, h.text, round(h.score, 5)) for h in hits]


def _snapshot(index: Path):
    store = IndexStore.open(index)
    try:
        passages = [tuple(r) for r in store.db.conn.execute("SELECT doc_id, ordinal, char_start, char_end, text FROM passages ORDER BY doc_id, ordinal")]
        results = {(q, m): _results(store, q, m) for q in QUERIES for m in ("dense", "lexical", "hybrid")}
        return store.db.counts(), passages, results, store.rebuilt_vectors
    finally:
        store.close()


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A corpus and the index one uninterrupted run makes of it."""
    base = tmp_path_factory.mktemp("crash")
    corpus = _write_corpus(base / "corpus")
    report = _finish(_run_ingest(base / "clean", corpus))
    assert report["added"] == N_DOCS
    counts, passages, results, _ = _snapshot(base / "clean")
    assert counts == {"documents": N_DOCS, "passages": 2 * N_DOCS}
    return corpus, counts, passages, results


def _check_after_kill(index: Path, clean_passages, expect_partial: bool) -> int:
    store = IndexStore.open(index)  # the killed index opens...
    try:
        committed = {r[0] for r in store.db.conn.execute("SELECT doc_id FROM documents")}
        if expect_partial:
            assert 0 < len(committed) < N_DOCS
        mine = [tuple(r) for r in store.db.conn.execute("SELECT doc_id, ordinal, char_start, char_end, text FROM passages ORDER BY doc_id, ordinal")]
        assert mine == [p for p in clean_passages if p[0] in committed]  # whole documents only, nothing half-written
        for mode in ("dense", "lexical", "hybrid"):  # ...and searches, returning committed documents only
            for query in QUERIES:
                assert {h[0] for h in _results(store, query, mode)} <= committed
        some = sorted(committed)[0]
        code = f"code{int(some[3:]):03d}x"
        assert _results(store, code, "lexical")[0][0] == some
        assert _results(store, code, "hybrid")[0][0] == some
        return len(committed)
    finally:
        store.close()


def _check_rerun_matches_clean(index: Path, corpus: Path, clean, committed: int, in_process: bool = False):
    """Run the same ingest again, in its own process (as the user would) or, `in_process`, through the very
    function that process runs (tests/crash_ingest.py: run), sparing an interpreter start; then compare."""
    _, counts, passages, results = clean
    report = crash_ingest.run(index, [corpus]) if in_process else _finish(_run_ingest(index, corpus))
    assert (report["added"], report["unchanged"], report["skipped"]) == (N_DOCS - committed, committed, [])
    got_counts, got_passages, got_results, rebuilt = _snapshot(index)
    assert (got_counts, got_passages) == (counts, passages)
    assert got_results == results
    assert not rebuilt
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["counts"] == counts
    assert sorted(p.name for p in index.glob("vectors-*")) == [manifest["vectors_file"]]


@pytest.mark.parametrize("point, overlap", [("first_batch", False), ("mid_way", False), ("mid_way", True)])
def test_kill_during_batches(tmp_path, clean, point, overlap):
    corpus = clean[0]
    index = tmp_path / "idx"
    proc = _run_ingest(index, corpus, "--delay", "0.25", "--batch", "4", *(["--overlap"] if overlap else []))
    target = 1 if point == "first_batch" else N_DOCS // 2
    _wait_for(lambda: committed_docs(index) >= target, proc)
    _kill(proc)
    committed = _check_after_kill(index, clean[2], expect_partial=True)
    # Resumed in this process (the kill before the first commit and the kill during save resume in their own)
    _check_rerun_matches_clean(index, corpus, clean, committed, in_process=True)


def test_kill_before_first_commit(tmp_path, clean):
    corpus = clean[0]
    index = tmp_path / "idx"
    proc = _run_ingest(index, corpus, "--delay", "5", "--batch", "4")
    _wait_for(lambda: (index / "dipsearch.sqlite").exists(), proc)
    time.sleep(0.5)
    _kill(proc)
    store = IndexStore.open(index, create=True)
    assert store.db.counts() == {"documents": 0, "passages": 0}
    assert search(store, FakeEmbedder(), SearchRequest("river treaty", mode="hybrid")).results == []
    store.close()
    _check_rerun_matches_clean(index, corpus, clean, 0)


def test_kill_during_save(tmp_path, clean):
    corpus = clean[0]
    index = tmp_path / "idx"
    half = tmp_path / "half"
    half.mkdir()
    for path in sorted(corpus.iterdir())[: N_DOCS // 2]:
        (half / path.name).write_text(path.read_text())
    assert _finish(_run_ingest(index, half))["added"] == N_DOCS // 2  # a saved index with a manifest...
    marker = tmp_path / "in-save"
    proc = _run_ingest(index, corpus, "--pause-in-save", "30", "--marker", marker)  # ...then killed while saving the rest
    _wait_for(marker.exists, proc)
    _kill(proc)
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == N_DOCS // 2  # the old manifest, pointing at the old vector file
    committed = _check_after_kill(index, clean[2], expect_partial=False)
    assert committed == N_DOCS  # every batch was committed before the save began
    store = IndexStore.open(index)
    assert len(store.vectors().search(FakeEmbedder().embed(["x"]), 1000)[1][0]) == 2 * N_DOCS and store.rebuilt_vectors
    store.close()
    _check_rerun_matches_clean(index, corpus, clean, N_DOCS)


def _kill_at(tmp_path: Path, clean, n: int, moment: float) -> int:
    """One ingest killed `moment` seconds after its imports are done (or left to finish if it ends first),
    checked, and resumed to the clean index; returns how many documents the kill left committed."""
    corpus, index, ready = clean[0], tmp_path / f"idx{n}", tmp_path / f"ready{n}"
    proc = _run_ingest(index, corpus, "--delay", "0.1", "--batch", "4", "--ready", ready)
    _wait_for(ready.exists, proc)
    time.sleep(moment)
    if proc.poll() is not None:  # finished before its moment: nothing to kill this time
        _finish(proc)
        return N_DOCS
    _kill(proc)
    if (index / "dipsearch.sqlite").exists() and committed_docs(index):
        committed = _check_after_kill(index, clean[2], expect_partial=False)
    else:
        committed = 0
    _check_rerun_matches_clean(index, corpus, clean, committed, in_process=True)
    return committed


@pytest.mark.slow
def test_twelve_kills_at_spread_moments_each_resume_to_the_clean_index(tmp_path, clean):
    """Twelve real kill -9s spread over one ingest (as it opens the index, between commits, inside a batch, while
    saving): each killed index opens and searches its committed documents only, and the same ingest run again
    ends exactly where the clean run does (same passages, same results, vector ids = rows).
    The moments are 0.135 s apart from 0 to 1.485 s: the ingest's twelve batches take 0.1 s each (then it saves),
    so the kills fall 0.35 of a batch further each time, at every part of a batch, and from the opening of the index
    to the save (twenty seeded random moments, before, had none before 0.15 s and four at 1.36 s).
    Each moment counts from the end of the ingest's imports (a marker file), not from the interpreter's start,
    so a loaded machine shifts no kill before the ingest; the twelve are independent (own index each), so they
    run four at a time, most of each being the ingest's sleeping fake embedder. The resumes run in this process
    (the same function the killed process ran); the kill before the first commit and the kill during save above
    resume in a process of their own."""
    from concurrent.futures import ThreadPoolExecutor

    moments = [round(i * 0.135, 3) for i in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda job: _kill_at(tmp_path, clean, *job), enumerate(moments)))
    assert len({c for c in outcomes if 0 < c < N_DOCS}) >= 3, outcomes  # the kills landed at several different commits
