"""Recovery that works (issue 15, items 1, 4 and 5): each damage of the issue, reproduced, then what
every command says about it, and that following the advice given does repair the index."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import faiss
import numpy as np
import pytest
from typer.testing import CliRunner

from index.consistency import database_ids
from index.store import IndexStore
from search.cli import app
from tests.test_crash import N_DOCS, QUERIES, _results, _write_corpus
from tests.cli_invoke import invoke

ROOT = Path(__file__).resolve().parents[1]
BEYOND = "the database is damaged beyond repair; move {} aside and ingest again (or restore it from a backup)"




@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A corpus, a healthy index of it, and its dense results (to copy and damage)."""
    from tests.fakes import FakeEmbedder
    from search.cli.app import Runtime

    base = tmp_path_factory.mktemp("recovery")
    corpus = _write_corpus(base / "corpus")
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--index", str(base / "good")],
                                obj=Runtime(load_embedder=lambda model=None: FakeEmbedder()))
    assert result.exit_code == 0, result.output
    store = IndexStore.open(base / "good")
    dense = {q: _results(store, q, "dense") for q in QUERIES}
    store.close()
    return corpus, base / "good", dense


@pytest.fixture
def index(tmp_path, built):
    shutil.copytree(built[1], tmp_path / "idx")
    return tmp_path / "idx"


def _dense(index: Path):
    store = IndexStore.open(index)
    try:
        return {q: _results(store, q, "dense") for q in QUERIES}, store.rebuilt_vectors
    finally:
        store.close()


def test_healthy_index_checks_ok(runtime, index):
    result = invoke(runtime, "check", "--index", index)
    assert (result.exit_code, result.stdout.strip()) == (0, f"{index}: ok (48 passages, generation 1; database, full-text index, vectors and manifest agree).")
    result = invoke(runtime, "repair", "--index", index)
    assert (result.exit_code, result.stdout.strip()) == (0, f"{index}: nothing to repair.")


def test_garbage_manifest_searches_and_ingest_rewrites_it(runtime, index, built):
    (index / "manifest.json").write_text("garbage {")
    result = invoke(runtime, "search", "river treaty", "--index", index, "--mode", "hybrid", "--json")
    assert result.exit_code == 0, result.output
    assert _dense(index)[0] == built[2]
    assert json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)["vectors_current"] is False
    result = invoke(runtime, "check", "--index", index, "--json")
    report = json.loads(result.stdout)
    assert (result.exit_code, report["ok"], report["repairable"], [p["part"] for p in report["problems"]]) == (1, False, True, ["manifest"])
    assert report["problems"][0]["problem"].startswith(f"{index}/manifest.json is damaged (")
    result = invoke(runtime, "ingest", built[0], "--index", index)  # what the old message advised, and failed
    assert result.exit_code == 0, result.output
    assert json.loads((index / "manifest.json").read_text())["vectors"]["count"] == 2 * N_DOCS
    assert invoke(runtime, "check", "--index", index).exit_code == 0


def test_garbage_manifest_is_repaired(runtime, index):
    (index / "manifest.json").write_text("[1, 2]")
    result = invoke(runtime, "repair", "--index", index)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{index}: rebuilt vectors-1.faiss from the stored vectors (48 passages) and rewrote the manifest."
    assert json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)["vectors_current"] is True


@pytest.mark.parametrize("command", [("search", "river treaty"), ("stats",), ("ingest", "CORPUS"), ("repair",), ("check",), ("show", "doc001")])
def test_half_truncated_database_gets_advice_that_works(runtime, index, built, command):
    db = index / "dipsearch.sqlite"
    os.truncate(db, db.stat().st_size // 2)
    args = [built[0] if a == "CORPUS" else a for a in command]
    result = invoke(runtime, *args, "--index", index)
    assert result.exit_code == 1
    assert BEYOND.format(index) in " ".join(result.output.split())
    assert "truncated" in result.output and "rebuild with" not in result.output
    shutil.move(index, index.with_name("idx.damaged"))  # the advice, followed
    result = invoke(runtime, "ingest", built[0], "--index", index)
    assert result.exit_code == 0, result.output
    assert _dense(index) == (built[2], False)


@pytest.mark.parametrize("command", [("search", "river treaty"), ("ingest", "CORPUS"), ("stats",)])
def test_zero_byte_database_is_refused_not_opened_as_new(runtime, index, built, command):
    (index / "dipsearch.sqlite").write_bytes(b"")
    args = [built[0] if a == "CORPUS" else a for a in command]
    result = invoke(runtime, *args, "--index", index)
    assert result.exit_code == 1
    text = " ".join(result.stderr.split())
    assert text == (f"error: {index}/dipsearch.sqlite is not a readable dipsearch database (it is empty (0 bytes) while manifest.json "
                    f"says 48 passages); {BEYOND.format(index)}")
    assert (index / "dipsearch.sqlite").stat().st_size == 0  # nothing created in its place


def test_new_index_whose_first_write_never_happened_still_opens(tmp_path):
    (tmp_path / "idx").mkdir()
    (tmp_path / "idx" / "dipsearch.sqlite").write_bytes(b"")
    store = IndexStore.open(tmp_path / "idx", create=True)
    assert store.db.counts() == {"documents": 0, "passages": 0}
    store.close()


def test_vector_file_with_other_ids_at_the_same_count_is_caught_and_repaired(runtime, index, built):
    """The state two unlocked ingests left: the count right, some ids not in SQLite."""
    manifest = json.loads((index / "manifest.json").read_text())
    path = index / manifest["vectors_file"]
    raw = faiss.read_index(str(path))
    ids = faiss.vector_to_array(raw.id_map)
    vectors = faiss.downcast_index(raw.index).reconstruct_n(0, raw.ntotal)
    raw.remove_ids(ids[:5])
    raw.add_with_ids(vectors[:5], ids[:5] + 1000)  # 5 ids that do not exist, same count
    faiss.write_index(raw, str(path))
    assert json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)["vectors_current"] is True  # checksum alone says fine...
    dense, rebuilt = _dense(index)
    assert (dense, rebuilt) == (built[2], True)  # ...but opening compares the file's ids: rebuilt in memory, right results
    result = invoke(runtime, "check", "--index", index)
    assert result.exit_code == 1
    assert "- vectors: vectors-1.faiss holds 48 vectors for 48 passages: 5 ids not in the database, 5 passages without a vector" in result.stdout
    result = invoke(runtime, "repair", "--index", index)
    assert result.exit_code == 0, result.output
    store = IndexStore.open(index)
    assert np.sort(store.vectors().ids()).tolist() == database_ids(store.db.conn).tolist() and not store.rebuilt_vectors
    store.close()
    assert invoke(runtime, "check", "--index", index).exit_code == 0


def test_stats_is_not_current_when_the_database_ids_differ(runtime, index):
    conn = sqlite3.connect(index / "dipsearch.sqlite")  # another program deleted a passage, generation untouched
    from index.sql_functions import register_functions

    register_functions(conn)
    conn.execute("DELETE FROM passages WHERE passage_id = (SELECT min(passage_id) FROM passages)")
    conn.commit()
    conn.close()
    assert json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)["vectors_current"] is False
    result = invoke(runtime, "check", "--index", index)
    assert "- manifest: the manifest's checksum of passage ids differs from the database's" in result.stdout
    assert invoke(runtime, "repair", "--index", index).exit_code == 0
    assert json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)["vectors_current"] is True


def test_damaged_full_text_index_is_rebuilt(runtime, index):
    store = IndexStore.open(index)
    row = store.db.conn.execute("SELECT passage_id, p.text FROM passages p JOIN documents d USING (doc_id) WHERE doc_id = 'doc007' AND ordinal = 0").fetchone()
    with store.db.transaction() as conn:
        conn.execute("INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', ?, cjk_spaced(?))", (row[0], row[1]))
    store.close()
    assert invoke(runtime, "search", "code007x", "--index", index, "--mode", "lexical", "--json").stdout.count('"doc007"') == 0
    result = invoke(runtime, "check", "--index", index)
    assert "- full-text: the full-text index holds 47 entries for 48 passages (1 passages missing)" in result.stdout
    result = invoke(runtime, "repair", "--index", index)
    assert result.stdout.strip() == f"{index}: rebuilt the full-text index (48 passages)."
    hits = json.loads(invoke(runtime, "search", "code007x", "--index", index, "--mode", "lexical", "--json").stdout)["results"]
    assert [h["doc_id"] for h in hits] == ["doc007"]
    assert invoke(runtime, "check", "--index", index).exit_code == 0


def test_ingest_into_its_own_input_folder_is_refused_before_creating_anything(runtime, tmp_path, built):
    docs = tmp_path / "docs"
    shutil.copytree(built[0], docs)
    before = sorted(p.name for p in docs.iterdir())
    for _ in range(2):
        result = invoke(runtime, "ingest", docs, "--index", docs)
        assert result.exit_code == 1
        assert " ".join(result.stderr.split()) == (
            f"error: the index folder {docs} is also the input folder {docs}: the index must live in a folder of its own, e.g. "
            "docs-index beside it (or a subfolder, which reading skips); nothing was created")
        assert sorted(p.name for p in docs.iterdir()) == before
    for _ in range(2):  # a subfolder of the input is fine: reading skips it
        result = invoke(runtime, "ingest", docs, "--index", docs / "idx")
        assert result.exit_code == 0, result.output
    assert IndexStore.open(docs / "idx").db.counts() == {"documents": N_DOCS, "passages": 2 * N_DOCS}


def _can_mount_read_only(tmp_path) -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind -o ro {tmp_path} {tmp_path}"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.slow  # six real CLI processes in a mount namespace
def test_read_only_index_can_be_searched(tmp_path, built):
    """A read-only mount (as root, chmod does not stop writes; a mount does). Before, every command
    failed with 'unable to open database file', because opening wrote to it."""
    if not _can_mount_read_only(tmp_path):
        pytest.skip("needs root and unshare to make a read-only mount")
    index = tmp_path / "ro"
    shutil.copytree(built[1], index)
    (index / "writer.lock").unlink()
    before = {p.name: p.read_bytes() for p in index.iterdir()}
    runner = f"{sys.executable} -m tests.cli_runner"
    script = " && ".join([
        f"mount --bind -o ro {index} {index}",
        f"{runner} search 'river treaty' --index {index} --mode hybrid --json > {tmp_path}/hybrid.json",
        f"{runner} search 'river treaty water' --index {index} --mode dense --json > {tmp_path}/dense.json",
        f"{runner} stats --index {index} --json > {tmp_path}/stats.json",
        f"{runner} check --index {index} > {tmp_path}/check.txt",
        f"{runner} repair --index {index} > {tmp_path}/repair.txt",
        f"! {runner} remove doc001 --index {index} 2> {tmp_path}/remove.txt",
    ])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "hybrid.json").read_text())["results"][0]["doc_id"].startswith("doc")
    dense = json.loads((tmp_path / "dense.json").read_text())["results"]
    from search.engine import SearchRequest, search
    from tests.fakes import FakeEmbedder

    store = IndexStore.open(built[1])
    expected = search(store, FakeEmbedder(), SearchRequest("river treaty water", mode="dense")).results
    store.close()
    assert [(h["doc_id"], h["text"]) for h in dense] == [(h.doc_id, h.text) for h in expected] and len(dense) == 10
    assert json.loads((tmp_path / "stats.json").read_text())["vectors_current"] is True
    assert (tmp_path / "check.txt").read_text().startswith(f"{index}: ok (48 passages")
    assert (tmp_path / "repair.txt").read_text().strip() == f"{index}: nothing to repair."
    assert " ".join((tmp_path / "remove.txt").read_text().split()) == (
        f"error: the index {index} is read-only here: it can be searched, not changed; copy it to a writable folder to change it")
    assert {p.name: p.read_bytes() for p in index.iterdir()} == before  # nothing written
