"""Embedding on Ray: Ray Data `map_batches` over an actor pool, each actor holding the model.

`RayEmbedder` has the `Embedder` interface, so the ordinary `Ingestor` reads, chunks, deduplicates
and commits on the driver exactly as a local ingest does, into the same index format; only
`embed()` fans out. The driver keeps a local copy of the model for its identity and token counts.

Where it runs: `ray.init(address=RAY_ADDRESS)` when that variable is set (a cluster), otherwise a
local Ray instance. On a cluster every node needs dipsearch installed (same version), or pass a
`runtime_env`. Devices are chosen automatically: when the cluster has GPUs, each actor takes one
and runs torch on CUDA (fp32 vectors, compatible with the ONNX fp32 backend); otherwise each
actor takes `cpus_per_actor` CPUs and runs the driver's backend with that many threads. Each actor
loads its model through the one policy, `index.embedding.load` (see `worker_backend`).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

from index.errors import ModelError

RAY_BATCH_PASSAGES = 8192  # passages per Ingestor flush: one Ray Data job each, so the pool stays busy


class _Encode:
    """The Ray Data actor: loads the model once, then embeds batches of {"row", "text"}."""

    def __init__(self, model: str | None, backend: str, threads: int, device: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from index.embedding.policy import load, worker_backend

        # The backend is named explicitly, so the policy never swaps it: the vectors must be the driver's.
        gpu = device == "cuda"
        self.embedder = load(model, worker_backend(backend, gpu), threads=None if gpu else threads, device=device)

    def __call__(self, batch: dict) -> dict:
        texts = [str(t) for t in batch["text"]]
        return {"row": batch["row"], "vector": self.embedder.embed(texts)}


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def ensure_ray(num_cpus: int | None = None):
    """The ray module, connected: to RAY_ADDRESS when set, else a local instance."""
    if not ray_available():
        raise ModelError("{engine} ray needs Ray Data: `pip install 'dipsearch[ray]'` (or `pip install 'ray[data]'`)", fields=("engine",))
    import ray

    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        ray.init(address=address, num_cpus=None if address else num_cpus, include_dashboard=False,
                 log_to_driver=False, ignore_reinit_error=True)
    return ray


class RayEmbedder:
    """Embeds with Ray Data over an actor pool; identity and token counts come from `local`."""

    def __init__(self, local, actors: int | None = None, cpus_per_actor: int = 1, batch_size: int = 64):
        self.local = local
        self.name, self.checksum, self.dimension = local.name, local.checksum, local.dimension
        self.max_tokens, self.backend = local.max_tokens, local.backend
        self.folder = getattr(local, "folder", None)
        self.languages = getattr(local, "languages", None)
        self.provenance = getattr(local, "provenance", {})  # a packaged encoder's package, version, weight checksums
        self.batch_size = batch_size
        ray = ensure_ray()
        resources = ray.cluster_resources()
        self.gpus = int(resources.get("GPU", 0))
        if self.gpus and local.backend == "onnx-int8":
            self.gpus = 0  # int8 vectors come from the CPU quantised model only
        self.device = "cuda" if self.gpus else "cpu"
        self.cpus_per_actor = cpus_per_actor
        self.actors = actors or (self.gpus if self.gpus else max(1, int(resources.get("CPU", 1)) // cpus_per_actor))

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.local.count_tokens(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        from index.embedding.protocol import embed_queries

        return embed_queries(self.local, texts)

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        import ray.data

        from index.embedding.identity import ModelIdentity

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return out
        # Sorted by length, so each batch pads little; rows carry their place back.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        ds = ray.data.from_items([{"row": i, "text": texts[i]} for i in order], override_num_blocks=max(1, self.actors * 4))
        # The bundled model is found by each worker itself (its install may sit elsewhere); any other by folder.
        model = str(self.folder) if self.folder and not ModelIdentity.of(self.local).bundled else None
        if getattr(self.local, "provenance", None):  # a packaged encoder (e5-multilingual, ...): each worker finds it by name
            model = self.local.name
        ds = ds.map_batches(_Encode, batch_size=self.batch_size, batch_format="numpy",
                            compute=ray.data.ActorPoolStrategy(size=self.actors),
                            fn_constructor_kwargs={"model": model, "backend": self.backend, "threads": self.cpus_per_actor, "device": self.device},
                            num_gpus=1 if self.gpus else 0, num_cpus=0 if self.gpus else self.cpus_per_actor)
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            out[np.asarray(batch["row"], dtype=np.int64)] = np.stack(batch["vector"])
            if progress:
                progress(len(batch["row"]))
        return out
