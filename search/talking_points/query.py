"""Reading talking points: filter members by document metadata and topic, count spread, rank."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from search.filters import Filters
from search.talking_points import store as tp_store
from search.talking_points.errors import TalkingPointsError
from search.talking_points.options import TalkingPointOptions
from search.talking_points.refresh import refresh_talking_points
from search.talking_points.sentences import content_stems

QUERY_COSINE = 0.4  # a cluster is on the topic of --query when its representative is this close to it


@dataclass
class Member:
    passage_id: int
    doc_id: str
    title: str | None
    source: str | None
    speaker: str | None
    date: str | None
    sentence: str
    similarity: float  # cosine to the representative wording


@dataclass
class Cluster:
    cluster_id: int
    representative: str
    n_documents: int
    n_sources: int
    n_wordings: int
    first_seen: str | None
    last_seen: str | None
    members: list[Member] = field(default_factory=list)
    rank: int = 0

    @property
    def documents(self) -> list[str]:
        return sorted({m.doc_id for m in self.members})

    def as_dict(self) -> dict:
        data = asdict(self)
        data["documents"] = self.documents
        return data


def ensure_talking_points(store, embedder, options: TalkingPointOptions | None = None):
    """Refresh the stored clusters when the index changed since they were computed (or options differ)."""
    options = options or TalkingPointOptions()
    if tp_store.is_fresh(store.db, options.to_json()):
        return None
    if embedder is None:
        if tp_store.has_clusters(store.db):
            return None  # stale but usable; the caller chose not to load a model
        raise TalkingPointsError("no talking points computed for this index yet; run `dipsearch talking-points` (it loads the model)")
    from index.errors import IndexBusy, IndexLocationError

    try:
        return refresh_talking_points(store, embedder, options)
    except (IndexBusy, IndexLocationError):
        if tp_store.has_clusters(store.db):
            return None  # another process is writing (or the index is read-only): the stored clusters still serve
        raise


def find_talking_points(store, embedder, filters: Filters | None = None, query: str | None = None, min_docs: int = 2,
                        limit: int = 20, options: TalkingPointOptions | None = None, refresh: bool = True) -> list[Cluster]:
    """Clusters of reused wording spanning at least `min_docs` documents after `filters`, on the topic
    of `query` if given, ranked by spread (documents, then sources, then time span)."""
    if min_docs < 2:
        raise TalkingPointsError(f"--min-docs {min_docs}: a talking point spans at least 2 documents")
    if limit < 1:
        raise TalkingPointsError(f"--limit {limit} must be at least 1")
    filters = filters or Filters()
    if refresh:
        ensure_talking_points(store, embedder, options)
    where, params = filters.sql()
    clusters: dict[int, Cluster] = {}
    for row in tp_store.cluster_members(store.db, where, params):
        c = clusters.get(row["cluster_id"])
        if c is None:
            c = clusters[row["cluster_id"]] = Cluster(row["cluster_id"], "", 0, 0, 0, None, None)
        c.members.append(Member(row["passage_id"], row["doc_id"], row["title"], row["source"], row["speaker"], row["date"],
                                row["sentence"], round(float(row["similarity"]), 4)))
    kept = [c for c in clusters.values() if len({m.doc_id for m in c.members}) >= min_docs]
    reps = tp_store.representatives(store.db, [c.cluster_id for c in kept])
    for c in kept:
        c.representative = reps[c.cluster_id][0]
        _summarise(c)
    if query and query.strip():
        kept = _on_topic(kept, reps, query, embedder)
    kept.sort(key=_spread_key)
    for rank, c in enumerate(kept[:limit], start=1):
        c.rank = rank
    return kept[:limit]


def _summarise(c: Cluster) -> None:
    dates = sorted(m.date for m in c.members if m.date)
    c.n_documents = len({m.doc_id for m in c.members})
    c.n_sources = len({m.source or "unknown" for m in c.members})
    c.n_wordings = len({m.sentence.lower() for m in c.members})
    c.first_seen, c.last_seen = (dates[0], dates[-1]) if dates else (None, None)


def _spread_key(c: Cluster):
    span = 0
    if c.first_seen and c.last_seen:
        from datetime import date

        span = (date.fromisoformat(c.last_seen) - date.fromisoformat(c.first_seen)).days
    return (-c.n_documents, -c.n_sources, -span, -len(c.members), c.cluster_id)


def _on_topic(clusters: list[Cluster], reps: dict, query: str, embedder) -> list[Cluster]:
    wanted = content_stems(query)
    qv = embedder.embed([query])[0] if embedder is not None else None
    out = []
    for c in clusters:
        lexical = bool(wanted) and any(wanted <= content_stems(m.sentence) for m in c.members)
        semantic = qv is not None and float(np.frombuffer(reps[c.cluster_id][1], dtype=np.float32) @ qv) >= QUERY_COSINE
        if lexical or semantic:
            out.append(c)
    return out
