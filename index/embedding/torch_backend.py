"""The torch backend: a sentence-transformers model folder on local disk, offline, fp32 — the reference vectors.

torch and sentence-transformers are imported when a model is loaded, never at import.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.embedding.checksum import weights_checksum
from index.embedding.languages import declared_languages
from index.embedding.registry import ModelSource, as_source
from index.errors import ModelError


class SentenceTransformerEmbedder:
    """A sentence-transformers model folder run by torch on `device` (the CPU unless told)."""

    backend = "torch"

    def __init__(self, model: ModelSource | Path | str | None = None, batch_size: int = 32, device: str = "cpu",
                 threads: int | None = None):
        source = as_source(model)
        self.folder = source.folder
        if not (self.folder / "modules.json").is_file() and not (self.folder / "config.json").is_file():
            raise ModelError(f"{self.folder} is not a sentence-transformers model folder (no modules.json or config.json)")
        self.checksum = weights_checksum(self.folder)
        source.verify(self.checksum)
        self.name = source.name
        self.languages = declared_languages(self.folder)
        self.batch_size = batch_size
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            if threads:
                import torch

                torch.set_num_threads(threads)
            hf_logging.disable_progress_bar()
            self.model = SentenceTransformer(str(self.folder), device=device)
        except Exception as exc:  # sentence-transformers raises many kinds; one message at the edge
            raise ModelError(f"cannot load the model in {self.folder}: {exc}") from exc
        self.dimension = int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension") else self.model.get_sentence_embedding_dimension())
        self.max_tokens = int(self.model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Sorting by length keeps padding low; chunks of a few batches let progress move smoothly.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        step = self.batch_size * 4
        for start in range(0, len(order), step):
            ids = order[start : start + step]
            vectors = self.model.encode([texts[i] for i in ids], batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            out[ids] = vectors
            if progress:
                progress(len(ids))
        return out
