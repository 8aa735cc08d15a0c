"""An embedder that embeds many queries in batches once, then answers each search from that cache."""
from __future__ import annotations

import numpy as np

from index.embedding.protocol import embed_queries


class PrecomputedEmbedder:
    """Looks like the wrapped embedder (name, checksum, dimension) so `store.check_model` accepts it."""

    def __init__(self, embedder, texts, batch: int = 64):
        self.inner = embedder
        for attr in ("name", "checksum", "dimension", "max_tokens", "backend"):
            setattr(self, attr, getattr(embedder, attr))
        self.languages = getattr(embedder, "languages", None)
        unique = list(dict.fromkeys(texts))
        self._rows: dict[str, np.ndarray] = {}
        for start in range(0, len(unique), batch):
            chunk = unique[start : start + batch]
            for text, vector in zip(chunk, embed_queries(embedder, chunk)):
                self._rows[text] = np.asarray(vector, dtype=np.float32)

    def embed_queries(self, texts):
        return self.embed(texts)

    def embed(self, texts, progress=None):
        missing = [t for t in texts if t not in self._rows]
        if missing:
            for text, vector in zip(missing, embed_queries(self.inner, missing)):
                self._rows[text] = np.asarray(vector, dtype=np.float32)
        out = np.stack([self._rows[t] for t in texts]) if texts else np.zeros((0, self.dimension), np.float32)
        if progress:
            progress(len(texts))
        return out
