"""The rows a search reads once candidates are ranked: their documents (for the cap), then the chosen passages
with their metadata, made into hits with highlights. (SQL moved verbatim from search/engine.py.)"""
from __future__ import annotations

import json

from index.database import in_batches
from search.highlight import highlight_spans, snippet
from search.retrieval.request import Hit


def doc_ids(conn, ids: list[int]) -> dict[int, str]:
    """Passage id -> document id, for the per-document cap over every candidate (texts are read for the chosen only)."""
    doc_of = {}
    for chunk, marks in in_batches(ids):
        doc_of.update(conn.execute(f"SELECT passage_id, doc_id FROM passages WHERE passage_id IN ({marks})", chunk).fetchall())
    return doc_of


def passage_rows(conn, ids: list[int]) -> dict:
    rows = {}
    for chunk, marks in in_batches(ids):
        for row in conn.execute(
            f"""SELECT p.passage_id, p.doc_id, p.ordinal, p.char_start, p.char_end, p.text,
                       d.title, d.source, d.date, d.speaker, d.lang, d.url, d.provenance
                FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE p.passage_id IN ({marks})""",
            chunk,
        ):
            rows[row["passage_id"]] = row
    return rows


def _status(provenance_json: str, field_name: str, value) -> str:
    if value in (None, ""):
        return "unknown"
    return json.loads(provenance_json or "{}").get(field_name, "given")


def make_hits(conn, chosen: list[tuple[int, float]], query: str, highlight: bool = True) -> list[Hit]:
    """Hits for the chosen (passage id, score), ranked in that order, highlighted for `query` unless not `highlight`."""
    rows = passage_rows(conn, [pid for pid, _ in chosen])
    hits: list[Hit] = []
    for pid, score in chosen:
        row = rows.get(pid)
        if row is None:  # removed by a concurrent ingest between the two reads
            continue
        spans = highlight_spans(row["text"], query) if highlight else []
        snip, snip_spans = snippet(row["text"], spans) if highlight else (row["text"], [])
        hits.append(Hit(
            rank=len(hits) + 1, score=round(score, 6), passage_id=pid, doc_id=row["doc_id"], title=row["title"],
            source=row["source"], date=row["date"], date_status=_status(row["provenance"], "date", row["date"]),
            speaker=row["speaker"], lang=row["lang"], url=row["url"], ordinal=row["ordinal"], text=row["text"],
            char_start=row["char_start"], char_end=row["char_end"], highlights=spans, snippet=snip, snippet_highlights=snip_spans,
        ))
    return hits
