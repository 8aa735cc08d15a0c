"""The manifest: a small JSON file saying what an index holds and how it was built."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from index.errors import IndexFormatError

FORMAT_NAME = "dipsearch-index"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


def write_json_atomic(path: Path, data: dict) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the old file."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the mode a plain open() would
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST_NAME
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"{path} is damaged ({exc}); run `dipsearch ingest` again on this index to rewrite it") from exc
    if data.get("format") != FORMAT_NAME:
        raise IndexFormatError(f"{folder} is not a dipsearch index (its manifest says format {data.get('format')!r}); pick another --index")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise IndexFormatError(f"{folder} has index format {version}, newer than this dipsearch reads ({FORMAT_VERSION}); upgrade dipsearch")
    return data
