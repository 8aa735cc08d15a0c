"""One search: retrieve by mode, fuse, cap passages per document, attach metadata and highlights."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from corpus.cjk import has_cjk
from index.embedding.languages import reads_cjk
from index.embedding.protocol import embed_queries
from index.passage_queries import doc_ids_of, passage_views
from index.passage_view import CarriesPassage, PassageView
from search.dense import dense_search
from search.errors import InvalidQuery
from search.filters import Filters
from search.fusion import reciprocal_rank_fusion
from search.highlight import highlight_spans, snippet
from search.lexical import lexical_search
from search.query_language import same_language

MODES = ("hybrid", "dense", "lexical")
MAX_K = 1000
MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class SearchRequest:
    query: str
    mode: str = "hybrid"
    k: int = 10
    per_doc: int = 2
    filters: Filters = field(default_factory=Filters)
    exclude: frozenset[int] = frozenset()  # passage ids never returned (evaluation: a question's own passage)
    highlight: bool = True  # compute highlight spans and snippets (runs scored offline don't need them)

    def validate(self) -> None:
        if not self.query or not self.query.strip():
            raise InvalidQuery('the query is empty; give some words, e.g. dipsearch search "Taiwan question"')
        if len(self.query) > MAX_QUERY_CHARS:
            raise InvalidQuery(f"the query is {len(self.query)} characters; the limit is {MAX_QUERY_CHARS}")
        if self.mode not in MODES:
            raise InvalidQuery("{mode} {value!r} is not one of {modes}", fields=("mode",), value=self.mode, modes=", ".join(MODES))
        if not 1 <= self.k <= MAX_K:
            raise InvalidQuery("{k} {value} is out of range; use 1 to {most}", fields=("k",), value=self.k, most=MAX_K)
        if self.per_doc < 1:
            raise InvalidQuery("{per_doc} {value} must be at least 1", fields=("per_doc",), value=self.per_doc)

    @property
    def needs_embedder(self) -> bool:
        return self.mode in ("hybrid", "dense")


@dataclass
class Hit(CarriesPassage):
    """A ranked passage: its view (hit.doc_id, hit.text, ... read through) and how it matched."""

    rank: int
    score: float
    passage: PassageView
    highlights: list[tuple[int, int]]
    snippet: str
    snippet_highlights: list[tuple[int, int]]
    talking_point: dict | None = None  # set by search.talking_points.annotate_hits: {cluster_id, other_documents, first, last, ...}
    folded: list[int] = field(default_factory=list)  # passage ids of near-duplicates folded into this hit (--fold)

    def as_dict(self) -> dict:
        return {"rank": self.rank, "score": self.score, **self.passage.as_dict(),
                "highlights": [list(s) for s in self.highlights], "snippet": self.snippet,
                "snippet_highlights": [list(s) for s in self.snippet_highlights],
                "talking_point": self.talking_point, "folded": list(self.folded)}


@dataclass
class SearchResponse:
    query: str
    mode: str
    filters: Filters
    results: list[Hit]
    notes: list[str] = field(default_factory=list)  # what the user should know about how this query was run

    def as_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "filters": self.filters.as_dict(), "results": [h.as_dict() for h in self.results],
                "notes": list(self.notes)}


def candidate_depth(request: SearchRequest) -> int:
    """How many candidates each retriever returns: enough to fill k after the per-document cap."""
    return max(100, request.k * 10)


def retrieve(store, embedder, request: SearchRequest, depth: int | None = None, query_vector=None) -> list[tuple[int, float]]:
    """Ranked (passage id, score) for the request's mode, before the per-document cap."""
    depth = depth or candidate_depth(request)
    conn = store.db.conn
    if request.mode == "lexical":
        return lexical_search(conn, request.query, request.filters, depth)
    if query_vector is None:
        query_vector = embed_queries(embedder, [request.query])
    dense = dense_search(store, query_vector, request.filters, depth)
    if request.mode == "dense":
        return dense
    # per language: the query's lexical ranking covers its own language's passages, the dense side all (search.query_language)
    return reciprocal_rank_fusion([dense, same_language(conn, request.query, lexical_search(conn, request.query, request.filters, depth))])


def search(store, embedder, request: SearchRequest) -> SearchResponse:
    """Run `request` against `store`. `embedder` may be None for lexical mode."""
    request.validate()
    if request.needs_embedder:
        store.check_model(embedder)
    notes: list[str] = []
    retrieval = request
    if request.needs_embedder and has_cjk(request.query) and not reads_cjk(getattr(embedder, "languages", None)):
        # An English-only model places Chinese text almost at random: on 7,588 Chinese MFA questions dense scored
        # nDCG@10 0.018 against lexical 0.168, and fusing it in halved hybrid's score. Say so, and keep it out of hybrid.
        declared = ", ".join(sorted(embedder.languages))
        if request.mode == "hybrid":
            retrieval = replace(request, mode="lexical")
            notes.append(f"the model {embedder.name} declares {declared} only, so this query's Chinese/Japanese/Korean text "
                         "was searched lexically alone (dense results would be close to chance)")
        else:
            notes.append(f"the model {embedder.name} declares {declared} only: dense results for Chinese/Japanese/Korean text "
                         "are close to chance; use --mode lexical, or an index built with a multilingual --model")
    # Candidates run out when a few long documents fill them all and the per-document cap
    # discards most: then ask for more, until k hits are found or every passage was considered.
    depth, total = candidate_depth(request), None
    query_vector = embed_queries(embedder, [request.query]) if retrieval.needs_embedder else None
    while True:
        ranked = retrieve(store, embedder, retrieval, depth, query_vector)
        chosen = _cap_per_doc(ranked, doc_ids_of(store.db.conn, [pid for pid, _ in ranked]), request)
        if len(chosen) >= request.k or len(ranked) < depth:  # enough, or every retriever ran dry
            break
        total = store.db.counts()["passages"] if total is None else total
        if depth >= total:
            break
        depth *= 4
    views = passage_views(store.db.conn, [pid for pid, _ in chosen])
    hits: list[Hit] = []
    for pid, score in chosen:
        view = views.get(pid)
        if view is None:  # removed by a concurrent ingest between the two reads
            continue
        spans = highlight_spans(view.text, request.query) if request.highlight else []
        snip, snip_spans = snippet(view.text, spans) if request.highlight else (view.text, [])
        hits.append(Hit(rank=len(hits) + 1, score=round(score, 6), passage=view, highlights=spans, snippet=snip, snippet_highlights=snip_spans))
    return SearchResponse(request.query, request.mode, request.filters, hits, notes)


def _cap_per_doc(ranked: list[tuple[int, float]], doc_of: dict[int, str], request: SearchRequest) -> list[tuple[int, float]]:
    """The first k of `ranked` with at most `per_doc` passages from any one document."""
    chosen: list[tuple[int, float]] = []
    per_doc: dict[str, int] = {}
    for pid, score in ranked:
        doc_id = doc_of.get(pid)
        if doc_id is None or pid in request.exclude:
            continue
        if per_doc.get(doc_id, 0) >= request.per_doc:
            continue
        per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
        chosen.append((pid, score))
        if len(chosen) >= request.k:
            break
    return chosen
