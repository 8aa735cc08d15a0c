"""A session-wide private cache of the ONNX exports (fp32 and int8) and the three real embedders."""
from __future__ import annotations

import fcntl
import os

import pytest

from index.embedding import BACKENDS
from index.embedding.cache import cache_root


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """Export fp32 and int8 once per session into a private cache; yields (cache dir, {backend: embedder}).
    Under pytest-xdist the workers of one run share the cache (beside their own temporary folders): the first
    to get the lock exports, the others then load the same files."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, shared by its workers
    cache = root / "dipsearch-cache"
    machine_cache = cache_root()  # the machine's own (before the private one is set)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DIPSEARCH_CACHE", str(cache))
        from index.embedding import load

        with open(root / "dipsearch-cache.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                cache.mkdir(exist_ok=True)
                share_prepared_dictionary(cache, machine_cache)
                embedders = {b: load(None, backend=b) for b in BACKENDS}
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        yield cache, embedders


def share_prepared_dictionary(private, machine) -> None:
    """The private cache is for the ONNX exports. The dictionary is prepared once per machine, as for a user
    (it is named by its data file's sha256 and its format, so a stale one is never read): the private cache
    links to the machine's, where it is writable; otherwise every run prepared it again (about 12 s)."""
    shared = machine / "dictionary"
    try:
        shared.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if os.access(shared, os.W_OK) and not (private / "dictionary").exists():
        (private / "dictionary").symlink_to(shared, target_is_directory=True)
