"""Where a command may write an output file (a CSV, an export): never over the index's own files, and never
over an existing file unless asked to.

The index folder's top level belongs to the index (its database, journal, vectors, manifest, lock and
whatever later versions keep there), so no output may be written there, even with `force`; a file that is
the same file as one of them under another name (a link) is refused too. Elsewhere an existing file is
overwritten only with `force`, and a folder never is.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from corpus.errors import DipsearchError

IN_INDEX, EXISTS, IS_FOLDER = "in_index", "exists", "is_folder"


class OutputRefused(DipsearchError):
    """An output path that would overwrite the index or an existing file. `kind` is IN_INDEX, EXISTS or
    IS_FOLDER. The message names two fields, `output` (the path option) and `force` (how to overwrite),
    which each front end words with its own names."""

    def __init__(self, path: Path, kind: str, index_dir: Path):
        self.path, self.kind, self.index_dir = Path(path), kind, Path(index_dir)
        if kind == IN_INDEX:
            message = ("{output} {path} would be written among the index's own files in {index_dir}; "
                       "nothing was written, choose a path outside the index folder")
        elif kind == IS_FOLDER:
            message = "{output} {path} is a folder; give a file path"
        else:
            message = "{output} {path} already exists; nothing was written (overwrite it with {force}, or choose another path)"
        super().__init__(message, fields=("output", "force"), path=str(path), index_dir=str(index_dir))

    def worded(self, names=None) -> str:
        """Plain (library) wording calls the overwrite switch by its keyword: force=True."""
        return super().worded(names if names is not None else {"force": "force=True"})


def _same_file_as_index_file(path: Path, index_dir: Path) -> bool:
    try:
        target = path.stat()
        return any(os.path.samestat(target, entry.stat()) for entry in os.scandir(index_dir) if entry.is_file())
    except OSError:
        return False


def safe_output_path(path: Path | str, index_dir: Path | str, force: bool = False) -> Path:
    """`path`, after checking it may be written: not in the top level of `index_dir` (nor the same file as
    one there), not a folder, and not an existing file unless `force`. Raises OutputRefused."""
    path, index_dir = Path(path), Path(index_dir)
    resolved, index_resolved = path.resolve(), index_dir.resolve()
    if resolved == index_resolved or resolved.parent == index_resolved or _same_file_as_index_file(path, index_dir):
        raise OutputRefused(path, IN_INDEX, index_dir)
    if path.is_dir():
        raise OutputRefused(path, IS_FOLDER, index_dir)
    if not force and (path.exists() or path.is_symlink()):
        raise OutputRefused(path, EXISTS, index_dir)
    return path


def safe_output_folder(folder: Path | str, names: Iterable[str], index_dir: Path | str, force: bool = False) -> Path:
    """`folder`, after checking that each of the files `names` (relative paths) may be written in it."""
    folder, index_dir = Path(folder), Path(index_dir)
    if folder.resolve() == index_dir.resolve():
        raise OutputRefused(folder, IN_INDEX, index_dir)
    if folder.exists() and not folder.is_dir():
        raise OutputRefused(folder, EXISTS, index_dir)
    for name in names:
        safe_output_path(folder / name, index_dir, force)
    return folder
