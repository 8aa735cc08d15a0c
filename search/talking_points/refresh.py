"""Bring an index's talking points up to date: embed only new sentences, then recluster.

Sentence vectors are stored once per distinct wording, so a refresh after an ingest embeds only
the wordings that are new; pairs are then found again over all wordings (FAISS + the n-gram
index, seconds to a minute at 100k passages) and the clusters replaced in one transaction.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import search.talking_points.store as tp_store
from search.talking_points.clustering import find_edges, medoid, star_clusters
from search.talking_points.errors import TalkingPointsError
from search.talking_points.migrations import ensure_schema
from search.talking_points.options import TalkingPointOptions
from search.talking_points.sentences import passage_sentences

MEDOID_UP_TO = 3000  # larger clusters keep their star centre as representative


@dataclass
class RefreshReport:
    sentences_added: int = 0
    wordings_embedded: int = 0
    wordings: int = 0
    edges: int = 0
    clusters: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: bool = False  # already fresh

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def refresh_talking_points(store, embedder, options: TalkingPointOptions | None = None, force: bool = False,
                           progress: Callable[[str, int], None] | None = None) -> RefreshReport:
    """Update sentences, vectors and clusters of `store` unless they already match its generation and `options`."""
    options = options or TalkingPointOptions()
    options.validate()
    db = store.db
    report = RefreshReport()
    if not force and tp_store.is_fresh(db, options.to_json()):
        report.skipped = True
        return report
    if embedder is None and not options.lexical_only:
        raise TalkingPointsError("talking points must be recomputed and that needs the embedding model; load the model, or run `dipsearch talking-points` once")
    if options.lexical_only:
        embedder = None  # shingle containment alone: nothing is embedded
    else:
        store.check_model(embedder)
    ensure_schema(db.conn)
    with store.writing("talking-points"):  # one writer at a time (index/lock.py)
        return _recompute(store, embedder, options, force, progress)


def _recompute(store, embedder, options: TalkingPointOptions, force: bool, progress=None) -> RefreshReport:
    db = store.db
    report = RefreshReport()
    if not force and tp_store.is_fresh(db, options.to_json()):  # another writer refreshed them while this one waited
        report.skipped = True
        return report
    generation = db.generation()
    t0 = time.perf_counter()
    if not tp_store.tokens_current(db):  # split with another tokenizer (an index from before CJK characters were tokens)
        with db.transaction():
            tp_store.forget_sentences(db)
    _add_new_sentences(store, embedder, report, progress)
    with db.transaction():
        tp_store.drop_orphan_texts(db)
    if embedder is not None:
        _embed_lexical_only_wordings(db, embedder, report)
    t1 = time.perf_counter()
    clusters = _cluster(db, embedder.dimension if embedder is not None else 0, options, report)
    t2 = time.perf_counter()
    with db.transaction():
        tp_store.replace_clusters(db, clusters, generation, options.to_json())
        tp_store.mark_tokens_current(db)
    report.clusters = len(clusters)
    report.seconds = {"sentences": round(t1 - t0, 3), "clustering": round(t2 - t1, 3), "storing": round(time.perf_counter() - t2, 3)}
    return report


def _add_new_sentences(store, embedder, report: RefreshReport, progress) -> None:
    db = store.db
    from index.passage_queries import roles_of

    for batch in tp_store.unsplit_passages(db):
        roles = roles_of(db.conn, [pid for pid, _ in batch])
        split = [pid for pid, _ in batch]  # every passage of the batch is marked split, questions too
        batch = [(pid, text) for pid, text in batch if roles.get(pid) != "question"]  # attribution knows the questions
        unsure = [pid for pid, _ in batch if roles.get(pid) in (None, "mixed")]  # stored before attribution: ask the turn parser
        questions = _question_spans(db, unsure) if unsure else {}
        sentences = [s for pid, text in batch for s in passage_sentences(pid, text) if not _inside(questions.get(pid, ()), s)]
        known = tp_store.known_wordings(db, list({s.key for s in sentences}))
        new_texts = {}
        for s in sentences:
            if s.key not in known and s.key not in new_texts:
                new_texts[s.key] = s
        if embedder is None:  # lexical only: wordings are stored without a vector (a later run with the model adds them)
            vectors = [b""] * len(new_texts)
        else:
            vectors = embedder.embed([s.text for s in new_texts.values()]) if new_texts else np.zeros((0, embedder.dimension), np.float32)
        with db.transaction():
            tp_store.add_sentences(db, split, sentences, new_texts, vectors)
        report.sentences_added += len(sentences)
        report.wordings_embedded += len(new_texts)
        if progress:
            progress("passages", len(split))


def _embed_lexical_only_wordings(db, embedder, report: RefreshReport, batch: int = 2000) -> None:
    """Vectors for the wordings a lexical-only run stored without one."""
    todo = tp_store.texts_without_vectors(db)
    for start in range(0, len(todo), batch):
        part = todo[start : start + batch]
        vectors = embedder.embed([t for _, t in part])
        with db.transaction():
            tp_store.set_vectors(db, [i for i, _ in part], vectors)
        report.wordings_embedded += len(part)


def _question_spans(db, passage_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """passage id -> spans (in the passage's own characters) of journalists' questions, from the transcript turn parser:
    a question is not a talking point of the speaker's. Only for passages attribution has not read (role NULL, or
    'mixed': stored before attribution, running across turns); an attributed passage's role says it whole."""
    from index.passage_queries import documents_with_text, passage_views
    from search.formulas.prepare import left_out_spans

    views = passage_views(db.conn, passage_ids)
    spans_of = {r["doc_id"]: left_out_spans(r["text"], r["speaker"]) for r in documents_with_text(db.conn, sorted({v.doc_id for v in views.values()}))}
    out: dict[int, list[tuple[int, int]]] = {}
    for pid, v in views.items():
        spans = [(lo - v.char_start, hi - v.char_start) for lo, hi in spans_of.get(v.doc_id, ()) if lo < v.char_end and hi > v.char_start]
        if spans:
            out[pid] = spans
    return out


def _inside(spans, sentence) -> bool:
    return any(lo <= sentence.char_start and sentence.char_end <= hi for lo, hi in spans)


def _cluster(db, dimension: int, options: TalkingPointOptions, report: RefreshReport) -> list[tuple[int, list[tuple[int, float]]]]:
    ids, texts, vectors = tp_store.load_texts(db, options.min_words, dimension)
    report.wordings = len(ids)
    if len(ids) == 0:
        return []
    position = {int(t): i for i, t in enumerate(ids.tolist())}
    docs: list[set[str]] = [set() for _ in ids]
    uses = np.zeros(len(ids), dtype=np.float64)
    doc_number: dict[str, int] = {}
    for text_id, doc_id in tp_store.occurrences(db):
        i = position.get(text_id)
        if i is not None:
            docs[i].add(doc_id)
            uses[i] += 1
    single_doc = np.array([doc_number.setdefault(next(iter(d)), len(doc_number)) if len(d) == 1 else -1 for d in docs], dtype=np.int64)
    edges = find_edges(texts, vectors, single_doc, options)
    report.edges = len(edges.a)
    lexical_sim = dict(zip(zip(edges.a.tolist(), edges.b.tolist()), edges.containment.tolist())) if vectors.shape[1] == 0 else {}
    out = []
    for members in star_clusters(len(ids), edges, uses):
        spread = set().union(*(docs[m] for m in members))
        if len(spread) < 2:
            continue
        if vectors.shape[1] == 0:  # lexical only: the star's centre, each member's containment with it
            best, sims = 0, [1.0] + [lexical_sim.get((min(members[0], m), max(members[0], m)), 0.0) for m in members[1:]]
        elif len(members) <= MEDOID_UP_TO:
            best, sims = medoid(vectors[members], uses[members])
        else:
            best, sims = 0, vectors[members] @ vectors[members[0]]
        out.append((int(ids[members[best]]), [(int(ids[m]), float(s)) for m, s in zip(members, sims)]))
    return out


def refresh_after_ingest(store, embedder, compute: bool = False, progress: Callable[[str, int], None] | None = None) -> RefreshReport | None:
    """After an ingest: refresh talking points if the index has them (with their stored options), or if `compute`."""
    _, stored = tp_store.state(store.db)
    if stored is None and not compute:
        return None
    return refresh_talking_points(store, embedder, TalkingPointOptions.from_json(stored) or TalkingPointOptions(), progress=progress)
