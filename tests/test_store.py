"""The index on disk: incremental ingest, de-duplication, removal, manifest, migrations, refusals, rebuilds."""
from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from corpus.errors import InputProblem
from index.errors import DocumentNotFound, IndexFormatError, IndexNotFound, ModelMismatch
from index.ingest import Ingestor, remove_document
from index.migrations import known_migrations
from index.store import IndexStore
from search.engine import SearchRequest, search
from tests.builders import build, passages_by_doc, raw
from tests.fakes import FakeEmbedder

RIVER = "The river treaty of Arden binds both states to share the water of the northern river."
FISH = "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay."
DAM = "Osland will build a dam on the upper river, its energy minister announced on Monday."


def _docs():
    return [raw("river", RIVER, title="River treaty"), raw("fish", FISH), raw("dam", DAM)]


def _vector_ids(store) -> set[int]:
    vectors = store.vectors()
    _, ids = vectors.search(np.zeros((1, vectors.dimension), np.float32) + 0.1, 1000)
    return {int(i) for i in ids[0] if i >= 0}


def _passage_ids(store) -> set[int]:
    return {r[0] for r in store.db.conn.execute("SELECT passage_id FROM passages")}


def test_first_ingest_stores_documents_passages_vectors_and_manifest(tmp_path, fake_embedder):
    store, report = build(tmp_path / "idx", _docs(), fake_embedder)
    assert (report.added, report.updated, report.unchanged, report.passages) == (3, 0, 0, 3)
    assert store.db.counts() == {"documents": 3, "passages": 3}
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["format"] == "dipsearch-index" and manifest["format_version"] == 1
    assert manifest["model"]["name"] == "fake-hash-embedder" and manifest["model"]["checksum"] == "f" * 64
    assert manifest["model"]["dimension"] == 64
    assert manifest["index_type"] == "flat" and manifest["counts"] == {"documents": 3, "passages": 3}
    assert manifest["vectors_file"] == f"vectors-{manifest['generation']}.faiss"
    assert sorted(p.name for p in (tmp_path / "idx").glob("vectors-*")) == [manifest["vectors_file"]]
    # Vectors are stored normalised in SQLite and keyed by passage id in FAISS.
    blobs = [np.frombuffer(r[0], np.float32) for r in store.db.conn.execute("SELECT vector FROM passages")]
    assert all(b.shape == (64,) and abs(np.linalg.norm(b) - 1) < 1e-5 for b in blobs)
    assert _vector_ids(store) == _passage_ids(store)
    migrations = [r[0] for r in store.db.conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert migrations[0] == "0001_documents_passages" and set(migrations) == known_migrations()


def test_reingest_skips_unchanged_replaces_changed_and_updates_metadata_only(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", _docs(), fake_embedder)
    before = {r[0]: r[1] for r in store.db.conn.execute("SELECT doc_id, passage_id FROM passages")}
    generation = store.db.generation()
    store.close()

    embedder = FakeEmbedder()
    store, report = build(tmp_path / "idx", _docs(), embedder)
    assert (report.added, report.updated, report.metadata_updated, report.unchanged, report.passages) == (0, 0, 0, 3, 0)
    assert embedder.calls == 0 and store.db.generation() == generation
    store.close()

    changed = [raw("river", RIVER + " Both parliaments ratified it.", title="River treaty"), raw("fish", FISH, title="Fish accord"), raw("dam", DAM)]
    store, report = build(tmp_path / "idx", changed, fake_embedder)
    assert (report.added, report.updated, report.metadata_updated, report.unchanged) == (0, 1, 1, 1)
    after = {r[0]: r[1] for r in store.db.conn.execute("SELECT doc_id, passage_id FROM passages")}
    assert after["fish"] == before["fish"] and after["dam"] == before["dam"]
    assert after["river"] != before["river"]
    assert passages_by_doc(store)["river"] == [RIVER + " Both parliaments ratified it."]
    assert store.db.document("fish")["title"] == "Fish accord"
    assert _vector_ids(store) == _passage_ids(store) == set(after.values())
    store.close()
    reopened = IndexStore.open(tmp_path / "idx")
    assert _vector_ids(reopened) == set(after.values()) and not reopened.rebuilt_vectors


def test_identical_documents_are_stored_once(tmp_path, fake_embedder):
    twin = "  THE RIVER TREATY of Arden binds both states to share the water of the northern river.  "
    store, report = build(tmp_path / "idx", [raw("river", RIVER), raw("river-copy", twin), raw("fish", FISH)], fake_embedder)
    assert report.duplicates == [("river-copy", "river")] and report.added == 2
    store.close()
    store, report = build(tmp_path / "idx", [raw("river-again", RIVER.replace("water", "water"))], fake_embedder)
    assert report.duplicates == [("river-again", "river")] and report.added == 0
    assert store.db.counts() == {"documents": 2, "passages": 2}


def test_same_id_twice_in_one_batch_keeps_the_first(tmp_path, fake_embedder):
    store, report = build(tmp_path / "idx", [raw("a", RIVER), raw("a", FISH)], fake_embedder)
    assert [p.reason for p in report.problems] == ["id 'a' was already read from a.txt; this later one is skipped (the first occurrence of an id is indexed)"]
    assert passages_by_doc(store) == {"a": [RIVER]}


def test_document_that_is_all_debris_is_a_problem(tmp_path, fake_embedder):
    store, report = build(tmp_path / "idx", [raw("junk", "Leave a Reply\n\nMost popular in 24h\nAPP | PC\n"), raw("fish", FISH)], fake_embedder)
    assert [(p.origin, p.reason) for p in report.problems] == [("junk.txt", "no text left after removing site debris; nothing to index")]
    assert report.added == 1


def test_problems_from_the_reader_are_counted(tmp_path, fake_embedder):
    store, report = build(tmp_path / "idx", [InputProblem("x.txt", "empty file"), raw("fish", FISH)], fake_embedder)
    assert report.skipped == 1 and report.as_dict()["skipped"] == [{"input": "x.txt", "reason": "empty file"}]


def test_batches_commit_separately(tmp_path, fake_embedder):
    docs = [raw(f"d{i}", f"Statement {i} on the shared water of the northern river basin and its dams.") for i in range(7)]
    store, report = build(tmp_path / "idx", docs, fake_embedder, batch_passages=2)
    assert report.added == 7 and store.db.generation() == 4  # batches of 2, 2, 2 and 1
    assert _vector_ids(store) == _passage_ids(store)


def test_remove_document(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", _docs(), fake_embedder)
    gone = set(store.db.passage_ids("fish"))
    assert remove_document(store, "fish") == 1
    assert store.db.document("fish") is None and store.db.counts() == {"documents": 2, "passages": 2}
    assert not gone & _vector_ids(store)
    assert store.db.conn.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'trawler'").fetchone()[0] == 0
    with pytest.raises(DocumentNotFound, match="no document with id 'fish' in this index"):
        remove_document(store, "fish")
    store.close()
    reopened = IndexStore.open(tmp_path / "idx")
    assert _vector_ids(reopened) == _passage_ids(reopened) and reopened.manifest["counts"]["documents"] == 2


def test_missing_index_is_refused_without_create(tmp_path):
    with pytest.raises(IndexNotFound, match="no dipsearch index at .*; create one with `dipsearch ingest PATH --index"):
        IndexStore.open(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_newer_format_version_is_refused(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", _docs(), fake_embedder)
    store.close()
    path = tmp_path / "idx" / "manifest.json"
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "format_version": 99}))
    with pytest.raises(IndexFormatError, match="has index format 99, newer than this dipsearch reads \\(1\\); upgrade dipsearch"):
        IndexStore.open(tmp_path / "idx")
    path.write_text(json.dumps({**manifest, "format": "something-else"}))
    with pytest.raises(IndexFormatError, match="is not a dipsearch index"):
        IndexStore.open(tmp_path / "idx")
    path.write_text("{broken")  # damaged, not foreign: it opens from SQLite, saying what is wrong (tests/test_recovery.py)
    store = IndexStore.open(tmp_path / "idx")
    assert store.manifest is None and "manifest.json is damaged" in store.manifest_problem
    store.close()


def test_unknown_migration_and_damaged_database_are_refused(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", _docs(), fake_embedder)
    store.close()
    conn = sqlite3.connect(tmp_path / "idx" / "dipsearch.sqlite")
    conn.execute("INSERT INTO _migrations(name) VALUES ('9999_from_the_future')")
    conn.commit()
    conn.close()
    with pytest.raises(IndexFormatError, match="written by a newer dipsearch \\(schema 9999_from_the_future\\); upgrade dipsearch"):
        IndexStore.open(tmp_path / "idx")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "dipsearch.sqlite").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(IndexFormatError, match="is not a readable dipsearch database"):
        IndexStore.open(tmp_path / "bad")


def test_other_model_is_refused(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", _docs(), fake_embedder)
    other = FakeEmbedder(checksum="0" * 64)
    message = "this index was built with model fake-hash-embedder \\(sha256 ffffffffffff…, 64 dimensions\\) but the model given is fake-hash-embedder \\(sha256 000000000000…"
    with pytest.raises(ModelMismatch, match=message):
        Ingestor(store, other)
    with pytest.raises(ModelMismatch, match="or build a new index with index NEW_DIR"):
        search(store, other, SearchRequest("river", mode="dense"))
    with pytest.raises(ModelMismatch):
        search(store, FakeEmbedder(dimension=32), SearchRequest("river", mode="hybrid"))
    # Lexical search needs no model at all.
    assert [h.doc_id for h in search(store, None, SearchRequest("trawler", mode="lexical")).results] == ["fish"]
    assert store.model_info()["checksum"] == "f" * 64


def _commit_without_saving(store, docs, embedder):
    """What a crash after a batch commit leaves: SQLite ahead of the vector file and manifest."""
    ingestor = Ingestor(store, embedder)
    for doc in docs:
        ingestor.add(doc)
    ingestor.flush()
    store.close()


def test_stale_vector_file_is_rebuilt_from_sqlite(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", _docs()[:2], fake_embedder)
    store.close()
    _commit_without_saving(IndexStore.open(tmp_path / "idx"), [_docs()[2]], fake_embedder)
    store = IndexStore.open(tmp_path / "idx")
    assert store.manifest["generation"] < store.db.generation() and store.stats()["vectors_current"] is False
    assert _vector_ids(store) == _passage_ids(store) and store.rebuilt_vectors
    assert search(store, fake_embedder, SearchRequest("dam energy minister", mode="dense")).results[0].doc_id == "dam"
    store.save()
    assert store.stats()["vectors_current"] is True
    assert [p.name for p in (tmp_path / "idx").glob("vectors-*")] == [f"vectors-{store.db.generation()}.faiss"]


@pytest.mark.parametrize("damage", ["delete", "garbage", "wrong_size"])
def test_missing_or_damaged_vector_file_is_rebuilt(tmp_path, fake_embedder, damage):
    store, _ = build(tmp_path / "idx", _docs(), fake_embedder)
    vector_file = tmp_path / "idx" / store.manifest["vectors_file"]
    store.close()
    if damage == "delete":
        vector_file.unlink()
    elif damage == "garbage":
        vector_file.write_bytes(b"garbage" * 10)
    else:  # a vector file from another state of the index (fewer vectors than passages)
        small, _ = build(tmp_path / "small", _docs()[:1], fake_embedder)
        vector_file.write_bytes((tmp_path / "small" / small.manifest["vectors_file"]).read_bytes())
    store = IndexStore.open(tmp_path / "idx")
    assert _vector_ids(store) == _passage_ids(store) and store.rebuilt_vectors
    assert search(store, fake_embedder, SearchRequest("trawler catches", mode="dense")).results[0].doc_id == "fish"


def test_stats(tmp_path, fake_embedder):
    docs = [raw("river", RIVER, source="Arden MFA", date="2020-01-02"), raw("fish", FISH, source="Arden MFA", date="2021-05-06"), raw("dam", DAM)]
    store, _ = build(tmp_path / "idx", docs, fake_embedder)
    stats = store.stats()
    assert {k: stats[k] for k in ("documents", "passages", "model", "dimension", "index_type", "format_version", "undated", "vectors_current")} == {
        "documents": 3, "passages": 3, "model": "fake-hash-embedder", "dimension": 64, "index_type": "flat",
        "format_version": 1, "undated": 1, "vectors_current": True}
    assert stats["sources"] == {"Arden MFA": 2, "unknown": 1}
    assert stats["date_range"] == ["2020-01-02", "2021-05-06"]


def test_index_folder_that_cannot_be_created(tmp_path):
    from index.errors import IndexLocationError

    (tmp_path / "afile").write_text("x")
    with pytest.raises(IndexLocationError, match="cannot create the index folder .*afile \\(File exists\\); pick another index$"):
        IndexStore.open(tmp_path / "afile", create=True)
    with pytest.raises(IndexLocationError, match="\\(Not a directory\\)"):
        IndexStore.open(tmp_path / "afile" / "sub", create=True)


def test_save_clears_files_left_by_a_killed_writer(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", _docs(), fake_embedder)
    leftovers = [tmp_path / "idx" / "manifest.json.abc123.tmp", tmp_path / "idx" / "vectors-99.faiss.tmp", tmp_path / "idx" / "vectors-0.faiss"]
    for path in leftovers:
        path.write_text("half")
    store.save()
    assert sorted(p.name for p in (tmp_path / "idx").iterdir() if not p.name.startswith("dipsearch.sqlite")) == [
        "manifest.json", store.manifest["vectors_file"], "writer.lock"]


def test_model_loading_errors_are_named(tmp_path, monkeypatch):
    """Checked before any model code runs, so these stay fast."""
    import index.embedding.registry as registry
    from index.embedding import load
    from index.errors import ModelError

    with pytest.raises(ModelError, match="^model .*nowhere: no such folder; pass a local sentence-transformers model folder"):
        load(tmp_path / "nowhere")
    (tmp_path / "empty-model").mkdir()
    with pytest.raises(ModelError, match="is not a sentence-transformers model folder \\(no modules.json or config.json\\)"):
        load(tmp_path / "empty-model")
    (tmp_path / "empty-model" / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="has no weights \\(model.safetensors or pytorch_model.bin\\)"):
        load(tmp_path / "empty-model")
    monkeypatch.setattr(registry, "BUNDLED_MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="the bundled model's weights have sha256 53aa51172d14.*expected 0000.*reinstall it"):
        load(backend="torch")  # onnx would refuse it the same way, after memoising the checksum in the user's cache


def test_document_changed_into_a_copy_of_another_loses_its_old_text(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", [raw("river", RIVER), raw("fish", FISH)], fake_embedder)
    store.close()
    store, report = build(tmp_path / "idx", [raw("river", RIVER), raw("fish", RIVER)], fake_embedder)
    assert report.duplicates == [("fish", "river")]
    assert passages_by_doc(store) == {"river": [RIVER]}  # FISH is in no input any more
    assert _vector_ids(store) == _passage_ids(store)
    assert search(store, fake_embedder, SearchRequest("trawler", mode="lexical")).results == []


def test_manifest_gets_the_mode_of_an_ordinary_file(tmp_path):
    import os
    import stat

    from index.manifest import write_json_atomic

    old = os.umask(0o022)
    try:
        write_json_atomic(tmp_path / "manifest.json", {"a": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "manifest.json").stat().st_mode) == 0o644
