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
    """The manifest, or None when there is none; a damaged one raises IndexFormatError."""
    data, problem = load_manifest(folder)
    if problem:
        raise IndexFormatError(problem)
    return data


def load_manifest(folder: Path) -> tuple[dict | None, str | None]:
    """(manifest, None), (None, None) when absent, or (None, what is wrong) when it cannot be parsed.
    A damaged manifest is not fatal: SQLite is the authority, and the next save rewrites it.
    A manifest of another program or a newer format still raises IndexFormatError."""
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        return None, f"{path} is damaged ({exc}); `dipsearch repair` or the next ingest rewrites it from the database"
    if not isinstance(data, dict) or "format" not in data:
        return None, f"{path} is damaged (not a dipsearch manifest); `dipsearch repair` or the next ingest rewrites it from the database"
    if data.get("format") != FORMAT_NAME:
        raise IndexFormatError("{folder} is not a dipsearch index (its manifest says format {format!r}); pick another {index}",
                               fields=("index",), folder=folder, format=data.get("format"))
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise IndexFormatError(f"{folder} has index format {version}, newer than this dipsearch reads ({FORMAT_VERSION}); upgrade dipsearch")
    return data, None
