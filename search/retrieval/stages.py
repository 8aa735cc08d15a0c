"""The stages run after a retriever, in order.

Candidate stages see ranked (passage id, score) with each passage's document, inside the loop that asks the
retriever for more when they discard too much: filter (excluded and vanished passages), then the
per-document cap, which stops at the number of hits the hit stages want. (Metadata filters -- dates, source,
speaker, language -- are applied inside the retrievers, exactly: filtering afterwards would lose candidates.)
When no actor is asked, journalists' questions follow the answers and statements (QuestionsLast, before the cap).
Hit stages see the hits (text, metadata, highlights): rerank, annotate (talking points), fold. Each says how
many hits it needs to return k (`wants`), so the cap fills them all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from index.passage_queries import roles_of
from search.retrieval.request import MAX_K, Hit
from search.talking_points.annotate import FOLD_DEPTH, annotate_hits, fold_hits

Ranked = list[tuple[int, float]]


class CandidateStage(Protocol):
    def select(self, ranked: Ranked, doc_of: dict[int, str], limit: int) -> Ranked:
        """The candidates kept, best first, at most `limit`."""


@dataclass
class StageContext:
    store: object
    query: str
    notes: list[str] = field(default_factory=list)  # stages add what the user should know


class HitStage(Protocol):
    def wants(self, k: int) -> int:
        """How many hits this stage needs to return `k`."""

    def apply(self, ctx: StageContext, hits: list[Hit], k: int) -> list[Hit]:
        """At most `k` hits, ranked 1..n."""


@dataclass(frozen=True)
class Exclude:
    """Filter: passages never returned (a question's own), and passages removed since they were ranked."""
    ids: frozenset[int] = frozenset()

    def select(self, ranked: Ranked, doc_of: dict[int, str], limit: int) -> Ranked:
        return [(pid, s) for pid, s in ranked if doc_of.get(pid) is not None and pid not in self.ids]


@dataclass(frozen=True)
class QuestionsLast:
    """Answers, statements and everything else first, journalists' questions after them, each group in its order
    (a stable partition of the candidates)."""
    conn: object

    def select(self, ranked: Ranked, doc_of: dict[int, str], limit: int) -> Ranked:
        roles = roles_of(self.conn, [pid for pid, _ in ranked])
        return [c for c in ranked if roles.get(c[0]) != "question"] + [c for c in ranked if roles.get(c[0]) == "question"]


@dataclass(frozen=True)
class PerDocCap:
    """The first `limit` candidates with at most `per_doc` passages from any one document."""
    per_doc: int

    def select(self, ranked: Ranked, doc_of: dict[int, str], limit: int) -> Ranked:
        chosen: Ranked = []
        taken: dict[str, int] = {}
        for pid, score in ranked:
            doc_id = doc_of.get(pid)
            if doc_id is None or taken.get(doc_id, 0) >= self.per_doc:
                continue
            taken[doc_id] = taken.get(doc_id, 0) + 1
            chosen.append((pid, score))
            if len(chosen) >= limit:
                break
        return chosen


class Annotate:
    """Say which hits hold a stored talking point (hit.talking_point)."""

    def wants(self, k: int) -> int:
        return k

    def apply(self, ctx: StageContext, hits: list[Hit], k: int) -> list[Hit]:
        return annotate_hits(ctx.store, hits)[:k]


@dataclass(frozen=True)
class Fold:
    """Keep the best hit of each talking point, the others' ids in its `folded`; needs Annotate before it.
    Asks for FOLD_DEPTH times k so the page still fills. Journalists' questions are left out unless
    `keep_questions` (a role filter asked for them)."""
    keep_questions: bool = False

    def wants(self, k: int) -> int:
        return min(MAX_K, k * FOLD_DEPTH)

    def apply(self, ctx: StageContext, hits: list[Hit], k: int) -> list[Hit]:
        return fold_hits(hits if self.keep_questions else [h for h in hits if h.role != "question"], k)
