"""Reading documents from folders and files: .txt/.md, .jsonl(.gz), .csv, with metadata sidecars.

Every problem with one input becomes an `InputProblem` in the stream (never an exception that
stops the batch): the caller reports it and goes on with the rest.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.documents import METADATA_FIELDS, RawDocument
from corpus.errors import FieldError, FieldMappingError, InputProblem
from corpus.textfile import FileTooLarge, NotRegularFile, invalid_character, open_regular, read_regular_file
from corpus.file_input import read_bounded as _read_file
from corpus.file_input import shown_path
from corpus.html_reader import html_reader
from corpus.pdf_reader import pdf_reader

TEXT_SUFFIXES = (".txt", ".md")
SIDECAR_SUFFIX = ".meta.json"
FOLDER_METADATA = "metadata.csv"
INDEX_DATABASE = "dipsearch.sqlite"  # marks a dipsearch index folder: never read as documents
_MB = 1024 * 1024  # the document limit (max_doc_mb) counts in these
DEFAULT_MAX_DOC_BYTES = 20 * _MB
RECORD_FIELDS = ("id", "text") + METADATA_FIELDS
MAX_RECORD_DEPTH = 64  # nesting levels a record may have (deeper ones are refused before anything recurses on them)
MAX_CSV_BYTES = 1024 * _MB  # a CSV file is decoded whole to guess its encoding
MAX_SIDE_FILE_BYTES = 64 * _MB  # a sidecar or a folder's metadata.csv


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs: field names in the records, and the largest document accepted."""

    field_map: dict[str, str] = field(default_factory=dict)  # our name -> name in the input (dots for nesting)
    max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES

    def source_name(self, name: str) -> str:
        return self.field_map.get(name, name)


def doc_limit_bytes(max_doc_mb: float) -> int:
    """The document size limit in bytes for a limit in megabytes. Raises FieldError unless it is a finite
    number above 0 (nan and inf gave tracebacks)."""
    try:
        limit = float(max_doc_mb)
    except (TypeError, ValueError):
        limit = math.nan
    if not math.isfinite(limit) or limit <= 0 or limit * _MB < 1:
        raise FieldError("max_doc_mb", max_doc_mb, "the document size limit must be a finite number of megabytes above 0, e.g. 20")
    return int(limit * _MB)


def parse_field_map(pairs: Iterable[str]) -> dict[str, str]:
    """['text=body', 'date=published'] -> {'text': 'body', 'date': 'published'}."""
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not theirs.strip() or ours.strip() not in RECORD_FIELDS:
            raise FieldMappingError("{field_map} {pair!r} is not FIELD=NAME with FIELD one of {names} (e.g. {field_map} text=body)",
                                    fields=("field_map",), pair=pair, names=", ".join(RECORD_FIELDS))
        mapping[ours.strip()] = theirs.strip()
    return mapping


def _suffix(path: Path) -> str:
    """The file's format suffix: the longest registered one its name ends with (.jsonl.gz before .gz), else its last."""
    name = path.name.lower()
    known = [s for s in READERS if name.endswith(s)]
    return max(known, key=len) if known else path.suffix.lower()


def _is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX) or path.name == FOLDER_METADATA


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
                    if name.startswith(".") or _is_sidecar(file):
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


# ---------------------------------------------------------------- plain text files


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


# ---------------------------------------------------------------- record files (JSONL, CSV)


def _lookup(record: dict, dotted: str):
    value = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def record_problem(record) -> str | None:
    """Why a parsed record cannot be stored, or None: nested deeper than MAX_RECORD_DEPTH, or a string
    (key or value) with a character that has no UTF-8 form. Walked without recursion."""
    stack = [(record, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            problem = invalid_character(item)
            if problem:
                return f"holds {problem} (a broken \\u escape or bytes that are not UTF-8)"
        elif isinstance(item, (dict, list)):
            if depth > MAX_RECORD_DEPTH:
                return f"nested more than {MAX_RECORD_DEPTH} levels deep"
            values = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((v, depth + 1) for v in values)
    return None


def _record_to_document(record, origin: str, fallback_id: str, options: ReadOptions) -> RawDocument | InputProblem:
    if not isinstance(record, dict):
        return InputProblem(origin, f"expected a JSON object, found {type(record).__name__}")
    problem = record_problem(record)
    if problem:
        return InputProblem(origin, f"{problem}; skipped")
    text_name = options.source_name("text")
    text = _lookup(record, text_name)
    if text is None:
        return InputProblem(origin, "no {name!r} field; map the text with {field_map} text=NAME", fields=("field_map",), name=text_name)
    if not isinstance(text, str) or not text.strip():
        return InputProblem(origin, f"field {text_name!r} is empty or not text")
    if len(text.encode("utf-8")) > options.max_doc_bytes:
        return InputProblem(origin, "document of {size:.1f} MB is over the {limit:g} MB limit; split it or raise {max_doc_mb}",
                            fields=("max_doc_mb",), size=len(text.encode("utf-8")) / _MB, limit=options.max_doc_bytes / _MB)
    doc_id = _lookup(record, options.source_name("id"))
    given = {}
    for name in METADATA_FIELDS:
        value = _lookup(record, options.source_name(name))
        if value not in (None, ""):
            given[name] = str(value)
    used = {options.source_name(n).split(".")[0] for n in RECORD_FIELDS}
    meta = {k: v for k, v in record.items() if k not in used}
    if isinstance(record.get("meta"), dict) and "meta" not in used:
        meta = {**{k: v for k, v in meta.items() if k != "meta"}, **record["meta"]}
    return RawDocument(doc_id=str(doc_id) if doc_id not in (None, "") else fallback_id, text=text, origin=origin, given=given, meta=meta)


def _lines(raw, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """(line number, line) for each line of a binary stream, reading at most `limit` + 1 bytes of any
    line: a longer one comes as (number, its length in bytes) and is skipped to its end unread."""
    lineno = 0
    while True:
        line = raw.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) <= limit or line.endswith(b"\n"):
            yield lineno, line
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):
            line = raw.readline(1 << 20)
            size += len(line)
        yield lineno, size


def _read_jsonl(file: Path, options: ReadOptions) -> Iterator[RawDocument | InputProblem]:
    name = shown_path(file)
    try:
        handle = open_regular(file)
    except NotRegularFile as exc:
        yield InputProblem(name, f"{exc}; only regular files are read")
        return
    except OSError as exc:
        yield InputProblem(name, f"cannot read ({exc.strerror or exc})")
        return
    raw = gzip.GzipFile(fileobj=handle, mode="rb") if file.name.lower().endswith(".gz") else handle
    stem = shown_path(file.name.split(".")[0])
    seen_any = False
    lineno = 0
    try:
        with handle, raw:
            for lineno, line in _lines(raw, options.max_doc_bytes * 2):
                origin = f"{name}:{lineno}"
                if isinstance(line, int):
                    seen_any = True
                    yield InputProblem(origin, f"line of {line / _MB:.1f} MB is over the document limit; skipped")
                    continue
                if not line.strip():
                    continue
                seen_any = True
                try:
                    record = json.loads(line.decode("utf-8-sig"))
                except UnicodeDecodeError:
                    yield InputProblem(origin, "not valid UTF-8; line skipped (re-save the file as UTF-8)")
                    continue
                except json.JSONDecodeError as exc:
                    yield InputProblem(origin, f"malformed JSON ({exc.msg} at column {exc.colno}); line skipped")
                    continue
                except RecursionError:
                    yield InputProblem(origin, f"JSON nested more than {MAX_RECORD_DEPTH} levels deep; line skipped")
                    continue
                yield _record_to_document(record, origin, f"{stem}-{lineno}", options)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield InputProblem(f"{name}:{lineno + 1}", f"file is damaged or truncated ({exc}); the lines before it were read")
        return
    if not seen_any:
        yield InputProblem(name, "empty file")


def _read_csv(file: Path, options: ReadOptions) -> Iterator[RawDocument | InputProblem]:
    name = shown_path(file)
    try:
        data = read_regular_file(file, MAX_CSV_BYTES)
    except FileTooLarge as exc:
        yield InputProblem(name, f"CSV file of {exc.size / _MB:.0f} MB is over the {MAX_CSV_BYTES / _MB:.0f} MB a CSV file may hold; split it, or use JSONL (read line by line)")
        return
    except NotRegularFile as exc:
        yield InputProblem(name, f"{exc}; only regular files are read")
        return
    except OSError as exc:
        yield InputProblem(name, f"cannot read ({exc.strerror or exc})")
        return
    try:
        text, notice = decode_bytes(data)
    except ValueError as exc:
        yield InputProblem(name, str(exc))
        return
    if not text.strip():
        yield InputProblem(name, "empty file")
        return
    csv.field_size_limit(max(options.max_doc_bytes * 2, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        text_name = options.source_name("text")
        if text_name not in (reader.fieldnames or []):  # one line for the file, not one per row
            columns = ", ".join(name for name in reader.fieldnames or [] if name) or "none"
            yield InputProblem(name, "no {name!r} column (columns: {columns}); map the text with {field_map} text=NAME",
                               fields=("field_map",), name=text_name, columns=columns)
            return
        for row in reader:
            origin = f"{name}:{reader.line_num}"
            if None in row:  # DictReader puts the cells beyond the header under the key None
                cells = len(reader.fieldnames) + len(row[None])
                yield InputProblem(origin, f"row has {cells} cells, the header {len(reader.fieldnames)}; row skipped (quote cells holding commas)")
                continue
            doc = _record_to_document(dict(row), origin, f"{shown_path(file.stem)}-{reader.line_num}", options)
            if notice and isinstance(doc, RawDocument):
                doc.notices.append(notice)
            yield doc
    except csv.Error as exc:
        yield InputProblem(f"{name}:{reader.line_num}", f"malformed CSV ({exc}); the rows before it were read")


# ---------------------------------------------------------------- the registry: suffix -> reader
# Each reader takes (file, root it was found under, options, per-folder metadata cache) and yields
# documents or problems. The order here is the order of the CLI's help list of formats.
Reader = Callable[[Path, Path, ReadOptions, dict], Iterator[RawDocument | InputProblem]]


def _text_reader(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> Iterator[RawDocument | InputProblem]:
    yield _read_text_file(file, root, options, folder_cache)


def _jsonl_reader(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> Iterator[RawDocument | InputProblem]:
    return _read_jsonl(file, options)


def _csv_reader(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> Iterator[RawDocument | InputProblem]:
    return _read_csv(file, options)


READERS: dict[str, Reader] = {
    **{suffix: _text_reader for suffix in TEXT_SUFFIXES},
    ".jsonl": _jsonl_reader,
    ".jsonl.gz": _jsonl_reader,
    ".csv": _csv_reader,
    ".html": html_reader,
    ".htm": html_reader,
    ".pdf": pdf_reader,
}
