"""Exports: every hit of a query (not just the best k) as CSV, JSON lines or Parquet, streamed.

A lexical query exports every passage that matches it (down to `min_score`, if given); a mode that scores by
meaning exports every passage scoring at least `min_score` (required: without it every passage is a hit).
Rows carry the rank, the score and the passage's view: its text, offsets and its document's provenance
(title, source, date and date status, speaker and whatever else the view holds, URL). Filters are the search's.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from corpus.errors import InvalidInput, Unavailable
from index.passage_queries import passage_views
from index.passage_stream import lexical_matches
from index.passage_view import VIEW_FIELDS
from search.lexical import fts_query
from search.retrieval.modes import get_mode
from search.retrieval.request import SearchRequest
from search.retrieval.retrievers import Query

FORMATS = ("csv", "jsonl", "parquet")
EXPORT_FIELDS: tuple[str, ...] = ("rank", "score", *VIEW_FIELDS)
BATCH = 1000


class ParquetUnavailable(Unavailable):
    def __init__(self):
        super().__init__("Parquet needs the pyarrow package: pip install pyarrow (or choose {format} csv or jsonl)", fields=("format",))


def check_export(request: SearchRequest, fmt: str, min_score: float | None) -> None:
    """Refuse what cannot be exported, before anything is written."""
    request.validate()
    if fmt not in FORMATS:
        raise InvalidInput("{format} {value!r}: choose csv, jsonl or parquet", fields=("format",), value=fmt)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise ParquetUnavailable() from None
    if min_score is None and get_mode(request.mode).needs_embedder:
        raise InvalidInput("export in mode {mode} {value!r} needs {min_score}: every passage has a score by meaning, so "
                           "say how high it must be (e.g. 0.5), or export a lexical query", fields=("mode", "min_score"),
                           value=request.mode)


def _scored(store, embedder, request: SearchRequest, min_score: float | None) -> Iterator[list[tuple[int, float]]]:
    """Batches of (passage id, score), best first, every one passing the filters and scoring at least `min_score`."""
    mode = get_mode(request.mode)
    if mode.name == "lexical":
        expression = fts_query(request.query)
        if expression is None:
            return
        for chunk in lexical_matches(store.db.conn, expression, request.filters, BATCH):
            scored = [(pid, -bm25) for pid, bm25 in chunk if pid not in request.exclude]
            kept = [(pid, s) for pid, s in scored if min_score is None or round(s, 6) >= min_score]
            if kept:
                yield kept
            if len(kept) < len(scored):  # scores fall from here on
                return
        return
    store.check_model(embedder)
    depth = store.db.counts()["passages"]
    ranked = mode.build().retrieve(Query(store, request.query, request.filters, embedder), max(depth, 1))
    kept = [(pid, s) for pid, s in ranked if round(s, 6) >= min_score and pid not in request.exclude]
    for i in range(0, len(kept), BATCH):
        yield kept[i:i + BATCH]


def export_rows(store, embedder, request: SearchRequest, min_score: float | None = None) -> Iterator[dict]:
    """Every hit of `request` as a row (EXPORT_FIELDS), best first, read a batch at a time."""
    rank = 0
    for chunk in _scored(store, embedder, request, min_score):
        views = passage_views(store.db.conn, [pid for pid, _ in chunk])
        for pid, score in chunk:
            view = views.get(pid)
            if view is None:  # removed meanwhile
                continue
            rank += 1
            yield {"rank": rank, "score": round(score, 6), **view.as_dict()}


def write_rows(rows: Iterable[dict], fmt: str, out) -> int:
    """Write `rows` to the binary stream `out` as `fmt`; returns how many were written."""
    if fmt == "parquet":
        return _write_parquet(rows, out)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    n = 0
    try:
        if fmt == "csv":
            writer = csv.DictWriter(text, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                n += 1
        else:
            for row in rows:
                text.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        text.flush()
    finally:
        text.detach()
    return n


INTEGER_FIELDS = {"rank", "passage_id", "ordinal", "char_start", "char_end"}


def _write_parquet(rows: Iterable[dict], out) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(k, pa.int64() if k in INTEGER_FIELDS else pa.float64() if k == "score" else pa.string())
                        for k in EXPORT_FIELDS])
    n, batch = 0, []
    with pq.ParquetWriter(out, schema) as writer:
        for row in rows:
            batch.append({k: row.get(k) for k in EXPORT_FIELDS})
            n += 1
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n
