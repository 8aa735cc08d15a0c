"""Where dipsearch keeps what it derives from a model: ONNX exports and the checksum memo.

The cache is ``$DIPSEARCH_CACHE``, else ``$XDG_CACHE_HOME/dipsearch``, else ``~/.cache/dipsearch``.
Exports sit under ``onnx/<sha256 of the weights>/<exporter key>/`` (index.embedding.onnx_export.exporter_key):
a changed exporter writes a new folder instead of reading what an older one wrote.
"""
from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    if os.environ.get("DIPSEARCH_CACHE"):
        return Path(os.environ["DIPSEARCH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dipsearch"


def export_dir(checksum: str, exporter: str) -> Path:
    return cache_root() / "onnx" / checksum / exporter
