"""Lexical retrieval with SQLite FTS5 and bm25."""
from __future__ import annotations

from corpus.cjk import has_cjk
from index.passage_queries import lexical_candidates
from search.filters import Filters
from search.tokenizer import TOKENIZER, Tokenizer


def _phrase(ws: list[str]) -> str:
    """An FTS5 phrase of words; CJK characters are single tokens in the index, so they are spelled out."""
    return '"' + " ".join(" ".join(w) if has_cjk(w) else w for w in ws) + '"'


def fts_query(query: str, tokenizer: Tokenizer = TOKENIZER) -> str | None:
    """An FTS5 expression matching any query word or quoted phrase (bm25 rewards matching more).

    A CJK run is a phrase of its characters (see Tokenizer.cjk_units), so 台湾问题 matches 台 湾 问 题 in a row."""
    phrases, terms = tokenizer.query_terms(query)
    parts = [_phrase(tokenizer.words(p)) for p in phrases if tokenizer.words(p)]
    for t in terms:
        parts += [_phrase([unit]) for unit in tokenizer.cjk_units(t)] if has_cjk(t) else ['"' + t.replace('"', "") + '"']
    return " OR ".join(parts) if parts else None


def lexical_search(conn, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
    """(passage id, score) best first; score is -bm25, so higher is better."""
    expression = fts_query(query)
    if expression is None:
        return []
    return [(pid, -bm25) for pid, bm25 in lexical_candidates(conn, expression, filters, limit)]
