"""Retrievers: a query in, ranked (passage id, score) out, metadata filters applied exactly. One protocol,
so a mode is any retriever, or a fusion of two (as pyserini's HybridSearcher fuses a dense and a sparse one)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from index.embedding.protocol import embed_queries
from search.dense import dense_search
from search.filters import Filters
from search.fusion import RRF_K, reciprocal_rank_fusion
from search.lexical import lexical_search
from search.query_language import same_language


@dataclass
class Query:
    """What every retriever of one search sees; the query is embedded at most once, on first need."""
    store: object
    text: str
    filters: Filters = field(default_factory=Filters)
    embedder: object = None

    @cached_property
    def vector(self):
        return embed_queries(self.embedder, [self.text])  # the model's query embedding (e5's prefix) where it has one


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


@dataclass
class FusionRetriever:
    """Reciprocal rank fusion of two retrievers' rankings (ties: `first`'s order wins)."""
    first: Retriever
    second: Retriever
    k: int = RRF_K

    @property
    def needs_embedder(self) -> bool:
        return self.first.needs_embedder or self.second.needs_embedder

    def retrieve(self, query: Query, depth: int) -> list[tuple[int, float]]:
        return reciprocal_rank_fusion([self.first.retrieve(query, depth), self.second.retrieve(query, depth)], k=self.k)
