"""The rerank seam: a cross-encoder-like scorer reorders the top candidates.

Any object with `score(query, texts) -> floats` (higher is better) fills it; `load_cross_encoder` makes one from
a local sentence-transformers CrossEncoder folder (sentence-transformers is imported only then).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from search.errors import InvalidQuery
from search.retrieval.request import Hit
from search.retrieval.stages import StageContext

RERANK_DEPTH = 50  # candidates the scorer sees (after the per-document cap)


class Scorer(Protocol):
    name: str

    def score(self, query: str, texts: list[str]) -> list[float]:
        """One relevance score per text, higher is better."""


@dataclass
class Rerank:
    """Reorder the first `top_n` hits by `scorer` (ties keep the retrieval order); their score becomes the scorer's."""
    scorer: Scorer
    top_n: int = RERANK_DEPTH

    def wants(self, k: int) -> int:
        return max(k, self.top_n)

    def apply(self, ctx: StageContext, hits: list[Hit], k: int) -> list[Hit]:
        head, tail = hits[: self.top_n], hits[self.top_n :]
        if not head:
            return hits
        scores = [float(s) for s in self.scorer.score(ctx.query, [h.text for h in head])]
        if len(scores) != len(head):
            raise InvalidQuery(f"rerank: the scorer {self.scorer.name} gave {len(scores)} scores for {len(head)} passages")
        order = sorted(range(len(head)), key=lambda i: (-scores[i], i))
        out = [head[i] for i in order] + tail
        for i in order:
            head[i].score = round(scores[i], 6)
        for rank, hit in enumerate(out, start=1):
            hit.rank = rank
        ctx.notes.append(f"the top {len(head)} passages were reordered by the reranker {self.scorer.name}")
        return out[:k]


class CrossEncoderScorer:
    """A sentence-transformers CrossEncoder as a Scorer."""

    def __init__(self, model, name: str):
        self.model, self.name = model, name

    def score(self, query: str, texts: list[str]) -> list[float]:
        return [float(s) for s in self.model.predict([(query, t) for t in texts], show_progress_bar=False)]


def load_cross_encoder(path: str | Path) -> CrossEncoderScorer:
    """The cross-encoder in local folder `path` (a ...ForSequenceClassification model, as sentence-transformers saves one)."""
    folder = Path(path).expanduser()
    config = folder / "config.json"
    if not folder.is_dir() or not config.is_file():
        raise InvalidQuery("{rerank} {value!r} is not a model folder (no config.json); give a local cross-encoder folder",
                           fields=("rerank",), value=str(path))
    try:
        architectures = json.loads(config.read_text(encoding="utf-8")).get("architectures") or []
    except (OSError, ValueError, AttributeError) as e:
        raise InvalidQuery("{rerank} {value!r}: config.json is unreadable ({problem})", fields=("rerank",), value=str(path),
                           problem=str(e)) from None
    if not any(str(a).endswith("ForSequenceClassification") for a in architectures):
        found = ", ".join(map(str, architectures)) or "none"
        raise InvalidQuery("{rerank} {value!r} is not a cross-encoder: its config.json declares architectures {found}, "
                           "a cross-encoder is a ...ForSequenceClassification model (an embedding model cannot rerank)",
                           fields=("rerank",), value=str(path), found=found)
    try:
        from sentence_transformers import CrossEncoder
    except ImportError as e:  # pragma: no cover - sentence-transformers is a main dependency
        raise InvalidQuery(f"rerank needs sentence-transformers ({e})") from None
    return CrossEncoderScorer(CrossEncoder(str(folder)), folder.name)
