"""Where an index may live: never in a folder that is also read as input.

Rule: an index folder that *is* an input folder is refused before anything is created (the
readers would skip the folder as an index, so that ingest could never read a document). An index
folder *inside* an input folder is fine: walking the input skips it (corpus/readers.py).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from index.errors import IndexLocationError


def refuse_index_among_inputs(index: Path | str, inputs: Iterable[Path | str]) -> None:
    """Raise IndexLocationError when the index folder is one of the input folders."""
    where = Path(index).resolve()
    for given in inputs:
        path = Path(given)
        if path.is_dir() and path.resolve() == where:
            raise IndexLocationError(f"the index folder {index} is also the input folder {given}: the index must live in a "
                                     f"folder of its own, e.g. {Path(given).resolve().name or 'docs'}-index beside it (or a subfolder, "
                                     "which reading skips); nothing was created")
