"""A session-wide private cache of the ONNX exports (fp32 and int8) and the three real embedders."""
from __future__ import annotations

import pytest

from index.embedding import BACKENDS


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """Export fp32 and int8 once per session into a private cache; yields (cache dir, {backend: embedder})."""
    cache = tmp_path_factory.mktemp("dipsearch-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DIPSEARCH_CACHE", str(cache))
        from index.embedding import load

        embedders = {b: load(None, backend=b) for b in BACKENDS}
        yield cache, embedders
