"""Where exported models live, and a memo of weight checksums so a query need not hash 90 MB.

The cache is ``$DIPSEARCH_CACHE``, else ``$XDG_CACHE_HOME/dipsearch``, else ``~/.cache/dipsearch``.
Exports sit under ``onnx/<sha256 of the weights>/``; the memo maps a weight file's path, size and
modification time to its checksum, so an edited or replaced file is hashed again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from index.embedder import WEIGHT_FILES, weights_checksum


def cache_root() -> Path:
    if os.environ.get("DIPSEARCH_CACHE"):
        return Path(os.environ["DIPSEARCH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dipsearch"


def export_dir(checksum: str) -> Path:
    return cache_root() / "onnx" / checksum


def _weight_file(folder: Path) -> Path | None:
    return next((folder / n for n in WEIGHT_FILES if (folder / n).is_file()), None)


def cached_checksum(folder: Path) -> str:
    """weights_checksum(folder), remembered per (path, size, mtime)."""
    weights = _weight_file(folder)
    if weights is None:
        return weights_checksum(folder)  # raises the named error
    st = weights.stat()
    key = f"{weights.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    memo_path = cache_root() / "checksums.json"
    try:
        memo = json.loads(memo_path.read_text())
    except (OSError, ValueError):
        memo = {}
    if key in memo:
        return memo[key]
    checksum = weights_checksum(folder)
    memo[key] = checksum
    try:
        memo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo_path.with_name(f"checksums.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(memo, sort_keys=True))
        os.replace(tmp, memo_path)
    except OSError:
        pass  # a read-only cache only costs hashing again
    return checksum
