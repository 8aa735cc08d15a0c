"""Features own their tables: an index written by the previous main upgrades in place, a fresh one gets the same schema.

"The previous main" is frozen in tests/fixtures/main_migrations.py, a verbatim copy of its index/migrations.py,
which created the talking-point and evaluation tables itself. The old index is written with that module in
place of the core migrations; then today's code opens it, searches it, reads its talking points and its
evaluation set, and its schema is compared with that of an index made from scratch today.
"""
from __future__ import annotations

import re
import sqlite3

import pytest

from index import database
from index.store import IndexStore
from search.engine import SearchRequest, search
from search.evaluation import judging, sets
from search.evaluation.errors import EvalSetError
from search.evaluation.exporting import trec_lines
from search.evaluation.pool import pool
from search.talking_points import find_talking_points, refresh_talking_points
from search.talking_points.errors import TalkingPointsError
from tests.builders import build, raw
from tests.fakes import FakeEmbedder
from tests.fixtures import main_migrations

FORMULA = "Both governments must respect the sovereignty of every riparian state and refrain from interference in their domestic affairs."
DOCS = [
    raw("vel-2019", f"{FORMULA} The delegation toured the harbour museum in the capital.", title="Press briefing",
        source="Velorian Foreign Ministry", date="2019-03-04", speaker="Anna Berg", lang="en"),
    raw("kes-2019", f"Speaking after the talks, the chancellor said: {FORMULA}\n\nGrain shipments resumed along the eastern canal.",
        title="Joint statement", source="Kestrand State Chancellery", date="2019-09-20", lang="en"),
    raw("tor-2021", "Osland will raise tariffs on imported steel next month, the trade minister announced.",
        source="Torvane News Agency", date="2021-01-15", lang="en"),
]
QUERIES = ("sovereignty of every riparian state", "steel tariffs", "grain shipments canal")
OLD_NAMES = {"0001_documents_passages", "0002_talking_points", "0003_evaluation_sets", "0004_cjk_lexical"}
NOW_NAMES = OLD_NAMES | {"0005_passage_attribution"}  # what today's code adds on opening


def _old_replace_passages(self, doc_id, passages, vectors):
    """The previous main's passage writer: no attribution columns."""
    removed = self.passage_ids(doc_id)
    self.conn.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
    new_ids = []
    for p, vector in zip(passages, vectors):
        new_ids.append(self.conn.execute(
            "INSERT INTO passages(doc_id, ordinal, char_start, char_end, n_tokens, text, vector) VALUES (?,?,?,?,?,?,?)",
            (doc_id, p.ordinal, p.char_start, p.char_end, p.n_tokens, p.text, vector.astype("float32").tobytes())).lastrowid)
    return removed, new_ids


def _as_previous_main(monkeypatch) -> None:
    """New databases get exactly the tables and `_migrations` rows the previous main wrote."""
    monkeypatch.setattr(database, "apply_migrations", lambda conn: main_migrations.apply_migrations(conn))
    monkeypatch.setattr(database, "unknown_migrations",
                        lambda conn: {r[0] for r in conn.execute("SELECT name FROM _migrations")} - main_migrations.known_migrations())
    monkeypatch.setattr(database.Database, "replace_passages", _old_replace_passages)


def _fill(store, embedder) -> None:
    """Use every feature once: talking points computed, an evaluation set pooled and one candidate judged."""
    refresh_talking_points(store, embedder)
    pool(store, None, "old-set", [("q1", "steel tariffs"), ("q2", "riparian sovereignty")], depth=5, modes=["lexical"])
    first = judging.next_candidate(store, "old-set")
    judging.record_judgment(store, "old-set", first.candidate_id, 2)


def _observed(store, embedder) -> dict:
    """What a user sees of the index: results of each mode, talking points, the evaluation set."""
    results = {(q, mode): [h.as_dict() for h in search(store, embedder, SearchRequest(q, mode=mode)).results]
               for q in QUERIES for mode in ("lexical", "dense", "hybrid")}
    folded = search(store, embedder, SearchRequest("riparian sovereignty", mode="lexical"), fold=True)
    summary = {k: v for k, v in sets.summary(store.db.conn, "old-set").items() if k != "created_at"}
    return {"results": results, "folded": [h.as_dict() for h in folded.results],
            "talking_points": [c.as_dict() for c in find_talking_points(store, embedder)],
            "sets": sets.set_names(store.db.conn), "summary": summary, "trec": trec_lines(store, "old-set"),
            "next": judging.next_candidate(store, "old-set").as_dict()}


def _schema(store) -> set[tuple[str, str, str]]:
    """(type, name, sql with whitespace normalised) of every table, index and trigger."""
    rows = store.db.conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    return {(t, n, re.sub(r"\s+", " ", sql).strip()) for t, n, sql in rows}


def _migration_names(store) -> set[str]:
    return {r[0] for r in store.db.conn.execute("SELECT name FROM _migrations")}


@pytest.fixture
def old_index(tmp_path, monkeypatch):
    """(folder, what it showed) of an index written with the previous main's schema. Today's passage reader needs the
    attribution columns, so its features are first used (and what it shows observed) once today's code upgraded it."""
    embedder = FakeEmbedder()
    with monkeypatch.context() as patch:
        _as_previous_main(patch)
        store, _ = build(tmp_path / "old", DOCS, embedder)
        assert _migration_names(store) == OLD_NAMES  # the previous main's migrations, under their names
        assert {"tp_clusters", "evalsets", "eval_judgments"} <= {n for _, n, _ in _schema(store)}
        store.close()
    store = IndexStore.open(tmp_path / "old")
    assert _migration_names(store) == NOW_NAMES
    _fill(store, embedder)
    before = _observed(store, embedder)
    store.close()
    return tmp_path / "old", before


def test_an_index_of_the_previous_main_opens_searches_and_keeps_its_talking_points_and_sets(old_index):
    folder, before = old_index
    embedder = FakeEmbedder()
    store = IndexStore.open(folder)
    assert _migration_names(store) == NOW_NAMES  # already up to date: nothing re-run, nothing renamed
    assert before["results"][("steel tariffs", "lexical")][0]["doc_id"] == "tor-2021"
    assert before["talking_points"] and before["summary"]["judged"] == 1
    assert _observed(store, embedder) == before
    # It keeps working: a new document is searched and joins the talking point on the next refresh.
    build(folder, [raw("ost-2022", f"The envoy repeated that {FORMULA[0].lower()}{FORMULA[1:]}", date="2022-02-02")], embedder)
    refresh_talking_points(store, embedder)
    assert "ost-2022" in find_talking_points(store, embedder)[0].documents
    assert _migration_names(store) == NOW_NAMES


def test_a_fresh_index_gets_the_same_tables_as_the_previous_main_wrote(old_index, tmp_path):
    folder, _ = old_index
    embedder = FakeEmbedder()
    old = IndexStore.open(folder)
    fresh, _ = build(tmp_path / "fresh", DOCS, embedder)
    assert _migration_names(fresh) == {"0001_documents_passages", "0004_cjk_lexical", "0005_passage_attribution"}  # features add theirs when first used
    _fill(fresh, embedder)
    assert _migration_names(fresh) == NOW_NAMES
    assert _schema(fresh) == _schema(old)


def test_search_on_a_fresh_index_creates_no_feature_tables(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS, fake_embedder)
    response = search(store, fake_embedder, SearchRequest("steel tariffs"), fold=True)
    assert [h.doc_id for h in response.results][:1] == ["tor-2021"] and response.results[0].talking_point is None
    assert not {n for _, n, _ in _schema(store)} & {"tp_clusters", "evalsets"}
    assert sets.set_names(store.db.conn) == []  # evaluation opens (creates) its tables when first asked
    assert "0003_evaluation_sets" in _migration_names(store) and "0002_talking_points" not in _migration_names(store)


def test_a_feature_migration_inside_a_transaction_commits_and_rolls_back_with_it(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS, fake_embedder)
    with pytest.raises(RuntimeError):
        with store.db.transaction() as conn:
            sets.create_set(conn, "s", "pooled")
            raise RuntimeError("interrupted")
    assert "0003_evaluation_sets" not in _migration_names(store)
    assert "evalsets" not in {n for _, n, _ in _schema(store)}
    with store.db.transaction() as conn:
        sets.create_set(conn, "s", "pooled")
    assert sets.set_names(store.db.conn) == ["s"] and "0003_evaluation_sets" in _migration_names(store)


def test_feature_tables_from_a_newer_dipsearch_are_refused_by_the_feature_only(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS, fake_embedder)
    refresh_talking_points(store, fake_embedder)
    sets.set_names(store.db.conn)
    with store.db.transaction() as conn:
        conn.execute("INSERT INTO _migrations(name) VALUES ('talking_points:0099_from_the_future')")
        conn.execute("INSERT INTO _migrations(name) VALUES ('evaluation:0099_from_the_future')")
    store.close()
    store = IndexStore.open(tmp_path / "idx")  # the core tables are readable: search still works
    assert search(store, fake_embedder, SearchRequest("steel tariffs", mode="lexical")).results[0].doc_id == "tor-2021"
    with pytest.raises(TalkingPointsError, match="newer dipsearch .*talking_points:0099_from_the_future"):
        find_talking_points(store, fake_embedder)
    with pytest.raises(EvalSetError, match="newer dipsearch .*evaluation:0099_from_the_future"):
        sets.set_names(store.db.conn)


def test_the_vendored_migrations_are_those_of_the_previous_main(tmp_path):
    """The fixture holds what main created: the four migrations, all feature tables among them."""
    conn = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None)
    from index.sql_functions import register_functions

    register_functions(conn)
    assert main_migrations.apply_migrations(conn) == sorted(OLD_NAMES)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "passages", "tp_passages", "tp_texts", "tp_sentences", "tp_clusters", "tp_cluster_texts",
            "evalsets", "eval_queries", "eval_candidates", "eval_judgments"} <= tables
