"""A session-wide private cache (linked to the machine's dictionary and ONNX exports) and the three real embedders."""
from __future__ import annotations

import fcntl
import os

import pytest

from index.embedding import BACKENDS
from index.embedding.cache import cache_root


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """A private cache whose ONNX exports (fp32 and int8) are the machine's, made on the machine's first run;
    yields (cache dir, {backend: embedder}). Under pytest-xdist the workers of one run share the cache (beside
    their own temporary folders): the first to get the lock exports when needed, the others load the same files."""
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
                share_machine_cache(cache, machine_cache)
                embedders = {b: load(None, backend=b) for b in BACKENDS}
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        yield cache, embedders


SHARED = ("dictionary", "onnx")


def share_machine_cache(private, machine) -> None:
    """The dictionary and the ONNX exports are made once per machine, as for a user: the private cache links to
    the machine's folders where they are writable; otherwise every run prepared the dictionary again (about 12 s)
    and exported and quantised the model again (about 17 s). Neither can be stale: the dictionary is named by its
    data file's sha256 and its format, an export by the weights' sha256 and the exporter's code
    (index.embedding.onnx_export.exporter_key), so a change to the exporter is exported, and tested, anew."""
    for name in SHARED:
        shared = machine / name
        try:
            shared.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(shared, os.W_OK) and not (private / name).exists():
            (private / name).symlink_to(shared, target_is_directory=True)
