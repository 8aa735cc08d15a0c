"""Reading documents from folders and files: .txt/.md, .jsonl(.gz), .csv, with metadata sidecars.

Every problem with one input becomes an `InputProblem` in the stream (never an exception that
stops the batch): the caller reports it and goes on with the rest.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.documents import METADATA_FIELDS, RawDocument
from corpus.errors import FieldMappingError, InputProblem
from corpus.html_reader import HTML_SUFFIXES, read_html
from corpus.pdf_reader import PDF_SUFFIXES, read_pdf

TEXT_SUFFIXES = (".txt", ".md")
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv")
SIDECAR_SUFFIX = ".meta.json"
FOLDER_METADATA = "metadata.csv"
INDEX_DATABASE = "dipsearch.sqlite"  # marks a dipsearch index folder: never read as documents
_MB = 1024 * 1024  # --max-doc-mb counts in these
DEFAULT_MAX_DOC_BYTES = 20 * _MB
RECORD_FIELDS = ("id", "text") + METADATA_FIELDS


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs: field names in the records, and the largest document accepted."""

    field_map: dict[str, str] = field(default_factory=dict)  # our name -> name in the input (dots for nesting)
    max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES

    def source_name(self, name: str) -> str:
        return self.field_map.get(name, name)


def parse_field_map(pairs: Iterable[str]) -> dict[str, str]:
    """['text=body', 'date=published'] -> {'text': 'body', 'date': 'published'}."""
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not theirs.strip() or ours.strip() not in RECORD_FIELDS:
            raise FieldMappingError(
                f"--field {pair!r} is not FIELD=NAME with FIELD one of {', '.join(RECORD_FIELDS)} (e.g. --field text=body)"
            )
        mapping[ours.strip()] = theirs.strip()
    return mapping


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def _is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX) or path.name == FOLDER_METADATA


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path] | InputProblem]:
    """(file, root it was found under) for every input file, folders walked recursively in name order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            if (path / INDEX_DATABASE).exists():
                yield InputProblem(str(path), "is a dipsearch index folder, not documents; give the folder of your documents")
                continue
            for dirpath, dirnames, filenames in os.walk(path):
                if INDEX_DATABASE in filenames:  # an index kept among the documents (./dipsearch-index)
                    dirnames[:] = []
                    continue
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    file = Path(dirpath) / name
                    if name.startswith(".") or _is_sidecar(file):
                        continue
                    yield (file, path)
        elif path.is_file():
            yield (path, path.parent)
        elif not path.exists():
            yield InputProblem(str(path), "no such file or folder")
        else:
            yield InputProblem(str(path), "not a regular file or folder")


def read_inputs(paths: Iterable[str | Path], options: ReadOptions = ReadOptions()) -> Iterator[RawDocument | InputProblem]:
    """Every document in `paths`, or a problem for each input that cannot be read."""
    folder_metadata: dict[Path, dict[str, dict] | InputProblem] = {}
    for item in iter_files(paths):
        if isinstance(item, InputProblem):
            yield item
            continue
        file, root = item
        suffix = _suffix(file)
        if suffix in TEXT_SUFFIXES:
            yield _read_text_file(file, root, options, folder_metadata)
        elif suffix in (".jsonl", ".jsonl.gz"):
            yield from _read_jsonl(file, options)
        elif suffix == ".csv":
            yield from _read_csv(file, options)
        elif suffix in HTML_SUFFIXES + PDF_SUFFIXES:
            yield (read_html if suffix in HTML_SUFFIXES else read_pdf)(file, root, options)
        else:
            yield InputProblem(str(file), f"unsupported file type {suffix or '(none)'!r}; dipsearch reads .txt .md .jsonl .jsonl.gz .csv .html .htm .pdf")


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
        if path.is_file():
            try:
                with open(path, newline="", encoding="utf-8-sig") as f:
                    for row in csv.DictReader(f):
                        key = row.pop("file", None) or row.pop("filename", None) or row.pop("path", None)
                        if key:
                            table[key.strip()] = {k: v for k, v in row.items() if k and v not in (None, "")}
            except (OSError, UnicodeDecodeError, csv.Error) as exc:
                table = InputProblem(str(path), f"metadata table unreadable ({exc}); its files go in without it")
        cache[folder] = table
    return cache[folder]


def _read_text_file(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> RawDocument | InputProblem:
    origin = str(file)
    try:
        size = file.stat().st_size
        if size > options.max_doc_bytes:
            return InputProblem(origin, f"{size / _MB:.1f} MB is over the {options.max_doc_bytes / _MB:g} MB document limit; split it or raise --max-doc-mb")
        data = file.read_bytes()
    except OSError as exc:
        return InputProblem(origin, f"cannot read ({exc.strerror or exc})")
    try:
        text, notice = decode_bytes(data)
    except ValueError as exc:
        return InputProblem(origin, str(exc))
    if not text.strip():
        return InputProblem(origin, "empty file")
    rel = file.relative_to(root) if root in file.parents else Path(file.name)
    doc_id = str(rel.with_suffix("")).replace(os.sep, "/")
    given: dict[str, str] = {}
    notices = [notice] if notice else []
    table = _load_folder_metadata(file.parent, folder_cache)
    if isinstance(table, InputProblem):
        notices.append(table.reason)
    else:
        given.update(table.get(file.name, {}))
    sidecar = file.with_name(file.name + SIDECAR_SUFFIX)
    if sidecar.is_file():
        try:
            extra = json.loads(sidecar.read_text(encoding="utf-8-sig"))
            if not isinstance(extra, dict):
                raise ValueError("not a JSON object")
            given.update({k: v for k, v in extra.items() if v is not None})
        except (OSError, ValueError) as exc:
            notices.append(f"sidecar {sidecar.name} ignored ({exc})")
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


def _record_to_document(record, origin: str, fallback_id: str, options: ReadOptions) -> RawDocument | InputProblem:
    if not isinstance(record, dict):
        return InputProblem(origin, f"expected a JSON object, found {type(record).__name__}")
    text_name = options.source_name("text")
    text = _lookup(record, text_name)
    if text is None:
        return InputProblem(origin, f"no {text_name!r} field; map the text with --field text=NAME")
    if not isinstance(text, str) or not text.strip():
        return InputProblem(origin, f"field {text_name!r} is empty or not text")
    if len(text.encode("utf-8")) > options.max_doc_bytes:
        return InputProblem(origin, f"document of {len(text.encode('utf-8')) / _MB:.1f} MB is over the {options.max_doc_bytes / _MB:g} MB limit; split it or raise --max-doc-mb")
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


def _read_jsonl(file: Path, options: ReadOptions) -> Iterator[RawDocument | InputProblem]:
    try:
        raw = gzip.open(file, "rb") if file.name.lower().endswith(".gz") else open(file, "rb")
    except OSError as exc:
        yield InputProblem(str(file), f"cannot read ({exc.strerror or exc})")
        return
    seen_any = False
    lineno = 0
    try:
        with raw:
            for lineno, line in enumerate(raw, start=1):
                origin = f"{file}:{lineno}"
                if not line.strip():
                    continue
                seen_any = True
                if len(line) > options.max_doc_bytes * 2:
                    yield InputProblem(origin, f"line of {len(line) / _MB:.1f} MB is over the document limit; skipped")
                    continue
                try:
                    record = json.loads(line.decode("utf-8-sig"))
                except UnicodeDecodeError:
                    yield InputProblem(origin, "not valid UTF-8; line skipped (re-save the file as UTF-8)")
                    continue
                except json.JSONDecodeError as exc:
                    yield InputProblem(origin, f"malformed JSON ({exc.msg} at column {exc.colno}); line skipped")
                    continue
                yield _record_to_document(record, origin, f"{file.name.split('.')[0]}-{lineno}", options)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield InputProblem(f"{file}:{lineno + 1}", f"file is damaged or truncated ({exc}); the lines before it were read")
        return
    if not seen_any:
        yield InputProblem(str(file), "empty file")


def _read_csv(file: Path, options: ReadOptions) -> Iterator[RawDocument | InputProblem]:
    try:
        data = file.read_bytes()
    except OSError as exc:
        yield InputProblem(str(file), f"cannot read ({exc.strerror or exc})")
        return
    try:
        text, notice = decode_bytes(data)
    except ValueError as exc:
        yield InputProblem(str(file), str(exc))
        return
    if not text.strip():
        yield InputProblem(str(file), "empty file")
        return
    csv.field_size_limit(max(options.max_doc_bytes * 2, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        text_name = options.source_name("text")
        if text_name not in (reader.fieldnames or []):  # one line for the file, not one per row
            columns = ", ".join(name for name in reader.fieldnames or [] if name) or "none"
            yield InputProblem(str(file), f"no {text_name!r} column (columns: {columns}); map the text with --field text=NAME")
            return
        for row in reader:
            origin = f"{file}:{reader.line_num}"
            doc = _record_to_document(dict(row), origin, f"{file.stem}-{reader.line_num}", options)
            if notice and isinstance(doc, RawDocument):
                doc.notices.append(notice)
            yield doc
    except csv.Error as exc:
        yield InputProblem(f"{file}:{reader.line_num}", f"malformed CSV ({exc}); the rows before it were read")
