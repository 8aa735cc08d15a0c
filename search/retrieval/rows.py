"""The rows a search reads once candidates are ranked and capped: the chosen passages as views (read through
index.passage_queries, which owns the SQL), made into hits with highlights."""
from __future__ import annotations

from index.passage_queries import passage_views
from search.highlight import highlight_spans, snippet
from search.retrieval.request import Hit


def make_hits(conn, chosen: list[tuple[int, float]], query: str, highlight: bool = True) -> list[Hit]:
    """Hits for the chosen (passage id, score), ranked in that order, highlighted for `query` unless not `highlight`."""
    views = passage_views(conn, [pid for pid, _ in chosen])
    hits: list[Hit] = []
    for pid, score in chosen:
        view = views.get(pid)
        if view is None:  # removed by a concurrent ingest between the two reads
            continue
        spans = highlight_spans(view.text, query) if highlight else []
        snip, snip_spans = snippet(view.text, spans) if highlight else (view.text, [])
        hits.append(Hit(rank=len(hits) + 1, score=round(score, 6), passage=view, highlights=spans, snippet=snip, snippet_highlights=snip_spans))
    return hits
