"""The sha256 of a model's weights, which identifies its vectors, and a memo so a query need not hash 90 MB.

The memo (``checksums.json`` in the cache, index.embedding.cache) maps a weight file's path, size and
modification time to its checksum, so an edited or replaced file is hashed again.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from index.embedding.cache import cache_root
from index.errors import ModelError

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in 1 MiB blocks (model weights, packaged encoders' files, the dictionary)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weight_file(folder: Path) -> Path | None:
    return next((folder / n for n in WEIGHT_FILES if (folder / n).is_file()), None)


def weights_checksum(folder: Path) -> str:
    """sha256 of the model's weight file."""
    path = weight_file(Path(folder))
    if path is None:
        raise ModelError("{folder} has no weights ({files}); pass {model} a sentence-transformers model folder", fields=("model",),
                         folder=folder, files=" or ".join(WEIGHT_FILES))
    return file_sha256(path)


def cached_checksum(folder: Path) -> str:
    """weights_checksum(folder), remembered per (path, size, mtime)."""
    weights = weight_file(Path(folder))
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
