"""Reading plain text files (.txt, .md) as one document each, with the metadata of a sidecar
(`NAME.meta.json`) and of the folder's `metadata.csv`; and guessing a text file's encoding."""
from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

from corpus.documents import METADATA_FIELDS, RawDocument
from corpus.errors import InputProblem
from corpus.file_input import MB, shown_path
from corpus.file_input import read_bounded as _read_file
from corpus.read_options import ReadOptions
from corpus.record_reader import record_problem
from corpus.textfile import FileTooLarge, NotRegularFile, read_regular_file

TEXT_SUFFIXES = (".txt", ".md")
SIDECAR_SUFFIX = ".meta.json"
FOLDER_METADATA = "metadata.csv"
MAX_SIDE_FILE_BYTES = 64 * MB  # a sidecar or a folder's metadata.csv


def is_sidecar(path: Path) -> bool:
    """A metadata file beside the documents (never read as a document itself)."""
    return path.name.endswith(SIDECAR_SUFFIX) or path.name == FOLDER_METADATA


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Text and a notice when it was not plain UTF-8. Raises ValueError for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "read as UTF-16 (byte-order mark)"
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes); only text is indexed")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text[:8192]) * 0.01 or text.count("\ufffd") > len(text) * 0.01:
        raise ValueError("binary file (not text in any encoding I know); only text is indexed")
    return text, "not valid UTF-8; read as Windows-1252/latin-1"


def _load_folder_metadata(folder: Path, cache: dict) -> dict[str, dict] | InputProblem:
    if folder not in cache:
        table: dict[str, dict] | InputProblem = {}
        path = folder / FOLDER_METADATA
        if path.exists():
            try:
                data = read_regular_file(path, MAX_SIDE_FILE_BYTES).decode("utf-8-sig")
                for row in csv.DictReader(io.StringIO(data, newline="")):
                    key = row.pop("file", None) or row.pop("filename", None) or row.pop("path", None)
                    if key:
                        table[key.strip()] = {k: v for k, v in row.items() if k and isinstance(v, str) and v}
            except (OSError, UnicodeDecodeError, csv.Error, NotRegularFile, FileTooLarge) as exc:
                table = InputProblem(shown_path(path), f"metadata table unreadable ({exc}); its files go in without it")
        cache[folder] = table
    return cache[folder]


def _read_text_file(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> RawDocument | InputProblem:
    origin = shown_path(file)
    data = _read_file(file, options.max_doc_bytes)
    if isinstance(data, InputProblem):
        return data
    try:
        text, notice = decode_bytes(data)
    except ValueError as exc:
        return InputProblem(origin, str(exc))
    if not text.strip():
        return InputProblem(origin, "empty file")
    rel = file.relative_to(root) if root in file.parents else Path(file.name)
    doc_id = shown_path(str(rel.with_suffix("")).replace(os.sep, "/"))
    given: dict[str, str] = {}
    notices = [notice] if notice else []
    if doc_id != str(rel.with_suffix("")).replace(os.sep, "/"):
        notices.append(f"file name is not UTF-8; its id is {doc_id}")
    table = _load_folder_metadata(file.parent, folder_cache)
    if isinstance(table, InputProblem):
        notices.append(table.reason)
    else:
        given.update(table.get(file.name, {}))
    sidecar = file.with_name(file.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        try:
            extra = json.loads(read_regular_file(sidecar, MAX_SIDE_FILE_BYTES).decode("utf-8-sig"))
            if not isinstance(extra, dict):
                raise ValueError("not a JSON object")
            problem = record_problem(extra)
            if problem:
                raise ValueError(problem)
            given.update({k: v for k, v in extra.items() if v is not None})
        except (OSError, ValueError, RecursionError, NotRegularFile, FileTooLarge) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
            notices.append(f"sidecar {shown_path(sidecar.name)} ignored ({reason})")
    doc_id = str(given.pop("id", doc_id))
    fields = {k: str(given.pop(k)) for k in METADATA_FIELDS if k in given}
    return RawDocument(doc_id=doc_id, text=text, origin=origin, given=fields, meta=given, notices=notices)


def text_reader(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> Iterator[RawDocument | InputProblem]:
    yield _read_text_file(file, root, options, folder_cache)
