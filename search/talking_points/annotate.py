"""Talking points in search results: say which hits repeat a talking point, and fold repeats into one."""
from __future__ import annotations

import search.talking_points.store as tp_store
from index.passage_queries import doc_ids_of, document_dates

FOLD_DEPTH = 4  # with folding, ask the retriever for this many times k so the page still fills (search.retrieval.stages.Fold)


def talking_point_info(store, passage_ids: list[int]) -> dict[int, dict]:
    """passage id -> {cluster_id, representative, documents, first, last} of the widest talking point it holds."""
    db = store.db
    pairs = tp_store.clusters_of_passages(db, passage_ids)
    if not pairs:
        return {}
    cluster_ids = sorted({c for _, c in pairs})
    members = tp_store.cluster_passages(db, cluster_ids)
    doc_of = doc_ids_of(db.conn, sorted({pid for _, pid in members}))
    date_of = document_dates(db.conn, sorted(set(doc_of.values())))
    stats: dict[int, dict] = {}
    for cluster_id, passage_id in members:
        doc_id = doc_of.get(passage_id)
        if doc_id is None:  # removed since the clusters were computed
            continue
        entry = stats.setdefault(cluster_id, {"docs": set(), "dates": []})
        entry["docs"].add(doc_id)
        if date_of.get(doc_id):
            entry["dates"].append(date_of[doc_id])
    reps = tp_store.representatives(db, cluster_ids)
    out: dict[int, dict] = {}
    for pid, cid in pairs:
        entry = stats.get(cid)
        if not entry or len(entry["docs"]) < 2:
            continue
        info = {"cluster_id": cid, "representative": reps[cid][0], "documents": sorted(entry["docs"]),
                "first": min(entry["dates"]) if entry["dates"] else None, "last": max(entry["dates"]) if entry["dates"] else None}
        best = out.get(pid)
        if best is None or len(info["documents"]) > len(best["documents"]):
            out[pid] = info
    return out


def annotate_hits(store, hits: list) -> list:
    """Set `talking_point` on each hit whose passage holds a stored talking point:
    {cluster_id, representative, other_documents, first, last}."""
    info = talking_point_info(store, [h.passage_id for h in hits])
    for hit in hits:
        tp = info.get(hit.passage_id)
        if tp:
            others = [d for d in tp["documents"] if d != hit.doc_id]
            hit.talking_point = {"cluster_id": tp["cluster_id"], "representative": tp["representative"],
                                 "other_documents": len(others), "first": tp["first"], "last": tp["last"]}
    return hits


def fold_hits(hits: list, k: int) -> list:
    """Keep the best hit of each talking point; the others' passage ids go into its `folded` list."""
    out, by_cluster = [], {}
    for hit in hits:
        cid = hit.talking_point["cluster_id"] if hit.talking_point else None
        if cid is not None and cid in by_cluster:
            by_cluster[cid].folded.append(hit.passage_id)
            continue
        if len(out) >= k:
            continue
        if cid is not None:
            by_cluster[cid] = hit
        out.append(hit)
    for rank, hit in enumerate(out, start=1):
        hit.rank = rank
    return out
