"""Lexical rankings per language: in hybrid search a query's lexical ranking covers passages in its own language.

Word matching across languages is noise (an English query's "Taiwan" inside a Chinese passage, a Chinese query's
characters inside an English one): the dense side, with a multilingual model, is what finds the other language.
So a query with Chinese, Japanese or Korean text keeps the lexical hits from CJK documents, any other query those
from non-CJK documents; documents whose language is unknown stay in both (nothing says which they are). `--lang`
still restricts both sides (it is a filter of the request).
"""
from __future__ import annotations

import re

from corpus.cjk import has_cjk
from index.passage_queries import document_languages, passage_views

CJK_LANGS = ("zh", "ja", "ko")


def is_cjk_lang(lang: str | None) -> bool | None:
    """Whether a document's language code is Chinese, Japanese or Korean (zh-TW, ja_JP, ...); None: unknown."""
    if not lang:
        return None
    return re.split(r"[-_]", lang.strip().lower())[0] in CJK_LANGS


def same_language(conn, query: str, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """`ranked` (passage id, score) without the passages of documents in another language than the query's."""
    return _in_language(conn, has_cjk(query), ranked)


def other_language(conn, query: str, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """`ranked` with only the passages of documents in the other language than the query's (a translated query's
    ranking: Chinese query -> passages of non-CJK documents; English query -> CJK documents). Unknown: kept."""
    return _in_language(conn, not has_cjk(query), ranked)


def holds_other_language(conn, query: str) -> bool:
    """Whether the index has documents known to be in the other language than the query's, which a translation of
    it could find (documents of unknown language alone are no reason to translate: they are searched as they are)."""
    wanted = not has_cjk(query)
    return any(is_cjk_lang(lang) is wanted for lang in document_languages(conn))


def _in_language(conn, cjk_wanted: bool, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    if not ranked:
        return ranked
    views = passage_views(conn, [pid for pid, _ in ranked])
    kept = []
    for pid, score in ranked:
        view = views.get(pid)
        cjk = is_cjk_lang(view.lang) if view is not None else None
        if cjk is None or cjk == cjk_wanted:
            kept.append((pid, score))
    return kept
