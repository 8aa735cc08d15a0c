"""SQLite storage of talking points: sentences, distinct wordings with vectors, clusters."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from index import passage_queries
from index.batches import in_batches
from search.talking_points.migrations import has_tables
from search.talking_points.sentences import Sentence
from search.tokenizer import TOKENIZER

GENERATION_KEY = "talking_points.generation"
OPTIONS_KEY = "talking_points.options"
TOKENS_KEY = "talking_points.tokens"  # the tokenizer version the stored sentences were split with


def state(db) -> tuple[int | None, str | None]:
    """(index generation the clusters were computed at, options JSON), or (None, None) if never."""
    gen = db.get_setting(GENERATION_KEY)
    return (int(gen) if gen is not None else None), db.get_setting(OPTIONS_KEY)


def is_fresh(db, options_json: str) -> bool:
    generation, stored = state(db)
    return generation == db.generation() and stored == options_json and tokens_current(db)


def tokens_current(db) -> bool:
    """Whether the stored sentences were split and keyed with today's tokenizer."""
    return db.get_setting(TOKENS_KEY) == TOKENIZER.version


def forget_sentences(db) -> None:
    """Mark every passage unsplit (the tokenizer changed); wordings stay, so those whose key is unchanged are not
    embedded again, and the rest become orphans. Call inside a transaction."""
    db.conn.execute("DELETE FROM tp_sentences")
    db.conn.execute("DELETE FROM tp_passages")


def mark_tokens_current(db) -> None:
    db.set_setting(TOKENS_KEY, TOKENIZER.version)


def has_clusters(db) -> bool:
    return db.get_setting(GENERATION_KEY) is not None


def unsplit_passages(db, batch: int = 2000) -> Iterator[list[tuple[int, str]]]:
    """Batches of (passage id, text) not yet split into sentences, by passage id."""
    done = {r[0] for r in db.conn.execute("SELECT passage_id FROM tp_passages")}
    todo = [pid for pid in passage_queries.all_passage_ids(db.conn) if pid not in done]
    for start in range(0, len(todo), batch):
        ids = todo[start : start + batch]
        views = passage_queries.passage_views(db.conn, ids)
        yield [(pid, views[pid].text) for pid in ids if pid in views]


def known_wordings(db, keys: Sequence[str]) -> dict[str, int]:
    found = {}
    for chunk, marks in in_batches(keys):
        found.update({r[0]: r[1] for r in db.conn.execute(f"SELECT wording_key, text_id FROM tp_texts WHERE wording_key IN ({marks})", chunk)})
    return found


def add_sentences(db, passage_ids: Sequence[int], sentences: Sequence[Sentence], new_texts: dict[str, Sentence], vectors: np.ndarray) -> None:
    """Store new wordings with their vectors, then every sentence occurrence. Call inside a transaction."""
    conn = db.conn
    conn.executemany("INSERT INTO tp_texts(wording_key, text, n_words, vector) VALUES (?,?,?,?)",
                     [(key, sentence.text, sentence.n_words, vector if isinstance(vector, bytes) else np.asarray(vector, dtype=np.float32).tobytes())
                      for (key, sentence), vector in zip(new_texts.items(), vectors)])  # b"": stored by a lexical-only run
    ids = known_wordings(db, list({s.key for s in sentences}))
    conn.executemany("INSERT INTO tp_sentences(passage_id, text_id, char_start, char_end) VALUES (?,?,?,?)",
                     [(s.passage_id, ids[s.key], s.char_start, s.char_end) for s in sentences])
    conn.executemany("INSERT OR IGNORE INTO tp_passages(passage_id) VALUES (?)", [(p,) for p in passage_ids])


def texts_without_vectors(db) -> list[tuple[int, str]]:
    """(text id, wording) of the wordings stored by a lexical-only run (no vector yet)."""
    return db.conn.execute("SELECT text_id, text FROM tp_texts WHERE length(vector) = 0 ORDER BY text_id").fetchall()


def set_vectors(db, text_ids, vectors: np.ndarray) -> None:
    """Call inside a transaction."""
    db.conn.executemany("UPDATE tp_texts SET vector = ? WHERE text_id = ?",
                        [(np.asarray(v, dtype=np.float32).tobytes(), int(t)) for t, v in zip(text_ids, vectors)])


def drop_orphan_texts(db) -> int:
    """Wordings no sentence uses any more (their passages were removed). Call inside a transaction."""
    cur = db.conn.execute("DELETE FROM tp_texts WHERE text_id NOT IN (SELECT text_id FROM tp_sentences)")
    return cur.rowcount


def load_texts(db, min_words: int, dimension: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """(text ids, wordings, vectors) of the wordings with at least `min_words` content words (dimension 0: no vectors)."""
    if dimension == 0:
        rows = db.conn.execute("SELECT text_id, text FROM tp_texts WHERE n_words >= ? ORDER BY text_id", (min_words,)).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)), [r[1] for r in rows], np.zeros((len(rows), 0), np.float32)
    rows = db.conn.execute("SELECT text_id, text, vector FROM tp_texts WHERE n_words >= ? ORDER BY text_id", (min_words,)).fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(len(rows), dimension) if rows else np.zeros((0, dimension), np.float32)
    return ids, [r[1] for r in rows], vectors


def occurrences(db) -> Iterator[tuple[int, str]]:
    """(text id, document id) of every sentence occurrence."""
    doc_of = passage_queries.doc_id_by_passage(db.conn)
    for text_id, passage_id in db.conn.execute("SELECT text_id, passage_id FROM tp_sentences"):
        doc_id = doc_of.get(passage_id)
        if doc_id is not None:
            yield text_id, doc_id


def replace_clusters(db, clusters: Sequence[tuple[int, Sequence[tuple[int, float]]]], generation: int, options_json: str) -> None:
    """clusters: (representative text id, [(text id, similarity to it)]). Call inside a transaction."""
    conn = db.conn
    conn.execute("DELETE FROM tp_cluster_texts")
    conn.execute("DELETE FROM tp_clusters")
    for cluster_id, (rep, members) in enumerate(clusters, start=1):
        conn.execute("INSERT INTO tp_clusters(cluster_id, representative_text_id, n_texts) VALUES (?,?,?)", (cluster_id, rep, len(members)))
        conn.executemany("INSERT INTO tp_cluster_texts(cluster_id, text_id, similarity) VALUES (?,?,?)",
                         [(cluster_id, t, float(s)) for t, s in members])
    db.set_setting(GENERATION_KEY, str(generation))
    db.set_setting(OPTIONS_KEY, options_json)


@dataclass(frozen=True)
class MemberRow:
    """One sentence of a cluster, where it stands in its passage."""

    cluster_id: int
    similarity: float  # of its wording to the cluster's representative
    sentence_id: int
    passage_id: int
    text_id: int
    char_start: int
    char_end: int


def cluster_members(db, passage_ids=None) -> list[MemberRow]:
    """Every member sentence of every cluster, by cluster and sentence id; only those of `passage_ids` when given."""
    rows = db.conn.execute("""SELECT ct.cluster_id, ct.similarity, s.sentence_id, s.passage_id, s.text_id, s.char_start, s.char_end
                              FROM tp_cluster_texts ct JOIN tp_sentences s ON s.text_id = ct.text_id
                              ORDER BY ct.cluster_id, s.sentence_id""")
    wanted = None if passage_ids is None else set(passage_ids)
    return [MemberRow(*r) for r in rows if wanted is None or r[3] in wanted]


def cluster_passages(db, cluster_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(cluster id, passage id) of every sentence of the given clusters."""
    out = []
    for chunk, marks in in_batches(cluster_ids):
        out += [(r[0], r[1]) for r in db.conn.execute(
            f"""SELECT ct.cluster_id, s.passage_id FROM tp_cluster_texts ct JOIN tp_sentences s ON s.text_id = ct.text_id
                WHERE ct.cluster_id IN ({marks})""", chunk)]
    return out


def representatives(db, cluster_ids: Sequence[int]) -> dict[int, tuple[str, bytes]]:
    out = {}
    for chunk, marks in in_batches(cluster_ids):
        for r in db.conn.execute(f"""SELECT c.cluster_id, t.text, t.vector FROM tp_clusters c JOIN tp_texts t ON t.text_id = c.representative_text_id
                                    WHERE c.cluster_id IN ({marks})""", chunk):
            out[r[0]] = (r[1], r[2])
    return out


def clusters_of_passages(db, passage_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(passage id, cluster id) for the given passages' sentences that belong to a cluster."""
    out = []
    if not has_tables(db.conn):
        return []  # an index never asked for talking points (search does not create their tables)
    for chunk, marks in in_batches(passage_ids):
        out += [(r[0], r[1]) for r in db.conn.execute(
            f"""SELECT DISTINCT s.passage_id, ct.cluster_id FROM tp_sentences s JOIN tp_cluster_texts ct ON ct.text_id = s.text_id
                WHERE s.passage_id IN ({marks})""", chunk)]
    return out
