"""One search: a mode's retriever, the candidate stages in a loop that deepens the candidates when the cap
discards too much, then the hit stages (rerank, annotate, fold). The one entry for every front end."""
from __future__ import annotations

from corpus.cjk import has_cjk
from index.embedding.languages import reads_cjk
from collections import Counter

from index.passage_queries import doc_ids_of, facet_rows
from search.attribution_note import unattributed_note
from search.retrieval.modes import Mode, get_mode
from search.retrieval.request import Hit, SearchRequest, SearchResponse
from search.retrieval.rerank import Rerank, load_cross_encoder
from search.retrieval.retrievers import Query, Retriever
from search.retrieval.rows import make_hits
from search.translation.source import installed_dictionary
from search.retrieval.stages import Annotate, CandidateStage, Exclude, Fold, HitStage, PerDocCap, QuestionsLast, StageContext


def candidate_depth(request: SearchRequest, wanted: int | None = None) -> int:
    """How many candidates each retriever returns at first: enough to fill `wanted` (default k) after the cap."""
    return max(100, (wanted or request.k) * 10)


def language_gate(request: SearchRequest, mode: Mode, embedder) -> tuple[Mode, list[str]]:
    """The mode to retrieve with and the notes to show: an English-only model is kept out of hybrid for CJK queries."""
    if not (mode.needs_embedder and has_cjk(request.query) and not reads_cjk(getattr(embedder, "languages", None))):
        return mode, []
    # An English-only model places Chinese text almost at random: on 7,588 Chinese MFA questions dense scored
    # nDCG@10 0.018 against lexical 0.168, and fusing it in halved hybrid's score. Say so, and keep it out of hybrid.
    declared = ", ".join(sorted(embedder.languages))
    wordy = [get_mode(p) for p in mode.parts if not get_mode(p).needs_embedder]
    if wordy:  # a fusion keeps its part that needs no model (hybrid: lexical)
        return wordy[0], [
            f"the model {embedder.name} declares {declared} only, so this query's Chinese/Japanese/Korean text "
            "was searched lexically alone (dense results would be close to chance)"]
    return mode, [f"the model {embedder.name} declares {declared} only: dense results for Chinese/Japanese/Korean text "
                  "are close to chance; search in mode lexical, or with an index built by a multilingual model"]


def hit_stages(request: SearchRequest, fold: bool = False, annotate: bool = True, reranker=None) -> list[HitStage]:
    """The stages after the hits are read: rerank (with `reranker`, else one loaded from request.rerank), annotate, fold."""
    stages: list[HitStage] = []
    if reranker is not None or request.rerank:
        stages.append(Rerank(reranker if reranker is not None else load_cross_encoder(request.rerank)))
    if annotate or fold:  # folding reads the annotations
        stages.append(Annotate())
    if fold:
        stages.append(Fold(keep_questions="question" in request.filters.roles))
    return stages


def candidates(store, retriever: Retriever, query: Query, stages: list[CandidateStage], wanted: int, depth: int,
               seen: list | None = None) -> list[tuple[int, float]]:
    """`wanted` candidates through `stages`. They run out when a few long documents fill them all and the per-document
    cap discards most: then ask for more, until enough are found or every passage was considered. `seen`, when given,
    receives the candidates the first stage kept (the facets count them)."""
    total = None
    while True:
        ranked = retriever.retrieve(query, depth)
        doc_of = doc_ids_of(store.db.conn, [pid for pid, _ in ranked])
        chosen = ranked
        for i, stage in enumerate(stages):
            chosen = stage.select(chosen, doc_of, wanted)
            if i == 0 and seen is not None:
                seen[:] = chosen
        if len(chosen) >= wanted or len(ranked) < depth:  # enough, or every retriever ran dry
            return chosen
        total = store.db.counts()["passages"] if total is None else total
        if depth >= total:
            return chosen
        depth *= 4


def run_hit_stages(ctx: StageContext, stages: list[HitStage], hits: list[Hit], k: int) -> list[Hit]:
    outs = [k]
    for stage in reversed(stages[1:]):
        outs.insert(0, stage.wants(outs[0]))
    for stage, out in zip(stages, outs):
        hits = stage.apply(ctx, hits, out)
    return hits


def search(store, embedder, request: SearchRequest, fold: bool = False, annotate: bool = True, reranker=None,
           dictionary_loader=installed_dictionary) -> SearchResponse:
    """Run `request` against `store`. `embedder` may be None for a mode that needs none (lexical).
    `dictionary_loader()`: the Chinese-English dictionary hybrid translates queries with (None: no translation).

    Hits say which talking point they hold unless not `annotate`; with `fold`, hits repeating one talking point are
    folded into the best of them. `reranker` (a Scorer), or the folder named by request.rerank, reorders the top."""
    request.validate()
    mode = get_mode(request.mode)
    if mode.needs_embedder:
        store.check_model(embedder)
    retrieval, notes = language_gate(request, mode, embedder)
    stages = hit_stages(request, fold, annotate, reranker)
    wanted = request.k
    for stage in reversed(stages):
        wanted = stage.wants(wanted)
    query = Query(store, request.query, request.filters, embedder if retrieval.needs_embedder else None,
                  dictionary_loader=dictionary_loader)
    candidate_stages: list[CandidateStage] = [Exclude(request.exclude)]
    if not request.filters.said_by and not request.filters.roles:  # with an actor asked, questions (no actor) never pass
        candidate_stages.append(QuestionsLast(store.db.conn))
    seen: list = []
    chosen = candidates(store, retrieval.build(), query, [*candidate_stages, PerDocCap(request.per_doc)], wanted,
                        candidate_depth(request, wanted), seen)
    hits = make_hits(store.db.conn, chosen, request.query, request.highlight)
    for note in (query.translation_note, unattributed_note(store.db.conn)):
        if note:
            notes = [*notes, note]
    ctx = StageContext(store, request.query, notes)
    hits = run_hit_stages(ctx, stages, hits, request.k)
    return SearchResponse(request.asked or request.query, request.mode, request.filters, hits, ctx.notes, request.interpretation,
                          request.reading, facet_counts(store.db.conn, [pid for pid, _ in seen]) if request.facets else None)


def facet_counts(conn, passage_ids: list[int], top: int = 20) -> dict[str, list[list]]:
    """Counts of actor, role and speaker over the candidates, most first (ties by name); None values as 'unknown'."""
    rows = facet_rows(conn, passage_ids)
    out = {}
    for i, name in enumerate(("actor", "role", "speaker")):
        counts = Counter(r[i] or "unknown" for r in rows)
        out[name] = [[value, n] for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]]
    return out
