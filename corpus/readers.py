"""Reading documents from folders and files: the registry of readers by suffix (.txt/.md, .jsonl(.gz), .csv,
.html, .pdf; each in its own module), and the walk over the inputs given.

Every problem with one input becomes an `InputProblem` in the stream (never an exception that
stops the batch): the caller reports it and goes on with the rest.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from corpus.csv_reader import MAX_CSV_BYTES, csv_reader
from corpus.documents import RawDocument
from corpus.errors import InputProblem
from corpus.file_input import shown_path
from corpus.html_reader import html_reader
from corpus.jsonl_reader import jsonl_reader
from corpus.pdf_reader import pdf_reader
from corpus.read_options import DEFAULT_MAX_DOC_BYTES, RECORD_FIELDS, ReadOptions, doc_limit_bytes, parse_field_map
from corpus.record_reader import MAX_RECORD_DEPTH, record_problem
from corpus.text_reader import (FOLDER_METADATA, MAX_SIDE_FILE_BYTES, SIDECAR_SUFFIX, TEXT_SUFFIXES, decode_bytes, is_sidecar,
                                text_reader)

__all__ = ["DEFAULT_MAX_DOC_BYTES", "FOLDER_METADATA", "INDEX_DATABASE", "MAX_CSV_BYTES", "MAX_RECORD_DEPTH", "MAX_SIDE_FILE_BYTES",
           "READERS", "RECORD_FIELDS", "SIDECAR_SUFFIX", "TEXT_SUFFIXES", "ReadOptions", "Reader", "decode_bytes", "doc_limit_bytes",
           "formats", "iter_files", "parse_field_map", "read_inputs", "record_problem", "unsupported"]

INDEX_DATABASE = "dipsearch.sqlite"  # marks a dipsearch index folder: never read as documents


def _suffix(path: Path) -> str:
    """The file's format suffix: the longest registered one its name ends with (.jsonl.gz before .gz), else its last."""
    name = path.name.lower()
    known = [s for s in READERS if name.endswith(s)]
    return max(known, key=len) if known else path.suffix.lower()


def _walk_problem(exc: OSError) -> InputProblem:
    return InputProblem(shown_path(exc.filename or "?"), f"cannot read folder ({exc.strerror or exc}); the files in it were skipped")


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path] | InputProblem]:
    """(file, root it was found under) for every input file, folders walked recursively in name order.
    A folder that cannot be listed and a link to a folder (not followed) are problems, never silent gaps."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            if (path / INDEX_DATABASE).exists():
                yield InputProblem(shown_path(path), "is a dipsearch index folder, not documents; give the folder of your documents")
                continue
            unreadable: list[OSError] = []
            for dirpath, dirnames, filenames in os.walk(path, onerror=unreadable.append):
                yield from map(_walk_problem, unreadable)
                unreadable.clear()
                if INDEX_DATABASE in filenames:  # an index kept among the documents (./dipsearch-index)
                    dirnames[:] = []
                    continue
                linked = sorted(d for d in dirnames if not d.startswith(".") and os.path.islink(os.path.join(dirpath, d)))
                for name in linked:
                    yield InputProblem(shown_path(Path(dirpath) / name), "is a link to a folder, not followed; give the folder itself to read it")
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in linked)
                for name in sorted(filenames):
                    file = Path(dirpath) / name
                    if name.startswith(".") or is_sidecar(file):
                        continue
                    yield (file, path)
            yield from map(_walk_problem, unreadable)
        elif path.is_file():
            yield (path, path.parent)
        elif not path.exists():
            yield InputProblem(shown_path(path), "no such file or folder")
        else:
            yield InputProblem(shown_path(path), "not a regular file or folder")


def read_inputs(paths: Iterable[str | Path], options: ReadOptions = ReadOptions()) -> Iterator[RawDocument | InputProblem]:
    """Every document in `paths`, or a problem for each input that cannot be read."""
    folder_metadata: dict[Path, dict[str, dict] | InputProblem] = {}
    for item in iter_files(paths):
        if isinstance(item, InputProblem):
            yield item
            continue
        file, root = item
        suffix = _suffix(file)
        reader = READERS.get(suffix)
        if reader is None:
            yield unsupported(file, suffix)
        else:
            yield from reader(file, root, options, folder_metadata)


def formats() -> str:
    """The suffixes dipsearch reads, for help texts and messages: '.txt .md .jsonl .jsonl.gz .csv'."""
    return " ".join(READERS)


def unsupported(file: Path, suffix: str) -> InputProblem:
    return InputProblem(shown_path(file), f"unsupported file type {suffix or '(none)'!r}; dipsearch reads {formats()}")


# ---------------------------------------------------------------- the registry: suffix -> reader
# Each reader takes (file, root it was found under, options, per-folder metadata cache) and yields
# documents or problems. The order here is the order of the CLI's help list of formats.
Reader = Callable[[Path, Path, ReadOptions, dict], Iterator[RawDocument | InputProblem]]

READERS: dict[str, Reader] = {
    **{suffix: text_reader for suffix in TEXT_SUFFIXES},
    ".jsonl": jsonl_reader,
    ".jsonl.gz": jsonl_reader,
    ".csv": csv_reader,
    ".html": html_reader,
    ".htm": html_reader,
    ".pdf": pdf_reader,
}
