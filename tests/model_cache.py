"""A session-wide private cache of the ONNX exports (fp32 and int8) and the three real embedders."""
from __future__ import annotations

import fcntl
import os

import pytest

from index.embedding import BACKENDS


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """Export fp32 and int8 once per session into a private cache; yields (cache dir, {backend: embedder}).
    Under pytest-xdist the workers of one run share the cache (beside their own temporary folders): the first
    to get the lock exports, the others then load the same files."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, shared by its workers
    cache = root / "dipsearch-cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DIPSEARCH_CACHE", str(cache))
        from index.embedding import load

        with open(root / "dipsearch-cache.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                cache.mkdir(exist_ok=True)
                embedders = {b: load(None, backend=b) for b in BACKENDS}
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        yield cache, embedders
