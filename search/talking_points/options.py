"""The thresholds of talking-point detection, stored with the clusters they produced."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from search.talking_points.errors import TalkingPointsError


@dataclass(frozen=True)
class TalkingPointOptions:
    min_words: int = 6  # content words a sentence needs to count (skips "Thank you." and short stock replies)
    shingle: int = 5  # words per n-gram of the lexical signal
    lexical_threshold: float = 0.5  # share of the shorter sentence's n-grams found in the other
    min_shared: int = 3  # and at least this many shared n-grams (a run of shingle+2 words)
    semantic_threshold: float = 0.8  # cosine of sentence embeddings for a paraphrase edge
    overlap_guard: float = 0.3  # a paraphrase edge also needs this share of content words in common
    neighbours: int = 32  # nearest sentences looked at per sentence (FAISS kNN)
    lexical_only: bool = False  # shingle containment alone: no model, no vectors (paraphrases are not joined)

    def validate(self) -> None:
        checks = [
            (self.min_words >= 1, "min_words", "must be at least 1"),
            (2 <= self.shingle <= 12, "shingle", "must be 2 to 12 words"),
            (0 < self.lexical_threshold <= 1, "lexical_threshold", "must be in (0, 1]"),
            (self.min_shared >= 1, "min_shared", "must be at least 1"),
            (0 < self.semantic_threshold <= 1, "semantic_threshold", "must be in (0, 1]"),
            (0 <= self.overlap_guard <= 1, "overlap_guard", "must be in [0, 1]"),
            (1 <= self.neighbours <= 256, "neighbours", "must be 1 to 256"),
        ]
        for ok, name, rule in checks:
            if not ok:
                raise TalkingPointsError("{%s} {rule}" % name, fields=(name,), rule=rule)

    def to_json(self) -> str:
        data = asdict(self)
        if not self.lexical_only:
            del data["lexical_only"]  # as stored before the lexical-only path existed, so those clusters stay fresh
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | None) -> "TalkingPointOptions | None":
        if not raw:
            return None
        try:
            return cls(**json.loads(raw))
        except (TypeError, ValueError):
            return None
