"""Lexical retrieval with SQLite FTS5 and bm25."""
from __future__ import annotations

from corpus.cjk import has_cjk
from index.passage_queries import lexical_candidates, passage_views
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


ACRONYM_POOL = 2000  # candidates re-ranked for a query's acronyms (FTS5 is case-blind: WHO finds every 'who')


def lexical_search(conn, query: str, filters: Filters, limit: int, tokenizer: Tokenizer = TOKENIZER) -> list[tuple[int, float]]:
    """(passage id, score) best first; score is -bm25, so higher is better.

    All-caps acronyms in the query (WHO, UN, NATO) match case-sensitively where a passage has them: of the best
    ACRONYM_POOL candidates (at least `limit`), passages holding more of the query's acronyms as themselves (a
    whole word in capitals) rank above those holding only the lower-case word, bm25 order within each group."""
    expression = fts_query(query, tokenizer)
    if expression is None:
        return []
    acronyms = tokenizer.acronyms(query)
    if not acronyms:
        return [(pid, -bm25) for pid, bm25 in lexical_candidates(conn, expression, filters, limit)]
    pool = lexical_candidates(conn, expression, filters, max(limit, ACRONYM_POOL))
    texts = {pid: view.text for pid, view in passage_views(conn, [pid for pid, _ in pool]).items()}
    held = {pid: tokenizer.acronym_count(texts.get(pid, ""), acronyms) for pid, _ in pool}
    ranked = sorted(range(len(pool)), key=lambda i: (-held[pool[i][0]], i))
    return [(pool[i][0], -pool[i][1]) for i in ranked[:limit]]
