"""Reading talking points: filter members by document metadata and topic, count spread, rank."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from index.embedding.protocol import embed_queries
from index.passage_queries import passage_ids_matching, passage_views
from index.passage_view import CITATION_FIELDS, CarriesPassage, PassageView
from search.filters import Filters
import search.talking_points.store as tp_store
from search.talking_points.errors import TalkingPointsError
from search.talking_points.migrations import ensure_schema
from search.talking_points.options import TalkingPointOptions
from search.talking_points.refresh import refresh_talking_points
from search.talking_points.sentences import content_stems, normalise

QUERY_COSINE = 0.4  # a cluster is on the topic of --query when its representative is this close to it


@dataclass
class Member(CarriesPassage):
    """A sentence of a talking point in its passage (member.doc_id, member.date, ... read through)."""

    passage: PassageView
    sentence: str
    similarity: float  # cosine to the representative wording

    def as_dict(self) -> dict:
        return {**self.passage.as_dict(CITATION_FIELDS), "sentence": self.sentence, "similarity": self.similarity}


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
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["members"] = [m.as_dict() for m in self.members]
        data["documents"] = self.documents
        return data


def ensure_talking_points(store, embedder, options: TalkingPointOptions | None = None, progress=None):
    """Refresh the stored clusters when the index changed since they were computed (or options differ)."""
    options = options or TalkingPointOptions()
    if tp_store.is_fresh(store.db, options.to_json()):
        return None
    if embedder is None and not options.lexical_only:
        if tp_store.has_clusters(store.db):
            return None  # stale but usable; the caller chose not to load a model
        raise TalkingPointsError("no talking points computed for this index yet; run `dipsearch talking-points` (it loads the model)")
    from index.errors import IndexBusy, IndexLocationError

    try:
        return refresh_talking_points(store, embedder, options, progress=progress)
    except (IndexBusy, IndexLocationError):
        if tp_store.has_clusters(store.db):
            return None  # another process is writing (or the index is read-only): the stored clusters still serve
        raise


def find_talking_points(store, embedder, filters: Filters | None = None, query: str | None = None, min_docs: int = 2,
                        limit: int = 20, options: TalkingPointOptions | None = None, refresh: bool = True, progress=None) -> list[Cluster]:
    """Clusters of reused wording spanning at least `min_docs` documents after `filters`, on the topic
    of `query` if given, ranked by spread (documents, then sources, then time span)."""
    if min_docs < 2:
        raise TalkingPointsError("{min_docs} {value}: a talking point spans at least 2 documents", fields=("min_docs",), value=min_docs)
    if limit < 1:
        raise TalkingPointsError("{limit} {value} must be at least 1", fields=("limit",), value=limit)
    filters = filters or Filters()
    if refresh:
        ensure_talking_points(store, embedder, options, progress)
    conn = store.db.conn
    ensure_schema(conn)
    rows = tp_store.cluster_members(store.db, passage_ids_matching(conn, filters) if filters.active else None)
    views = passage_views(conn, [r.passage_id for r in rows])
    rows = [r for r in rows if r.passage_id in views]  # a passage removed since the clusters were computed
    # By cluster, then date (undated first, as SQL orders NULL), document and sentence.
    rows.sort(key=lambda r: (r.cluster_id, views[r.passage_id].date is not None, views[r.passage_id].date or "",
                             views[r.passage_id].doc_id, r.sentence_id))
    clusters: dict[int, Cluster] = {}
    for row in rows:
        c = clusters.get(row.cluster_id)
        if c is None:
            c = clusters[row.cluster_id] = Cluster(row.cluster_id, "", 0, 0, 0, None, None)
        view = views[row.passage_id]
        c.members.append(Member(view, view.text[row.char_start : row.char_end], round(float(row.similarity), 4)))
    kept = [c for c in clusters.values() if len({m.doc_id for m in c.members}) >= min_docs]
    reps = tp_store.representatives(store.db, [c.cluster_id for c in kept])
    for c in kept:
        c.representative = reps[c.cluster_id][0]
        _representative_among_members(c)
        _summarise(c)
    if query and query.strip():
        kept = _on_topic(kept, reps, query, embedder)
    kept.sort(key=_spread_key)
    for rank, c in enumerate(kept[:limit], start=1):
        c.rank = rank
    return kept[:limit]


def _representative_among_members(c: Cluster) -> None:
    """The representative wording must be one of the members shown. The stored one is the centre of the whole
    cluster; when filters leave its own sentences out, the member closest to it stands in (the cause of a
    representative naming one country while every member shown named others)."""
    wordings = {normalise(m.sentence) for m in c.members}
    if normalise(c.representative) not in wordings and c.members:
        c.representative = max(c.members, key=lambda m: (m.similarity, -m.passage.passage_id)).sentence


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

        from corpus.dates import date_range  # dates may be a year or a month only (issue 14)

        span = (date.fromisoformat(date_range(c.last_seen)[1]) - date.fromisoformat(date_range(c.first_seen)[0])).days
    return (-c.n_documents, -c.n_sources, -span, -len(c.members), c.cluster_id)


def _on_topic(clusters: list[Cluster], reps: dict, query: str, embedder) -> list[Cluster]:
    wanted = content_stems(query)
    qv = embed_queries(embedder, [query])[0] if embedder is not None else None
    out = []
    for c in clusters:
        lexical = bool(wanted) and any(wanted <= content_stems(m.sentence) for m in c.members)
        stored = reps[c.cluster_id][1]  # empty when computed lexical-only
        semantic = qv is not None and bool(stored) and float(np.frombuffer(stored, dtype=np.float32) @ qv) >= QUERY_COSINE
        if lexical or semantic:
            out.append(c)
    return out
