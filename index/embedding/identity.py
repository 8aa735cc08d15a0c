"""A model's identity: what decides whether two sets of vectors can share an index.

The same five facts come from a loaded embedder (`ModelIdentity.of`) and from what an index recorded
when it was built (`ModelIdentity.recorded`, from `IndexStore.model_info()`), so the loading policy can
pick the model folder and backend an index needs before any model is loaded.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from index.embedding.backends import vector_family
from index.embedding.registry import BUNDLED_MODEL_NAME


@dataclass(frozen=True)
class ModelIdentity:
    name: str
    checksum: str  # sha256 of the weights
    dimension: int
    backend: str | None = None  # None: recorded before backends existed, i.e. torch
    languages: frozenset[str] | None = None  # declared by the model card; None: not declared (or not recorded)
    folder: str | None = None  # where the model was loaded from, when known

    @property
    def family(self) -> str:
        """fp32 or int8: vectors of one family are interchangeable (index.embedding.backends)."""
        return vector_family(self.backend)

    @property
    def bundled(self) -> bool:
        return self.name == BUNDLED_MODEL_NAME

    @classmethod
    def of(cls, embedder) -> ModelIdentity:
        folder = getattr(embedder, "folder", None)
        return cls(embedder.name, embedder.checksum, int(embedder.dimension), getattr(embedder, "backend", None),
                   getattr(embedder, "languages", None), str(folder) if folder else None)

    @classmethod
    def recorded(cls, info: Mapping | ModelIdentity | None) -> ModelIdentity | None:
        """The identity an index's settings hold (`store.model_info()`: name, checksum, dimension,
        backend, path); None for an index that has no model yet."""
        if isinstance(info, ModelIdentity):
            return info
        if not info:
            return None
        return cls(info["name"], info["checksum"], int(info["dimension"]), info.get("backend"), None, info.get("path"))
