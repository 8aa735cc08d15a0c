"""The ONNX backend: tokenizers + onnxruntime + numpy; torch is needed only to export, once.

Vectors equal sentence-transformers' (mean pooling over the attention mask, then L2
normalisation). Batches are formed from texts sorted by token count, so padding stays small.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.embedding.checksum import cached_checksum
from index.embedding.errors import OnnxCannotRun
from index.embedding.languages import declared_languages
from index.embedding.registry import ModelSource, as_source

DEFAULT_BATCH = 16  # measured: small token-sorted batches are faster on CPU than 32 or more


def _read_max_tokens(folder: Path) -> int:
    import json

    for name in ("sentence_bert_config.json", "config.json"):
        path = folder / name
        if path.is_file():
            data = json.loads(path.read_text())
            value = data.get("max_seq_length") or data.get("max_position_embeddings")
            if value:
                return int(value)
    return 512


class OnnxEmbedder:
    """A sentence-transformers model folder run through ONNX Runtime, fp32 or int8."""

    def __init__(self, model: ModelSource | Path | str | None = None, int8: bool = False, batch_size: int = DEFAULT_BATCH,
                 model_path: Path | None = None, threads: int | None = None):
        source = as_source(model)
        self.folder = source.folder
        if not (self.folder / "tokenizer.json").is_file():
            raise OnnxCannotRun("{folder} has no tokenizer.json, which the ONNX backend needs; use {backend} torch", fields=("backend",),
                                folder=self.folder)
        self.checksum = cached_checksum(self.folder)
        source.verify(self.checksum)
        self.name = source.name
        self.languages = declared_languages(self.folder)
        self.backend = "onnx-int8" if int8 else "onnx"
        self.batch_size = batch_size
        self.max_tokens = _read_max_tokens(self.folder)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise OnnxCannotRun("the ONNX backend needs onnxruntime and tokenizers: `pip install onnxruntime tokenizers`, or use {backend} torch",
                                fields=("backend",)) from exc
        if model_path is None:
            from index.embedding.onnx_export import ensure_export

            model_path = ensure_export(self.folder, self.checksum, int8)
        # The bundled tokenizer.json truncates and pads at 128; the model reads up to max_tokens.
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        self._counter = None  # a second, untruncated tokenizer, made when ingest first counts tokens
        options = ort.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        try:
            self.session = ort.InferenceSession(str(model_path), options, providers=_providers(ort))
        except Exception as exc:  # onnxruntime raises its own kinds
            raise OnnxCannotRun("cannot load the ONNX model {path}: {problem}; delete it to export again, or use {backend} torch",
                                fields=("backend",), path=model_path, problem=exc) from exc
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self.model_path = Path(model_path)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        if self._counter is None:
            from tokenizers import Tokenizer

            self._counter = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            self._counter.no_padding()
            self._counter.no_truncation()
        return [len(e.ids) for e in self._counter.encode_batch(list(texts), add_special_tokens=False)]

    def _run(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            n = len(e.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = e.ids, e.attention_mask, e.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.input_names})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run([encodings[i] for i in rows])
            if progress:
                progress(len(rows))
        return out


def _providers(ort) -> list[str]:
    """CUDA when onnxruntime-gpu sees a GPU, else the CPU."""
    available = ort.get_available_providers()
    return [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in available]
