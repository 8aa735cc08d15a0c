"""Retrievers: a query in, ranked (passage id, score) out, metadata filters applied exactly. One protocol,
so a mode is any retriever, or a fusion of two (as pyserini's HybridSearcher fuses a dense and a sparse one)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from index.embedding.protocol import embed_queries
from index.passage_queries import fts_match_count, lexical_candidates
from search.dense import dense_search
from search.filters import Filters
from search.fusion import RRF_K, reciprocal_rank_fusion
from search.lexical import lexical_search
from search.query_language import holds_other_language, other_language, same_language


@dataclass
class Query:
    """What every retriever of one search sees; the query is embedded at most once, on first need."""
    store: object
    text: str
    filters: Filters = field(default_factory=Filters)
    embedder: object = None
    dictionary_loader: Callable[[], object] | None = None  # -> a translation Dictionary, or None (translation off)
    translation_note: str | None = field(default=None, init=False)  # why the query could not be translated

    @cached_property
    def vector(self):
        return embed_queries(self.embedder, [self.text])  # the model's query embedding (e5's prefix) where it has one

    @cached_property
    def translation(self):
        """The query in the other language (search.translation.query), or None: no dictionary, nothing to translate
        into (the index holds no document of the other language), or no word the dictionary knows. A dictionary
        that cannot be had (not installed, not the pinned file) leaves its reason in `translation_note`."""
        if self.dictionary_loader is None or not holds_other_language(self.store.db.conn, self.text):
            return None
        from search.translation.query import translate  # noqa: PLC0415 (only a search that translates needs it)
        from search.translation.source import DictionaryUnavailable  # noqa: PLC0415

        try:
            dictionary = self.dictionary_loader()
        except DictionaryUnavailable as exc:
            self.translation_note = f"{exc}; the other language was searched by meaning alone"
            return None
        if dictionary is None:
            return None
        return translate(self.text, dictionary, lambda expression: fts_match_count(self.store.db.conn, expression))


class Retriever(Protocol):
    needs_embedder: bool

    def retrieve(self, query: Query, depth: int) -> list[tuple[int, float]]:
        """At most `depth` (passage id, score), best first, every one passing the query's filters."""


class LexicalRetriever:
    needs_embedder = False

    def retrieve(self, query: Query, depth: int) -> list[tuple[int, float]]:
        return lexical_search(query.store.db.conn, query.text, query.filters, depth)


class DenseRetriever:
    needs_embedder = True

    def retrieve(self, query: Query, depth: int) -> list[tuple[int, float]]:
        return dense_search(query.store, query.vector, query.filters, depth)


class TranslatedLexicalRetriever:
    """The query translated by dictionary into the other language (Chinese <-> English), searched lexically over the
    passages in that language: names, places and formulas carried across, where the dense side finds meaning."""
    needs_embedder = False

    def retrieve(self, query: Query, depth: int) -> list[tuple[int, float]]:
        expression = query.translation.expression() if query.translation is not None else None
        if expression is None:
            return []
        ranked = lexical_candidates(query.store.db.conn, expression, query.filters, depth)
        return other_language(query.store.db.conn, query.text, [(pid, -bm25) for pid, bm25 in ranked])


@dataclass
class SameLanguageRetriever:
    """`inner`'s ranking without passages of documents in another language than the query's (search.query_language):
    in hybrid the lexical side covers the query's own language, the dense side all."""
    inner: Retriever

    @property
    def needs_embedder(self) -> bool:
        return self.inner.needs_embedder

    def retrieve(self, query: Query, depth: int) -> list[tuple[int, float]]:
        return same_language(query.store.db.conn, query.text, self.inner.retrieve(query, depth))


class FusionRetriever:
    """Reciprocal rank fusion of retrievers' rankings (ties: the earlier retriever's order wins); an empty ranking
    (a translation with nothing to search) changes nothing."""

    def __init__(self, *parts: Retriever, k: int = RRF_K):
        if len(parts) < 2:
            raise ValueError("a fusion needs two retrievers or more")
        self.parts, self.k = parts, k

    @property
    def needs_embedder(self) -> bool:
        return any(p.needs_embedder for p in self.parts)

    def retrieve(self, query: Query, depth: int) -> list[tuple[int, float]]:
        return reciprocal_rank_fusion([p.retrieve(query, depth) for p in self.parts], k=self.k)
